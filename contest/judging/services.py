"""Writes for reviews: drafts, submission, reopening, declared conflicts, reminders.

Optimistic locking. Every save names the version it started from and is a conditional
UPDATE ... WHERE version = base: of two saves from the same base exactly one wins, the
other raises Conflict and changes nothing (also across processes and on PostgreSQL).
A submit of a review that is already submitted is a no-op, so a double click makes one
submission. Every change of scores is logged with the old and new score maps.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from contest.audit.services import EVENT_PARAMETER, event_values, insert_for_each, record_event, write_event
from contest.contests.models import Contest, Criterion, Phase
from contest.db import utcnow
from contest.errors import Conflict, InvalidInput, NotAllowed
from contest.extensions import db
from contest.judging.models import Assignment, DeclaredConflict, JurorReminder, ReviewStatus
from contest.ranking import core

SCORING_PHASES = (Phase.OPEN, Phase.JUDGING)
MAX_COMMENT = 5000
CHANGED_ELSEWHERE = _l("This review was changed in another tab or on another device. "
                       "Reload the page to see the latest version.")


@dataclass
class ReviewInput:
    """What a juror sends: scores by criterion id (None: not scored yet) and comments."""

    base_version: int
    scores: dict[int, float | None]
    criterion_comments: dict[int, str]
    private_comment: str = ""
    feedback: str = ""


def check_score(criterion: Criterion, value: float) -> None:
    """A score lies within the criterion's range and on its step grid from the minimum."""
    if not math.isfinite(value) or not criterion.min_score <= value <= criterion.max_score:
        raise InvalidInput(_l("Give a score from %(lo)s to %(hi)s.", lo=_num(criterion.min_score),
                              hi=_num(criterion.max_score)), field=f"score_{criterion.id}")
    steps = (value - criterion.min_score) / criterion.step if criterion.step > 0 else 0
    if abs(steps - round(steps)) > 1e-6:
        raise InvalidInput(_l("Scores go in steps of %(step)s.", step=_num(criterion.step)),
                           field=f"score_{criterion.id}")


def _num(x: float) -> str:
    return f"{x:g}"


def _clean(data: ReviewInput, criteria: list[Criterion]) -> dict:
    """The columns to write, validated against the rubric; unknown criteria are ignored."""
    scores, comments = {}, {}
    for c in criteria:
        value = data.scores.get(c.id)
        if value is not None:
            check_score(c, float(value))
            scores[str(c.id)] = float(value)
        note = (data.criterion_comments.get(c.id) or "").strip()
        if len(note) > MAX_COMMENT:
            raise InvalidInput(_l("A comment can have at most %(n)s characters.", n=MAX_COMMENT),
                               field=f"comment_{c.id}")
        if note:
            comments[str(c.id)] = note
    for name in ("private_comment", "feedback"):
        if len(getattr(data, name)) > MAX_COMMENT:
            raise InvalidInput(_l("A comment can have at most %(n)s characters.", n=MAX_COMMENT), field=name)
    return {"scores": scores, "criterion_comments": comments,
            "private_comment": data.private_comment.strip(), "feedback": data.feedback.strip()}


def _write(assignment: Assignment, base_version: int, values: dict, *, event: dict | None = None,
           alone: bool = False) -> None:
    """Conditional update on the version (one statement, nothing read back), then `event`
    (audit.services.event_values) if given; refreshes the instance without a reload.

    `alone` (a draft save): on PostgreSQL the update and its event are one statement (a
    data-modifying WITH: the event is written exactly when the update is) that commits on its
    own in the read request's autocommit (contest.pgconn): every juror autosaves every few
    seconds, and this costs no BEGIN, no COMMIT and no statement for the event. Elsewhere, and
    on SQLite, the two are statements of the request's transaction."""
    values = {**values, "version": base_version + 1, "updated_at": utcnow()}
    params = {**values, "_id": assignment.id, "_base": base_version}
    alone = alone and db.session.get_bind().dialect.name == "postgresql"
    if alone and event is not None:
        params.update({EVENT_PARAMETER(name): value for name, value in event.items()})
    db.session.flush()  # a Core statement on the session's connection: no autoflush of its own
    statement = (_alone_statement(tuple(values), event is not None) if alone
                 else _update_statement(tuple(values)))
    if db.session.connection().execute(statement, params).rowcount != 1:
        raise Conflict(CHANGED_ELSEWHERE, code="stale")
    for key, value in values.items():
        set_committed_value(assignment, key, value)
    if event is not None and not alone:
        write_event(event)


@cache
def _update_statement(columns: tuple[str, ...]):
    """UPDATE assignment SET <columns> WHERE id = :_id AND version = :_base, built once per
    set of columns (a Core statement: no ORM bookkeeping, its compiled form is cached)."""
    table = Assignment.__table__
    return (update(table).where(table.c.id == bindparam("_id"), table.c.version == bindparam("_base"))
            .values({name: bindparam(name) for name in columns}))


def _check_open(assignment: Assignment, contest: Contest) -> None:
    if contest.phase not in SCORING_PHASES:
        raise NotAllowed(_l("Judging is closed for this contest."))
    _check_round_open(assignment)


def _check_round_open(assignment: Assignment) -> None:
    """A review of a closed round (contest.rounds) no longer changes."""
    from contest.rounds.queries import round_is_closed  # rounds build on judging

    if round_is_closed(assignment.contest_id, assignment.round_no):
        raise NotAllowed(_l("This judging round is closed."))


def save_draft(*, assignment: Assignment, contest: Contest, actor, data: ReviewInput,
               criteria: list[Criterion]) -> Assignment:
    """Save what the juror has so far; partial scores are fine. Raises Conflict when the
    review changed since `data.base_version` or was submitted."""
    _check_open(assignment, contest)
    if assignment.status == ReviewStatus.SUBMITTED:
        raise Conflict(_l("This review has been submitted. Reload the page."), code="submitted")
    if data.base_version != assignment.version:
        raise Conflict(CHANGED_ELSEWHERE, code="stale")
    values = {**_clean(data, criteria), "status": ReviewStatus.DRAFT}
    event = _scores_event(assignment, actor, dict(assignment.scores or {}), values["scores"])
    _write(assignment, data.base_version, values, event=event, alone=True)
    return assignment


@cache
def _alone_statement(columns: tuple[str, ...], with_event: bool):
    statement = _update_statement(columns)
    if with_event:
        statement = insert_for_each(statement.returning(Assignment.__table__.c.id).cte("changed"))
    # an INSERT's row count is kept only when asked for
    return statement.execution_options(commits_alone=True, preserve_rowcount=True)


def _scores_event(assignment: Assignment, actor, old: dict, new: dict, reason: str = "") -> dict | None:
    """The audit event of a change of scores (event_values), or None when they did not change."""
    if old == new:
        return None
    return event_values(action="review.scores", actor=actor, obj=assignment, contest_id=assignment.contest_id,
                        old={"scores": old}, new={"scores": new}, reason=reason)


def _log_scores(assignment: Assignment, actor, old: dict, new: dict, reason: str = "") -> None:
    event = _scores_event(assignment, actor, old, new, reason)
    if event is not None:
        write_event(event)


def submit_review(*, assignment: Assignment, contest: Contest, actor, data: ReviewInput,
                  criteria: list[Criterion]) -> bool:
    """Save and freeze the review with its weighted total; every criterion must be scored.
    Returns False (and changes nothing) when it was already submitted: a double submit."""
    if assignment.status == ReviewStatus.SUBMITTED:
        return False
    _check_open(assignment, contest)
    values = _clean(data, criteria)
    missing = [c for c in criteria if str(c.id) not in values["scores"]]
    if missing:
        raise InvalidInput(_l("Score every criterion before submitting."), field=f"score_{missing[0].id}")
    if data.base_version != assignment.version:
        raise Conflict(CHANGED_ELSEWHERE, code="stale")
    total = core.weighted_total({int(k): v for k, v in values["scores"].items()},
                                [core.Criterion(c.id, c.weight, c.min_score, c.max_score) for c in criteria])
    old_scores = dict(assignment.scores or {})
    try:
        _write(assignment, data.base_version, {**values, "status": ReviewStatus.SUBMITTED,
                                               "total": total, "submitted_at": utcnow()})
    except Conflict:
        db.session.expire(assignment)
        if assignment.status == ReviewStatus.SUBMITTED:
            return False  # the other click won
        raise
    _log_scores(assignment, actor, old_scores, values["scores"])
    record_event(action="review.submit", actor=actor, obj=assignment, contest_id=contest.id,
                 new={"total": round(total, 4)})
    db.session.execute(update(Contest).where(Contest.id == contest.id, Contest.rubric_locked.is_(False))
                       .values(rubric_locked=True).execution_options(synchronize_session=False))
    _ranking_changed(contest)
    return True


def _ranking_changed(contest: Contest) -> None:
    """A large contest's stored ranking is recomputed by a job (contest.ranking.store)."""
    from contest.ranking.store import reviews_changed

    reviews_changed(contest)


def reopen_review(*, assignment: Assignment, actor, reason: str) -> None:
    """Organizer: send a submitted review back to draft so the juror can change it."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_l("Give a reason for reopening the review."), field="reason")
    if assignment.status != ReviewStatus.SUBMITTED:
        raise InvalidInput(_l("Only a submitted review can be reopened."))
    _check_round_open(assignment)
    old_total = assignment.total
    _write(assignment, assignment.version,
           {"status": ReviewStatus.DRAFT, "total": None, "submitted_at": None})
    record_event(action="review.reopen", actor=actor, obj=assignment, contest_id=assignment.contest_id,
                 old={"status": "submitted", "total": old_total}, new={"status": "draft"}, reason=reason)
    _ranking_changed(db.session.get(Contest, assignment.contest_id))


def declare_conflict(*, assignment: Assignment, actor, reason: str) -> DeclaredConflict:
    """The juror declares a conflict of interest: recorded, the juror loses access, an
    unsubmitted review is removed (logged) and the entry is given another juror."""
    from contest.judging.assign_services import reassign_entry, remove_assignment
    from contest.submissions.models import Entry

    reason = reason.strip()
    if not reason:
        raise InvalidInput(_l("Say briefly why you have a conflict of interest."), field="reason")
    conflict = DeclaredConflict(entry_id=assignment.entry_id, juror_id=actor.id, reason=reason[:1000])
    db.session.add(conflict)
    db.session.flush()
    record_event(action="conflict.declare", actor=actor, obj=conflict, contest_id=assignment.contest_id,
                 new={"entry_id": assignment.entry_id, "juror_id": actor.id}, reason=reason)
    entry = db.session.get(Entry, assignment.entry_id)
    if assignment.status != ReviewStatus.SUBMITTED:
        remove_assignment(assignment=assignment, actor=actor, confirm=True, reason="conflict of interest")
        reassign_entry(entry=entry, actor=actor)
    return conflict


# --- reminders --------------------------------------------------------------------------------

@dataclass
class JurorLag:
    juror_id: int
    done: int
    assigned: int
    expected: int


def jurors_behind(contest: Contest, now: datetime) -> list[JurorLag]:
    """Jurors with unsubmitted reviews who have done fewer than the share of judging time
    elapsed (from the first assignment to contest.judging_ends_at) would ask for."""
    if contest.judging_ends_at is None:
        return []
    start = db.session.scalar(select(func.min(Assignment.created_at))
                              .where(Assignment.contest_id == contest.id))
    if start is None:
        return []
    span = (contest.judging_ends_at - start).total_seconds()
    share = 1.0 if span <= 0 else min(1.0, max(0.0, (now - start).total_seconds() / span))
    from contest.judging.queries import progress_by_juror

    lags = []
    for p in progress_by_juror(contest.id):
        expected = math.floor(share * p.assigned)
        if p.done < p.assigned and p.done < expected:
            lags.append(JurorLag(p.juror_id, p.done, p.assigned, expected))
    return lags


def queue_reminders(*, contest: Contest, now: datetime | None = None) -> list[JurorReminder]:
    """One reminder per juror behind schedule per contest and local day; a second run the
    same day adds none (the unique key refuses it)."""
    from contest.jobs import enqueue_after_commit
    from contest.judging.tasks import send_juror_reminder

    now = now or utcnow()
    if contest.phase != Phase.JUDGING:
        return []
    day = now.astimezone(ZoneInfo(contest.timezone or "UTC")).date().isoformat()
    ends = contest.judging_ends_at
    days_left = max(0, (ends - now) // timedelta(days=1)) if ends else None
    created = []
    for lag in jurors_behind(contest, now):
        reminder = JurorReminder(juror_id=lag.juror_id, contest_id=contest.id, day=day,
                                 extra={"done": lag.done, "assigned": lag.assigned, "days_left": days_left})
        try:
            with db.session.begin_nested():
                db.session.add(reminder)
        except IntegrityError:
            continue
        enqueue_after_commit(send_juror_reminder, reminder_id=reminder.id,
                             dedupe_key=f"juror-reminder:{reminder.id}")
        created.append(reminder)
    return created
