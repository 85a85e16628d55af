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

from sqlalchemy import String, and_, case, cast, func, or_, select

from contest.accounts.models import User
from contest.awards.models import Award
from contest.contests.models import AwardTier
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
    grade: str = ""
    flag: str = ""  # a flag code, or "any"
    reviews: str = ""  # "complete" | "incomplete" | "none"
    award: str = ""  # a tier id, "any" or "none"
    sort: str = "code"
    desc: bool = False
    page: int = 1

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


@dataclass
class Page:
    rows: list[Row]
    total: int
    page: int
    pages: int


def _review_counts():
    done = func.sum(case((Assignment.status == ReviewStatus.SUBMITTED, 1), else_=0))
    return (select(Assignment.entry_id, done.label("done"), func.count(Assignment.id).label("assigned"))
            .group_by(Assignment.entry_id).subquery())


def _base(contest, k: int, f: Filters):
    reviews = _review_counts()
    done = func.coalesce(reviews.c.done, 0)
    assigned = func.coalesce(reviews.c.assigned, 0)
    query = (select(Entry.id, Entry.code, User.full_name, User.email, User.school, User.region, User.grade,
                    Entry.category_id, Entry.topic_id, Entry.language, Entry.word_count, Entry.status,
                    EntryVersion.flags, done.label("done"), assigned.label("assigned"), Award.score,
                    Award.place, Award.tier_id, AwardTier.name)
             .join(User, User.id == Entry.student_id)
             .outerjoin(EntryVersion, EntryVersion.id == Entry.current_version_id)
             .outerjoin(reviews, reviews.c.entry_id == Entry.id)
             .outerjoin(Award, Award.entry_id == Entry.id)
             .outerjoin(AwardTier, AwardTier.id == Award.tier_id)
             .where(Entry.contest_id == contest.id))
    conditions = _conditions(f, done, k)
    return query.where(*conditions), done, conditions


def _conditions(f: Filters, done, k: int) -> list:
    out = []
    if f.q.strip():
        like = f"%{f.q.strip().lower()}%"
        out.append(or_(func.lower(User.full_name).like(like), func.lower(Entry.code).like(like),
                       func.lower(User.school).like(like), func.lower(User.email).like(like)))
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
        out.append(User.grade == f.grade)
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
    column = columns.get(f.sort, Entry.id)
    primary = column.desc() if f.desc else column.asc()
    return [primary.nulls_last() if f.sort in ("score", "place", "words") else primary, Entry.id]


def _row(r) -> Row:
    return Row(entry_id=r[0], code=r[1], author=r[2], email=r[3], school=r[4], region=r[5], grade=r[6],
               category_id=r[7], topic_id=r[8], language=r[9], words=r[10], status=EntryStatus(r[11]),
               flags=list(r[12] or []), reviews_done=int(r[13] or 0), reviews_assigned=int(r[14] or 0),
               score=r[15], place=r[16], tier_id=r[17], tier_name=r[18])


def list_entries(contest, f: Filters, *, everything: bool = False) -> Page:
    """One page of the filtered, sorted registry (every row for the export)."""
    query, done, conditions = _base(contest, contest.reviews_per_entry, f)
    page_size = PAGE_SIZE
    if everything:
        rows = [_row(r) for r in db.session.execute(query.order_by(*_order(f, done)))]
        return Page(rows, len(rows), 1, 1)
    total = _count(contest, conditions, f)
    pages = max(1, -(-total // page_size))
    page = min(max(1, f.page), pages)
    rows = db.session.execute(query.order_by(*_order(f, done)).limit(page_size)
                              .offset((page - 1) * page_size))
    return Page([_row(r) for r in rows], total, page, pages)


def _count(contest, conditions, f: Filters) -> int:
    """The number of filtered entries; joins only what the filters use."""
    reviews = _review_counts()
    query = (select(func.count(Entry.id)).select_from(Entry).join(User, User.id == Entry.student_id)
             .where(Entry.contest_id == contest.id))
    if f.flag:
        query = query.outerjoin(EntryVersion, EntryVersion.id == Entry.current_version_id)
    if f.reviews:
        query = query.outerjoin(reviews, reviews.c.entry_id == Entry.id)
        conditions = _conditions(f, func.coalesce(reviews.c.done, 0), contest.reviews_per_entry)
    if f.award:
        query = query.outerjoin(Award, Award.entry_id == Entry.id)
    return db.session.scalar(query.where(*conditions)) or 0


def filter_choices(contest) -> dict[str, list]:
    """The regions, grades and flag codes present in the contest (for the filter selects)."""
    base = select(User.region, User.grade).join(Entry, Entry.student_id == User.id).where(
        Entry.contest_id == contest.id).distinct()
    pairs = db.session.execute(base).all()
    return {"regions": sorted({p[0] for p in pairs if p[0]}), "grades": sorted({p[1] for p in pairs if p[1]})}
