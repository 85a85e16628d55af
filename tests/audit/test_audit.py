"""The audit log is append-only and never stores secrets or essay text."""
import pytest
from sqlalchemy import select

from contest.audit.models import AuditEvent, AuditLogIsAppendOnly
from contest.audit.services import record_event
from contest.extensions import db

pytestmark = pytest.mark.postgres


def test_events_record_actor_time_and_values(app, make_user):
    actor = make_user()
    record_event(action="contest.phase", actor=actor, contest_id=7, old={"phase": "open"},
                 new={"phase": "judging"}, reason="deadline passed")
    db.session.commit()
    event = db.session.scalar(select(AuditEvent))
    assert (event.actor_id, event.action, event.contest_id, event.old, event.new, event.reason) == (
        actor.id, "contest.phase", 7, {"phase": "open"}, {"phase": "judging"}, "deadline passed")
    assert event.at.tzinfo is not None


def test_events_cannot_be_changed(app):
    record_event(action="x.y", new={"a": 1})
    db.session.commit()
    event = db.session.scalar(select(AuditEvent))
    event.reason = "rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(AuditEvent.reason)) == ""


def test_events_cannot_be_deleted(app):
    record_event(action="x.y")
    db.session.commit()
    db.session.delete(db.session.scalar(select(AuditEvent)))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    assert len(db.session.scalars(select(AuditEvent)).all()) == 1


@pytest.mark.parametrize("key", ["password", "password_hash", "text", "token"])
def test_secret_values_are_refused(app, key):
    with pytest.raises(ValueError):
        record_event(action="user.changed", new={key: "secret"})
    assert db.session.scalar(select(AuditEvent)) is None
