"""Reads for rounds. A contest without rounds is round 1 only, open while it judges."""
from __future__ import annotations

from sqlalchemy import func, select

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


def round_is_closed(contest_id: int, number: int) -> bool:
    """Reviews of a closed round (or of one that has not started) can no longer change."""
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
