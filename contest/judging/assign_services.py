"""Writes for assignment: preview and save a plan, manual add and remove, reassignment.

A plan is computed from the database (ready entries, the contest's jurors, every
existing pair kept), shown, and saved only when the organizer confirms; the fingerprint
of the previewed pairs must match the plan recomputed at save time, so what was
previewed is exactly what is saved (or nothing, with a message to look again).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select

from contest.audit.services import record_event
from contest.blind.queries import redaction_progress
from contest.contests.models import Contest, Phase, localized
from contest.db import utcnow
from contest.errors import Conflict, InvalidInput, NotFound
from contest.extensions import db
from contest.judging import queries
from contest.judging.assignment import (
    AssignmentPlan,
    fill_entry,
    graph_connectivity,
    ineligible_reason,
    plan_assignments,
    summarize_shortfalls,
)
from contest.judging.models import Assignment, ReviewStatus
from contest.ranking import notes as ranking_notes
from contest.ranking.queries import user_names
from contest.rounds import guards as rounds
from contest.rounds.models import RoundMode
from contest.rounds.panel import plan_full_panel
from contest.rounds.queries import current_round_no, get_round, round_is_closed
from contest.submissions.models import Entry, EntryStatus

PLANNING_PHASES = (Phase.OPEN, Phase.JUDGING)


@dataclass
class ShortfallGroupView:
    language: str
    category_id: int
    cause: str
    entries: int
    missing: int
    reasons: dict  # the funnel counts of the group's first entry
    entry_ids: list = field(default_factory=list)


@dataclass
class PlanPreview:
    plan: AssignmentPlan
    fingerprint: str
    entries: int
    jurors: int
    groups: list[ShortfallGroupView]
    components: int
    largest_share: float
    linkage: ranking_notes.LinkageNote | None = None  # how well the plan links jurors

    @property
    def load_min(self) -> int:
        return min(self.plan.loads.values(), default=0)

    @property
    def load_max(self) -> int:
        return max(self.plan.loads.values(), default=0)

    @property
    def short_entries(self) -> int:
        return len(self.plan.shortfalls)


def _fingerprint(pairs) -> str:
    return hashlib.sha256(repr(sorted(pairs)).encode()).hexdigest()[:32]


def _check_phase(contest: Contest, round_no: int | None = None) -> None:
    if contest.phase not in PLANNING_PHASES:
        raise InvalidInput(_l("Jurors can be assigned only while the contest is open or in judging."))
    if round_no is not None:
        rounds.check_assignable(contest, round_no)
    progress = redaction_progress(contest.id)
    if contest.blind and progress.running:
        raise InvalidInput(_l("Names are still being removed from the essays (%(done)s of %(total)s done). "
                              "Assign jurors when this has finished.",
                              done=progress.done, total=progress.total))


def preview_plan(*, contest: Contest, round_no: int | None = None) -> PlanPreview:
    """The plan for the contest's current round (or `round_no`) as it is now; nothing is
    written. A full-panel round gives every eligible juror of the round every entry."""
    round_no = round_no or current_round_no(contest.id)
    entries, jurors, existing = queries.plan_inputs(contest, round_no)
    stage = get_round(contest.id, round_no)
    if stage is not None and stage.mode == RoundMode.FULL_PANEL:
        plan = plan_full_panel(entries, jurors, existing=existing,
                               same_region_conflict=contest.same_region_conflict)
    else:
        k = (stage.reviews_per_entry if stage and stage.reviews_per_entry else contest.reviews_per_entry)
        plan = plan_assignments(entries, jurors, k=k, existing=existing,
                                same_region_conflict=contest.same_region_conflict, seed=contest.id)
    samples: dict = {}
    for s in plan.shortfalls:
        samples.setdefault((s.language, s.category_id, s.cause), (s.reasons, []))[1].append(s.entry_id)
    groups = [ShortfallGroupView(g.language, g.category_id, g.cause, g.entries, g.missing,
                                 *samples[(g.language, g.category_id, g.cause)])
              for g in summarize_shortfalls(plan.shortfalls)]
    components, share = graph_connectivity(plan.kept + plan.pairs)
    return PlanPreview(plan, _fingerprint(plan.pairs), len(entries), len(jurors), groups, components, share,
                       _linkage(contest, entries, plan.kept + plan.pairs))


def _linkage(contest: Contest, entries, pairs) -> ranking_notes.LinkageNote | None:
    """How well the plan lets the default ranking correct severity, per category (the
    ranking's groups), worded for the least linked one."""
    names = {c.id: localized(c.name, str(get_locale())) for c in contest.categories}
    category = {e.id: e.category_id for e in entries}
    groups: dict = {}
    for entry_id, juror_id in pairs:
        if entry_id in category:
            groups.setdefault(names.get(category[entry_id], ""), []).append((entry_id, juror_id))
    return ranking_notes.plan_note(groups, user_names)


def save_plan(*, contest: Contest, actor, fingerprint: str) -> PlanPreview:
    """Store the plan's new pairs (in the current round), if they are still the ones the
    organizer previewed."""
    round_no = current_round_no(contest.id)
    _check_phase(contest, round_no)
    preview = preview_plan(contest=contest, round_no=round_no)
    if preview.fingerprint != fingerprint:
        raise Conflict(_l("Entries, jurors or assignments changed since the preview. "
                          "Look at the new plan and save again."))
    now = utcnow()
    if preview.plan.pairs:
        db.session.execute(insert(Assignment), [
            {"contest_id": contest.id, "entry_id": e, "juror_id": j, "status": ReviewStatus.NEW,
             "round_no": round_no,
             "version": 0, "scores": {}, "criterion_comments": {}, "private_comment": "", "feedback": "",
             "created_at": now, "updated_at": now, "created_by_id": actor.id}
            for e, j in preview.plan.pairs])
    record_event(action="assignment.plan", actor=actor, obj=contest, contest_id=contest.id,
                 new={"added": len(preview.plan.pairs), "kept": len(preview.plan.kept),
                      "short_entries": preview.short_entries,
                      **({"round": round_no} if get_round(contest.id, round_no) else {})})
    return preview


def reassign_entry(*, entry: Entry, actor) -> list[tuple[int, int]]:
    """Fill the entry's gaps by re-running the contest's plan and saving only this entry's
    new pairs (the whole contest's loads guide the choice). In a blind contest an entry
    whose redaction is pending waits: its redaction job refills it when done."""
    from contest.blind.services import defer_refill

    contest = db.session.get(Contest, entry.contest_id)
    if contest.phase not in PLANNING_PHASES or entry.status != EntryStatus.READY:
        return []
    if contest.blind and defer_refill(entry):
        return []
    db.session.flush()
    round_no = current_round_no(contest.id)
    if round_is_closed(contest.id, round_no):
        return []
    pairs = _local_repair(contest, entry, round_no)
    if pairs is None:  # a full panel, or the eligible jurors are full: only a plan can do better
        pairs = [(e, j) for e, j in preview_plan(contest=contest, round_no=round_no).plan.pairs
                 if e == entry.id]
    for e, j in pairs:
        db.session.add(Assignment(contest_id=contest.id, entry_id=e, juror_id=j, round_no=round_no,
                                  created_by_id=getattr(actor, "id", None)))
    if pairs:
        db.session.flush()
        record_event(action="assignment.reassign", actor=actor, obj=entry, contest_id=contest.id,
                     new={"jurors": [j for _e, j in pairs]})
    return pairs


def _local_repair(contest: Contest, entry: Entry, round_no: int) -> list[tuple[int, int]] | None:
    """The entry's missing jurors chosen locally (`fill_entry`: least loaded eligible jurors
    with room), from the round's loads in one grouped query: no new plan of the whole
    contest. None when the round is a full panel or the local choice falls short."""
    stage = get_round(contest.id, round_no)
    if stage is not None and stage.mode == RoundMode.FULL_PANEL:
        return None
    k = stage.reviews_per_entry if stage and stage.reviews_per_entry else contest.reviews_per_entry
    if round_no > 1 and stage is None:
        return None
    jurors = queries.juror_infos(contest, (stage.juror_ids or None) if stage else None)
    loads = queries.round_loads(contest.id, round_no)
    holding = queries.entry_jurors(entry.id, round_no)
    picks = fill_entry(queries.entry_info(entry), jurors, loads, holding, k=k,
                       same_region_conflict=contest.same_region_conflict, seed=entry.id)
    if len(picks) < k - len(holding):
        return None
    return [(entry.id, j) for j in picks]


def add_juror(*, entry: Entry, juror_id: int, actor, reason: str = "") -> Assignment:
    """Assign one more juror by hand. An ineligible juror (language, category, school or
    region) needs a reason and the override is logged; a declared conflict is final."""
    contest = db.session.get(Contest, entry.contest_id)
    round_no = current_round_no(contest.id)
    _check_phase(contest, round_no)
    rounds.check_entry_in_round(contest, round_no, entry.id)
    infos = queries.juror_infos(contest, [juror_id])
    if not infos:
        raise NotFound(_l("This juror is not on the contest's jury."), field="juror_id")
    if db.session.scalar(select(Assignment.id).where(Assignment.entry_id == entry.id,
                                                     Assignment.round_no == round_no,
                                                     Assignment.juror_id == juror_id)):
        raise InvalidInput(_l("This juror already has this entry."), field="juror_id")
    why = ineligible_reason(queries.entry_info(entry), infos[0], contest.same_region_conflict)
    if why == "declared":
        raise InvalidInput(_l("This juror declared a conflict of interest with this entry."),
                           field="juror_id")
    reason = reason.strip()
    if why is not None and not reason:
        raise InvalidInput(_l("This juror is not eligible for this entry (%(why)s). Give a reason to "
                              "assign them anyway.", why=ineligibility_label(why)), field="reason")
    assignment = Assignment(contest_id=contest.id, entry_id=entry.id, juror_id=juror_id,
                            round_no=round_no, created_by_id=actor.id)
    db.session.add(assignment)
    db.session.flush()
    record_event(action="assignment.override" if why else "assignment.add", actor=actor, obj=assignment,
                 contest_id=contest.id, new={"entry_id": entry.id, "juror_id": juror_id,
                                             "ineligible": why}, reason=reason)
    return assignment


def remove_assignment(*, assignment: Assignment, actor, confirm: bool, reason: str = "") -> None:
    """Take a juror off an entry. A started or submitted review is lost with it, so that
    needs an explicit confirmation; every removal is logged with the review's state."""
    if assignment.status != ReviewStatus.NEW and not confirm:
        raise InvalidInput(_l("This juror has started the review. Confirm that it will be deleted."),
                           field="confirm")
    record_event(action="assignment.remove", actor=actor, obj=assignment, contest_id=assignment.contest_id,
                 old={"entry_id": assignment.entry_id, "juror_id": assignment.juror_id,
                      "status": assignment.status.value, "scores": dict(assignment.scores or {}),
                      "total": assignment.total}, reason=reason.strip())
    db.session.delete(assignment)
    db.session.flush()


INELIGIBILITY = {
    "language": _l("does not read the essay's language"),
    "category": _l("does not judge this category"),
    "declared": _l("declared a conflict of interest"),
    "same_school": _l("same school as the author"),
    "same_region": _l("same region as the author"),
    "unknown_juror": _l("no longer on the jury"),
    "unknown_entry": _l("entry is not ready for judging"),
}


def ineligibility_label(code: str | None):
    return INELIGIBILITY.get(code, code) if code else ""


def shortfall_message(group: ShortfallGroupView, *, language: str, category: str, k: int) -> str:
    """One translated sentence saying why a group of entries is short of jurors."""
    from flask_babel import gettext as _
    from flask_babel import ngettext

    r = group.reasons
    detected = bool(language)
    language = language or _("an undetected language")
    category = category or _("no category")
    head = ngettext("%(num)d essay in %(language)s, %(category)s",
                    "%(num)d essays in %(language)s, %(category)s",
                    group.entries, language=language, category=category)
    head += " " + ngettext("(%(num)d review missing)", "(%(num)d reviews missing)", group.missing)
    why = {
        "no_language_readers": lambda: _("no juror on the jury reads %(language)s.", language=language),
        "no_category_judges": lambda: _("no juror judges %(category)s.", category=category),
        "no_matching_jurors": lambda: ngettext(
            "%(num)d juror reads %(language)s but does not judge %(category)s.",
            "%(num)d jurors read %(language)s but none of them judges %(category)s.",
            r["language_readers"], language=language, category=category),
        "too_few_matching_jurors": lambda: ngettext(
            "only %(num)d juror reads %(language)s and judges %(category)s; each essay needs %(k)s.",
            "only %(num)d jurors read %(language)s and judge %(category)s; each essay needs %(k)s.",
            r["matching_jurors"], language=language, category=category, k=k),
        "conflicts_of_interest": lambda: _(
            "conflicts of interest (declared: %(declared)s, same school: %(school)s, same region: "
            "%(region)s) leave too few of the %(n)s jurors who read %(language)s and judge %(category)s.",
            declared=r["excluded_declared"], school=r["excluded_school"], region=r["excluded_region"],
            n=r["matching_jurors"], language=language, category=category),
        "capacity": lambda: _("the other eligible jurors have reached their capacity."),
    }[group.cause]() if detected or group.cause != "no_language_readers" else _(
        "the language of these essays was not detected; assign jurors by hand on each entry's page.")
    return f"{head}: {why}"
