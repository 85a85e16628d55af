"""Overrides, publication, revisions and revocation: the state they leave and the audit log."""
import pytest
from sqlalchemy import select

from contest.audit.models import AuditEvent
from contest.awards import queries, services
from contest.awards.models import Award, Diploma, Publication
from contest.contests.models import Phase
from contest.errors import InvalidInput
from contest.extensions import db
from contest.jobs.models import Job

pytestmark = pytest.mark.postgres


def _events(action):
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def _outcomes(rows):
    return {row["code"]: (row["place"], row["tier_id"], row["kind"]) for row in rows}


def test_build_results_proposes_tiers_per_category(judged):
    first, second, third = (t.id for t in judged.tiers)
    e = judged.entries
    assert _outcomes(queries.build_results(judged.contest)) == {
        e["a"].code: (1, first, "award"), e["b"].code: (2, second, "award"), e["c"].code: (3, third, "award"),
        e["d"].code: (4, None, None), e["e"].code: (1, first, "award")}


def test_publish_freezes_ranking_and_sets_phase(judged):
    pub = services.publish_results(contest=judged.contest, actor=judged.organizer)
    db.session.commit()
    assert (pub.revision, judged.contest.phase) == (1, Phase.PUBLISHED)
    frozen = _outcomes(pub.ranking)
    [phase] = _events("contest.phase")
    assert (phase.old, phase.new, phase.actor_id) == (
        {"phase": "judging"}, {"phase": "published", "forced": False}, judged.organizer.id)
    assert db.session.scalar(select(Job.name).where(Job.dedupe_key == f"results:{judged.contest.id}:1")) \
        == "contest.awards.tasks.issue_results"
    awards = {a.entry_id: a.tier_id for a in db.session.scalars(select(Award))}
    assert awards[judged.entries["a"].id] == judged.tiers[0].id and len(awards) == 5
    # A later review change moves d to the top of the live ranking, never the published one.
    judged.reviews["d"].scores = dict(judged.reviews["a"].scores)
    judged.reviews["a"].scores = {str(c.id): c.min_score for c in judged.contest.criteria}
    db.session.commit()
    assert _outcomes(queries.build_results(judged.contest))[judged.entries["d"].code][0] == 1
    db.session.expire_all()
    assert _outcomes(queries.latest_publication(judged.contest.id).ranking) == frozen


def test_publish_refused_before_judging(judged):
    judged.contest.phase = Phase.OPEN
    with pytest.raises(InvalidInput):
        services.publish_results(contest=judged.contest, actor=judged.organizer)
    assert db.session.scalars(select(Publication)).all() == []


@pytest.mark.parametrize("reason", ["", "   "])
def test_override_requires_a_reason(judged, reason):
    with pytest.raises(InvalidInput) as error:
        services.override_award(contest=judged.contest, entry_id=judged.entries["d"].id,
                                choice=str(judged.tiers[2].id), reason=reason, actor=judged.organizer)
    assert error.value.field == "reason"
    assert db.session.scalars(select(Award)).all() == []
    assert _events("award.override") == []


def test_override_is_logged_with_old_and_new_and_wins_over_the_proposal(judged):
    third = judged.tiers[2]
    d, c = judged.entries["d"], judged.entries["c"]
    services.override_award(contest=judged.contest, entry_id=d.id, choice=str(third.id),
                            reason="Outstanding originality", actor=judged.organizer)
    services.override_award(contest=judged.contest, entry_id=c.id, choice="none",
                            reason="Plagiarism found", actor=judged.organizer)
    db.session.commit()
    first, second = _events("award.override")
    assert (first.old, first.new, first.reason, first.actor_id) == (
        {"tier_id": None, "tier": "", "kind": None, "overridden": False},
        {"tier_id": third.id, "tier": "Third degree", "kind": "award", "overridden": True},
        "Outstanding originality", judged.organizer.id)
    assert (second.old["tier_id"], second.new, second.reason) == (
        third.id, {"tier_id": None, "tier": "", "kind": None, "overridden": True}, "Plagiarism found")
    outcomes = _outcomes(queries.build_results(judged.contest))
    assert outcomes[d.code] == (4, third.id, "award") and outcomes[c.code] == (3, None, None)
    # Back to the proposal, again with a reason.
    services.override_award(contest=judged.contest, entry_id=c.id, choice="proposal",
                            reason="Plagiarism claim withdrawn", actor=judged.organizer)
    assert _outcomes(queries.build_results(judged.contest))[c.code] == (3, third.id, "award")
    assert _events("award.override")[-1].new == {"tier_id": third.id, "tier": "Third degree", "kind": "award",
                                                 "overridden": False}


def test_override_refuses_a_foreign_tier_and_the_same_decision_twice(judged):
    with pytest.raises(InvalidInput):
        services.override_award(contest=judged.contest, entry_id=judged.entries["a"].id, choice="987654",
                                reason="x", actor=judged.organizer)
    assert _events("award.override") == []
    # Choosing the proposed tier pins it (later ranking changes no longer move it); twice is refused.
    services.override_award(contest=judged.contest, entry_id=judged.entries["a"].id,
                            choice=str(judged.tiers[0].id), reason="pin", actor=judged.organizer)
    with pytest.raises(InvalidInput):
        services.override_award(contest=judged.contest, entry_id=judged.entries["a"].id,
                                choice=str(judged.tiers[0].id), reason="same again", actor=judged.organizer)
    assert [e.reason for e in _events("award.override")] == ["pin"]


def test_revision_needs_a_reason_and_keeps_history(judged):
    a, d = judged.entries["a"], judged.entries["d"]
    services.publish_results(contest=judged.contest, actor=judged.organizer)
    db.session.commit()
    services.override_award(contest=judged.contest, entry_id=d.id, choice=str(judged.tiers[2].id),
                            reason="Jury decision", actor=judged.organizer)
    public = queries.latest_publication(judged.contest.id).ranking
    assert _outcomes(public)[d.code][1] is None  # not public until a revision
    with pytest.raises(InvalidInput) as error:
        services.publish_results(contest=judged.contest, actor=judged.organizer, reason=" ")
    assert error.value.field == "reason"
    services.publish_results(contest=judged.contest, actor=judged.organizer, reason="Jury decision of 2 June")
    db.session.commit()
    first, second = queries.list_publications(judged.contest.id)
    assert (first.revision, second.revision, second.reason) == (1, 2, "Jury decision of 2 June")
    assert _outcomes(first.ranking)[d.code][1] is None
    assert _outcomes(second.ranking)[d.code][1] == judged.tiers[2].id
    newest, oldest = queries.publication_history(judged.contest.id)
    # Outside a request titles come in the default language, kk.
    assert [(c.code, c.old, c.new) for c in newest.changes] == [(d.code, "\u2014", "Third degree")]
    assert (oldest.changes, oldest.awards, newest.awards, newest.publisher) == ((), 4, 5, "Olga Organizer")
    assert [e.new for e in _events("results.publish")] == [{"revision": 1, "awards": 4},
                                                           {"revision": 2, "awards": 5}]
    assert len(_events("contest.phase")) == 1
    assert _outcomes(second.ranking)[a.code][1] == judged.tiers[0].id


def test_revoke_diploma_requires_reason_and_is_logged(judged):
    diploma = Diploma(code="7KQ4-M2XD-9RTP-WC3A", contest_id=judged.contest.id,
                      slot=f"entry:{judged.entries['a'].id}",
                      entry_id=judged.entries["a"].id)
    db.session.add(diploma)
    db.session.flush()
    with pytest.raises(InvalidInput):
        services.revoke_diploma(diploma=diploma, reason="", actor=judged.organizer)
    assert diploma.revoked_at is None
    services.revoke_diploma(diploma=diploma, reason="Issued in error", actor=judged.organizer)
    [event] = _events("diploma.revoke")
    assert (event.old, event.new, event.reason, event.object_id) == (
        {"status": "genuine"}, {"status": "revoked"}, "Issued in error", str(diploma.id))
    assert diploma.revoke_reason == "Issued in error" and diploma.revoked_at is not None
    with pytest.raises(InvalidInput):
        services.revoke_diploma(diploma=diploma, reason="again", actor=judged.organizer)
