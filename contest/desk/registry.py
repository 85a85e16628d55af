"""The entries registry: one SQL query with the contest's filters, search, sort and paging.

A row carries what an organizer asks about an entry: code, author, school, region, grade,
category, topic, language, words, status, flags, reviews submitted / assigned, and, once the
results are decided (Award rows: written at publication and by overrides), score, place and
award. The export runs the same query without the page limit, so it holds exactly the
filtered view; it reads it in batches from a server-side cursor (`export_batches`), so a
100,000-entry registry is never held whole.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import load_only

from contest.accounts.models import User
from contest.awards.models import Award
from contest.contests.models import AwardTier, Category, Contest, Phase, Topic
from contest.coordinators import queries as coordinators
from contest.db import plain_rows, utcnow
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
    coordinator: str = ""  # a school coordinator's name (contest.coordinators)
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
    supervisor: str = ""
    coordinator: str = ""  # the teacher who entered the pupil, if one did


@dataclass
class Page:
    rows: list[Row]
    total: int
    page: int
    pages: int


# Built once, with the columns the registry and its export use (others load when first read):
# the contest's texts (description, rules, documents...) are JSON that each request would parse.
_CONTEST = (select(Contest).where(Contest.id == bindparam("contest_id"))
            .options(load_only(Contest.id, Contest.code_prefix, Contest.year, Contest.title, Contest.phase,
                               Contest.reviews_per_entry, Contest.timezone)))


def get_contest(contest_id: int) -> Contest | None:
    """The contest with the columns the registry uses; what it names comes from `names`."""
    return db.session.execute(_CONTEST, {"contest_id": contest_id}).scalar()


@dataclass
class Names:
    """The contest's categories, topics and award tiers as (id, name) in their order."""

    categories: list[tuple[int, dict]]
    topics: list[tuple[int, dict]]
    tiers: list[tuple[int, dict]]


def _names_statement():
    kind = literal_column("'c'"), literal_column("'t'"), literal_column("'a'")
    parts = [select(kind[0].label("kind"), Category.id, Category.name, Category.position)
             .where(Category.contest_id == bindparam("contest_id")),
             select(kind[1], Topic.id, Topic.title, Topic.position)
             .where(Topic.contest_id == bindparam("contest_id")),
             select(kind[2], AwardTier.id, AwardTier.name, AwardTier.position)
             .where(AwardTier.contest_id == bindparam("contest_id"))]
    return union_all(*parts)


# Built once: the registry runs them on every request (building a statement costs more than
# running it on a page of 50 rows).
_NAMES = _names_statement()


@dataclass
class ContestHead:
    """What the registry page reads of its contest (the export loads the contest itself)."""

    id: int
    title: dict
    year: int
    phase: Phase
    reviews_per_entry: int
    code_prefix: str
    timezone: str


def _plain(statement, params: dict) -> list[tuple]:
    """A prebuilt statement of plain columns on the session's connection (in its transaction),
    as tuples: the ORM's or Core's per-execution work cost the page more than its rows
    (contest.db.plain_rows)."""
    return plain_rows(db.session, statement, params)


def _head_and_names_statement():
    """The contest's row ("k") first, so the extra columns take its types; NULL for the names."""
    head = select(literal_column("'k'").label("kind"), Contest.id, Contest.title, Contest.year, Contest.phase,
                  Contest.reviews_per_entry, Contest.code_prefix, Contest.timezone)
    head = head.where(Contest.id == bindparam("contest_id"))
    names = [select(*part.selected_columns, null(), null(), null(), null()).where(part.whereclause)
             for part in _names_statement().selects]
    return union_all(head, *names)


_HEAD_AND_NAMES = _head_and_names_statement()


def head_and_names(contest_id: int) -> tuple[ContestHead | None, Names]:
    """The page's contest and its names in one statement (each is a round trip on PostgreSQL)."""
    head, found = None, {"c": [], "t": [], "a": []}
    rows = _plain(_HEAD_AND_NAMES, {"contest_id": contest_id})
    for kind, item_id, name, position, phase, k, prefix, zone in rows:
        if kind == "k":
            head = ContestHead(item_id, name, position, phase, k, prefix, zone)
        else:
            found[kind].append((position, item_id, name))
    categories, topics, tiers = ([(i, n) for _p, i, n in sorted(found[k], key=lambda x: (x[0], x[1]))]
                                 for k in "cta")
    return head, Names(categories, topics, tiers)


def names(contest_id: int) -> Names:
    """The registry's names in one plain statement (no ORM objects for three small lists)."""
    found: dict[str, list] = {"c": [], "t": [], "a": []}
    for kind, item_id, name, position in _plain(_NAMES, {"contest_id": contest_id}):
        found[kind].append((position, item_id, name))
    categories, topics, tiers = ([(i, n) for _p, i, n in sorted(found[k], key=lambda x: (x[0], x[1]))]
                                 for k in "cta")
    return Names(categories, topics, tiers)


def _review_counts():
    done = func.sum(case((Assignment.status == ReviewStatus.SUBMITTED, 1), else_=0))
    return (select(Assignment.entry_id, done.label("done"), func.count(Assignment.id).label("assigned"))
            .where(Assignment.contest_id == bindparam("contest_id")).group_by(Assignment.entry_id).subquery())


@dataclass(frozen=True)
class _Shape:
    """What decides the statements' SQL (which filters are set, the sort); the values are
    bound parameters, so the statements are built once per shape and process."""

    q: bool = False
    q_ascii_sqlite: bool = False
    status: bool = False
    category: bool = False
    topic: bool = False
    language: bool = False
    region: bool = False
    school: bool = False
    grade: bool = False
    flag: str = ""  # "" | "any" | "code"
    reviews: str = ""  # "" | "complete" | "incomplete" | "none"
    award: str = ""  # "" | "any" | "none" | "tier"
    coordinator: bool = False
    sort: str = "code"
    desc: bool = False


def _shape_and_params(contest, f: Filters) -> tuple[_Shape, dict[str, Any]]:
    text = f.q.strip().lower()
    award = f.award if f.award in ("", "any", "none") else "tier" if f.award.isdigit() else ""
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    shape = _Shape(
        q=bool(text), q_ascii_sqlite=bool(text) and text.isascii() and sqlite, status=bool(f.status),
        category=bool(f.category_id), topic=bool(f.topic_id), language=bool(f.language),
        region=bool(f.region), school=bool(f.school), grade=bool(f.grade),
        flag="" if not f.flag else "any" if f.flag == "any" else "code",
        reviews=f.reviews if f.reviews in ("complete", "incomplete", "none") else "",
        award=award, coordinator=bool(f.coordinator.strip()), sort=f.sort if f.sort in SORTS else "code",
        desc=bool(f.desc))
    params = {"contest_id": contest.id, "k": contest.reviews_per_entry, "q": f"%{text}%",
              "status": f.status, "category_id": f.category_id, "topic_id": f.topic_id,
              "language": f.language, "region": f.region,
              "school": f"%{f.school.strip().lower()}%", "grade": f.grade.strip(), "flag": f'%"{f.flag}"%',
              "tier_id": int(f.award) if award == "tier" else None,
              "coordinator": f"%{f.coordinator.strip().lower()}%"}
    return shape, params


def _ids_query(shape: _Shape):
    """Entry ids of the view, joining only what the filters and the sort use (the page's
    columns are loaded with its ids, for its rows alone). Returns (query, the review count
    expression when joined)."""
    query = select(Entry.id).where(Entry.contest_id == bindparam("contest_id"))
    if (shape.q or shape.region or shape.school or shape.grade
            or shape.sort in ("author", "school", "region", "grade")):
        query = query.join(User, User.id == Entry.student_id)
    if shape.flag:
        query = query.outerjoin(EntryVersion, EntryVersion.id == Entry.current_version_id)
    done = None
    if shape.reviews or shape.sort == "reviews":
        reviews = _review_counts()
        query = query.outerjoin(reviews, reviews.c.entry_id == Entry.id)
        done = func.coalesce(reviews.c.done, 0)
    if shape.award or shape.sort in ("score", "place"):
        query = query.outerjoin(Award, Award.entry_id == Entry.id)
    return query.where(*_conditions(shape, done)), done


def _conditions(shape: _Shape, done) -> list:
    out = []
    if shape.q:
        # One lower() of the four texts joined, not four: on SQLite lower() is a Python call
        # (contest.db), needed only for non-ASCII text: SQLite's LIKE ignores ASCII case itself.
        joined = User.full_name + "\n" + User.school + "\n" + Entry.code + "\n" + User.email
        out.append((joined if shape.q_ascii_sqlite else func.lower(joined)).like(bindparam("q")))
    if shape.status:
        out.append(Entry.status == bindparam("status"))
    if shape.category:
        out.append(Entry.category_id == bindparam("category_id"))
    if shape.topic:
        out.append(Entry.topic_id == bindparam("topic_id"))
    if shape.language:
        out.append(Entry.language == bindparam("language"))
    if shape.region:
        out.append(User.region == bindparam("region"))
    if shape.school:
        out.append(func.lower(User.school).like(bindparam("school")))
    if shape.grade:
        out.append(User.grade == bindparam("grade"))
    if shape.coordinator:
        out.append(Entry.student_id.in_(coordinators.students_of_coordinators_named_param("coordinator")))
    if shape.flag == "any":
        out.append(and_(EntryVersion.flags.is_not(None), cast(EntryVersion.flags, String) != "[]"))
    elif shape.flag:
        out.append(cast(EntryVersion.flags, String).like(bindparam("flag", type_=String)))
    if shape.reviews == "complete":
        out.append(done >= bindparam("k"))
    elif shape.reviews == "incomplete":
        out.append(done < bindparam("k"))
    elif shape.reviews == "none":
        out.append(done == 0)
    if shape.award == "any":
        out.append(Award.tier_id.is_not(None))
    elif shape.award == "none":
        out.append(Award.tier_id.is_(None))
    elif shape.award == "tier":
        out.append(Award.tier_id == bindparam("tier_id"))
    return out


def _sort_key(shape: _Shape, done):
    columns = {"code": Entry.id, "author": User.full_name, "school": User.school, "region": User.region,
               "grade": User.grade, "category": Entry.category_id, "topic": Entry.topic_id,
               "language": Entry.language, "words": Entry.word_count, "status": Entry.status,
               "reviews": done, "score": Award.score, "place": Award.place, "submitted": Entry.created_at}
    return columns.get(shape.sort, Entry.id) if shape.sort != "reviews" or done is not None else Entry.id


def _order(shape: _Shape, key, entry_id):
    primary = key.desc() if shape.desc else key.asc()
    return [primary.nulls_last() if shape.sort in ("score", "place", "words") else primary, entry_id]


@lru_cache(maxsize=512)
def _statement(shape: _Shape, kind: str, page_size: int = PAGE_SIZE):
    """The view's statement of a kind: "count" (the view's size), "page" (a page of rows:
    `limit`, `offset`), "page+total" (the same with the view's size in each row, a window
    count), "page+count" (the same, the size counted by an uncorrelated subquery, which the
    database runs once: for the unfiltered view, whose count reads the contest's index only),
    "all"."""
    query, done = _ids_query(shape)
    count = select(func.count()).select_from(query.subquery())
    if kind == "count":
        return count
    key = _sort_key(shape, done)
    ids = query.add_columns(key.label("sort_key")).order_by(*_order(shape, key, Entry.id))
    total = kind == "page+total"
    if total:
        ids = ids.add_columns(func.count().over().label("total"))
    if kind != "all":
        # The page size and offset as literals in the SQL text: PostgreSQL plans a prepared
        # statement once for all executions only when the plan does not hinge on a parameter,
        # and an unknown LIMIT is taken for a tenth of the contest (a hash join over every entry
        # instead of 50 lookups). Each page is then a statement of its own text.
        ids = (ids.limit(literal_column(str(int(page_size)), Integer))
               .offset(bindparam("offset", type_=Integer, literal_execute=True)))
    page = ids.subquery("page")
    done = (select(func.count()).where(Assignment.entry_id == Entry.id,
                                       Assignment.status == ReviewStatus.SUBMITTED)
            .correlate(Entry).scalar_subquery())
    assigned = select(func.count()).where(Assignment.entry_id == Entry.id).correlate(Entry).scalar_subquery()
    # The unfiltered view counts only the entries after the settled ones (_settled_count).
    recent = (select(func.count()).where(Entry.contest_id == bindparam("contest_id"),
                                         Entry.id > bindparam("settled_id")).scalar_subquery())
    view_size = (page.c.total if total else recent if kind == "page+count" else literal_column("NULL"))
    # The flags as text, NULL when there are none (most entries): the driver's JSON loader
    # is a Python call per value, fifty a page, for "[]" nearly every time.
    flags = func.nullif(cast(EntryVersion.flags, String), "[]")
    return (select(Entry.id, Entry.code, User.full_name, User.email, User.school, User.region,
                   User.grade, Entry.category_id, Entry.topic_id, Entry.language, Entry.word_count,
                   Entry.status, flags, done, assigned, Award.score, Award.place,
                   Award.tier_id, AwardTier.name, Entry.supervisor, view_size,
                   coordinators.coordinator_name_of(Entry.student_id))
            .select_from(page).join(Entry, Entry.id == page.c.id)
            .join(User, User.id == Entry.student_id)
            .outerjoin(EntryVersion, EntryVersion.id == Entry.current_version_id)
            .outerjoin(Award, Award.entry_id == Entry.id)
            .outerjoin(AwardTier, AwardTier.id == Award.tier_id)
            .order_by(*_order(shape, page.c.sort_key, page.c.id)))


def _page_rows(shape: _Shape, params: dict, kind: str, page: int = 1) -> tuple[list[Row], int | None]:
    """The registry's columns for the view's entries in its order, in one statement: the
    page of ids (with its sort key, and for "page+total"/"page+count" the size of the whole
    view) joined to the columns; the review counts and the coordinator's name are per-entry
    index lookups. Returns (rows, the view's total when asked and the page is not empty)."""
    found = _plain(_statement(shape, kind, PAGE_SIZE), {**params, "offset": (page - 1) * PAGE_SIZE})
    return [_row(r) for r in found], (found[0][20] if found and kind.startswith("page+") else None)


def _row(r) -> Row:
    return Row(entry_id=r[0], code=r[1], author=r[2], email=r[3], school=r[4], region=r[5], grade=r[6],
               category_id=r[7], topic_id=r[8], language=r[9], words=r[10], status=EntryStatus(r[11]),
               flags=(json.loads(r[12]) if r[12] else None) or [], reviews_done=int(r[13] or 0),
               reviews_assigned=int(r[14] or 0),
               score=r[15], place=r[16], tier_id=r[17], tier_name=r[18], supervisor=r[19] or "",
               coordinator=r[21] or "")


def list_entries(contest, f: Filters, *, everything: bool = False) -> Page:
    """One page of the filtered, sorted registry (every row for the export)."""
    shape, params = _shape_and_params(contest, f)
    if everything:
        rows, _total = _page_rows(shape, params, "all")
        return Page(rows, len(rows), 1, 1)
    page = max(1, f.page)
    # Filtered: one pass gives the page and the total (a window count) instead of two scans.
    # Unfiltered: the settled entries' count (kept per process) plus the later ones, counted
    # by a subquery of the page's statement.
    if f.filtered():
        rows, total = _page_rows(shape, params, "page+total", page)
    else:
        settled_id, settled = _settled_count(contest.id)
        rows, recent = _page_rows(shape, {**params, "settled_id": settled_id}, "page+count", page)
        total = None if recent is None else settled + recent
    if total is not None:
        return Page(rows, total, page, max(1, -(-total // PAGE_SIZE)))
    # A page past the end (or an empty view): count, and show the last page.
    total = db.session.scalar(_statement(shape, "count"), params) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    rows, _total = _page_rows(shape, params, "page", page)
    return Page(rows, total, page, pages)


# The unfiltered registry's size without counting a national contest's 100,000 entries on
# every page (4.7 ms of its 9.6 on SQLite): entries are never deleted and take increasing ids,
# so the count of those up to an id stays right once every transaction that took a smaller id
# has ended. An entry's id is taken when its submission inserts it, and no such transaction
# lasts SETTLED_AFTER: entries up to the last id created before then are counted once per
# process every SETTLED_REFRESH seconds, and each page counts only the ids after it.
SETTLED_AFTER = timedelta(minutes=10)
SETTLED_REFRESH = 600.0
_settled: dict[tuple[str, int], tuple[int, int, float]] = {}  # -> (last id, count, when counted)


def _settled_count(contest_id: int) -> tuple[int, int]:
    """(id, the number of the contest's entries up to it), from this process's cache."""
    key, now = (str(db.engine.url), contest_id), time.monotonic()
    hit = _settled.get(key)
    if hit is None or now - hit[2] > SETTLED_REFRESH:
        [(last, count)] = _plain(_SETTLED, {"contest_id": contest_id, "before": utcnow() - SETTLED_AFTER})
        hit = _settled[key] = (last or 0, count or 0, now)
        while len(_settled) > 256:
            _settled.pop(next(iter(_settled)))
    return hit[0], hit[1]


def _settled_statement():
    last = (select(func.max(Entry.id)).where(Entry.contest_id == bindparam("contest_id"),
                                             Entry.created_at < bindparam("before")).scalar_subquery())
    return select(last, select(func.count()).where(Entry.contest_id == bindparam("contest_id"),
                                                   Entry.id <= last).scalar_subquery())


_SETTLED = _settled_statement()


def export_batches(contest, f: Filters, batch_size: int) -> Iterator[list[Row]]:
    """Every row of the filtered, sorted view, `batch_size` rows at a time, read from one
    streamed statement (a server-side cursor on PostgreSQL; SQLite steps its cursor lazily):
    at most one batch of rows is in memory. The contest is read now: the batches are read
    while the response is sent, after the view's session has ended."""
    shape, params = _shape_and_params(contest, f)
    return _export_batches(shape, params, batch_size)


def _export_batches(shape: _Shape, params: dict, batch_size: int) -> Iterator[list[Row]]:
    result = db.session.execute(_statement(shape, "all"), params,
                                execution_options={"yield_per": batch_size})
    try:
        for part in result.partitions():
            yield [_row(r) for r in part]  # the coordinator's name is a column of the statement
    finally:
        result.close()
