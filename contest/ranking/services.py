"""Ranking writes: the contest's method and rules, and an extra juror for a disputed entry.

Services flush, never commit, and raise DomainError subclasses with translatable messages.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from contest.accounts.models import User
from contest.audit.services import record_event
from contest.blind.queries import redaction_pending
from contest.contests.models import Contest, ContestJuror, JurorProfile, Phase
from contest.errors import InvalidInput, NotAllowed
from contest.extensions import db
from contest.judging.assignment import EntryInfo, JurorInfo, eligible_jurors
from contest.judging.models import Assignment, DeclaredConflict, ReviewStatus
from contest.judging.plan_save import check_no_save_pending
from contest.ranking import core, fit
from contest.ranking.queries import NOT_RANKED
from contest.submissions.models import Entry

FROZEN = (Phase.PUBLISHED, Phase.ARCHIVED)
MAX_TIEBREAKS = 5


def _check_not_frozen(contest: Contest) -> None:
    if contest.phase in FROZEN:
        raise NotAllowed(_l("The results are published; the ranking can no longer change."))


def set_ranking_method(*, contest: Contest, method: str, bridging: str, actor: User) -> Contest:
    """Save the contest's ranking method and the assumption that bridges split designs."""
    _check_not_frozen(contest)
    if method not in core.METHODS:
        raise InvalidInput(_l("Unknown ranking method."), field="method")
    if bridging not in fit.BRIDGINGS:
        raise InvalidInput(_l("Unknown bridging assumption."), field="bridging")
    old = {"method": contest.ranking_method, "bridging": contest.ranking_bridging}
    contest.ranking_method, contest.ranking_bridging = method, bridging
    record_event(action="ranking.method_changed", actor=actor, obj=contest, contest_id=contest.id,
                 old=old, new={"method": method, "bridging": bridging})
    db.session.flush()
    return contest


def set_ranking_rules(*, contest: Contest, chain: list[tuple[str, float | int]], threshold: float,
                      rank_by_topic: bool, actor: User) -> Contest:
    """Save the tie-break chain ([rule, arg] pairs, tried in order), the disagreement
    threshold (points of spread on 0..100) and whether to rank per topic."""
    _check_not_frozen(contest)
    criterion_ids = {c.id for c in contest.criteria}
    if len(chain) > MAX_TIEBREAKS:
        raise InvalidInput(_l("At most %(n)d tie-break rules.", n=MAX_TIEBREAKS))
    clean: list[list] = []
    for rule, arg in chain:
        if rule == "criterion" and int(arg) in criterion_ids:
            clean.append(["criterion", int(arg)])
        elif rule == "fewer_low_marks" and 0 <= float(arg) <= 100:
            clean.append(["fewer_low_marks", float(arg)])
        else:
            raise InvalidInput(_l("A tie-break rule names no criterion of this contest or an "
                                  "invalid threshold."))
    if not 0 <= threshold <= 100:
        raise InvalidInput(_l("The disagreement threshold must be between 0 and 100."),
                           field="disagreement_threshold")
    old = {"tiebreaks": contest.tiebreaks, "threshold": contest.disagreement_threshold,
           "rank_by_topic": contest.rank_by_topic}
    contest.tiebreaks, contest.disagreement_threshold = clean, float(threshold)
    contest.rank_by_topic = rank_by_topic
    record_event(action="ranking.rules_changed", actor=actor, obj=contest, contest_id=contest.id,
                 old=old, new={"tiebreaks": clean, "threshold": float(threshold),
                               "rank_by_topic": rank_by_topic})
    db.session.flush()
    return contest


def _juror_infos(contest: Contest, entry: Entry) -> list[JurorInfo]:
    """Every active juror of the contest as the assignment rules see them."""
    declared = set(db.session.scalars(
        select(DeclaredConflict.juror_id).where(DeclaredConflict.entry_id == entry.id)))
    rows = db.session.execute(
        select(ContestJuror.user_id, ContestJuror.category_ids, ContestJuror.capacity,
               JurorProfile.languages, JurorProfile.capacity, User.school, User.region)
        .join(User, User.id == ContestJuror.user_id)
        .outerjoin(JurorProfile, JurorProfile.user_id == ContestJuror.user_id)
        .where(ContestJuror.contest_id == contest.id, User.active.is_(True))
        .order_by(ContestJuror.user_id))
    return [JurorInfo(uid, frozenset(langs or ()), frozenset(cats or ()), school, region,
                      cap if cap is not None else profile_cap,
                      frozenset({entry.id}) if uid in declared else frozenset())
            for uid, cats, cap, langs, profile_cap, school, region in rows]


def add_extra_juror(*, contest: Contest, entry: Entry, actor: User) -> Assignment:
    """Give `entry` one more juror through the assignment rules: one who reads its
    language, judges its category, has no conflict with it (eligible_jurors), is not
    already assigned to it and has capacity left; the least loaded such juror in this
    contest, lowest id on a tie. Raises InvalidInput when nobody eligible is left."""
    _check_not_frozen(contest)
    if entry.contest_id != contest.id or entry.status in NOT_RANKED:
        raise InvalidInput(_l("This entry is not being ranked."))
    check_no_save_pending(contest.id)
    if contest.blind and redaction_pending(entry.id):
        raise InvalidInput(_l("Names are still being removed from this essay. Add a juror when this has "
                              "finished."))
    from contest.rounds.queries import current_round_no, get_round, round_is_closed  # rounds read ranking

    round_no = current_round_no(contest.id)
    stage = get_round(contest.id, round_no)
    jury = set(stage.juror_ids) if stage is not None and stage.juror_ids else None  # the round's own
    if round_is_closed(contest.id, round_no):
        raise InvalidInput(_l("This judging round is closed; it takes no new assignments."))
    from contest.rounds.guards import check_entry_in_round

    check_entry_in_round(contest, round_no, entry.id)
    student = db.session.get(User, entry.student_id)
    info = EntryInfo(entry.id, entry.language or "", entry.category_id,
                     student.school if student else None, student.region if student else None)
    loads = dict(db.session.execute(
        select(Assignment.juror_id, func.count()).where(Assignment.contest_id == contest.id,
                                                        Assignment.round_no == round_no)
        .group_by(Assignment.juror_id)).all())
    taken = set(db.session.scalars(select(Assignment.juror_id).where(Assignment.entry_id == entry.id,
                                                                     Assignment.round_no == round_no)))
    candidates = [j for j in eligible_jurors(info, _juror_infos(contest, entry), contest.same_region_conflict)
                  if j.id not in taken and (j.capacity is None or loads.get(j.id, 0) < j.capacity)
                  and (jury is None or j.id in jury)]
    if not candidates:
        raise InvalidInput(_l("No eligible juror is left for %(code)s: every juror who reads its "
                              "language and judges its category is already assigned, has a "
                              "conflict of interest or is at capacity.", code=entry.code))
    chosen = min(candidates, key=lambda j: (loads.get(j.id, 0), j.id))
    assignment = Assignment(contest_id=contest.id, entry_id=entry.id, juror_id=chosen.id,
                            status=ReviewStatus.NEW, round_no=round_no, created_by_id=actor.id)
    db.session.add(assignment)
    db.session.flush()
    record_event(action="assignment.added_for_disagreement", actor=actor, obj=assignment,
                 contest_id=contest.id, new={"entry_id": entry.id, "juror_id": chosen.id},
                 reason="disagreement")
    return assignment
