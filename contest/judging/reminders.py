"""Scheduled reminders before the judging deadline.

Every worker's maintenance round (the reconciler loop) calls `reconcile_reminders`: for each
contest in judging whose deadline is ahead, the reminder slot that is due now (e.g. 3 days
before, then 1 day before) is queued for every juror with unfinished reviews. A reminder row
per juror, contest and day (the slot's local date) has a unique key, so many workers and
many rounds send it once; nothing is queued, and nothing queued is sent, once judging is over.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from contest.contests.models import Contest, Phase
from contest.db import utcnow
from contest.extensions import db
from contest.judging.models import JurorReminder

DEFAULT_DAYS = (3, 1)


def reminder_days(contest: Contest) -> list[int]:
    """The contest's reminder offsets in days, largest first."""
    days = contest.reminder_days if contest.reminder_days is not None else DEFAULT_DAYS
    return sorted({int(d) for d in days if int(d) > 0}, reverse=True)


def due_slot(ends: datetime | None, days: list[int], now: datetime) -> int | None:
    """The offset whose window holds `now`: with days 3 and 1, "3" from 3 days before the
    deadline until 1 day before, then "1" until the deadline; None outside (and after it)."""
    if ends is None or now >= ends:
        return None
    due = [d for d in days if now >= ends - timedelta(days=d)]
    return min(due) if due else None


def judging_open(contest: Contest, now: datetime) -> bool:
    """Reminders make sense only while judging runs and its deadline is ahead."""
    ends = contest.judging_ends_at
    return contest.phase == Phase.JUDGING and (ends is None or now < ends)


def queue_due_reminders(*, contest: Contest, now: datetime | None = None) -> list[JurorReminder]:
    """Queue the due slot's reminder for every juror with unfinished reviews (once each)."""
    from contest.jobs import enqueue_after_commit
    from contest.judging.queries import progress_by_juror
    from contest.judging.tasks import send_juror_reminder

    now = now or utcnow()
    ends = contest.judging_ends_at
    slot = due_slot(ends, reminder_days(contest), now)
    if slot is None or not judging_open(contest, now):
        return []
    day = (ends - timedelta(days=slot)).astimezone(ZoneInfo(contest.timezone or "UTC")).date().isoformat()
    days_left = max(0, (ends - now) // timedelta(days=1))
    created = []
    for p in progress_by_juror(contest.id):
        if p.done >= p.assigned:
            continue
        reminder = JurorReminder(juror_id=p.juror_id, contest_id=contest.id, day=day,
                                 extra={"done": p.done, "assigned": p.assigned, "days_left": days_left,
                                        "slot": slot})
        try:
            with db.session.begin_nested():
                db.session.add(reminder)
        except IntegrityError:
            continue  # already reminded for this day (by another round, worker or the button)
        enqueue_after_commit(send_juror_reminder, reminder_id=reminder.id,
                             dedupe_key=f"juror-reminder:{reminder.id}")
        created.append(reminder)
    return created


def schedule_reminders(*, now: datetime | None = None) -> int:
    """One round over every contest in judging; returns how many reminders were queued."""
    now = now or utcnow()
    contests = db.session.scalars(select(Contest).where(
        Contest.phase == Phase.JUDGING, Contest.judging_ends_at.is_not(None), Contest.judging_ends_at > now))
    return sum(len(queue_due_reminders(contest=c, now=now)) for c in contests)


def reconcile_reminders(*, stale_after: int | None = None) -> int:
    """The reconciler hook (see RECONCILERS); the job reconciler commits after it."""
    queued = schedule_reminders()
    db.session.flush()
    return queued
