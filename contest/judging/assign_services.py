"""Writes for assignment: preview and save a plan, manual add and remove, reassignment.

A plan is computed from the database (ready entries, the contest's jurors, every existing
pair kept), shown, and saved only when the organizer confirms. The computed preview is
kept in Redis under the fingerprint of its inputs (`queries.plan_digest`, a few aggregate
queries): opening the page again with the same inputs shows it without computing it, and
saving inserts its stored pairs after checking that the fingerprint is still the current
one, so what was previewed is exactly what is saved (or nothing, with a message to look
again). A contest of more than ASSIGN_PREVIEW_INLINE_MAX_ENTRIES ready entries is planned
by a worker job (contest.judging.tasks) while the page waits; smaller ones in the request.
"""
from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from contest.accounts.models import User
from contest.audit.services import record_event
from contest.blind.queries import redaction_progress
from contest.contests.models import Contest, Phase, localized
from contest.db import utcnow
from contest.errors import Conflict, DomainError, InvalidInput, NotFound
from contest.extensions import db
from contest.jobs.models import Job, JobStatus
from contest.judging import plan_save, preview_cache, queries
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

log = logging.getLogger(__name__)
PLANNING_PHASES = (Phase.OPEN, Phase.JUDGING)
ISSUES_SHOWN = 50  # existing assignments that break a rule, listed on the page
GROUP_ENTRIES_SHOWN = 21  # entry codes per shortfall group (the page shows 20, then "…")


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
    fingerprint: str  # of the plan's inputs (queries.plan_digest), read before them
    entries: int
    jurors: int
    groups: list[ShortfallGroupView]
    components: int
    largest_share: float
    # language -> LinkageNote or None: how well the plan links jurors
    notes: dict = field(default_factory=dict)
    computed_at: str = field(default_factory=lambda: utcnow().isoformat())

    @property
    def load_min(self) -> int:
        return min(self.plan.loads.values(), default=0)

    @property
    def load_max(self) -> int:
        return max(self.plan.loads.values(), default=0)

    @property
    def short_entries(self) -> int:
        return len(self.plan.shortfalls)

    def summary(self, round_no: int) -> PreviewSummary:
        """What the organizer's page shows, small enough to store and read on every visit."""
        issues = self.plan.existing_issues
        return PreviewSummary(
            self.fingerprint, round_no, self.entries, self.jurors, len(self.plan.kept), len(self.plan.pairs),
            self.load_min, self.load_max, self.short_entries, self.components, self.largest_share,
            [ShortfallGroupView(g.language, g.category_id, g.cause, g.entries, g.missing, g.reasons,
                                g.entry_ids[:GROUP_ENTRIES_SHOWN]) for g in self.groups],
            [list(issue) for issue in issues[:ISSUES_SHOWN]], len(issues),
            {lang: [n.level, n.text, n.advice] if n else None for lang, n in self.notes.items()},
            self.computed_at)


@dataclass
class PreviewSummary:
    """A computed preview as stored (preview_cache) and shown: counts, shortfall groups, the
    first existing pairs that break a rule, and the linkage note in each language."""

    fingerprint: str
    round_no: int
    entries: int
    jurors: int
    kept: int
    new: int
    load_min: int
    load_max: int
    short_entries: int
    components: int
    largest_share: float
    groups: list[ShortfallGroupView]
    issues: list  # [entry_id, juror_id, code], the first ISSUES_SHOWN
    issue_count: int
    notes: dict  # language -> [level, text, advice] or None
    computed_at: str

    def linkage(self, language: str) -> ranking_notes.LinkageNote | None:
        note = self.notes.get(language)
        return ranking_notes.LinkageNote(*note) if note else None

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> PreviewSummary:
        return cls(**{**data, "groups": [ShortfallGroupView(**g) for g in data["groups"]]})


@dataclass
class PreviewState:
    """The organizer's preview as it stands: ready (summary), being computed (job, stage),
    or failed (job)."""

    digest: queries.PlanDigest
    round_no: int
    summary: PreviewSummary | None = None
    job: Job | None = None
    stage: str | None = None

    @property
    def failed(self) -> bool:
        return self.summary is None and self.job is not None and self.job.status == JobStatus.FAILED


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


def compute_plan(contest: Contest, round_no: int, entries, jurors, existing) -> AssignmentPlan:
    """The round's plan from its inputs (queries.plan_inputs). A full-panel round gives every
    eligible juror of the round every entry."""
    stage = get_round(contest.id, round_no)
    if stage is not None and stage.mode == RoundMode.FULL_PANEL:
        return plan_full_panel(entries, jurors, existing=existing,
                               same_region_conflict=contest.same_region_conflict)
    k = (stage.reviews_per_entry if stage and stage.reviews_per_entry else contest.reviews_per_entry)
    return plan_assignments(entries, jurors, k=k, existing=existing,
                            same_region_conflict=contest.same_region_conflict, seed=contest.id)


def preview_plan(*, contest: Contest, round_no: int | None = None, progress=None,
                 first_language: str | None = None) -> PlanPreview:
    """Compute the plan for the contest's current round (or `round_no`) as it is now and keep
    it in the preview cache under the fingerprint of its inputs; nothing is written to the
    database. The fingerprint is read first: an input that changes while the plan is
    computed leaves it under a key no later save matches. `progress(digest, stage)` is
    told what is being done ("inputs", "plan", "links"). The linkage note is worded in every
    language the site speaks; its analysis costs seconds per language at 100k entries
    (ranking.shrink.design_linkage), so with `first_language` the preview is stored with
    that language's note first, and again once the other languages' are written."""
    round_no = round_no or current_round_no(contest.id)
    digest = queries.plan_digest(contest, round_no)

    def report(stage: str) -> None:
        if progress is not None:
            progress(digest, stage)

    report("inputs")
    entries, jurors, existing = queries.plan_inputs(contest, round_no)
    report("plan")
    plan = compute_plan(contest, round_no, entries, jurors, existing)
    samples: dict = {}
    for s in plan.shortfalls:
        samples.setdefault((s.language, s.category_id, s.cause), (s.reasons, []))[1].append(s.entry_id)
    groups = [ShortfallGroupView(g.language, g.category_id, g.cause, g.entries, g.missing,
                                 *samples[(g.language, g.category_id, g.cause)])
              for g in summarize_shortfalls(plan.shortfalls)]
    report("links")
    components, share = graph_connectivity(plan.kept + plan.pairs)
    preview = PlanPreview(plan, digest.key, len(entries), len(jurors), groups, components, share)
    languages = list(current_app.config["LANGUAGES"])  # the page may be read in any of them
    if first_language in languages:
        languages.remove(first_language)
        _write_notes(preview, contest, entries, [first_language])
        _store(preview, contest, round_no)
    _write_notes(preview, contest, entries, languages)
    _store(preview, contest, round_no)
    return preview


def _write_notes(preview: PlanPreview, contest: Contest, entries, languages) -> None:
    for language in languages:
        with force_locale(language):
            preview.notes[language] = _linkage(contest, entries, preview.plan.kept + preview.plan.pairs)


def _store(preview: PlanPreview, contest: Contest, round_no: int) -> None:
    try:
        preview_cache.store(contest.id, round_no, preview.fingerprint, preview.summary(round_no).to_json(),
                            preview.plan.pairs)
    except Exception as exc:  # Redis unavailable: the page still shows it; saving asks to look again
        log.warning("assignment preview not cached: %s", exc)


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


def _dedupe_key(contest_id: int, round_no: int, fingerprint: str) -> str:
    return f"assign-preview:{contest_id}:{round_no}:{fingerprint}"


def open_preview(*, contest: Contest, round_no: int | None = None, waiting_for: str | None = None
                 ) -> PreviewState:
    """The preview of the round's plan for the organizer's page: the stored one when the
    inputs are unchanged; else computed here for a contest of at most
    ASSIGN_PREVIEW_INLINE_MAX_ENTRIES ready entries (well under a second), or by a worker
    job, queued once per fingerprint (the caller commits), while the page waits. A job that
    finished without a stored result (it expired, or the inputs moved while it ran) is
    queued again. The waiting page asks again `waiting_for` the fingerprint it was given:
    then only Redis and the job's row are read, not the fingerprint's queries (each costs
    a second at 100k entries), until the job has finished; saving checks the inputs anyway."""
    from contest.jobs.services import rerun_after_commit
    from contest.judging.tasks import compute_assignment_preview

    round_no = round_no or current_round_no(contest.id)
    if waiting_for and re.fullmatch(r"[0-9a-f]{32}", waiting_for):  # a key plan_digest made
        state = _waiting(contest, round_no, waiting_for)
        if state is not None:
            return state
    digest = queries.plan_digest(contest, round_no)
    state = PreviewState(digest, round_no)
    stored = preview_cache.load_summary(contest.id, round_no, digest.key)
    if stored is not None:
        state.summary = PreviewSummary.from_json(stored)
        return state
    if digest.entries <= current_app.config["ASSIGN_PREVIEW_INLINE_MAX_ENTRIES"]:
        state.summary = preview_plan(contest=contest, round_no=round_no).summary(round_no)
        return state
    key = _dedupe_key(contest.id, round_no, digest.key)
    state.job = enqueue_preview(compute_assignment_preview, key, contest_id=contest.id, round_no=round_no,
                                language=str(get_locale()))
    if state.job.status == JobStatus.DONE:
        state.job = rerun_after_commit(key)
    state.stage = preview_cache.get_stage(contest.id, round_no, digest.key)
    if state.stage is None:
        preview_cache.set_stage(contest.id, round_no, digest.key, "queued", digest.entries, digest.jurors)
    return state


def _waiting(contest: Contest, round_no: int, fingerprint: str) -> PreviewState | None:
    """The state of a preview being computed, from Redis and its job's row alone; None when
    that is not enough (no such job, or it finished without a stored result)."""
    stored = preview_cache.load_summary(contest.id, round_no, fingerprint)
    if stored is not None:
        summary = PreviewSummary.from_json(stored)
        digest = queries.PlanDigest(fingerprint, summary.entries, summary.jurors)
        return PreviewState(digest, round_no, summary)
    key = _dedupe_key(contest.id, round_no, fingerprint)
    job = db.session.scalar(select(Job).where(Job.dedupe_key == key))
    stage = preview_cache.get_stage_info(contest.id, round_no, fingerprint)
    if job is None or job.status == JobStatus.DONE or (stage is None and job.status != JobStatus.FAILED):
        return None
    digest = queries.PlanDigest(fingerprint, (stage or {}).get("entries", 0), (stage or {}).get("jurors", 0))
    return PreviewState(digest, round_no, job=job, stage=(stage or {}).get("stage"))


def enqueue_preview(func, dedupe_key: str, **kwargs) -> Job:
    """The preview's job, tried once: a failure is shown at once with a button to try again
    (its retries would keep the organizer waiting minutes for the same error)."""
    from contest.jobs import enqueue_after_commit

    job = enqueue_after_commit(func, dedupe_key=dedupe_key, **kwargs)
    if job.status == JobStatus.QUEUED and job.attempts == 0:
        job.max_attempts = 1
    return job


def retry_preview(*, contest: Contest) -> Job | None:
    """Run a failed preview job again (the caller commits); None when there is none."""
    from contest.jobs.services import rerun_after_commit

    round_no = current_round_no(contest.id)
    key = _dedupe_key(contest.id, round_no, queries.plan_digest(contest, round_no).key)
    job = db.session.scalar(select(Job).where(Job.dedupe_key == key))
    if job is None or job.status != JobStatus.FAILED:
        return None
    job = rerun_after_commit(key)
    job.max_attempts = 1
    return job


def save_plan(*, contest: Contest, actor, fingerprint: str, inline: bool = False) -> plan_save.SavedPlan:
    """Store the previewed plan's new pairs (in the current round) as they were computed,
    without planning again, if its inputs are still the ones the organizer previewed and no
    save of the contest is under way. More than PLAN_SAVE_INLINE_MAX_PAIRS of them are
    queued for a worker job (plan_save) unless `inline` (the demo builder, no worker)."""
    round_no = current_round_no(contest.id)
    _check_phase(contest, round_no)
    plan_save.check_no_save_pending(contest.id)
    if queries.plan_digest(contest, round_no).key != fingerprint:
        raise Conflict(_l("Entries, jurors or assignments changed since the preview. "
                          "Look at the new plan and save again."))
    stored = preview_cache.load_summary(contest.id, round_no, fingerprint)
    if (stored is not None and stored["new"] > current_app.config["PLAN_SAVE_INLINE_MAX_PAIRS"] and not inline
            and preview_cache.has_pairs(contest.id, round_no, fingerprint)):
        return plan_save.queue_save(contest=contest, round_no=round_no, fingerprint=fingerprint, actor=actor,
                                    total=stored["new"])
    pairs = preview_cache.load_pairs(contest.id, round_no, fingerprint)
    if stored is None or pairs is None:
        raise Conflict(_l("This preview is no longer kept. Look at the plan again and save it."))
    plan_save.insert_pairs(contest_id=contest.id, round_no=round_no, pairs=pairs, actor_id=actor.id)
    plan_save.record_plan_saved(contest=contest, actor=actor, round_no=round_no, added=len(pairs),
                                summary=stored)
    return plan_save.SavedPlan(len(pairs))


def save_queued_plan(*, contest_id: int, round_no: int, fingerprint: str, actor_id: int) -> str:
    """The job's half of a large save (plan_save): save_plan's checks made again now, then
    the stored pairs inserted in batches, their progress kept for the page, and the same
    audit event. Inputs changed since the click refuse it (in the audit log and on the
    page), unless this very plan made the change (a second run): then nothing is done.
    Returns the outcome: saved, or the refusal's reason."""
    contest, actor = db.session.get(Contest, contest_id), db.session.get(User, actor_id)
    stored = preview_cache.load_summary(contest_id, round_no, fingerprint)
    pairs = preview_cache.load_pairs(contest_id, round_no, fingerprint)
    if contest is None:
        return "gone"
    refusal = dict(contest=contest, actor=actor, round_no=round_no, fingerprint=fingerprint,
                   total=len(pairs or ()))
    if stored is None or pairs is None:
        return plan_save.refuse(reason="expired", **refusal)
    try:
        _check_phase(contest, round_no)
    except DomainError:
        return plan_save.refuse(reason="closed", **refusal)
    if queries.plan_digest(contest, round_no).key != fingerprint:
        if plan_save.already_saved(contest_id, round_no, pairs):
            return "saved"
        return plan_save.refuse(reason="changed", **refusal)

    def progress(done: int) -> None:
        preview_cache.set_save_progress(contest_id, round_no, fingerprint, state="saving", done=done,
                                        total=len(pairs))

    added = plan_save.insert_pairs(contest_id=contest_id, round_no=round_no, pairs=pairs, actor_id=actor_id,
                                   progress=progress)
    plan_save.record_plan_saved(contest=contest, actor=actor, round_no=round_no, added=added, summary=stored)
    preview_cache.set_save_progress(contest_id, round_no, fingerprint, state="saved", done=len(pairs),
                                    total=len(pairs), added=added)
    return "saved"


def reassign_entry(*, entry: Entry, actor) -> list[tuple[int, int]]:
    """Fill the entry's gaps locally (`_local_repair`): no new plan of the contest, nothing
    else moves. In a blind contest an entry whose redaction is pending waits: its redaction
    job refills it when done."""
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
    plan_save.check_no_save_pending(contest.id)
    pairs = _local_repair(contest, entry, round_no)
    if pairs is None:  # a full panel: its rule is every eligible juror of the round, not the least loaded
        entries, jurors, existing = queries.plan_inputs(contest, round_no)
        pairs = [(e, j) for e, j in compute_plan(contest, round_no, entries, jurors, existing).pairs
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
    """The entry's missing jurors chosen locally (`fill_entry`: the least loaded eligible
    jurors with room, ties at random), reading only the loads of the jurors who read its
    language and judge its category, from the (contest, round, juror) index, in one query:
    no new plan, no count of every juror's reviews. None for
    a full-panel round. When the eligible jurors are full it returns what there is: a new
    plan could not do better, as it keeps every existing pair and respects the same
    capacities (the entry stays short, as the organizer's pages show)."""
    stage = get_round(contest.id, round_no)
    if stage is not None and stage.mode == RoundMode.FULL_PANEL:
        return None
    k = stage.reviews_per_entry if stage and stage.reviews_per_entry else contest.reviews_per_entry
    if round_no > 1 and stage is None:
        return None
    info = queries.entry_info(entry)
    holding = queries.entry_jurors(entry.id, round_no)
    candidates = queries.repair_candidates(contest, info, round_no,
                                           (stage.juror_ids or None) if stage else None)
    eligible = [j for j, _load in candidates
                if j.id not in holding and ineligible_reason(info, j, contest.same_region_conflict) is None]
    loads = {j.id: load for j, load in candidates}
    picks = fill_entry(info, eligible, loads, holding, k=k, same_region_conflict=contest.same_region_conflict,
                       seed=entry.id)
    return [(entry.id, j) for j in picks]


def add_juror(*, entry: Entry, juror_id: int, actor, reason: str = "") -> Assignment:
    """Assign one more juror by hand. An ineligible juror (language, category, school or
    region) needs a reason and the override is logged; a declared conflict is final."""
    contest = db.session.get(Contest, entry.contest_id)
    round_no = current_round_no(contest.id)
    _check_phase(contest, round_no)
    plan_save.check_no_save_pending(contest.id)
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
    needs an explicit confirmation; every removal is logged with the review's state. Refused
    while a plan is being saved, as every change of assignments is."""
    plan_save.check_no_save_pending(assignment.contest_id)
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
