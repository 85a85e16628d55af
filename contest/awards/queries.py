"""Reads for awards: the live results (ranking + proposal + decisions), publications, the
public winners, a student's own results and the diplomas."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import defer

from contest.accounts.models import User
from contest.awards import tiers as tier_rules
from contest.awards.models import Award, Publication
from contest.contests.models import AwardTier, Contest, Phase, localized
from contest.db import as_loaded_from, plain_rows
from contest.errors import InvalidInput
from contest.extensions import db
from contest.judging.models import Assignment, ReviewStatus
from contest.ranking import store
from contest.submissions.models import Entry, EntryStatus

VISIBLE_PHASES = (Phase.PUBLISHED, Phase.ARCHIVED)


def award_title(tier_name: dict[str, str] | None, kind: str | None, lang: str | None = None) -> str:
    """The award's title in `lang` (default: the current locale); a participation certificate
    without a tier of its own gets the default title."""
    lang = lang or str(get_locale())
    title = localized(tier_name, lang)
    if title:
        return title
    if kind == tier_rules.PARTICIPATION:
        return _("Certificate of participation")
    return _("Award") if kind == tier_rules.AWARD else ""


def contest_tiers(contest: Contest) -> list[tier_rules.Tier]:
    return [tier_rules.Tier(t.id, t.rule, t.category_id, t.count, t.min_score, t.position)
            for t in contest.award_tiers]


def build_results(contest: Contest, groups: dict | None = None) -> list[dict[str, Any]]:
    """The results as they would be published now, as JSON-ready rows ordered by group and
    place: every ranked entry with its place, score, the proposed tier, and the decided tier
    (an organizer's override wins over the proposal). `groups`: the ranking when the caller
    has it; else the current one (store.fresh_ranking: a large contest's stored ranking, and
    Conflict while it is being computed or updated). Raises InvalidInput, as the ranking
    page says, when a submitted review cannot be totalled (e.g. a criterion was added to
    the rubric after it was submitted)."""
    groups = store.fresh_ranking(contest) if groups is None else groups  # given: already computed
    # The four columns used, of the contest's entries (a superset of the ranked ones): no ORM
    # objects and no list of 100,000 ids bound as parameters in a national contest.
    entries = {e.id: e for e in db.session.execute(
        select(Entry.id, Entry.code, Entry.category_id, Entry.topic_id)
        .where(Entry.contest_id == contest.id))}
    overrides = {a.entry_id: a for a in db.session.scalars(
        select(Award).where(Award.contest_id == contest.id, Award.overridden))}
    tiers_by_id: dict[int, AwardTier] = {t.id: t for t in contest.award_tiers}
    candidates = [tier_rules.Candidate(p.entry.entry_id, entries[p.entry.entry_id].category_id,
                                       p.place, p.entry.adjusted)
                  for result in groups.values() for p in result.places]
    proposals = tier_rules.propose_awards(candidates, contest_tiers(contest),
                                          participation=contest.participation_certificates)
    rows = []
    for key in sorted(groups, key=_group_order(contest)):
        places = groups[key].places
        for placed in places:
            entry = entries[placed.entry.entry_id]
            proposal = proposals[entry.id]
            override = overrides.get(entry.id)
            tier_id = override.tier_id if override else proposal.tier_id
            tier = tiers_by_id.get(tier_id) if tier_id is not None else None
            rows.append({
                "entry_id": entry.id, "code": entry.code, "category_id": entry.category_id,
                "topic_id": entry.topic_id, "group": [key[0], key[1]], "place": placed.place,
                "group_size": len(places), "score": round(placed.entry.adjusted, 4),
                "raw_mean": round(placed.entry.raw_mean, 4), "n_reviews": placed.entry.n_reviews,
                "flagged": placed.entry.flagged, "proposed_tier_id": proposal.tier_id,
                "tier_id": tier.id if tier else None,
                "kind": tier_rules.kind_of(tier.rule if tier else None, contest.participation_certificates),
                "tier_name": dict(tier.name) if tier else {},
                "tier_position": tier.position if tier else None,
                "overridden": override is not None,
            })
    return rows


def _group_order(contest: Contest):
    cat_pos = {c.id: c.position for c in contest.categories}
    topic_pos = {t.id: t.position for t in contest.topics}
    return lambda key: (cat_pos.get(key[0], 0), key[0], topic_pos.get(key[1], -1) if key[1] else -1)


def latest_publication(contest_id: int) -> Publication | None:
    """The newest publication; its ranking and frozen parts (a row per entry: megabytes in
    a national contest) load when first used, not for checks that it exists."""
    return db.session.scalar(_LATEST_PUBLICATION, {"contest_id": contest_id})


# Built once: the public results page asks on every request.
_LATEST_PUBLICATION = (select(Publication).where(Publication.contest_id == bindparam("contest_id"))
                       .options(defer(Publication.ranking), defer(Publication.frozen))
                       .order_by(Publication.revision.desc()).limit(1))


_RESULTS_CONTEST = (Contest.id, Contest.title, Contest.phase, Contest.timezone, Contest.year)
_PUBLICATION_HEAD = (Publication.id, Publication.contest_id, Publication.revision, Publication.reason,
                     Publication.published_at, Publication.published_by_id)


@cache
def _results_head_statement():
    newest = (select(func.max(Publication.revision)).where(Publication.contest_id == Contest.id)
              .correlate(Contest).scalar_subquery())
    newest_of_contest = and_(Publication.contest_id == Contest.id, Publication.revision == newest)
    return (select(*_RESULTS_CONTEST, *_PUBLICATION_HEAD).outerjoin(Publication, newest_of_contest)
            .where(Contest.id == bindparam("contest_id")))


def results_head(contest_id: int) -> tuple[Contest | None, Publication | None]:
    """The public results page's contest (the columns it reads; others load when read) and
    the publication the public may see (as visible_publication), in one plain statement
    (contest.db.plain_rows): the page is public and hot, and two ORM loads were a third of
    its time. The publication's ranking and frozen parts load when first used."""
    rows = plain_rows(db.session, _results_head_statement(), {"contest_id": contest_id})
    if not rows:
        return None, None
    row, n = rows[0], len(_RESULTS_CONTEST)
    contest = as_loaded_from(db.session, Contest, _RESULTS_CONTEST, row)
    if contest.phase not in VISIBLE_PHASES or row[n] is None:
        return contest, None
    return contest, as_loaded_from(db.session, Publication, _PUBLICATION_HEAD, row[n:])


def visible_publication(contest: Contest) -> Publication | None:
    """The publication the public may see: only once the contest's results are published."""
    if contest.phase not in VISIBLE_PHASES:
        return None
    return latest_publication(contest.id)


def list_publications(contest_id: int) -> list[Publication]:
    return list(db.session.scalars(select(Publication).where(Publication.contest_id == contest_id)
                                   .order_by(Publication.revision)))


@dataclass(frozen=True)
class Change:
    code: str
    old: str
    new: str


@dataclass(frozen=True)
class Revision:
    publication: Publication
    publisher: str
    awards: int
    changes: tuple[Change, ...]


def publication_history(contest_id: int) -> list[Revision]:
    """Every revision, newest first, with the awards that changed from the one before."""
    pubs = list_publications(contest_id)
    names = dict(db.session.execute(select(User.id, User.full_name).where(
        User.id.in_([p.published_by_id for p in pubs if p.published_by_id]))).all())
    history, before = [], {}
    for pub in pubs:
        now = {row["entry_id"]: row for row in pub.ranking}
        changes = tuple(
            Change(row["code"], _row_title(before.get(eid)), _row_title(row))
            for eid, row in now.items()
            if before and _outcome(before.get(eid)) != _outcome(row))
        awards = sum(1 for row in pub.ranking if row["kind"] == tier_rules.AWARD)
        history.append(Revision(pub, names.get(pub.published_by_id, ""), awards, changes))
        before = now
    return history[::-1]


def _outcome(row: dict | None) -> tuple:
    return (row["tier_id"], row["kind"]) if row else (None, None)


def _row_title(row: dict | None) -> str:
    return award_title(row["tier_name"], row["kind"]) if row and row["kind"] else "\u2014"


def students_of(entry_ids: list[int]) -> dict[int, User]:
    """entry id -> its student, in one query."""
    rows = db.session.execute(select(Entry.id, User).join(User, User.id == Entry.student_id)
                              .where(Entry.id.in_(entry_ids)))
    return {entry_id: user for entry_id, user in rows}


def entry_in_contest(contest_id: int, entry_id: int) -> Entry | None:
    entry = db.session.get(Entry, entry_id)
    return entry if entry is not None and entry.contest_id == contest_id else None


def tiers_for(contest: Contest, category_id: int) -> list[AwardTier]:
    """The tiers an organizer may give an entry of this category."""
    return [t for t in contest.award_tiers if t.category_id in (None, category_id)
            and (t.rule != "participation" or contest.participation_certificates)]


def unjudged_rows(contest: Contest, ranked: set[int]) -> list[dict[str, Any]]:
    """Rows (like build_results') giving a participation certificate to every accepted entry
    that was never judged, for contests whose certificates go to all accepted entries."""
    entries = db.session.scalars(select(Entry).where(
        Entry.contest_id == contest.id, Entry.status == EntryStatus.READY).order_by(Entry.id))
    ordered = sorted((t for t in contest.award_tiers if t.rule == "participation"),
                     key=lambda t: (t.position, t.id))
    rows = []
    for entry in entries:
        if entry.id in ranked:
            continue
        tier = next((t for t in ordered if t.category_id in (None, entry.category_id)), None)
        rows.append({"entry_id": entry.id, "code": entry.code, "category_id": entry.category_id,
                     "topic_id": entry.topic_id, "kind": tier_rules.PARTICIPATION,
                     "tier_id": tier.id if tier else None, "tier_name": dict(tier.name) if tier else {}})
    return rows


def count_entrants(contest_id: int) -> int:
    return db.session.scalar(select(func.count(Entry.id)).where(
        Entry.contest_id == contest_id, Entry.status != EntryStatus.WITHDRAWN)) or 0


def submitted_feedback(entry_ids: list[int]) -> dict[int, list[str]]:
    """entry id -> the jurors' non-empty feedback of submitted reviews (no juror named)."""
    out: dict[int, list[str]] = {}
    rows = db.session.execute(
        select(Assignment.entry_id, Assignment.feedback).where(
            Assignment.entry_id.in_(entry_ids), Assignment.status == ReviewStatus.SUBMITTED,
            Assignment.feedback != "").order_by(Assignment.entry_id, Assignment.id))
    for entry_id, text in rows:
        if text.strip():
            out.setdefault(entry_id, []).append(text.strip())
    return out


@dataclass(frozen=True)
class GroupRows:
    title: str
    rows: tuple[dict[str, Any], ...]


def live_results(contest: Contest) -> tuple[list[dict[str, Any]], store.Stored]:
    """The results to show (not to decide on): build_results of store.ranking_for's ranking,
    so a large contest's stored one even when out of date (the Stored says so), no rows while
    it is first computed; a small contest's computed now, as the results to publish are.
    Raises InvalidInput as build_results does."""
    try:
        stored = store.ranking_for(contest, cached=False)
    except ValueError as exc:
        raise InvalidInput(store.INCOMPLETE) from exc
    return (build_results(contest, stored.result) if stored.result is not None else []), stored


def awards_overview(contest: Contest) -> dict[str, Any]:
    """Everything the organizer's awards page shows: the live ranking per group with the
    proposed and decided award of each entry, what is published, and the revision history.
    `stored`: the ranking's state (a large contest's may be being computed or updated; then
    nothing can be published or changed)."""
    lang = str(get_locale())
    latest = latest_publication(contest.id)
    try:
        (rows, stored), incomplete = live_results(contest), None
    except InvalidInput as exc:
        rows, stored, incomplete = [], None, exc.message
    published = {row["entry_id"]: row for row in latest.ranking} if latest else {}
    categories = {c.id: localized(c.name, lang) for c in contest.categories}
    topics = {t.id: localized(t.title, lang) for t in contest.topics}
    tier_names = {t.id: dict(t.name) for t in contest.award_tiers}
    groups: dict[tuple, list] = {}
    for row in rows:
        groups.setdefault(tuple(row["group"]), []).append(row)
    titled = [GroupRows(" \u00b7 ".join(filter(None, [categories.get(g[0], ""), topics.get(g[1], "")])),
                        tuple(group_rows)) for g, group_rows in groups.items()]
    proposal_titles = {
        row["entry_id"]: award_title(tier_names.get(row["proposed_tier_id"]),
                                     _proposed_kind(contest, row["proposed_tier_id"]), lang)
        for row in rows}
    choices = {c.id: [(str(t.id), localized(t.name, lang)) for t in tiers_for(contest, c.id)]
               for c in contest.categories}
    from contest.judging.queries import list_unfinished_reviews  # judging imports awards' neighbours

    freeze = {"entries": len(rows), "groups": len(groups),
              "awards": sum(1 for r in rows if r["kind"] == tier_rules.AWARD),
              "certificates": sum(1 for r in rows if r["kind"] == tier_rules.PARTICIPATION)}
    return {"contest": contest, "groups": titled, "students": students_of([r["entry_id"] for r in rows]),
            "published": published, "latest": latest, "history": publication_history(contest.id),
            "proposal_titles": proposal_titles, "choices": choices, "entrants": count_entrants(contest.id),
            "unfinished": list_unfinished_reviews(contest.id), "freeze": freeze, "incomplete": incomplete,
            "stored": stored}


def _proposed_kind(contest: Contest, tier_id: int | None) -> str | None:
    tier = next((t for t in contest.award_tiers if t.id == tier_id), None)
    return tier_rules.kind_of(tier.rule if tier else None, contest.participation_certificates)


def contests_with_results(user) -> list[Contest]:
    """Contests the organizer may decide awards for or has published (judging onwards)."""
    from contest.contests.permissions import scope_contests

    return list(db.session.scalars(scope_contests(select(Contest), user).where(
        Contest.phase.in_((Phase.JUDGING, *VISIBLE_PHASES))).order_by(Contest.id.desc())))
