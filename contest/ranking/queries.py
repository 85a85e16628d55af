"""From the database to the numeric core: submitted reviews -> ranking per category (and topic).

Rows are loaded lean (selected columns, no ORM objects): 10,000 entries x 3 reviews go
from the database to a ranked list in well under a second (bench/ranking_db.py).
"""
from __future__ import annotations

import json

import numpy as np
from sqlalchemy import Text, case, cast, func, or_, select

from contest.accounts.models import User
from contest.contests.models import Contest
from contest.extensions import db
from contest.judging.models import Assignment, ReviewStatus
from contest.ranking import core
from contest.ranking.cache import RANKINGS
from contest.submissions.models import Entry, EntryStatus

NOT_RANKED = (EntryStatus.WITHDRAWN, EntryStatus.REJECTED)


def get_contest(contest_id: int) -> Contest | None:
    return db.session.get(Contest, contest_id)


def get_entry(contest: Contest, entry_id: int) -> Entry | None:
    """The entry when it belongs to `contest`; None otherwise (the view answers 404)."""
    entry = db.session.get(Entry, entry_id)
    return entry if entry is not None and entry.contest_id == contest.id else None


def ranking_round(contest: Contest, round_no: int | None = None) -> int:
    """The round a ranking is of: `round_no`, else the contest's current round (1 without
    rounds; the final round once its shortlist is confirmed)."""
    from contest.rounds.queries import current_round_no  # rounds read the ranking

    return round_no or current_round_no(contest.id)


def round_rubric(contest: Contest, round_no: int = 1) -> list:
    """The rubric of the round (the contest's for round 1)."""
    if round_no == 1:
        return list(contest.criteria)
    from contest.rounds.queries import criteria_for

    return criteria_for(contest.id, round_no)


def contest_criteria(contest: Contest, round_no: int = 1) -> list[core.Criterion]:
    return [core.Criterion(c.id, c.weight, c.min_score, c.max_score) for c in round_rubric(contest, round_no)]


def _submitted(contest_id: int, round_no: int = 1):
    return (Assignment.contest_id == contest_id, Assignment.status == ReviewStatus.SUBMITTED,
            Assignment.round_no == round_no, Entry.status.not_in(NOT_RANKED))


def _in_table_order(statement):
    """On SQLite, a statement over a contest's submitted reviews read in the table's order.
    SQLite otherwise reads them through the index on (contest, round, juror, entry), in
    juror order: one table lookup per review at a scattered place (300,000 reviews: 0.65 s
    for the fingerprint alone, against 0.1 s in table order, which the ORDER BY makes it take
    from the contest's own index). PostgreSQL plans its own reads (a bitmap scan) and would
    only pay for the sort."""
    if db.session.get_bind().dialect.name == "sqlite":
        return statement.order_by(Assignment.id)
    return statement


def _submitted_rows(contest_id: int, round_no: int = 1) -> tuple[list[tuple], list[dict]]:
    """(entry id, juror id, scores as text) of each submitted review of a ranked entry,
    and the parsed scores. Lean on purpose: a Core query whose rows are taken straight
    from the DBAPI cursor (no Row or ORM processing for these plain types) and one
    json.loads call for all scores."""
    result = db.session.connection().execute(_in_table_order(
        select(Assignment.entry_id, Assignment.juror_id, cast(Assignment.scores, Text))
        .join(Entry, Entry.id == Assignment.entry_id).where(*_submitted(contest_id, round_no))))
    rows = result.cursor.fetchall()
    result.close()
    return rows, json.loads("[" + ",".join(text or "{}" for _e, _j, text in rows) + "]")


def submitted_columns(contest: Contest, round_no: int = 1) -> tuple[list[int], list[int], np.ndarray]:
    """Submitted reviews as parallel columns: entry ids, juror ids and a reviews x criteria
    score matrix (rubric order, NaN = not scored). Each criterion's score is taken out of
    the JSON by the database (one float column per criterion), so no Python object is made
    per score: 300,000 reviews of 4 criteria load in well under a second."""
    keys = [str(c.id) for c in round_rubric(contest, round_no)]
    result = db.session.connection().execute(_in_table_order(
        select(Assignment.entry_id, Assignment.juror_id, *(Assignment.scores[k].as_float() for k in keys))
        .join(Entry, Entry.id == Assignment.entry_id).where(*_submitted(contest.id, round_no))))
    rows = result.cursor.fetchall()
    result.close()
    table = np.array(rows, dtype=np.float64).reshape(len(rows), len(keys) + 2)  # None -> NaN
    ids = table[:, :2].astype(np.int64)
    return ids[:, 0].tolist(), ids[:, 1].tolist(), np.ascontiguousarray(table[:, 2:])


def submitted_reviews(contest_id: int, round_no: int = 1) -> list[core.Review]:
    """Every submitted review of a non-withdrawn entry, as core.Review (scores keyed by criterion id)."""
    rows, parsed = _submitted_rows(contest_id, round_no)
    return [core.Review(e, j, {int(k): float(v) for k, v in scores.items()})
            for (e, j, _t), scores in zip(rows, parsed)]


def entry_codes(contest_id: int) -> dict[int, str]:
    """entry id -> entry code: the order within a shared place."""
    return dict(_raw_rows(select(Entry.id, Entry.code).where(Entry.contest_id == contest_id)))


def entry_groups(contest: Contest) -> dict[int, tuple[int, int | None]]:
    """entry id -> (category id, topic id or None when the contest ranks per category only)."""
    query = select(Entry.id, Entry.category_id, Entry.topic_id).where(Entry.contest_id == contest.id)
    rows = _raw_rows(query)
    if not contest.rank_by_topic:
        return {eid: (cat, None) for eid, cat, _topic in rows}
    return {eid: (cat, topic) for eid, cat, topic in rows}


def _raw_rows(query) -> list[tuple]:
    """The rows of a query of plain columns straight from the DBAPI cursor (no Row objects)."""
    result = db.session.connection().execute(query)
    rows = result.cursor.fetchall()
    result.close()
    return rows


def compute_contest_ranking(contest: Contest, *, method: str | None = None,
                            bridging: str | None = None, round_no: int | None = None
                            ) -> dict[tuple, core.GroupResult]:
    """The contest's ranking per group with its method and bridging (default: the contest's
    settings), tie-break chain and disagreement threshold; entries sharing a place are
    listed by code. Of the current round unless `round_no` is given (see ranking_round); a
    final round whose `previous_weight` is set ranks by the weighted combination of the two
    rounds (rounds.combine). Raises ValueError when a review has a missing or out-of-range
    score."""
    round_no = ranking_round(contest, round_no)
    result = _rank_round(contest, method, bridging, round_no)
    if round_no > 1:
        from contest.rounds.combine import combined_ranking

        result = combined_ranking(contest, round_no, result,
                                  lambda n: _rank_round(contest, method, bridging, n))
    return result


def _rank_round(contest: Contest, method: str | None, bridging: str | None, round_no: int):
    with core.collector_paused():  # a row per review and per entry (see core.collector_paused)
        return _rank_round_columns(contest, method, bridging, round_no)


def _rank_round_columns(contest: Contest, method: str | None, bridging: str | None, round_no: int):
    groups = entry_groups(contest)
    criteria = contest_criteria(contest, round_no)
    ids = {c.id for c in criteria}
    # A round with its own rubric skips tie-breaks on criteria it does not have.
    chain = [tuple(rule) for rule in contest.tiebreaks or [] if rule[0] != "criterion" or rule[1] in ids]
    codes = entry_codes(contest.id)
    return core.rank_groups_matrix(
        *submitted_columns(contest, round_no), criteria, groups.__getitem__,
        method or contest.ranking_method, chain=chain, tie_order=codes.__getitem__,
        bridging=bridging or contest.ranking_bridging or "jurors",
        disagreement=contest.disagreement_threshold,
    )


def ranking_fingerprint(contest_id: int, round_no: int = 1) -> tuple:
    """Changes whenever a submitted review or a ranked entry changes: counts, id sums,
    version sums (every save bumps an assignment's version), latest update times."""
    rows = _in_table_order(select(Assignment.id, Assignment.version, Assignment.total, Assignment.updated_at)
                           .join(Entry, Entry.id == Assignment.entry_id)
                           .where(*_submitted(contest_id, round_no))).subquery()
    reviews = db.session.execute(
        select(func.count(), func.sum(rows.c.id), func.sum(rows.c.version), func.sum(rows.c.total),
               func.max(rows.c.updated_at))).one()
    entries = db.session.execute(
        select(func.count(), func.sum(Entry.id), func.sum(Entry.category_id), func.sum(Entry.topic_id),
               func.max(Entry.updated_at))
        .where(Entry.contest_id == contest_id, Entry.status.not_in(NOT_RANKED))).one()
    return tuple(reviews) + tuple(entries)


def settings_key(contest: Contest, method: str | None, bridging: str | None, round_no: int = 1) -> tuple:
    """Every contest setting that changes the ranking."""
    criteria = tuple((c.id, c.weight, c.min_score, c.max_score) for c in round_rubric(contest, round_no))
    key = (method or contest.ranking_method, bridging or contest.ranking_bridging or "jurors",
           tuple(tuple(rule) for rule in contest.tiebreaks or []), contest.disagreement_threshold,
           contest.rank_by_topic, criteria)
    if round_no > 1:
        from contest.rounds.combine import combination_key

        key += (round_no, combination_key(contest, round_no))
    return key


def cached_contest_ranking(contest: Contest, *, method: str | None = None,
                           bridging: str | None = None, round_no: int | None = None
                           ) -> dict[tuple, core.GroupResult]:
    """`compute_contest_ranking`, reused until a review, an entry or a setting changes.
    The key is read from the database, so every process sees the same freshness."""
    round_no = ranking_round(contest, round_no)
    key = ranking_key(contest, method, bridging, round_no)
    return RANKINGS.get_or_compute(
        key, lambda: compute_contest_ranking(contest, method=method, bridging=bridging, round_no=round_no))


def ranking_key(contest: Contest, method: str | None, bridging: str | None, round_no: int) -> tuple:
    """What a computed ranking depends on: the contest, its settings and the data's
    fingerprint (of the previous round too, which a final round may combine with)."""
    fingerprint = ranking_fingerprint(contest.id, round_no)
    if round_no > 1:
        fingerprint += ranking_fingerprint(contest.id, round_no - 1)
    return ("ranking", contest.id, settings_key(contest, method, bridging, round_no), fingerprint)


def entry_labels(contest_id: int, ids=None) -> dict[int, tuple[str, str]]:
    """entry id -> (entry code, student's full name); organizers may see names. Of the
    entries `ids` only when given (read in chunks), else of the whole contest."""
    query = (select(Entry.id, Entry.code, User.full_name).join(User, User.id == Entry.student_id)
             .where(Entry.contest_id == contest_id))
    if ids is None:
        return {eid: (code, name) for eid, code, name in _raw_rows(query)}
    ids, out = sorted(ids), {}
    for at in range(0, len(ids), 500):
        chunk = _raw_rows(query.where(Entry.id.in_(ids[at:at + 500])))
        out.update((eid, (code, name)) for eid, code, name in chunk)
    return out


def entry_people(contest_id: int) -> dict[int, tuple[str, str]]:
    """entry id -> (the student's school, region name in the page's language)."""
    from flask_babel import get_locale

    from contest.schools.regions import label

    lang = str(get_locale())
    rows = db.session.execute(select(Entry.id, User.school, User.region)
                              .join(User, User.id == Entry.student_id).where(Entry.contest_id == contest_id))
    return {eid: (school or "", label(region, lang)) for eid, school, region in rows}


def user_names(ids) -> dict[int, str]:
    ids = list(ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())


def _review_rows_statement(contest_id: int, round_no: int):
    return (select(Entry.code, Entry.category_id, User.full_name, Assignment.scores,
                   Assignment.criterion_comments, Assignment.private_comment, Assignment.total)
            .join(Entry, Entry.id == Assignment.entry_id).join(User, User.id == Assignment.juror_id)
            .where(*_submitted(contest_id, round_no)).order_by(Entry.code, User.full_name, Assignment.id))


def review_rows(contest_id: int, round_no: int = 1):
    """Every submitted review of a ranked entry in the round with what the score export
    shows: (entry code, category id, juror name, scores, criterion comments, comment, total)."""
    return db.session.execute(_review_rows_statement(contest_id, round_no)).all()


def review_row_batches(contest_id: int, round_no: int, batch_size: int):
    """`review_rows` read from a streamed statement, `batch_size` rows at a time (the score
    export of a national contest has 300,000 reviews)."""
    result = db.session.execute(_review_rows_statement(contest_id, round_no),
                                execution_options={"yield_per": batch_size})
    try:
        yield from result.partitions()
    finally:
        result.close()


def entry_people_of(entry_ids: list[int]) -> dict[int, tuple[str, str, str, str]]:
    """entry id -> (code, student's full name, school, region code) for these entries: one
    batch of an export (organizers may see names)."""
    if not entry_ids:
        return {}
    rows = db.session.execute(select(Entry.id, Entry.code, User.full_name, User.school, User.region)
                              .join(User, User.id == Entry.student_id).where(Entry.id.in_(entry_ids)))
    return {eid: (code, name, school, region) for eid, code, name, school, region in rows}


def not_ranked_reason(status: str, decision: str, submitted: int, assigned: int) -> str | None:
    """Why an entry is missing from the ranking (None: it is ranked). Withdrawn and rejected
    entries never are; any other entry is ranked once one review of it is submitted."""
    if status in NOT_RANKED:
        return status
    if submitted:
        return None
    if status == EntryStatus.NEEDS_ATTENTION:
        return "reupload" if decision == "reupload" else "needs_attention"
    if status in (EntryStatus.RECEIVED, EntryStatus.PROCESSING):
        return "extraction"
    return "no_reviews" if assigned else "not_assigned"


def unranked_entries(contest_id: int, round_no: int | None = None) -> list[tuple[int, str, str, str]]:
    """(entry id, code, author, reason) of every entry not in the round's ranking (the
    current round's by default), by code. In a later round an entry left off the shortlist
    is "not_shortlisted"."""
    from contest.rounds.queries import current_round_no, get_round, shortlisted_entry_ids

    round_no = round_no or current_round_no(contest_id)
    done = func.sum(case((Assignment.status == ReviewStatus.SUBMITTED, 1), else_=0))
    counts = (select(Assignment.entry_id, done.label("done"), func.count(Assignment.id).label("n"))
              .where(Assignment.contest_id == contest_id, Assignment.round_no == round_no)
              .group_by(Assignment.entry_id).subquery())
    query = (select(Entry.id, Entry.code, User.full_name, Entry.status, Entry.organizer_decision,
                    func.coalesce(counts.c.done, 0), func.coalesce(counts.c.n, 0))
             .join(User, User.id == Entry.student_id).outerjoin(counts, counts.c.entry_id == Entry.id)
             .where(Entry.contest_id == contest_id).order_by(Entry.code))
    if round_no == 1:  # only entries with no submitted review, or not ranked, can have a reason
        query = query.where(or_(Entry.status.in_(NOT_RANKED), func.coalesce(counts.c.done, 0) == 0))
    rows = db.session.execute(query)
    stage = get_round(contest_id, round_no) if round_no > 1 else None
    finalists = set(shortlisted_entry_ids(stage.id)) if stage is not None else None
    found = []
    for eid, code, name, status, decision, d, n in rows:
        reason = not_ranked_reason(EntryStatus(status), decision or "", int(d), int(n))
        if finalists is not None and eid not in finalists and reason not in NOT_RANKED:
            reason = "not_shortlisted"
        found.append((eid, code, name, reason))
    return [row for row in found if row[3] is not None]
