"""Reads for judging: the planner's inputs, the juror's pages and the organizer's progress.

Every juror-facing read goes through `juror_assignment_filter`, so an assignment whose
entry the juror declared a conflict with, whose entry was withdrawn, or whose contest is
not in a readable phase, is invisible (the view answers 404). Blind contests never
select the author's name for the juror.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from types import SimpleNamespace

from sqlalchemy import (
    BigInteger,
    Text,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased, defer, load_only

from contest.accounts.models import User
from contest.contests.models import Category, Contest, ContestJuror, Criterion, JurorProfile, Phase, Topic
from contest.db import as_loaded_from, byte_order, plain_rows
from contest.extensions import db
from contest.judging.assignment import EntryInfo, JurorInfo
from contest.judging.models import Assignment, DeclaredConflict, ReviewStatus
from contest.judging.rubric import RubricCriterion, parse_rubric, rubric_column
from contest.messages.queries import InboxItem, inbox_select
from contest.submissions.models import Entry, EntryStatus, EntryVersion

READABLE_PHASES = (Phase.OPEN, Phase.JUDGING, Phase.PUBLISHED)
HIDDEN_ENTRY_STATUSES = (EntryStatus.WITHDRAWN, EntryStatus.REJECTED)
_SUBMITTED = func.sum(case((Assignment.status == ReviewStatus.SUBMITTED, 1), else_=0))


# --- planner inputs ---------------------------------------------------------------------------

def _ready_entries(contest: Contest, round_no: int, stage, *columns):
    """The round's plannable entries: ready ones, and in a later round only its shortlist."""
    from contest.rounds.queries import shortlisted_entry_ids  # rounds read judging

    query = (select(*columns).join(User, User.id == Entry.student_id)
             .where(Entry.contest_id == contest.id, Entry.status == EntryStatus.READY))
    if round_no > 1:
        query = query.where(Entry.id.in_(shortlisted_entry_ids(stage.id) if stage else []))
    return query


def plan_inputs(contest: Contest, round_no: int = 1
                ) -> tuple[list[EntryInfo], list[JurorInfo], list[tuple[int, int]]]:
    """Ready entries (by id), the contest's jurors (by user id) and every existing pair of the
    round. A later round (contest.rounds) takes only its shortlist and its own jurors."""
    from contest.rounds.queries import get_round  # rounds read judging

    stage = get_round(contest.id, round_no)
    query = _ready_entries(contest, round_no, stage, Entry.id, Entry.language, Entry.category_id,
                           User.school, User.region).order_by(Entry.id)
    entries = [EntryInfo(eid, lang or "", cat, school, region)
               for eid, lang, cat, school, region in db.session.execute(query)]
    existing = [tuple(row) for row in db.session.execute(
        select(Assignment.entry_id, Assignment.juror_id)
        .where(Assignment.contest_id == contest.id, Assignment.round_no == round_no)
        .order_by(Assignment.entry_id, Assignment.juror_id))]
    return entries, juror_infos(contest, (stage.juror_ids or None) if stage else None), existing


@dataclass(frozen=True)
class PlanDigest:
    """What a plan of the round depends on, in one key (`key`), and its size."""

    key: str
    entries: int
    jurors: int


_MOD = 2147483647  # a prime: sums of mixed ids modulo it tell sets of pairs apart


def plan_digest(contest: Contest, round_no: int) -> PlanDigest:
    """A fingerprint of every input of the round's plan (see plan_inputs and
    assign_services.compute_plan) without reading the round's pairs or entries one by one:
    the settings, the jurors in full (a few thousand rows, declared conflicts included),
    the entries as sums per (language, category, school, region), and the round's pairs as
    sums of mixed ids read from an index. Any change a user makes (an entry ready or
    withdrawn, moved or retyped, a juror's languages, capacity or conflicts, one pair added,
    removed or swapped) changes the key; only a contrived change of many pairs at once
    could keep all the sums. Costs a few aggregate queries: 0.1 s at 10k entries, 0.8-1.2 s
    at 100k (SQLite, loaded machine; bench/reassign.py), against ~50 s for the plan."""
    from contest.rounds.queries import get_round  # rounds read judging

    stage = get_round(contest.id, round_no)
    jurors = juror_infos(contest, (stage.juror_ids or None) if stage else None)
    eid = cast(Entry.id, BigInteger)  # squares and products overflow PostgreSQL's integer
    e, j = cast(Assignment.entry_id, BigInteger), cast(Assignment.juror_id, BigInteger)
    groups = db.session.execute(
        _ready_entries(contest, round_no, stage, Entry.language, Entry.category_id, User.school, User.region,
                       func.count(), func.sum(eid), func.sum((eid * eid) % _MOD))
        .group_by(Entry.language, Entry.category_id, User.school, User.region)
        .order_by(Entry.language, Entry.category_id, User.school, User.region)).all()
    pairs = db.session.execute(
        select(func.count(), func.sum(e), func.sum(j), func.sum((e * j) % _MOD))
        .where(Assignment.contest_id == contest.id, Assignment.round_no == round_no)).one()
    names = db.session.execute(
        select(User.id, User.full_name).join(ContestJuror, ContestJuror.user_id == User.id)
        .where(ContestJuror.contest_id == contest.id).order_by(User.id)).all()  # the linkage note's names
    settings = (contest.id, round_no, contest.reviews_per_entry, contest.same_region_conflict,
                sorted((c.id, sorted((c.name or {}).items())) for c in contest.categories),
                (stage.mode.value, stage.reviews_per_entry, sorted(stage.juror_ids or [])) if stage else None)
    # Sorted, not repr'd sets: string hashing differs between processes (the web, the worker).
    juror_rows = [(x.id, sorted(x.languages), sorted(x.category_ids), x.school, x.region, x.capacity,
                   sorted(x.declared_conflicts)) for x in jurors]
    entry_sums = [tuple(g[:4]) + tuple(int(x or 0) for x in g[4:]) for g in groups]
    digest = hashlib.sha256()
    for part in (settings, juror_rows, names, entry_sums, [int(x or 0) for x in pairs]):
        digest.update(repr(part).encode())
    return PlanDigest(digest.hexdigest()[:32], sum(g[4] for g in groups), len(jurors))


def juror_infos(contest: Contest, user_ids: list[int] | None = None) -> list[JurorInfo]:
    """The contest's jurors as the planner sees them (capacity: the contest's, else the
    profile's), with the entries each declared a conflict with."""
    query = (select(ContestJuror.user_id, ContestJuror.category_ids, ContestJuror.capacity,
                    JurorProfile.languages, JurorProfile.capacity, User.school, User.region)
             .join(User, User.id == ContestJuror.user_id)
             .outerjoin(JurorProfile, JurorProfile.user_id == ContestJuror.user_id)
             .where(ContestJuror.contest_id == contest.id, User.active.is_(True))
             .order_by(ContestJuror.user_id))
    if user_ids is not None:
        query = query.where(ContestJuror.user_id.in_(user_ids))
    declared: dict[int, set[int]] = {}
    for entry_id, juror_id in db.session.execute(
            select(DeclaredConflict.entry_id, DeclaredConflict.juror_id)
            .join(Entry, Entry.id == DeclaredConflict.entry_id).where(Entry.contest_id == contest.id)):
        declared.setdefault(juror_id, set()).add(entry_id)
    return [JurorInfo(uid, frozenset(langs or ()), frozenset(cats or ()), school, region,
                      cap if cap is not None else profile_cap, frozenset(declared.get(uid, ())))
            for uid, cats, cap, langs, profile_cap, school, region in db.session.execute(query)]


def repair_candidates(contest: Contest, entry: EntryInfo, round_no: int, user_ids: list[int] | None = None
                      ) -> list[tuple[JurorInfo, int]]:
    """The contest's jurors who read the entry's language and judge its category, as
    juror_infos gives them but with only their declared conflicts with this entry, each
    with the reviews they hold in the round (counted on the (contest, round, juror) index):
    what one entry's repair needs, in one query of plain rows. Language and category are
    matched on the JSON text (codes as written, contests.jurors.update_juror_profile; ids
    with the spaces taken out), so the caller still checks eligibility exactly."""
    language = str(entry.language).strip().casefold()
    if not language:
        return []
    cats = func.replace(cast(ContestJuror.category_ids, Text), " ", "")
    c = str(entry.category_id)
    load = (select(func.count()).where(Assignment.contest_id == contest.id, Assignment.round_no == round_no,
                                       Assignment.juror_id == ContestJuror.user_id)
            .correlate(ContestJuror).scalar_subquery())
    query = (select(ContestJuror.user_id, cast(ContestJuror.category_ids, Text), ContestJuror.capacity,
                    cast(JurorProfile.languages, Text), JurorProfile.capacity, User.school, User.region, load)
             .join(User, User.id == ContestJuror.user_id)
             .join(JurorProfile, JurorProfile.user_id == ContestJuror.user_id)
             .where(ContestJuror.contest_id == contest.id, User.active.is_(True),
                    func.lower(cast(JurorProfile.languages, Text)).like(f'%"{language}"%'),
                    or_(cats.like(f"%[{c}]%"), cats.like(f"%[{c},%"), cats.like(f"%,{c},%"),
                        cats.like(f"%,{c}]%")))
             .order_by(ContestJuror.user_id))
    if user_ids is not None:
        query = query.where(ContestJuror.user_id.in_(user_ids))
    declared = set(db.session.scalars(select(DeclaredConflict.juror_id)
                                      .where(DeclaredConflict.entry_id == entry.id)))
    return [(JurorInfo(uid, frozenset(json.loads(langs or "[]") or ()),
                       frozenset(json.loads(categories or "[]") or ()), school, region,
                       cap if cap is not None else profile_cap,
                       frozenset((entry.id,)) if uid in declared else frozenset()), held)
            for uid, categories, cap, langs, profile_cap, school, region, held
            in db.session.connection().execute(query)]


def round_loads(contest_id: int, round_no: int) -> dict[int, int]:
    """Reviews each juror holds in the round (any status): what capacity and balance count.
    (A repair reads only its candidates' loads; bench/reassign.py compares the two.)"""
    return dict(db.session.execute(
        select(Assignment.juror_id, func.count(Assignment.id))
        .where(Assignment.contest_id == contest_id, Assignment.round_no == round_no)
        .group_by(Assignment.juror_id)).all())


def entry_jurors(entry_id: int, round_no: int) -> set[int]:
    return set(db.session.scalars(select(Assignment.juror_id).where(Assignment.entry_id == entry_id,
                                                                     Assignment.round_no == round_no)))


def entry_info(entry: Entry) -> EntryInfo:
    school, region = db.session.execute(
        select(User.school, User.region).where(User.id == entry.student_id)).one()
    return EntryInfo(entry.id, entry.language or "", entry.category_id, school, region)


# --- juror pages ------------------------------------------------------------------------------

def juror_assignment_filter(juror_id):
    """Conditions for an assignment the juror may see (joins Entry and Contest); juror_id is
    a value or a bind parameter."""
    return and_(
        Assignment.juror_id == juror_id,
        Entry.status.not_in(HIDDEN_ENTRY_STATUSES),
        Contest.phase.in_(READABLE_PHASES),
        ~exists().where(DeclaredConflict.entry_id == Assignment.entry_id,
                        DeclaredConflict.juror_id == juror_id),
    )


@dataclass
class DashboardContest:
    contest: object  # a row: id, title (name map), blind, judging_ends_at
    rows: list  # (assignment id, status, entry code, author or None, words, category id, topic id,
    # round number): the latest round first
    categories: dict  # id -> name map (JSON)
    topics: dict

    @property
    def done(self) -> int:
        submitted = ReviewStatus.SUBMITTED
        return sum(1 for row in self.rows if row[1] == submitted)


_CONTEST_COLUMNS = (Contest.id, Contest.title, Contest.phase, Contest.blind, Contest.judging_ends_at,
                    Contest.jurors_may_open_files, Contest.timezone)


def _rows(statement, params: dict) -> list[tuple]:
    """A prebuilt plain-column statement run on the session's connection (in its
    transaction), as tuples: without the ORM's or Core's per-execution work (contest.db.plain_rows),
    which costs more than these reads."""
    return plain_rows(db.session, statement, params)


@dataclass
class DashboardHead:
    """What the dashboard shows of a contest."""

    id: int
    title: dict
    blind: bool
    judging_ends_at: object


DASHBOARD_INBOX_LIMIT = 10  # messages the dashboard shows, as on the other dashboards


@cache
def _dashboard_statement():
    """The whole juror dashboard in one statement, built once: on PostgreSQL each statement
    is a round trip and a parse, which cost more than these reads, and the page needs three
    kinds of rows that a join would multiply. A union of rows of one shape, told apart by
    `kind`:
    - "r": an assignment (contest, id, status, code, author, words, category, topic, round);
      in a blind contest PostgreSQL never looks the author up (a subquery under the CASE);
    - "k": a contest whose jury the juror is on (its title in `name`, judging end in `at`,
      `blind`);
    - "c", "t": its categories' and topics' names (`name`);
    - "m": a message in the juror's inbox (subject, body, the contest's title in `name`,
      `body`, `title`; sent at `at`; the contest's time zone in `author`; newest first by
      `words`).
    The assignments come first, so the columns take their types (their NULLs are typed for the
    values the other kinds put there)."""
    juror_id = bindparam("juror_id")
    name = select(User.full_name).where(User.id == Entry.student_id).correlate(Entry).scalar_subquery()
    author = case((Contest.blind.is_(True), None), else_=name)
    # typed: PostgreSQL takes two untyped NULLs of a union for text, which a JSON then does not match
    no_json, no_flag = cast(null(), Contest.title.type), cast(null(), Contest.blind.type)
    no_time = cast(null(), Contest.judging_ends_at.type)
    assignments = (
        select(literal_column("'r'").label("kind"), Assignment.contest_id.label("contest_id"),
               Assignment.id.label("item_id"), Assignment.status, Entry.code.label("code"),
               author.label("author"), Entry.word_count.label("words"), Entry.category_id, Entry.topic_id,
               Assignment.round_no.label("round_no"), no_json.label("name"), no_json.label("body"),
               no_json.label("title"), no_time.label("at"), no_flag.label("blind"))
        .join(Entry, Entry.id == Assignment.entry_id)
        .join(Contest, Contest.id == Assignment.contest_id)
        .where(juror_assignment_filter(juror_id)))
    # The juror's juries: a few index lookups (the assignments' contests would be a second pass
    # over them). A contest the juror has assignments in but left the jury of is read apart.
    juries = select(ContestJuror.contest_id).where(ContestJuror.user_id == juror_id).scalar_subquery()
    inbox = inbox_select(juror_id, DASHBOARD_INBOX_LIMIT)
    compound = union_all(
        assignments,
        *_contest_parts(juries),
        select(literal_column("'m'"), null(), null(), null(), null(), inbox.c.timezone, inbox.c.n,
               null(), null(), null(), inbox.c.subject, inbox.c.body, inbox.c.contest_title,
               inbox.c.created_at, null()))
    # No ORDER BY: juror_dashboard sorts the rows. Sorting the union's wide rows was a fifth of
    # the statement's server CPU; Python's order of str is the code points', which is UTF-8's
    # byte order, the order of byte_order() in previous/next and "next essay to judge".
    return compound


def _contest_parts(contest_ids) -> list:
    """The dashboard's "k", "c" and "t" rows (see _dashboard_statement) of these contests."""
    blanks = (null(),) * 7  # status ... round_no

    def names(kind, model, column):
        return (select(literal_column(f"'{kind}'"), model.contest_id, model.id, *blanks, column,
                       null(), null(), null(), null()).where(model.contest_id.in_(contest_ids)))

    return [select(literal_column("'k'"), Contest.id, Contest.id, *blanks, Contest.title, null(), null(),
                   Contest.judging_ends_at, Contest.blind).where(Contest.id.in_(contest_ids)),
            names("c", Category, Category.name), names("t", Topic, Topic.title)]


@cache
def _contests_statement():
    """The dashboard's contest rows of contests given by id (the contests come first, so the
    columns take their types)."""
    return union_all(*_contest_parts(bindparam("ids", expanding=True)))


def juror_dashboard(juror_id: int) -> tuple[list[DashboardContest], list[InboxItem]]:
    """The juror's assignments grouped by contest, in entry-code order, latest round first
    (a juror has about a hundred), with the contests' names; and the juror's inbox, newest
    first. One statement of plain columns (`_dashboard_statement`)."""
    by_contest: dict[int, list] = {}
    heads, names, inbox = {}, {}, []

    def read(rows) -> None:
        for kind, contest_id, item_id, *fields, name, body, title, at, blind in rows:
            if kind == "r":
                by_contest.setdefault(contest_id, []).append((item_id, *fields))
            elif kind == "k":
                heads[contest_id] = DashboardHead(contest_id, name, bool(blind), at)
            elif kind == "m":
                inbox.append((fields[3], InboxItem(name, body, at, title, fields[2])))  # newest first by n
            else:
                names.setdefault((kind, contest_id), {})[item_id] = name

    read(_rows(_dashboard_statement(), {"juror_id": juror_id}))
    missing = [cid for cid in by_contest if cid not in heads]
    if missing:  # no longer on the contest's jury (not how a dashboard usually is)
        read(_rows(_contests_statement(), {"ids": missing}))
    for rows in by_contest.values():
        rows.sort(key=_latest_round_then_code)
    inbox.sort(key=itemgetter(0))
    return ([DashboardContest(heads[cid], rows, names.get(("c", cid), {}), names.get(("t", cid), {}))
             for cid, rows in sorted(by_contest.items())], [item for _n, item in inbox])


def _latest_round_then_code(row: tuple) -> tuple:
    return -row[7], row[2]  # round_no, entry code (see DashboardContest.rows)


@dataclass
class ReadingView:
    assignment: SimpleNamespace  # the _READING_ASSIGNMENT columns by name
    entry: SimpleNamespace  # _READING_ENTRY
    contest: SimpleNamespace  # _CONTEST_COLUMNS
    topic: dict
    category: dict
    author: str | None  # None when blind
    text: str | None  # juror_text when blind
    file_format: str
    file_name: str | None  # stored name of the copy the juror may download, or None
    criteria: tuple[RubricCriterion, ...]  # as get_criteria reads them
    from_scan: bool = False  # the text was read by OCR from a photo or a scan


def _neighbour(juror_id, later: bool):
    """Correlated subquery: the juror's previous or next visible assignment in the same
    contest (whose phase the outer query checks), in the dashboard's order: the latest round
    first, then by entry code (the same essay in two rounds is two steps). The contest is
    matched on the entry so the juror's index drives the search, not the contest's 30,000
    assignments."""
    other, other_entry = aliased(Assignment), aliased(Entry)
    code, other_code = byte_order(Entry.code), byte_order(other_entry.code)  # the dashboard's order
    round_no, other_round = Assignment.round_no, other.round_no
    if later:
        step = or_(other_round < round_no, and_(other_round == round_no, other_code > code))
        order = (other_round.desc(), other_code)
    else:
        step = or_(other_round > round_no, and_(other_round == round_no, other_code < code))
        order = (other_round, other_code.desc())
    return (select(other.id).join(other_entry, other_entry.id == other.entry_id)
            .where(other.juror_id == juror_id, other_entry.contest_id == Entry.contest_id, step,
                   other_entry.status.not_in(HIDDEN_ENTRY_STATUSES),
                   ~exists().where(DeclaredConflict.entry_id == other.entry_id,
                                   DeclaredConflict.juror_id == juror_id))
            .order_by(*order).limit(1)
            .correlate(Entry, Assignment).scalar_subquery())


@cache
def _step_statement(later: bool):
    """The neighbour of a visible assignment; no row when the juror may not see it."""
    juror_id = bindparam("juror_id")
    return (select(_neighbour(juror_id, later)).select_from(Assignment)
            .join(Entry, Entry.id == Assignment.entry_id)
            .join(Contest, Contest.id == Assignment.contest_id)
            .where(Assignment.id == bindparam("assignment_id"), juror_assignment_filter(juror_id)))


def neighbour(juror_id: int, assignment_id: int, later: bool) -> tuple[bool, int | None]:
    """(whether the juror may see the assignment, the id of their next (or previous) visible
    assignment in its contest in the dashboard's order, None at either end).

    Asked only when the juror follows "Next" or "Previous": finding it walks the contest's
    entries by code, which cost the reading view more than the rest of its statement (and
    PostgreSQL planned it anew on every view)."""
    rows = _rows(_step_statement(later), {"juror_id": juror_id, "assignment_id": assignment_id})
    return (True, rows[0][0]) if rows else (False, None)


@cache
def _reading_statement(dialect: str):
    """The topic, category and author (all required foreign keys) are scalar subqueries
    rather than joins: PostgreSQL plans each of them on its own instead of searching the
    join orders of eight tables, which took it longer than running the query. The rubric
    comes with them (rubric.rubric_column)."""
    juror_id = bindparam("juror_id")
    text = case((Contest.blind.is_(True), EntryVersion.juror_text), else_=EntryVersion.text)
    topic = select(Topic.title).where(Topic.id == Entry.topic_id).correlate(Entry).scalar_subquery()
    category = (select(Category.name).where(Category.id == Entry.category_id).correlate(Entry)
                .scalar_subquery())
    name = select(User.full_name).where(User.id == Entry.student_id).correlate(Entry).scalar_subquery()
    author = case((Contest.blind.is_(True), None), else_=name)
    return (select(*_READING_ASSIGNMENT, *_READING_ENTRY, *_CONTEST_COLUMNS, topic, category, author, text,
                   EntryVersion.format, EntryVersion.juror_file_name, EntryVersion.stored_name,
                   EntryVersion.flags, rubric_column(dialect))
            .join(Entry, Entry.id == Assignment.entry_id)
            .join(Contest, Contest.id == Assignment.contest_id)
            .outerjoin(EntryVersion, EntryVersion.id == Entry.current_version_id)
            .where(Assignment.id == bindparam("assignment_id"), juror_assignment_filter(juror_id)))


# What the reading view reads of the assignment and the entry, as plain columns: three ORM
# entities cost more to load than the rest of the statement (the view changes nothing).
_READING_ASSIGNMENT = (Assignment.id, Assignment.contest_id, Assignment.entry_id, Assignment.juror_id,
                       Assignment.round_no, Assignment.status, Assignment.version, Assignment.total,
                       Assignment.scores, Assignment.criterion_comments, Assignment.private_comment,
                       Assignment.feedback)
_READING_ENTRY = (Entry.id, Entry.code, Entry.language, Entry.word_count, Entry.contest_id, Entry.student_id)


def _record(columns, values) -> SimpleNamespace:
    return SimpleNamespace(**{column.key: value for column, value in zip(columns, values, strict=True)})


def reading_view(juror_id: int, assignment_id: int) -> ReadingView | None:
    """Everything the reading view shows in one query, or None when the juror may not see
    it. The essay text is selected in the one form the juror may read: redacted when blind,
    and the author's name only when not blind. The assignment, entry and contest are
    read-only records with the attributes of the models that the view uses."""
    row = _rows(_reading_statement(db.session.get_bind().dialect.name),
                {"juror_id": juror_id, "assignment_id": assignment_id})
    if not row:
        return None
    row = tuple(row[0])
    a, e, c = len(_READING_ASSIGNMENT), len(_READING_ENTRY), len(_CONTEST_COLUMNS)
    assignment, entry = _record(_READING_ASSIGNMENT, row[:a]), _record(_READING_ENTRY, row[a:a + e])
    contest = _record(_CONTEST_COLUMNS, row[a + e:a + e + c])
    topic, category, author, body, file_format, juror_file, original, flags, rubric = row[a + e + c:]
    return ReadingView(assignment, entry, contest, topic, category, author, body, file_format or "",
                       _juror_file(contest, file_format, juror_file, original),
                       parse_rubric(rubric, assignment.round_no),
                       any(f.get("code") == "ocr" for f in flags or []))


def _juror_file(contest: Contest, file_format: str, juror_file: str | None, original: str | None):
    """The stored file a juror may download: only where the contest allows it; in a blind
    contest only the metadata-stripped copy, never the original."""
    if not contest.jurors_may_open_files or file_format == "text":
        return None
    return juror_file or (None if contest.blind else original)


@cache
def _visible_statement():
    """With the state of the assignment's round (NULL without rounds), which a save or a
    submit checks next (contest.rounds.queries.round_is_closed): one round trip less."""
    return (select(Assignment, Contest, _round_state()).join(Entry, Entry.id == Assignment.entry_id)
            .join(Contest, Contest.id == Assignment.contest_id)
            .where(Assignment.id == bindparam("assignment_id"),
                   juror_assignment_filter(bindparam("juror_id")))
            .options(load_only(*_CONTEST_COLUMNS)))


def _round_state():
    from contest.rounds.models import JudgingRound  # rounds build on judging

    return (select(JudgingRound.state).where(JudgingRound.contest_id == Assignment.contest_id,
                                             JudgingRound.number == Assignment.round_no)
            .scalar_subquery())


def get_visible_assignment(juror_id: int, assignment_id: int) -> tuple[Assignment, Contest] | None:
    """The juror's assignment when they may see it (see juror_assignment_filter), with its
    contest (the few columns judging needs), or None."""
    from contest.rounds.queries import remember_round_state

    params = {"juror_id": juror_id, "assignment_id": assignment_id}
    row = db.session.execute(_visible_statement(), params).first()
    if row is None:
        return None
    remember_round_state(row[0].contest_id, row[0].round_no, row[2])
    return row[0], row[1]


def get_review_to_score(juror_id: int, assignment_id: int
                        ) -> tuple[Assignment, Contest, tuple[RubricCriterion, ...]] | None:
    """get_visible_assignment with the rubric of the assignment's round, as get_criteria reads
    it, in the same statement (a save or a submit: a round trip less, see rubric.py). The
    assignment and the contest hold only what a save or a submit reads (_SCORING_ASSIGNMENT,
    _SCORING_CONTEST; the rest loads if read), read as a plain row (every autosave runs this)."""
    from contest.rounds.queries import remember_round_state

    rows = plain_rows(db.session, _scoring_statement(db.session.get_bind().dialect.name),
                      {"juror_id": juror_id, "assignment_id": assignment_id})
    if not rows:
        return None
    row, a, c = rows[0], len(_SCORING_ASSIGNMENT), len(_SCORING_CONTEST)
    assignment = as_loaded_from(db.session, Assignment, _SCORING_ASSIGNMENT, row)
    contest = as_loaded_from(db.session, Contest, _SCORING_CONTEST, row[a:a + c])
    round_state, rubric = row[a + c:]
    remember_round_state(assignment.contest_id, assignment.round_no, round_state)
    return assignment, contest, parse_rubric(rubric, assignment.round_no)


_SCORING_ASSIGNMENT = (Assignment.id, Assignment.contest_id, Assignment.round_no, Assignment.status,
                       Assignment.version, Assignment.scores)
_SCORING_CONTEST = (Contest.id, Contest.phase)


@cache
def _scoring_statement(dialect: str):
    """_visible_statement's save-or-submit form as plain columns, with the rubric
    (rubric.rubric_column)."""
    return (select(*_SCORING_ASSIGNMENT, *_SCORING_CONTEST, _round_state(), rubric_column(dialect))
            .join(Entry, Entry.id == Assignment.entry_id)
            .join(Contest, Contest.id == Assignment.contest_id)
            .where(Assignment.id == bindparam("assignment_id"),
                   juror_assignment_filter(bindparam("juror_id"))))


@cache
def _criteria_statement():
    return (select(Criterion.id, Criterion.name, Criterion.description, Criterion.min_score,
                   Criterion.max_score, Criterion.step, Criterion.weight, Criterion.levels)
            .where(Criterion.contest_id == bindparam("contest_id"),
                   Criterion.round_no == bindparam("round_no"))
            .order_by(Criterion.position, Criterion.id))


def get_criteria(contest_id: int, round_no: int = 1) -> list:
    """The round's rubric in order (a later round without its own rubric uses the first
    round's), as read-only rows with the attributes of a Criterion that judging uses
    (id, name, description, min_score, max_score, step, weight, levels). The pages read the
    rubric with the assignment (rubric.py); this plain reading is the reference the tests
    hold that one to."""
    def rows(round_no):
        return db.session.connection().execute(_criteria_statement(),
                                               {"contest_id": contest_id, "round_no": round_no}).all()

    found = rows(round_no)
    return rows(1) if not found and round_no != 1 else found


# --- organizer pages --------------------------------------------------------------------------

def list_contests(user) -> list[Contest]:
    """The contests the organizer holds a role in (all for a site administrator)."""
    from contest.contests.permissions import scope_contests

    return list(db.session.scalars(scope_contests(select(Contest), user).options(defer(Contest.logo))
                                   .order_by(Contest.created_at.desc())))


@dataclass
class Progress:
    label: object  # a category name map or a juror's name
    done: int
    assigned: int
    juror_id: int | None = None
    email: str = ""

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.assigned) if self.assigned else 0


def _round_or_current(contest_id: int, round_no: int | None) -> int:
    from contest.rounds.queries import current_round_no  # rounds read judging

    return current_round_no(contest_id) if round_no is None else round_no


def progress_by_category(contest_id: int, round_no: int | None = None) -> list[Progress]:
    """Reviews assigned and submitted per category in one round (the current one by default):
    a final round's progress is not mixed with the closed first round's."""
    number = _round_or_current(contest_id, round_no)
    rows = db.session.execute(
        select(Category.name, func.count(Assignment.id), _SUBMITTED)
        .select_from(Category)
        .outerjoin(Entry, and_(Entry.category_id == Category.id, Entry.status.not_in(HIDDEN_ENTRY_STATUSES)))
        .outerjoin(Assignment, and_(Assignment.entry_id == Entry.id, Assignment.round_no == number))
        .where(Category.contest_id == contest_id)
        # Group by the key only: PostgreSQL has no equality for JSON (the names).
        .group_by(Category.id).order_by(Category.position, Category.id))
    return [Progress(name, int(done or 0), assigned) for name, assigned, done in rows]


def progress_by_juror(contest_id: int, round_no: int | None = None) -> list[Progress]:
    """Each juror's reviews in one round (the current one by default): reminders and the
    progress page speak of the reviews a juror can still change."""
    number = _round_or_current(contest_id, round_no)
    rows = db.session.execute(
        select(User.id, User.full_name, User.email, func.count(Assignment.id), _SUBMITTED)
        .join(Assignment, Assignment.juror_id == User.id)
        .join(Entry, Entry.id == Assignment.entry_id)
        .where(Assignment.contest_id == contest_id, Assignment.round_no == number,
               Entry.status.not_in(HIDDEN_ENTRY_STATUSES))
        .group_by(User.id, User.full_name, User.email).order_by(User.full_name))
    return [Progress(name, int(done or 0), assigned, uid, email) for uid, name, email, assigned, done in rows]


def short_entry_count(contest: Contest, round_no: int | None = None) -> int:
    """The round's entries (ready ones; in a later round its shortlist) with fewer jurors than it
    asks: k per entry, or at least one reader in a full-panel round."""
    from contest.rounds.models import RoundMode
    from contest.rounds.queries import get_round

    number = _round_or_current(contest.id, round_no)
    stage = get_round(contest.id, number) if number > 1 else None
    needed = contest.reviews_per_entry
    if stage is not None:
        needed = 1 if stage.mode == RoundMode.FULL_PANEL else (stage.reviews_per_entry or needed)
    counts = (select(Assignment.entry_id, func.count().label("n"))
              .where(Assignment.contest_id == contest.id, Assignment.round_no == number)
              .group_by(Assignment.entry_id).subquery())
    entries = _ready_entries(contest, number, stage, Entry.id).subquery()
    return db.session.scalar(
        select(func.count()).select_from(entries).outerjoin(counts, counts.c.entry_id == entries.c.id)
        .where(func.coalesce(counts.c.n, 0) < needed)) or 0


def find_entry(contest_id: int, code: str) -> Entry | None:
    return db.session.scalar(select(Entry).where(Entry.contest_id == contest_id,
                                                 func.upper(Entry.code) == code.strip().upper()))


def entry_codes(entry_ids) -> dict[int, str]:
    ids = list(entry_ids)
    rows = db.session.execute(select(Entry.id, Entry.code).where(Entry.id.in_(ids))) if ids else ()
    return {entry_id: code for entry_id, code in rows}


@dataclass
class EntryJudging:
    entry: Entry
    contest: Contest
    author: User
    assignments: list[tuple[Assignment, User]]
    conflicts: list[tuple[DeclaredConflict, User]]
    candidates: list[tuple[User, str | None]]  # contest jurors not on the entry, with why not
    rubrics: dict | None = None  # round number -> its rubric, for contests judged in rounds


def entry_judging(entry_id: int) -> EntryJudging | None:
    """The organizer's view of one entry's jurors, reviews, conflicts and possible additions."""
    from contest.judging.assignment import ineligible_reason

    entry = db.session.get(Entry, entry_id)
    if entry is None:
        return None
    contest = db.session.get(Contest, entry.contest_id)
    assignments = list(db.session.execute(
        select(Assignment, User).join(User, User.id == Assignment.juror_id)
        .where(Assignment.entry_id == entry.id).order_by(User.full_name)))
    conflicts = list(db.session.execute(
        select(DeclaredConflict, User).join(User, User.id == DeclaredConflict.juror_id)
        .where(DeclaredConflict.entry_id == entry.id)))
    from contest.rounds.queries import criteria_for, current_round_no  # rounds read judging

    current = current_round_no(contest.id)
    taken = {a.juror_id for a, _u in assignments if a.round_no == current}
    rubrics = {n: criteria_for(contest.id, n) for n in {a.round_no for a, _u in assignments} if n > 1}
    info = entry_info(entry)
    users = {u.id: u for u in db.session.scalars(
        select(User).join(ContestJuror, ContestJuror.user_id == User.id)
        .where(ContestJuror.contest_id == contest.id))}
    candidates = [(users[j.id], ineligible_reason(info, j, contest.same_region_conflict))
                  for j in juror_infos(contest) if j.id not in taken]
    candidates.sort(key=lambda c: (c[1] is not None, c[0].full_name))
    return EntryJudging(entry, contest, db.session.get(User, entry.student_id), assignments, conflicts,
                        candidates, rubrics)


def next_pending(juror_id: int, contest_id: int) -> int | None:
    """The juror's first visible unsubmitted assignment in the contest that still takes a
    review, in the dashboard's order (the latest round first, then by entry code). As
    rounds.queries.round_is_closed says, only a contest without rounds or an open round takes
    reviews: a closed round's unfinished reviews are never the next essay."""
    from contest.rounds.models import RoundState  # rounds build on judging

    takes_reviews = func.coalesce(_round_state(), RoundState.OPEN) == RoundState.OPEN
    return db.session.scalar(
        select(Assignment.id).join(Entry, Entry.id == Assignment.entry_id)
        .join(Contest, Contest.id == Assignment.contest_id)
        .where(Entry.contest_id == contest_id, Assignment.status != ReviewStatus.SUBMITTED,
               juror_assignment_filter(juror_id), takes_reviews)
        .order_by(Assignment.round_no.desc(), byte_order(Entry.code)).limit(1))


def count_unfinished_reviews(contest_id: int, round_no: int | None = None) -> int:
    """Assigned reviews of live entries (not withdrawn or rejected) that are not yet submitted,
    in every round or in `round_no`."""
    query = (select(func.count(Assignment.id)).join(Entry, Entry.id == Assignment.entry_id)
             .where(Assignment.contest_id == contest_id, Assignment.status != ReviewStatus.SUBMITTED,
                    Entry.status.not_in([EntryStatus.WITHDRAWN, EntryStatus.REJECTED])))
    if round_no is not None:
        query = query.where(Assignment.round_no == round_no)
    return db.session.scalar(query) or 0


def list_unfinished_reviews(contest_id: int) -> list[tuple[int, int, str, str, ReviewStatus]]:
    """(assignment id, entry id, entry code, juror name, status) of every review that
    count_unfinished_reviews counts, by entry code."""
    return [tuple(row) for row in db.session.execute(
        select(Assignment.id, Entry.id, Entry.code, User.full_name, Assignment.status)
        .join(Entry, Entry.id == Assignment.entry_id).join(User, User.id == Assignment.juror_id)
        .where(Assignment.contest_id == contest_id, Assignment.status != ReviewStatus.SUBMITTED,
               Entry.status.not_in([EntryStatus.WITHDRAWN, EntryStatus.REJECTED]))
        .order_by(Entry.code, User.full_name))]
