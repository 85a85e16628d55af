"""The entries registry: one SQL query with the contest's filters, search, sort and paging.

A row carries what an organizer asks about an entry: code, author, school, region, grade,
category, topic, language, words, status, flags, reviews submitted / assigned, and, once the
results are decided (Award rows: written at publication and by overrides), score, place and
award. The export runs the same query without the page limit, so it holds exactly the
filtered view.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, and_, case, cast, func, select
from sqlalchemy.orm import defer, selectinload

from contest.accounts.models import User
from contest.awards.models import Award
from contest.contests.models import AwardTier, Contest
from contest.coordinators import queries as coordinators
from contest.extensions import db
from contest.judging.models import Assignment, ReviewStatus
from contest.submissions.models import Entry, EntryStatus, EntryVersion

PAGE_SIZE = 50
SORTS = ("code", "author", "school", "region", "grade", "category", "topic", "language", "words",
         "status", "reviews", "score", "place", "submitted")


@dataclass
class Filters:
    """What the registry is narrowed to; empty values mean "any"."""

    q: str = ""
    status: str = ""
    category_id: int | None = None
    topic_id: int | None = None
    language: str = ""
    region: str = ""
    school: str = ""
    coordinator: str = ""  # a school coordinator's name (contest.coordinators)
    grade: str = ""
    flag: str = ""  # a flag code, or "any"
    reviews: str = ""  # "complete" | "incomplete" | "none"
    award: str = ""  # a tier id, "any" or "none"
    sort: str = "code"
    desc: bool = False
    page: int = 1

    def filtered(self) -> bool:
        return any(value not in ("", None) for key, value in self.__dict__.items()
                   if key not in ("sort", "desc", "page"))

    def query_args(self, **changes) -> dict[str, Any]:
        """The filters as URL arguments (for links that keep them)."""
        values = {**self.__dict__, **changes}
        return {k: v for k, v in values.items()
                if v not in ("", None, False) and not (k == "page" and v == 1)}


@dataclass
class Row:
    entry_id: int
    code: str
    author: str
    email: str
    school: str
    region: str
    grade: str
    category_id: int
    topic_id: int
    language: str | None
    words: int | None
    status: EntryStatus
    flags: list[dict] = field(default_factory=list)
    reviews_done: int = 0
    reviews_assigned: int = 0
    score: float | None = None
    place: int | None = None
    tier_id: int | None = None
    tier_name: dict | None = None
    coordinator: str = ""  # the teacher who entered the pupil, if one did


@dataclass
class Page:
    rows: list[Row]
    total: int
    page: int
    pages: int


def get_contest(contest_id: int) -> Contest | None:
    """The contest with what the registry names: categories, topics and award tiers."""
    return db.session.scalar(select(Contest).where(Contest.id == contest_id).options(
        defer(Contest.logo), selectinload(Contest.categories), selectinload(Contest.topics),
        selectinload(Contest.award_tiers)))


def _review_counts(entry_ids=None):
    done = func.sum(case((Assignment.status == ReviewStatus.SUBMITTED, 1), else_=0))
    query = select(Assignment.entry_id, done.label("done"), func.count(Assignment.id).label("assigned"))
    if entry_ids is not None:
        query = query.where(Assignment.entry_id.in_(entry_ids))
    return query.group_by(Assignment.entry_id).subquery()


def _ids_query(contest, f: Filters):
    """Entry ids in the view's order, joining only what the filters and the sort use (the page's
    columns are loaded afterwards for its rows alone)."""
    query = select(Entry.id).where(Entry.contest_id == contest.id)
    if f.q.strip() or f.region or f.school or f.grade or f.sort in ("author", "school", "region", "grade"):
        query = query.join(User, User.id == Entry.student_id)
    if f.flag:
        query = query.outerjoin(EntryVersion, EntryVersion.id == Entry.current_version_id)
    done = None
    if f.reviews or f.sort == "reviews":
        reviews = _review_counts()
        query = query.outerjoin(reviews, reviews.c.entry_id == Entry.id)
        done = func.coalesce(reviews.c.done, 0)
    if f.award or f.sort in ("score", "place"):
        query = query.outerjoin(Award, Award.entry_id == Entry.id)
    return query.where(*_conditions(f, done, contest.reviews_per_entry)), done


def _conditions(f: Filters, done, k: int) -> list:
    out = []
    if f.q.strip():
        # One lower() of the four texts joined, not four: on SQLite lower() is a Python call
        # (contest.db), needed only for non-ASCII text: SQLite's LIKE ignores ASCII case itself.
        text = f.q.strip().lower()
        joined = User.full_name + "\n" + User.school + "\n" + Entry.code + "\n" + User.email
        sqlite_ascii = text.isascii() and db.session.get_bind().dialect.name == "sqlite"
        out.append((joined if sqlite_ascii else func.lower(joined)).like(f"%{text}%"))
    if f.status:
        out.append(Entry.status == f.status)
    for column, value in ((Entry.category_id, f.category_id), (Entry.topic_id, f.topic_id)):
        if value:
            out.append(column == value)
    if f.language:
        out.append(Entry.language == f.language)
    if f.region:
        out.append(User.region == f.region)
    if f.school:
        out.append(func.lower(User.school).like(f"%{f.school.strip().lower()}%"))
    if f.grade:
        out.append(User.grade == f.grade.strip())
    if f.coordinator.strip():
        out.append(Entry.student_id.in_(coordinators.students_of_coordinators_named(f.coordinator)))
    if f.flag == "any":
        out.append(and_(EntryVersion.flags.is_not(None), cast(EntryVersion.flags, String) != "[]"))
    elif f.flag:
        out.append(cast(EntryVersion.flags, String).like(f'%"{f.flag}"%'))
    if f.reviews == "complete":
        out.append(done >= k)
    elif f.reviews == "incomplete":
        out.append(done < k)
    elif f.reviews == "none":
        out.append(done == 0)
    if f.award == "any":
        out.append(Award.tier_id.is_not(None))
    elif f.award == "none":
        out.append(Award.tier_id.is_(None))
    elif f.award.isdigit():
        out.append(Award.tier_id == int(f.award))
    return out


def _order(f: Filters, done):
    columns = {"code": Entry.id, "author": User.full_name, "school": User.school, "region": User.region,
               "grade": User.grade, "category": Entry.category_id, "topic": Entry.topic_id,
               "language": Entry.language, "words": Entry.word_count, "status": Entry.status,
               "reviews": done, "score": Award.score, "place": Award.place, "submitted": Entry.created_at}
    column = columns.get(f.sort, Entry.id) if f.sort != "reviews" or done is not None else Entry.id
    primary = column.desc() if f.desc else column.asc()
    return [primary.nulls_last() if f.sort in ("score", "place", "words") else primary, Entry.id]


def _rows(ids: list[int]) -> list[Row]:
    """The registry's columns for these entries, in this order."""
    found: dict[int, Row] = {}
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        reviews = _review_counts(chunk)
        query = (select(Entry.id, Entry.code, User.full_name, User.email, User.school, User.region,
                        User.grade, Entry.category_id, Entry.topic_id, Entry.language, Entry.word_count,
                        Entry.status,
                        EntryVersion.flags, reviews.c.done, reviews.c.assigned, Award.score, Award.place,
                        Award.tier_id, AwardTier.name)
                 .join(User, User.id == Entry.student_id)
                 .outerjoin(EntryVersion, EntryVersion.id == Entry.current_version_id)
                 .outerjoin(reviews, reviews.c.entry_id == Entry.id)
                 .outerjoin(Award, Award.entry_id == Entry.id)
                 .outerjoin(AwardTier, AwardTier.id == Award.tier_id)
                 .where(Entry.id.in_(chunk)))
        found.update((r[0], _row(r)) for r in db.session.execute(query))
    coordinators.add_coordinator_names(found)
    return [found[i] for i in ids if i in found]


def _row(r) -> Row:
    return Row(entry_id=r[0], code=r[1], author=r[2], email=r[3], school=r[4], region=r[5], grade=r[6],
               category_id=r[7], topic_id=r[8], language=r[9], words=r[10], status=EntryStatus(r[11]),
               flags=list(r[12] or []), reviews_done=int(r[13] or 0), reviews_assigned=int(r[14] or 0),
               score=r[15], place=r[16], tier_id=r[17], tier_name=r[18])


def list_entries(contest, f: Filters, *, everything: bool = False) -> Page:
    """One page of the filtered, sorted registry (every row for the export)."""
    query, done = _ids_query(contest, f)
    ordered = query.order_by(*_order(f, done))
    if everything:
        rows = _rows(list(db.session.scalars(ordered)))
        return Page(rows, len(rows), 1, 1)
    page = max(1, f.page)
    if f.filtered():
        # Filtered: one pass gives the page and the total (a window count) instead of two scans.
        found = db.session.execute(ordered.add_columns(func.count().over())
                                   .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
        if found:
            total = found[0][1]
            return Page(_rows([r[0] for r in found]), total, page, max(1, -(-total // PAGE_SIZE)))
    # Unfiltered (the count reads the contest's index only), or a page past the end.
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    ids = list(db.session.scalars(ordered.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    return Page(_rows(ids), total, page, pages)
