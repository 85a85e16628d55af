"""The workers send the scheduled reminders by themselves: a real worker.py's maintenance
round queues the due reminder, delivers it, and later rounds add nothing."""
from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from contest.db import utcnow
from contest.extensions import db
from contest.judging.models import JurorReminder
from contest.mail.models import OutgoingEmail
from tests import factories
from tests.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.postgres]


def test_a_real_worker_reminds_a_juror_once(app, worker):
    contest = factories.make_contest(phase="judging", judging_ends_at=utcnow() + timedelta(days=2),
                                     reminder_days=[3, 1])
    juror = factories.make_juror(contest=contest, email="late.juror@example.kz")
    factories.make_review(contest, factories.make_entry(contest), juror, [1, 1], status="draft")
    outbox = Path(app.config["OUTBOX_FOLDER"])
    wait_for(lambda: list(outbox.glob("*.eml")), timeout=60)
    time.sleep(6)  # a few more maintenance rounds (every 2 s in the tests)
    db.session.rollback()
    assert db.session.scalar(select(func.count(JurorReminder.id))) == 1
    [mail] = db.session.scalars(select(OutgoingEmail)).all()
    assert mail.to == "late.juror@example.kz" and mail.sent_at is not None
    assert len(list(outbox.glob("*.eml"))) == 1
