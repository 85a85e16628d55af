"""Live counts for the overview and the organizer's home: a few grouped queries per contest."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select

from contest.contests.models import Contest
from contest.db import utcnow
from contest.extensions import db
from contest.judging.models import Assignment, ReviewStatus
from contest.submissions.models import Entry, EntryStatus


@dataclass
class Counts:
    by_status: dict[str, int] = field(default_factory=dict)
    by_category: dict[int, int] = field(default_factory=dict)  # entries not withdrawn
    submitted_today: int = 0
    assigned: int = 0  # entries with at least one juror
    reviews_done: int = 0
    reviews_assigned: int = 0
    reviews_needed: int = 0  # k x entries ready for judging

    @property
    def total(self) -> int:
        return sum(n for s, n in self.by_status.items() if s != EntryStatus.WITHDRAWN)

    @property
    def waiting_for_extraction(self) -> int:
        return self.by_status.get("received", 0) + self.by_status.get("processing", 0)

    @property
    def needs_attention(self) -> int:
        return self.by_status.get("needs_attention", 0)

    @property
    def ready(self) -> int:
        return self.by_status.get("ready", 0)

    @property
    def judging_percent(self) -> int:
        return round(100 * self.reviews_done / self.reviews_needed) if self.reviews_needed else 0


def _start_of_today(contest: Contest, now: datetime) -> datetime:
    zone = ZoneInfo(contest.timezone or "Asia/Almaty")
    return datetime.combine(now.astimezone(zone).date(), time(0), tzinfo=zone)


def contest_counts(contest: Contest, now: datetime | None = None) -> Counts:
    now = now or utcnow()
    counts = Counts()
    for status, n in db.session.execute(select(Entry.status, func.count(Entry.id)).where(
            Entry.contest_id == contest.id).group_by(Entry.status)):
        counts.by_status[EntryStatus(status).value] = n
    counts.by_category = dict(db.session.execute(select(Entry.category_id, func.count(Entry.id)).where(
        Entry.contest_id == contest.id, Entry.status != EntryStatus.WITHDRAWN)
        .group_by(Entry.category_id)).all())
    counts.submitted_today = db.session.scalar(select(func.count(Entry.id)).where(
        Entry.contest_id == contest.id, Entry.created_at >= _start_of_today(contest, now))) or 0
    done = func.sum(case((Assignment.status == ReviewStatus.SUBMITTED, 1), else_=0))
    assigned, total, submitted = db.session.execute(
        select(func.count(func.distinct(Assignment.entry_id)), func.count(Assignment.id), done)
        .where(Assignment.contest_id == contest.id)).one()
    counts.assigned, counts.reviews_assigned = assigned or 0, total or 0
    counts.reviews_done = int(submitted or 0)
    counts.reviews_needed = counts.ready * contest.reviews_per_entry
    return counts


def home_rows(contests: list[Contest]) -> list[tuple[Contest, Counts]]:
    """The organizer's home: each of their running contests with its counts."""
    now = utcnow()
    return [(contest, contest_counts(contest, now)) for contest in contests]
