"""Reads for rounds. A contest without rounds is round 1 only, open while it judges."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import g, has_request_context
from sqlalchemy import case, func, select

from contest.contests.models import Criterion
from contest.extensions import db
from contest.rounds.models import JudgingRound, RoundState, ShortlistEntry


def list_rounds(contest_id: int) -> list[JudgingRound]:
    return list(db.session.scalars(select(JudgingRound).where(JudgingRound.contest_id == contest_id)
                                   .order_by(JudgingRound.number)))


def get_round(contest_id: int, number: int) -> JudgingRound | None:
    return db.session.scalar(select(JudgingRound).where(JudgingRound.contest_id == contest_id,
                                                        JudgingRound.number == number))


def current_round_no(contest_id: int) -> int:
    """The latest round that has started (1 for a contest without rounds): new assignments,
    the ranking, the awards and the documents follow it."""
    started = db.session.scalar(select(func.max(JudgingRound.number)).where(
        JudgingRound.contest_id == contest_id, JudgingRound.state != RoundState.PENDING))
    return started or 1


def round_count(contest_id: int) -> int:
    return db.session.scalar(select(func.count()).where(JudgingRound.contest_id == contest_id)) or 1


def remember_round_state(contest_id: int, number: int, state: RoundState | None) -> None:
    """A round's state read with the assignment (judging.queries.get_visible_assignment):
    the next round_is_closed of the request answers from it (once: a later call reads again)."""
    if has_request_context():
        g.setdefault("_round_states", {})[(contest_id, number)] = state


def round_is_closed(contest_id: int, number: int) -> bool:
    """Reviews of a closed round (or of one that has not started) can no longer change."""
    known = g.get("_round_states", {}) if has_request_context() else {}
    if (contest_id, number) in known:
        state = known.pop((contest_id, number))
    else:
        state = db.session.scalar(select(JudgingRound.state).where(
            JudgingRound.contest_id == contest_id, JudgingRound.number == number))
    return state is not None and state != RoundState.OPEN


def criteria_for(contest_id: int, round_no: int) -> list[Criterion]:
    """The round's own rubric, else the first round's (the contest's), in order."""
    for number in dict.fromkeys((round_no, 1)):
        found = list(db.session.scalars(select(Criterion).where(
            Criterion.contest_id == contest_id, Criterion.round_no == number)
            .order_by(Criterion.position, Criterion.id)))
        if found:
            return found
    return []


def shortlisted_entry_ids(round_id: int) -> list[int]:
    return list(db.session.scalars(select(ShortlistEntry.entry_id).where(
        ShortlistEntry.round_id == round_id, ShortlistEntry.selected.is_(True))
        .order_by(ShortlistEntry.entry_id)))


def shortlist_rows(round_id: int) -> list[ShortlistEntry]:
    return list(db.session.scalars(select(ShortlistEntry).where(ShortlistEntry.round_id == round_id)
                                   .order_by(ShortlistEntry.category_id, ShortlistEntry.place,
                                             ShortlistEntry.entry_id)))


WINDOW = 3  # rows shown on each side of the cut line


@dataclass
class CutRow:
    entry_id: int
    code: str
    author: str
    place: int
    score: float
    by_rule: bool
    selected: bool
    reason: str


@dataclass
class CategoryCut:
    """One category's shortlist around the cut line: `above` ends with the last entry the
    rule lets in, `below` starts with the first it leaves out; rows moved by hand are
    always shown; `hidden_above`/`hidden_below` count the rows left out of the window."""

    category_id: int
    total: int
    selected: int
    above: list[CutRow] = field(default_factory=list)
    below: list[CutRow] = field(default_factory=list)
    hidden_above: int = 0
    hidden_below: int = 0


def cut_view(round_id: int) -> list[CategoryCut]:
    from contest.ranking.queries import entry_labels  # the ranking reads rounds

    rows = shortlist_rows(round_id)
    labels = entry_labels(rows[0].contest_id) if rows else {}
    cuts: dict[int, CategoryCut] = {}
    grouped: dict[int, list[ShortlistEntry]] = {}
    for row in rows:
        grouped.setdefault(row.category_id, []).append(row)
    for category_id, group in grouped.items():
        group.sort(key=lambda r: (not r.by_rule, r.place, labels[r.entry_id][0]))
        inside = sum(r.by_rule for r in group)
        cut = CategoryCut(category_id, len(group), sum(r.selected for r in group))
        for i, row in enumerate(group):
            item = CutRow(row.entry_id, *labels[row.entry_id], row.place, row.score, row.by_rule,
                          row.selected, row.reason)
            near = inside - WINDOW <= i < inside + WINDOW
            if near or row.selected != row.by_rule:
                (cut.above if row.by_rule else cut.below).append(item)
            elif row.by_rule:
                cut.hidden_above += 1
            else:
                cut.hidden_below += 1
        cuts[category_id] = cut
    return list(cuts.values())


def round_progress(contest_id: int) -> dict[int, tuple[int, int]]:
    """round number -> (submitted reviews, assigned reviews)."""
    from contest.judging.models import Assignment, ReviewStatus  # judging reads rounds

    done = func.sum(case((Assignment.status == ReviewStatus.SUBMITTED, 1), else_=0))
    return {n: (int(d or 0), int(total)) for n, d, total in db.session.execute(
        select(Assignment.round_no, done, func.count()).where(Assignment.contest_id == contest_id)
        .group_by(Assignment.round_no))}


def protocol_facts(contest_id: int) -> dict | None:
    """What the jury protocol says of the rounds (None: one round), JSON-ready for the
    publication's frozen part: each round's settings and counts, the shortlist rule, and
    each not-shortlisted entry's first-round place and score."""
    rounds = list_rounds(contest_id)
    if len(rounds) < 2:
        return None
    final = rounds[1]
    rows = shortlist_rows(final.id)
    progress = round_progress(contest_id)
    return {
        "rule": dict(final.shortlist_rule or {}),
        "entries": len(rows), "finalists": sum(r.selected for r in rows),
        "overridden": sum(r.selected != r.by_rule for r in rows),
        "first_reviews": progress.get(1, (0, 0))[0], "final_reviews": progress.get(2, (0, 0))[0],
        "mode": final.mode.value, "k": final.reviews_per_entry, "final_jurors": len(final.juror_ids or []),
        "previous_weight": final.previous_weight,
        "not_shortlisted": {str(r.entry_id): {"place": r.place, "score": round(r.score, 2)}
                            for r in rows if not r.selected},
    }
