"""The contest phase machine: draft → open → judging → published → archived.

Phases only move forward, one step at a time. Some guards are hard (opening needs topics,
categories, a rubric and a window that has not ended); some can be overridden by an
organizer who gives a reason (starting judging before the deadline, publishing with
unfinished reviews). Every change is an audit event `contest.phase`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from contest.audit.services import record_event
from contest.contests.models import Contest, Phase
from contest.db import utcnow
from contest.errors import InvalidInput

NEXT: dict[Phase, Phase] = {
    Phase.DRAFT: Phase.OPEN,
    Phase.OPEN: Phase.JUDGING,
    Phase.JUDGING: Phase.PUBLISHED,
    Phase.PUBLISHED: Phase.ARCHIVED,
}

PHASE_LABELS = {
    Phase.DRAFT: _l("Draft"),
    Phase.OPEN: _l("Open for submissions"),
    Phase.JUDGING: _l("Judging"),
    Phase.PUBLISHED: _l("Results published"),
    Phase.ARCHIVED: _l("Archived"),
}


def unfinished_review_count(contest: Contest) -> int:
    """Reviews assigned in this contest but not yet submitted (asked of the judging domain)."""
    from contest.judging.queries import count_unfinished_reviews  # judging imports contests

    return count_unfinished_reviews(contest.id)


def _has_publication(contest: Contest) -> bool:
    """Results go public only with a frozen publication (made by the awards domain)."""
    from contest.awards.queries import latest_publication  # awards imports contests

    return latest_publication(contest.id) is not None


@dataclass(frozen=True)
class Guards:
    """Why a move to the next phase is refused: `hard` can never be overridden; `soft` can,
    by forcing with a reason."""

    hard: list
    soft: list


class PhaseRefused(InvalidInput):
    """A guard refused the change; `problems` lists every reason."""

    def __init__(self, problems: list):
        super().__init__(problems[0], field="phase")
        self.problems = problems


def guards(contest: Contest, target: Phase, now: datetime | None = None) -> Guards:
    """Every reason not to move `contest` to `target` now."""
    now = now or utcnow()
    if NEXT.get(contest.phase) != target:
        return Guards(hard=[_l("A contest moves one phase forward at a time.")], soft=[])
    if target == Phase.OPEN:
        return Guards(hard=_open_problems(contest, now), soft=[])
    if target == Phase.JUDGING and contest.closes_at and now < contest.closes_at:
        return Guards(hard=[], soft=[_l("Submissions are still open: the deadline has not passed.")])
    if target == Phase.JUDGING and (running := _running_extensions(contest, now)):
        return Guards(hard=[], soft=[_l("%(n)s deadline extension(s) have not run out yet: those students "
                                        "could no longer submit.", n=running)])
    if target == Phase.PUBLISHED:
        hard = [] if _has_publication(contest) else [
            _l("Publish from the Awards page: it freezes the ranking and the awards.")]
        hard += _round_problems(contest)
        unfinished = unfinished_review_count(contest)
        soft = [_l("%(n)s review(s) are not finished.", n=unfinished)] if unfinished else []
        return Guards(hard=hard, soft=soft)
    return Guards(hard=[], soft=[])


def _round_problems(contest: Contest) -> list:
    """A contest judged in rounds publishes the final round's results only."""
    from contest.rounds.queries import current_round_no, round_count  # rounds import contests

    if current_round_no(contest.id) < round_count(contest.id):
        return [_l("The final round has not started: confirm the shortlist and judge the final round.")]
    return []


def _running_extensions(contest: Contest, now: datetime) -> int:
    """Individual extensions still ahead (asked of the submissions domain)."""
    from contest.submissions.deadlines import count_running_extensions  # submissions import contests

    return count_running_extensions(contest.id, now)


def _open_problems(contest: Contest, now: datetime) -> list:
    problems = []
    if not contest.topics:
        problems.append(_l("Add at least one topic."))
    if not contest.categories:
        problems.append(_l("Add at least one category."))
    if not contest.criteria:
        problems.append(_l("Add at least one rubric criterion."))
    if not (contest.opens_at and contest.closes_at):
        problems.append(_l("Set the submission window (opens and closes)."))
    elif contest.closes_at <= now:
        problems.append(_l("The submission window has already closed; extend the deadline."))
    return problems


def change_phase(*, contest: Contest, target: Phase, actor, force: bool = False, reason: str = "",
                 now: datetime | None = None) -> None:
    """Move the contest to `target` if the guards allow it (forcing soft guards needs a reason)."""
    found = guards(contest, target, now)
    if found.hard:
        raise PhaseRefused(found.hard)
    reason = reason.strip()
    if found.soft and not force:
        raise PhaseRefused([*found.soft, _l("To go ahead anyway, force the change and give a reason.")])
    if found.soft and not reason:
        raise InvalidInput(_l("Give a reason for forcing this change."), field="reason")
    old = contest.phase
    contest.phase = target
    record_event(action="contest.phase", actor=actor, obj=contest, contest_id=contest.id,
                 old={"phase": old.value}, new={"phase": target.value, "forced": bool(found.soft)},
                 reason=reason)
