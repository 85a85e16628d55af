"""From the database to the numeric core: submitted reviews -> ranking per category (and topic)."""
from __future__ import annotations

from sqlalchemy import select

from contest.contests.models import Contest
from contest.extensions import db
from contest.judging.models import Assignment, ReviewStatus
from contest.ranking import core
from contest.submissions.models import Entry, EntryStatus


def contest_criteria(contest: Contest) -> list[core.Criterion]:
    return [core.Criterion(c.id, c.weight, c.min_score, c.max_score) for c in contest.criteria]


def submitted_reviews(contest_id: int) -> list[core.Review]:
    """Every submitted review of a non-withdrawn entry, as core.Review (scores keyed by criterion id)."""
    rows = db.session.execute(
        select(Assignment.entry_id, Assignment.juror_id, Assignment.scores)
        .join(Entry, Entry.id == Assignment.entry_id)
        .where(Assignment.contest_id == contest_id, Assignment.status == ReviewStatus.SUBMITTED,
               Entry.status.not_in([EntryStatus.WITHDRAWN, EntryStatus.REJECTED]))
    )
    return [core.Review(entry_id, juror_id, {int(k): float(v) for k, v in scores.items()})
            for entry_id, juror_id, scores in rows]


def entry_groups(contest: Contest) -> dict[int, tuple[int, int | None]]:
    """entry id -> (category id, topic id or None when the contest ranks per category only)."""
    rows = db.session.execute(
        select(Entry.id, Entry.category_id, Entry.topic_id).where(Entry.contest_id == contest.id))
    return {eid: (cat, topic if contest.rank_by_topic else None) for eid, cat, topic in rows}


def compute_contest_ranking(contest: Contest, *, method: str | None = None,
                            bridging: str = "jurors") -> dict[tuple, core.GroupResult]:
    """The contest's ranking per group with its method (default: the contest's setting),
    tie-break chain and disagreement threshold."""
    groups = entry_groups(contest)
    chain = [tuple(rule) for rule in contest.tiebreaks or []]
    return core.rank_groups(
        submitted_reviews(contest.id), contest_criteria(contest), groups.__getitem__,
        method or contest.ranking_method, chain=chain, bridging=bridging,
        disagreement=contest.disagreement_threshold,
    )
