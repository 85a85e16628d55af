"""Writes for rounds: set the rounds up, close and reopen a round, the shortlist.

Rules. The shortlist is made only from a closed first round (closing with unfinished
reviews needs a reason); it is proposed by a rule per ranking group (category, or
category and topic) from the first round's ranking, changed entry by entry with a
reason, and confirmed; confirming opens the final round, which takes no assignment
before. Every change is an audit event. Services flush, never commit.
"""
from __future__ import annotations

import math

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from contest.audit.services import record_event
from contest.contests.models import Contest, ContestJuror, Criterion, Phase
from contest.db import utcnow
from contest.errors import InvalidInput, NotAllowed
from contest.extensions import db
from contest.rounds.models import JudgingRound, RoundMode, RoundState, ShortlistEntry
from contest.rounds.queries import get_round, list_rounds

RULES = ("top_n", "top_pct", "min_score")
SETUP_PHASES = (Phase.DRAFT, Phase.OPEN, Phase.JUDGING)


def setup_rounds(*, contest: Contest, actor, mode: str, reviews_per_entry: int | None,
                 juror_ids: list[int], previous_weight: float = 0.0) -> JudgingRound:
    """Judge the contest in two rounds (or change the final round's settings while it waits
    for its shortlist): the first round is today's judging, the final one is set here."""
    if contest.phase not in SETUP_PHASES:
        raise NotAllowed(_l("Rounds can be set up only before the results are published."))
    final = get_round(contest.id, 2)
    if final is not None and final.state != RoundState.PENDING:
        raise NotAllowed(_l("The final round has started; its settings can no longer change."))
    if mode not in {m.value for m in RoundMode}:
        raise InvalidInput(_l("Choose how the final round assigns jurors."), field="mode")
    if mode == RoundMode.K_PER_ENTRY and not (reviews_per_entry and 1 <= reviews_per_entry <= 20):
        raise InvalidInput(_l("Reviews per entry must be between 1 and 20."), field="reviews_per_entry")
    if not 0 <= previous_weight < 1:
        raise InvalidInput(_l("The first round's weight must be from 0 up to (not including) 1."),
                           field="previous_weight")
    jury = set(db.session.scalars(select(ContestJuror.user_id).where(ContestJuror.contest_id == contest.id)))
    if not juror_ids or not set(juror_ids) <= jury:
        raise InvalidInput(_l("Choose the final round's jurors among the contest's jurors."),
                           field="juror_ids")
    if get_round(contest.id, 1) is None:
        db.session.add(JudgingRound(contest_id=contest.id, number=1, mode=RoundMode.K_PER_ENTRY,
                                    state=RoundState.OPEN, juror_ids=[], shortlist_rule={}))
    old = _settings(final) if final else None
    if final is None:
        final = JudgingRound(contest_id=contest.id, number=2, state=RoundState.PENDING, shortlist_rule={})
        db.session.add(final)
    final.mode = RoundMode(mode)
    final.reviews_per_entry = reviews_per_entry if mode == RoundMode.K_PER_ENTRY else None
    final.juror_ids = sorted(set(juror_ids))
    final.previous_weight = float(previous_weight)
    db.session.flush()
    record_event(action="round.setup", actor=actor, obj=contest, contest_id=contest.id, old=old,
                 new=_settings(final))
    return final


def _settings(stage: JudgingRound) -> dict:
    return {"round": stage.number, "mode": stage.mode.value, "k": stage.reviews_per_entry,
            "jurors": list(stage.juror_ids or []), "previous_weight": stage.previous_weight}


def set_round_rubric(*, contest: Contest, round_no: int, criteria: list[dict], actor) -> list[Criterion]:
    """Give a later round its own rubric (name, min_score, max_score, step, weight per
    criterion), replacing any it had; an empty list: the round uses the first round's."""
    stage = get_round(contest.id, round_no)
    if round_no < 2 or stage is None or stage.state != RoundState.PENDING:
        raise NotAllowed(_l("A round's rubric can change only before the round starts."))
    db.session.execute(delete(Criterion).where(Criterion.contest_id == contest.id,
                                               Criterion.round_no == round_no))
    made = [Criterion(contest_id=contest.id, round_no=round_no, position=i, name=spec["name"],
                      description=spec.get("description", {}), min_score=spec.get("min_score", 0),
                      max_score=spec.get("max_score", 10), step=spec.get("step", 1),
                      weight=spec.get("weight", 1), levels=[]) for i, spec in enumerate(criteria)]
    db.session.add_all(made)
    db.session.flush()
    record_event(action="round.rubric", actor=actor, obj=contest, contest_id=contest.id,
                 new={"round": round_no, "criteria": len(made)})
    return made


def close_round(*, contest: Contest, round_no: int, actor, reason: str = "") -> JudgingRound:
    """Close an open round; with unfinished reviews only with a reason (they stay unfinished
    and do not count)."""
    from contest.judging.queries import count_unfinished_reviews  # judging reads rounds

    stage = get_round(contest.id, round_no)
    if stage is None or stage.state != RoundState.OPEN:
        raise InvalidInput(_l("This round is not open."))
    reason = reason.strip()
    unfinished = count_unfinished_reviews(contest.id, round_no)
    if unfinished and not reason:
        raise InvalidInput(_l("%(n)s review(s) of this round are not finished. Give a reason to close "
                              "the round anyway.", n=unfinished), field="reason")
    stage.state, stage.closed_reason = RoundState.CLOSED, reason[:1000]
    db.session.flush()
    record_event(action="round.close", actor=actor, obj=contest, contest_id=contest.id,
                 old={"round": round_no, "state": "open"},
                 new={"round": round_no, "state": "closed", "unfinished": unfinished}, reason=reason)
    return stage


def reopen_round(*, contest: Contest, round_no: int, actor, reason: str) -> JudgingRound:
    """Open a closed round again, while the round after it has not started."""
    stage, after = get_round(contest.id, round_no), get_round(contest.id, round_no + 1)
    if stage is None or stage.state != RoundState.CLOSED:
        raise InvalidInput(_l("This round is not closed."))
    if after is not None and after.state != RoundState.PENDING:
        raise NotAllowed(_l("The next round has started; this round can no longer reopen."))
    if contest.phase not in (Phase.OPEN, Phase.JUDGING):
        raise NotAllowed(_l("Judging is closed for this contest."))
    if not reason.strip():
        raise InvalidInput(_l("Give a reason for reopening the round."), field="reason")
    stage.state = RoundState.OPEN
    db.session.flush()
    record_event(action="round.reopen", actor=actor, obj=contest, contest_id=contest.id,
                 old={"round": round_no, "state": "closed"}, new={"round": round_no, "state": "open"},
                 reason=reason.strip())
    return stage


def cut_places(kind: str, value: float, places: list[tuple[int, float]]) -> list[bool]:
    """Pure: which of a group's (place, score) rows, best first, pass the rule. top_n: place
    <= N (entries tied at place N all pass); top_pct: place <= ceil(p% of the group);
    min_score: score >= value."""
    if kind == "top_n":
        return [place <= int(value) for place, _s in places]
    if kind == "top_pct":
        n = math.ceil(len(places) * value / 100 - 1e-9)
        return [place <= n for place, _s in places]
    return [score >= value - 1e-9 for _p, score in places]


def _check_shortlist_open(contest: Contest) -> tuple[JudgingRound, JudgingRound]:
    first, final = get_round(contest.id, 1), get_round(contest.id, 2)
    if first is None or final is None:
        raise NotAllowed(_l("This contest is judged in one round."))
    if final.state != RoundState.PENDING:
        raise NotAllowed(_l("The shortlist is confirmed; the final round has started."))
    if first.state != RoundState.CLOSED:
        raise InvalidInput(_l("Close the first round before making the shortlist: its reviews are "
                              "still open."))
    return first, final


def propose_shortlist(*, contest: Contest, kind: str, value: float, actor) -> list[ShortlistEntry]:
    """Apply the rule to every group of the first round's ranking (the current round's while
    the final one waits for its shortlist; a large contest's stored ranking, refused with
    Conflict while it is being computed or updated). Entries the organizer moved in or out by
    hand keep that decision."""
    from contest.ranking.store import fresh_ranking  # the ranking reads rounds

    _first, final = _check_shortlist_open(contest)
    if kind not in RULES:
        raise InvalidInput(_l("Choose a shortlist rule."), field="kind")
    if kind == "top_n" and not (value >= 1 and float(value).is_integer()):
        raise InvalidInput(_l("The number of finalists must be a whole number, at least 1."), field="value")
    if kind == "top_pct" and not 0 < value <= 100:
        raise InvalidInput(_l("The share must be above 0 and at most 100 per cent."), field="value")
    if kind == "min_score" and not 0 <= value <= 100:
        raise InvalidInput(_l("The score must be between 0 and 100."), field="value")
    ranking = fresh_ranking(contest)  # before anything changes: a refusal leaves the shortlist as it was
    manual = {row.entry_id: row for row in db.session.scalars(
        select(ShortlistEntry).where(ShortlistEntry.round_id == final.id)) if row.reason}
    db.session.execute(delete(ShortlistEntry).where(ShortlistEntry.round_id == final.id))
    rows = []
    for group, result in ranking.items():
        places = [(p.place, p.entry.adjusted) for p in result.places]
        for placed, passes in zip(result.places, cut_places(kind, value, places)):
            kept = manual.get(placed.entry.entry_id)
            rows.append(ShortlistEntry(
                contest_id=contest.id, round_id=final.id, entry_id=placed.entry.entry_id,
                category_id=group[0], place=placed.place, score=round(placed.entry.adjusted, 6),
                by_rule=passes, selected=kept.selected if kept else passes,
                reason=kept.reason if kept else ""))
    db.session.add_all(rows)
    final.shortlist_rule = {"kind": kind, "value": float(value)}
    db.session.flush()
    record_event(action="shortlist.propose", actor=actor, obj=contest, contest_id=contest.id,
                 new={"rule": final.shortlist_rule, "entries": len(rows),
                      "selected": sum(r.selected for r in rows)})
    return rows


def override_shortlist(*, contest: Contest, entry_id: int, selected: bool, reason: str,
                       actor) -> ShortlistEntry:
    """Move one entry into or out of the shortlist, with a reason."""
    _first, final = _check_shortlist_open(contest)
    row = db.session.scalar(select(ShortlistEntry).where(ShortlistEntry.round_id == final.id,
                                                         ShortlistEntry.entry_id == entry_id))
    if row is None:
        raise InvalidInput(_l("This entry is not in the first round's ranking."))
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_l("Give a reason for changing the shortlist."), field="reason")
    old = {"entry_id": entry_id, "selected": row.selected}
    row.selected, row.reason = bool(selected), reason[:1000]
    db.session.flush()
    record_event(action="shortlist.override", actor=actor, obj=contest, contest_id=contest.id, old=old,
                 new={"entry_id": entry_id, "selected": row.selected, "by_rule": row.by_rule}, reason=reason)
    return row


def confirm_shortlist(*, contest: Contest, actor, notify: bool = False) -> JudgingRound:
    """Freeze the shortlist and open the final round; optionally tell every student of the
    first round's ranking, in their language, whether their essay goes on."""
    _first, final = _check_shortlist_open(contest)
    rows = list(db.session.scalars(select(ShortlistEntry).where(ShortlistEntry.round_id == final.id)))
    if not any(r.selected for r in rows):
        raise InvalidInput(_l("The shortlist is empty: propose it by a rule first."))
    final.state, final.shortlist_confirmed_at = RoundState.OPEN, utcnow()
    db.session.flush()
    record_event(action="shortlist.confirm", actor=actor, obj=contest, contest_id=contest.id,
                 new={"selected": sum(r.selected for r in rows), "entries": len(rows),
                      "overridden": sum(r.selected != r.by_rule for r in rows), "notify": notify})
    if notify:
        from contest.rounds.notices import notify_shortlist

        notify_shortlist(contest=contest, rows=rows)
    return final


def rounds_of(contest: Contest) -> list[JudgingRound]:
    return list_rounds(contest.id)
