"""The jury protocol's content: what is frozen with a publication, and the printed text in
kk, ru, en or kk+ru. Drawing is in contest.diplomas.protocol (PDF) and protocol_docx."""

from __future__ import annotations

from dataclasses import replace
from itertools import groupby
from typing import Any

from flask_babel import force_locale, format_date, format_decimal, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select

from contest.accounts.models import User
from contest.accounts.services import external_url
from contest.awards import queries
from contest.awards.documents import DocumentSettings
from contest.awards.models import Publication
from contest.awards.tiers import AWARD
from contest.contests.models import Contest, ContestJuror, localized
from contest.diplomas.protocol import ProtocolContent, ProtocolGroup, ProtocolRow, UnrankedRow
from contest.extensions import db
from contest.judging.models import Assignment, ReviewStatus
from contest.schools import regions
from contest.submissions.models import Entry, EntryStatus


def snapshot(contest: Contest, ranked_ids: set[int]) -> dict[str, Any]:
    """What the protocol prints besides the ranking, as it is at publication: the jury (in
    name order, with the reviews each submitted), the ranking method and the entries not
    ranked with the reason (withdrawn, rejected, not accepted, or never judged)."""
    reviews = dict(
        db.session.execute(
            select(Assignment.juror_id, func.count(Assignment.id))
            .where(Assignment.contest_id == contest.id, Assignment.status == ReviewStatus.SUBMITTED)
            .group_by(Assignment.juror_id)
        ).all()
    )
    jurors = db.session.execute(
        select(User.id, User.full_name)
        .join(ContestJuror, ContestJuror.user_id == User.id)
        .where(ContestJuror.contest_id == contest.id)
        .order_by(User.full_name, User.id)
    ).all()
    jury = [{"user_id": uid, "name": name, "reviews": reviews.get(uid, 0)} for uid, name in jurors]
    known = {row["user_id"] for row in jury}
    jury += [
        {"user_id": uid, "name": name, "reviews": reviews[uid]}
        for uid, name in db.session.execute(
            select(User.id, User.full_name).where(User.id.in_(set(reviews) - known)).order_by(User.full_name)
        )
    ]
    from contest.rounds.queries import protocol_facts  # rounds build on awards' readers

    rounds = protocol_facts(contest.id)
    out_of_final = (rounds or {}).get("not_shortlisted", {})
    unranked = []
    for entry_id, code, status in db.session.execute(
        select(Entry.id, Entry.code, Entry.status).where(Entry.contest_id == contest.id).order_by(Entry.code)
    ):
        if entry_id in ranked_ids:
            continue
        reason = {
            EntryStatus.WITHDRAWN: "withdrawn",
            EntryStatus.REJECTED: "rejected",
            EntryStatus.READY: "not_judged",
        }.get(status, "not_accepted")
        if str(entry_id) in out_of_final:
            reason = "not_shortlisted"
        extra = {"first_round": out_of_final[str(entry_id)]} if reason == "not_shortlisted" else {}
        unranked.append({"entry_id": entry_id, "code": code, "reason": reason, **extra})
    frozen = {
        "jury": jury,
        "method": contest.ranking_method,
        "reviews_per_entry": contest.reviews_per_entry,
        "unranked": unranked,
    }
    if rounds:
        frozen["rounds"] = {key: value for key, value in rounds.items() if key != "not_shortlisted"}
    return frozen


def rounds_sentence(rounds: dict) -> str:
    """How a two-round contest was judged, in plain words (in the current locale)."""
    rule = rounds.get("rule") or {}
    value = f"{rule.get('value', 0):g}"
    chosen = {"top_n": lambda: _("the top %(n)s of each category", n=value),
              "top_pct": lambda: _("the top %(n)s%% of each category", n=value),
              "min_score": lambda: _("every entry scoring at least %(n)s", n=value)}.get(
        rule.get("kind"), lambda: "")()
    text = _("The contest was judged in two rounds. After the first round (%(reviews)s reviews), "
             "%(finalists)s of %(entries)s ranked entries were shortlisted by the rule: %(rule)s; "
             "%(changed)s were changed by the jury with a recorded reason.",
             reviews=rounds.get("first_reviews", 0), finalists=rounds.get("finalists", 0),
             entries=rounds.get("entries", 0), rule=chosen, changed=rounds.get("overridden", 0))
    if rounds.get("mode") == "panel":
        text += " " + _("In the final round every one of the %(n)s members of the final jury read every "
                        "finalist of their categories (%(reviews)s reviews).",
                        n=rounds.get("final_jurors", 0), reviews=rounds.get("final_reviews", 0))
    else:
        text += " " + _("In the final round each finalist was read by %(k)s members of the final jury "
                        "(%(reviews)s reviews).", k=rounds.get("k") or 0,
                        reviews=rounds.get("final_reviews", 0))
    weight = float(rounds.get("previous_weight") or 0)
    if weight > 0:
        text += " " + _("The final score combines the final round (%(final)s%%) and the first round "
                        "(%(first)s%%).", final=round(100 - weight * 100), first=round(weight * 100))
    else:
        text += " " + _("The places below are those of the final round.")
    return text


def method_sentence(method: str, k: int) -> str:
    """How the scores were combined, in plain words (in the current locale)."""
    scored = ngettext(
        "Each essay was scored on the contest's rubric by %(num)s juror, as a weighted total out of 100.",
        "Each essay was scored on the contest's rubric by %(num)s jurors, as a weighted total out of 100.",
        k,
    )
    if method == "mean":
        combined = _("An essay's score is the plain mean of its jurors' totals.")
    elif method == "zscore":
        combined = _(
            "Each juror's totals were standardized against that juror's own average and spread, "
            "and an essay's score is the mean of its standardized totals on the 100-point scale."
        )
    else:
        combined = _(
            "Each juror's severity was estimated from all the essays they scored, and an essay's "
            "score is the mean of its jurors' totals adjusted for their severity."
        )
    places = _("Entries are ranked per category; equal scores share a place.")
    return f"{scored} {combined} {places}"


REASONS = {
    "withdrawn": lambda: _("withdrawn by the author"),
    "rejected": lambda: _("rejected"),
    "not_accepted": lambda: _("not accepted"),
    "not_judged": lambda: _("no review submitted"),
}


def _reason(unranked: dict) -> str:
    if unranked["reason"] == "not_shortlisted":
        first = unranked.get("first_round") or {}
        return _("not shortlisted (first round: place %(place)s, %(score)s)", place=first.get("place", ""),
                 score=f"{first.get('score', 0):.2f}")
    return REASONS[unranked["reason"]]()


def protocol_content(
    contest: Contest, publication: Publication, language: str, *, code: str
) -> ProtocolContent:
    """The protocol of a publication in `language` ("kk", "ru", "en" or "kk+ru")."""
    if "+" in language:
        first, second = language.split("+", 1)
        return _merge(
            protocol_content(contest, publication, first, code=code),
            protocol_content(contest, publication, second, code=code),
        )
    lang, frozen = language, publication.frozen or {}
    settings = DocumentSettings.of(contest)
    ids = [row["entry_id"] for row in publication.ranking] + [
        u["entry_id"] for u in frozen.get("unranked", [])
    ]
    students = queries.students_of(ids)
    categories = {c.id: localized(c.name, lang) for c in contest.categories}
    topics = {t.id: localized(t.title, lang) for t in contest.topics}
    with force_locale(lang):
        groups = []
        for key, rows in groupby(publication.ranking, key=lambda r: tuple(r["group"])):
            title = " \u00b7 ".join(filter(None, [categories.get(key[0], ""), topics.get(key[1], "")]))
            groups.append(
                ProtocolGroup(title, tuple(_row(r, students.get(r["entry_id"]), lang) for r in rows))
            )
        unranked = tuple(
            UnrankedRow(u["code"], _name(students.get(u["entry_id"])), _reason(u))
            for u in frozen.get("unranked", [])
        )
        jury = frozen.get("jury", [])
        chair, secretary = localized(settings.chair, lang), localized(settings.secretary, lang)
        members = ", ".join(j["name"] for j in jury)
        date = publication.published_at
        return ProtocolContent(
            title=(_("PROTOCOL"), _("of the meeting of the contest's jury")),
            facts=(
                (_("Organizer"), localized(contest.issuer, lang)),
                (_("Contest"), contest.title_in(lang)),
                (_("Date"), format_date(date, "long") if date else ""),
                (_("Place"), localized(settings.place, lang)),
            ),
            jury=((_("Chair"), chair), (_("Secretary"), secretary), (_("Members"), members)),
            method=(
                method_sentence(
                    frozen.get("method", contest.ranking_method),
                    frozen.get("reviews_per_entry", contest.reviews_per_entry),
                ),
                *([rounds_sentence(frozen["rounds"])] if frozen.get("rounds") else []),
            ),
            results_title=_("Results"),
            columns=(_("Place"), _("Code"), _("Author"), _("School"), _("Region"), _("Score"), _("Award")),
            groups=tuple(groups),
            unranked_title=_("Entries not ranked"),
            unranked_columns=(_("Code"), _("Author"), _("Reason")),
            unranked=unranked,
            signatures=tuple(
                [(_("Chair"), chair), (_("Secretary"), secretary)]
                + [(_("Member of the jury"), j["name"]) for j in jury]
            ),
            page_label=_("Page {page} of {pages}"),
            code_label=_("Verification code"),
            verification_code=code,
            verification_url=external_url("awards.verify_code", code=code),
        )


def _name(user: User | None) -> str:
    return user.full_name if user is not None else ""


def _row(row: dict, user: User | None, lang: str) -> ProtocolRow:
    award = queries.award_title(row["tier_name"], row["kind"], lang) if row["kind"] == AWARD else ""
    return ProtocolRow(
        str(row["place"]),
        row["code"],
        _name(user),
        user.school if user else "",
        regions.label(user.region, lang) if user else "",  # a region from the list is its code
        format_decimal(row["score"], "0.00"),
        award,
    )


def _join(a: str, b: str) -> str:
    return a if a == b or not b else (b if not a else f"{a} / {b}")


def _merge(a: ProtocolContent, b: ProtocolContent) -> ProtocolContent:
    """A bilingual protocol: every label and translated value as "kk / ru"; names once."""
    pairs = lambda xs, ys: tuple((_join(x[0], y[0]), _join(x[1], y[1])) for x, y in zip(xs, ys))  # noqa: E731
    groups = tuple(
        ProtocolGroup(
            _join(g.title, h.title),
            tuple(replace(r, region=_join(r.region, s.region), award=_join(r.award, s.award))
                  for r, s in zip(g.rows, h.rows)),
        )
        for g, h in zip(a.groups, b.groups)
    )
    return replace(
        a,
        title=tuple(_join(x, y) for x, y in zip(a.title, b.title)),
        facts=pairs(a.facts, b.facts),
        jury=pairs(a.jury, b.jury),
        method=a.method + b.method,
        results_title=_join(a.results_title, b.results_title),
        columns=tuple(_join(x, y) for x, y in zip(a.columns, b.columns)),
        groups=groups,
        unranked_title=_join(a.unranked_title, b.unranked_title),
        unranked_columns=tuple(_join(x, y) for x, y in zip(a.unranked_columns, b.unranked_columns)),
        unranked=tuple(replace(r, reason=_join(r.reason, s.reason)) for r, s in zip(a.unranked, b.unranked)),
        signatures=pairs(a.signatures, b.signatures),
        code_label=_join(a.code_label, b.code_label),
    )
