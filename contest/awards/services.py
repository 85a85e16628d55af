"""Writes for awards: overrides, publishing (and revising) the results, revoking diplomas.

Each function flushes and never commits; the view or the job commits once.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from contest.audit.services import record_event
from contest.awards import protocol, queries
from contest.awards.documents import LANGUAGE_MODES, SCOPES
from contest.awards.models import Award, Diploma, Publication
from contest.awards.tasks import issue_results
from contest.awards.tiers import AWARD, kind_of
from contest.contests import phases
from contest.contests.models import Contest, Phase, localized
from contest.contests.services import clean_texts
from contest.db import utcnow
from contest.errors import Conflict, InvalidInput, NotFound
from contest.extensions import db
from contest.jobs import enqueue_after_commit

PROPOSAL = "proposal"
NONE = "none"


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_l("Give a reason for this change."), field="reason")
    return reason[:1000]


def _describe(row: dict | None) -> dict:
    if row is None:
        return {"tier_id": None, "tier": "", "kind": None, "overridden": False}
    return {"tier_id": row["tier_id"], "tier": localized(row["tier_name"], "en"),
            "kind": row["kind"], "overridden": row["overridden"]}


def override_award(*, contest: Contest, entry_id: int, choice: str, reason: str, actor) -> Award:
    """Decide an entry's award by hand: a tier id, NONE (no award), or PROPOSAL (back to what
    the tiers propose). A reason is required; the old and new outcome are logged. After
    publication the change waits for the next revision."""
    reason = _reason(reason)
    entry = queries.entry_in_contest(contest.id, entry_id)
    row = next((r for r in queries.build_results(contest) if r["entry_id"] == entry_id), None)
    if entry is None or row is None:
        raise NotFound(_l("This entry has no score yet, so it cannot hold an award."))
    allowed = {str(t.id): t.id for t in queries.tiers_for(contest, entry.category_id)}
    if choice not in allowed and choice not in (PROPOSAL, NONE):
        raise InvalidInput(_l("Choose one of the listed awards."), field="choice")
    tier_id = row["proposed_tier_id"] if choice == PROPOSAL else allowed.get(choice)
    tier = next((t for t in contest.award_tiers if t.id == tier_id), None)
    new = {"tier_id": tier_id, "tier": localized(tier.name, "en") if tier else "",
           "kind": kind_of(tier.rule if tier else None, contest.participation_certificates),
           "overridden": choice != PROPOSAL}
    if new == _describe(row):
        raise InvalidInput(_l("The entry already holds this award."), field="choice")
    award = db.session.scalar(select(Award).where(Award.entry_id == entry_id))
    if award is None:
        award = Award(contest_id=contest.id, entry_id=entry_id)
        db.session.add(award)
    award.tier_id, award.overridden = tier_id, new["overridden"]
    award.override_reason = reason if award.overridden else ""
    award.place, award.score, award.updated_at = row["place"], row["score"], utcnow()
    db.session.flush()
    record_event(action="award.override", actor=actor, obj=award, contest_id=contest.id,
                 old=_describe(row), new=new, reason=reason)
    return award


def publish_results(*, contest: Contest, actor, reason: str = "") -> Publication:
    """Freeze the current ranking and awards into a new publication. The first one moves the
    contest from judging to published; each later one is a revision that needs a reason and
    keeps the earlier ones. Diplomas and e-mails are queued for after the commit."""
    latest = queries.latest_publication(contest.id)
    if latest is None and contest.phase != Phase.JUDGING:
        raise InvalidInput(_l("Results can be published only when the contest is in judging."))
    if latest is not None:
        if contest.phase != Phase.PUBLISHED:
            raise InvalidInput(_l("Results of an archived contest cannot be revised."))
        reason = _reason(reason)
    reason = (reason or "").strip()
    rows = queries.build_results(contest)
    if not rows:
        raise InvalidInput(_l("There is nothing to publish: no entry has a submitted review yet."))
    _sync_awards(contest, rows)
    publication = Publication(contest_id=contest.id, revision=(latest.revision + 1) if latest else 1,
                              ranking=rows, reason=(reason or "").strip()[:1000],
                              frozen=protocol.snapshot(contest, {row["entry_id"] for row in rows}),
                              published_by_id=getattr(actor, "id", None))
    try:
        with db.session.begin_nested():
            db.session.add(publication)
    except IntegrityError as exc:  # another organizer published this revision first
        raise Conflict(_l("Someone else has just published these results. Reload the page.")) from exc
    if contest.phase != Phase.PUBLISHED:
        # The phase machine's guards apply: unfinished reviews need a reason to go ahead.
        phases.change_phase(contest=contest, target=Phase.PUBLISHED, actor=actor,
                            force=bool(reason.strip()), reason=reason)
    awards = sum(1 for row in rows if row["kind"] == AWARD)
    record_event(action="results.publish", actor=actor, obj=publication, contest_id=contest.id,
                 new={"revision": publication.revision, "awards": awards}, reason=publication.reason)
    enqueue_after_commit(issue_results, dedupe_key=f"results:{contest.id}:{publication.revision}",
                         contest_id=contest.id, revision=publication.revision)
    db.session.flush()
    return publication


def _sync_awards(contest: Contest, rows: list[dict]) -> None:
    """Make the Award rows match what is being published (overrides stay overrides)."""
    existing = {a.entry_id: a for a in db.session.scalars(
        select(Award).where(Award.contest_id == contest.id))}
    now = utcnow()
    for row in rows:
        award = existing.get(row["entry_id"])
        if award is None:
            award = Award(contest_id=contest.id, entry_id=row["entry_id"])
            db.session.add(award)
        award.tier_id, award.place, award.score = row["tier_id"], row["place"], row["score"]
        award.updated_at = now
    db.session.flush()


def revoke_diploma(*, diploma: Diploma, reason: str, actor) -> Diploma:
    """Mark a diploma revoked (its verification page says so from now on); reason logged."""
    reason = _reason(reason)
    if diploma.revoked_at is not None:
        raise InvalidInput(_l("This diploma is already revoked."))
    diploma.revoked_at, diploma.revoke_reason = utcnow(), reason
    record_event(action="diploma.revoke", actor=actor, obj=diploma, contest_id=diploma.contest_id,
                 old={"status": "genuine"}, new={"status": "revoked"}, reason=reason)
    db.session.flush()
    return diploma


def update_document_settings(*, contest: Contest, language: str, participation: str, thank_jurors: bool,
                             thank_teachers: bool, place: dict[str, str], chair: dict[str, str],
                             secretary: dict[str, str], actor) -> Contest:
    """The organizer's choices for the documents issued with the results (see
    documents.DocumentSettings); they apply to what the worker draws next."""
    if language not in LANGUAGE_MODES:
        raise InvalidInput(_l("Choose one of the listed languages."), field="language")
    if participation not in SCOPES:
        raise InvalidInput(_l("Choose who receives a participation certificate."), field="participation")
    old = dict(contest.documents or {})
    contest.documents = {"language": language, "participation": participation,
                         "thank_jurors": bool(thank_jurors), "thank_teachers": bool(thank_teachers),
                         "place": clean_texts(place), "chair": clean_texts(chair),
                         "secretary": clean_texts(secretary)}
    if old != contest.documents:
        record_event(action="documents.settings", actor=actor, obj=contest, contest_id=contest.id,
                     old=old, new=contest.documents)
    db.session.flush()
    return contest
