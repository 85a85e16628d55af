"""Reads for submissions: open contests, a student's entries, the organizer's queue."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from contest.contests.models import Contest, Phase
from contest.db import utcnow
from contest.extensions import db
from contest.submissions.models import Entry, EntryStatus, EntryVersion
from contest.submissions.stage import entry_stage


def get_entry(entry_id: int) -> Entry | None:
    return db.session.scalar(
        select(Entry).where(Entry.id == entry_id)
        .options(selectinload(Entry.versions), joinedload(Entry.current_version)))


def get_version(entry: Entry, number: int) -> EntryVersion | None:
    return next((v for v in entry.versions if v.number == number), None)


def get_contest(contest_id: int) -> Contest | None:
    return db.session.scalar(
        select(Contest).where(Contest.id == contest_id)
        .options(selectinload(Contest.topics), selectinload(Contest.categories)))


def list_open_contests(student=None) -> list[Contest]:
    """Contests in the open phase whose submission window includes now (UTC), for this
    student: a contest whose deadline passed stays listed while their extension runs."""
    from contest.submissions.deadlines import effective_deadline

    now = utcnow()
    contests = db.session.scalars(
        select(Contest).where(Contest.phase == Phase.OPEN,
                              (Contest.opens_at.is_(None)) | (Contest.opens_at <= now))
        .order_by(Contest.closes_at))
    open_ones = []
    for contest in contests:
        deadline = contest.closes_at if contest.closes_at is None or contest.closes_at > now else \
            effective_deadline(contest, student)
        if deadline is None or deadline > now:
            open_ones.append(contest)
    return open_ones


def list_student_entries(student_id: int) -> list[tuple[Entry, Contest]]:
    """A student's entries with their contests, newest first."""
    rows = db.session.execute(
        select(Entry, Contest).join(Contest, Contest.id == Entry.contest_id)
        .where(Entry.student_id == student_id).order_by(Entry.created_at.desc(), Entry.id.desc()))
    return [(entry, contest) for entry, contest in rows]


def stage_of(entry: Entry, contest: Contest, student=None) -> str:
    """The entry's stage now (see submissions.stage), against its author's own deadline."""
    from contest.accounts.models import User
    from contest.submissions.deadlines import effective_deadline

    student = student if student is not None else db.session.get(User, entry.student_id)
    return entry_stage(phase=contest.phase.value, status=entry.status.value, now=utcnow(),
                       deadline=effective_deadline(contest, student))


@dataclass
class DashboardContest:
    """One contest on a student's dashboard: open for them now, or holding their entries."""
    contest: Contest
    can_submit: bool
    entries: list[tuple[Entry, str]] = field(default_factory=list)  # (entry, stage)


def student_dashboard(student) -> list[DashboardContest]:
    """The contests open to this student now, then those holding their entries; each with the
    student's entries and where each stands. Open contests first, by deadline."""
    open_ones = list_open_contests(student)
    groups = {c.id: DashboardContest(c, True) for c in open_ones}
    for entry, contest in reversed(list_student_entries(student.id)):  # oldest first
        group = groups.setdefault(contest.id, DashboardContest(contest, False))
        group.entries.append((entry, stage_of(entry, group.contest, student)))
    return list(groups.values())


def list_contests_with_attention(user) -> list[tuple[Contest, int, int]]:
    """The organizer's contests with the number of their entries needing attention and of
    their live entries whose blind redaction is doubtful."""
    from contest.blind.queries import doubtful_counts
    from contest.contests.permissions import scope_contests

    counts = (select(Entry.contest_id, func.count(Entry.id).label("n"))
              .where(Entry.status == EntryStatus.NEEDS_ATTENTION).group_by(Entry.contest_id).subquery())
    rows = db.session.execute(scope_contests(
        select(Contest, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.contest_id == Contest.id), user).order_by(Contest.created_at.desc()))
    doubtful = doubtful_counts()
    return [(contest, n, doubtful.get(contest.id, 0)) for contest, n in rows]


def list_attention_queue(contest_id: int) -> list[tuple[Entry, str, str, str]]:
    """Entries needing attention, oldest first, with their current version (no N+1) and
    their author's name, school and region (the organizer decides knowing who it is)."""
    from contest.accounts.models import User

    return [tuple(row) for row in db.session.execute(
        select(Entry, User.full_name, User.school, User.region).join(User, User.id == Entry.student_id)
        .where(Entry.contest_id == contest_id, Entry.status == EntryStatus.NEEDS_ATTENTION)
        .options(joinedload(Entry.current_version)).order_by(Entry.updated_at))]


def count_active_entries(contest_id: int, student_id: int) -> int:
    """Entries that count toward the per-student limit (withdrawn ones do not)."""
    return db.session.scalar(select(func.count(Entry.id)).where(
        Entry.contest_id == contest_id, Entry.student_id == student_id,
        Entry.status != EntryStatus.WITHDRAWN)) or 0


def find_version_by_submit_key(student_id: int, key: str) -> EntryVersion | None:
    return db.session.scalar(
        select(EntryVersion).join(Entry, Entry.id == EntryVersion.entry_id)
        .where(EntryVersion.submit_key == key, Entry.student_id == student_id))


def other_signatures(contest_id: int, entry_id: int) -> list[tuple[int, str, bytes, object]]:
    """(entry id, code, minhash, uploaded_at) of the contest's other live entries' current versions."""
    rows = db.session.execute(
        select(Entry.id, Entry.code, EntryVersion.minhash, EntryVersion.uploaded_at)
        .join(EntryVersion, EntryVersion.id == Entry.current_version_id)
        .where(Entry.contest_id == contest_id, Entry.id != entry_id, EntryVersion.minhash.is_not(None),
               Entry.status.not_in([EntryStatus.WITHDRAWN, EntryStatus.REJECTED])))
    return [tuple(r) for r in rows]


def near_duplicate_pairs(entry: Entry) -> list[tuple[Entry, EntryVersion, EntryVersion, list, list]]:
    """For the organizer: each entry the current version is flagged as similar to, as
    (other entry, this version, other version, spans shared in this text, in the other)."""
    from contest.extraction.similarity import shared_spans

    mine = entry.current_version
    pairs = []
    for flag in (mine.flags if mine else []):
        if flag.get("code") != "near_duplicate":
            continue
        other = get_entry(flag["other_entry_id"])
        theirs = other.current_version if other else None
        if theirs is None:
            continue
        spans_mine, spans_theirs = shared_spans(mine.text or "", theirs.text or "")
        pairs.append((other, mine, theirs, spans_mine, spans_theirs))
    return pairs


def replacement_times(student_id: int, since) -> list:
    """Upload times of the student's replacements (versions after the first) since `since`."""
    return list(db.session.scalars(
        select(EntryVersion.uploaded_at).join(Entry, Entry.id == EntryVersion.entry_id)
        .where(Entry.student_id == student_id, EntryVersion.number > 1, EntryVersion.uploaded_at >= since)
        .order_by(EntryVersion.uploaded_at)))


def worker_seconds(contest_id: int, student_id: int) -> float:
    """Extraction time the student's files have used in the contest."""
    return float(db.session.scalar(
        select(func.coalesce(func.sum(EntryVersion.extraction_seconds), 0.0))
        .join(Entry, Entry.id == EntryVersion.entry_id)
        .where(Entry.contest_id == contest_id, Entry.student_id == student_id)) or 0.0)
