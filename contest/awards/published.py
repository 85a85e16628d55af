"""Reads of published results only: the public winners, a student's own results, diplomas
and verification. Everything here starts from a visible publication, so nothing of a
ranking or an award can show before the results are published."""
from __future__ import annotations

from collections import OrderedDict, namedtuple
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, cast, func, literal, null, select, union_all

from contest.accounts.models import User
from contest.awards import queries
from contest.awards.documents import JUROR_THANKS, PROTOCOL, kind_name
from contest.awards.models import Diploma, Publication
from contest.awards.tiers import AWARD, PARTICIPATION
from contest.contests.models import Category, Contest, Topic, localized
from contest.db import plain_rows
from contest.extensions import db
from contest.schools import regions
from contest.submissions.models import Entry, EntryStatus


def initials(full_name: str) -> str:
    """'Әлия Қуанышқызы Нұрғалиева' -> 'Ә. Қ. Н.'; letters only, so markup cannot survive."""
    letters = [word[0].upper() for word in full_name.split() if word[:1].isalpha()]
    return " ".join(f"{letter}." for letter in letters[:4])


def public_identity(user: User, lang: str) -> tuple[str, str]:
    """What the public sees of a winner: the full name and school with the student's consent
    to publish them, otherwise only initials and region (its name in `lang`: a region chosen
    from the list is stored as its code)."""
    if user.publish_name_consent:
        return user.full_name, user.school
    return initials(user.full_name), regions.label(user.region, lang)


@dataclass(frozen=True)
class Winner:
    name: str
    affiliation: str


@dataclass(frozen=True)
class TierWinners:
    title: str
    winners: tuple[Winner, ...]


@dataclass(frozen=True)
class GroupWinners:
    category: str
    topic: str
    tiers: tuple[TierWinners, ...]


_awarded: OrderedDict[tuple, list[dict[str, Any]]] = OrderedDict()


def awarded_rows(publication: Publication) -> list[dict[str, Any]]:
    """The publication's rows of award holders, in its order. A publication is never changed
    (a revision is a new one), so they are read from its ranking (a row per entry) once per
    process and kept for the most recent publications (by database, id and time, so that
    another database's publication of the same id is never taken for it)."""
    key = (str(db.engine.url), publication.id, publication.published_at)
    rows = _awarded.get(key)
    if rows is None:
        rows = [row for row in publication.ranking if row["kind"] == AWARD]
        _awarded[key] = rows
        while len(_awarded) > 32:
            _awarded.popitem(last=False)
    return rows


# Built once: the public results page runs it on every request. The award holders (what
# public_identity reads, not User objects) and the names of the contest's categories and
# topics, as one union told apart by `kind` (a statement fewer: each costs the page more than
# its rows). The holders come first, so the columns take their types (the JSON NULL typed).
_WINNERS_AND_NAMES = union_all(
    select(literal("s").label("kind"), Entry.id.label("item_id"),
           cast(null(), Category.name.type).label("name"),
           User.full_name, User.school, User.region, User.publish_name_consent)
    .join(User, User.id == Entry.student_id).where(Entry.id.in_(bindparam("ids", expanding=True))),
    select(literal("c"), Category.id, Category.name, null(), null(), null(), null())
    .where(Category.contest_id == bindparam("contest_id")),
    select(literal("t"), Topic.id, Topic.title, null(), null(), null(), null())
    .where(Topic.contest_id == bindparam("contest_id")))
_Student = namedtuple("_Student", "full_name school region publish_name_consent")  # public_identity reads


def winners(contest: Contest, rows: list[dict[str, Any]]) -> list[GroupWinners]:
    """Award holders per group (category, and topic when ranked per topic) and tier, best
    tier first; no scores, places or entry ids."""
    lang = str(get_locale())
    awarded = [row for row in rows if row["kind"] == AWARD]
    # Plain rows with what public_identity reads (not User objects), and the names of the
    # contest's categories and topics without loading them as objects.
    students, categories, topics = {}, {}, {}
    params = {"ids": [row["entry_id"] for row in awarded], "contest_id": contest.id}
    for kind, item_id, name, *student in plain_rows(db.session, _WINNERS_AND_NAMES, params):
        if kind == "s":
            students[item_id] = _Student(*student)
        else:
            (categories if kind == "c" else topics)[item_id] = localized(name, lang)
    out = []
    for group, group_rows in groupby(awarded, key=lambda row: tuple(row["group"])):
        tiers = []
        by_tier = sorted(group_rows, key=lambda r: (r["tier_position"] or 0, r["tier_id"] or 0, r["place"]))
        for _tier, tier_rows in groupby(by_tier, key=lambda r: r["tier_id"]):
            tier_rows = list(tier_rows)
            people = tuple(Winner(*public_identity(students[r["entry_id"]], lang)) for r in tier_rows)
            tiers.append(TierWinners(queries.award_title(tier_rows[0]["tier_name"], AWARD, lang), people))
        out.append(GroupWinners(categories.get(group[0], ""), topics.get(group[1], "") if group[1] else "",
                                tuple(tiers)))
    return out


@dataclass(frozen=True)
class StudentResult:
    contest: Contest
    entry: Entry
    row: dict[str, Any] | None  # None: the entry was not ranked
    title: str
    feedback: tuple[str, ...]
    diploma: Diploma | None
    letter: Diploma | None = None  # the supervisor's letter of thanks, for the student to hand on


def student_results(user: User) -> list[StudentResult]:
    """The student's entries in contests whose results are published, with the published
    outcome, the jurors' feedback (when the contest shares it) and a downloadable diploma."""
    entries = list(db.session.scalars(
        select(Entry).join(Contest, Contest.id == Entry.contest_id)
        .where(Entry.student_id == user.id, Entry.status != EntryStatus.WITHDRAWN,
               Contest.phase.in_(queries.VISIBLE_PHASES)).order_by(Entry.id)))
    if not entries:
        return []
    contests = {c.id: c for c in db.session.scalars(
        select(Contest).where(Contest.id.in_({e.contest_id for e in entries})))}
    pubs = {cid: queries.latest_publication(cid) for cid in contests}
    ids = [e.id for e in entries]
    feedback = queries.submitted_feedback(ids)
    documents = {d.slot: d for d in db.session.scalars(select(Diploma).where(
        Diploma.entry_id.in_(ids), Diploma.revoked_at.is_(None), Diploma.stored_name.is_not(None)))}
    out = []
    for entry in entries:
        contest, pub = contests[entry.contest_id], pubs[entry.contest_id]
        if pub is None:
            continue
        row = next((r for r in pub.ranking if r["entry_id"] == entry.id), None)
        title = queries.award_title(row["tier_name"], row["kind"]) if row and row["kind"] else ""
        shared = tuple(feedback.get(entry.id, ())) if contest.share_feedback else ()
        out.append(StudentResult(contest, entry, row, title, shared, documents.get(f"entry:{entry.id}"),
                                 documents.get(f"teacher:{entry.id}")))
    return out


def results_date(contest_id: int) -> datetime | None:
    """When the results were first published: the date printed on every diploma."""
    return db.session.scalar(select(func.min(Publication.published_at))
                             .where(Publication.contest_id == contest_id))


@dataclass(frozen=True)
class Verification:
    status: str  # genuine | revoked
    kind: str  # the document's kind, e.g. "Letter of thanks to a juror"
    holder: str
    contest_title: str
    award: str
    category: str
    date: datetime | None
    revoked_at: datetime | None
    is_diploma: bool = True  # an award's diploma; otherwise a certificate, letter or protocol


def verify(code: str | None) -> Verification | None:
    """What the public may learn from a document's code: None when no issued document of a
    published contest has it. Only that document is described: its kind, its holder, the
    contest, the award (a protocol: its revision) and the category."""
    if not code:
        return None
    diploma = db.session.scalar(select(Diploma).where(Diploma.code == code))
    if diploma is None or diploma.stored_name is None:
        return None
    contest = db.session.get(Contest, diploma.contest_id)
    pub = queries.visible_publication(contest)
    if pub is None:
        return None
    lang = str(get_locale())
    entry = db.session.get(Entry, diploma.entry_id) if diploma.entry_id else None
    holder, award, category = diploma.holder, "", ""
    if diploma.kind == PROTOCOL:
        award = _("Revision %(n)s", n=diploma.slot.split(":")[1])
    elif diploma.kind in (AWARD, PARTICIPATION) and entry is not None:
        holder = db.session.get(User, entry.student_id).full_name
        row = next((r for r in pub.ranking if r["entry_id"] == entry.id), None)
        award = queries.award_title(row["tier_name"] if row else {}, diploma.kind, lang)
    if entry is not None:
        category = next((localized(c.name, lang) for c in contest.categories
                         if c.id == entry.category_id), "")
    return Verification("revoked" if diploma.revoked_at else "genuine", kind_name(diploma.kind), holder,
                        contest.title_in(lang), award, category, results_date(contest.id), diploma.revoked_at,
                        diploma.kind == AWARD)


def contest_diplomas(contest_id: int) -> list[tuple[Diploma, Entry | None, str]]:
    """Every document of a contest with its entry (if any) and its holder's name; the
    students' documents in entry order first, then letters to jurors, then protocols."""
    rows = db.session.execute(
        select(Diploma, Entry, User.full_name).outerjoin(Entry, Entry.id == Diploma.entry_id)
        .outerjoin(User, User.id == Entry.student_id).where(Diploma.contest_id == contest_id)
        .order_by(Entry.code.is_(None), Entry.code, Diploma.kind, Diploma.slot))
    out = []
    for diploma, entry, student in rows:
        holder = student if diploma.kind in (AWARD, PARTICIPATION) else diploma.holder
        out.append((diploma, entry, holder or ""))
    return out


def juror_letters(user: User) -> list[tuple[Diploma, Contest]]:
    """A juror's own letters of thanks (drawn, not revoked) in contests whose results are
    published: the only document a juror can reach."""
    rows = db.session.execute(
        select(Diploma, Contest).join(Contest, Contest.id == Diploma.contest_id).where(
            Diploma.user_id == user.id, Diploma.kind == JUROR_THANKS, Diploma.revoked_at.is_(None),
            Diploma.stored_name.is_not(None), Contest.phase.in_(queries.VISIBLE_PHASES))
        .order_by(Contest.id.desc()))
    return [tuple(row) for row in rows]
