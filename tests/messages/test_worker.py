"""A real worker.py killed in the middle of a message: the next worker finishes it, and
nobody receives the message twice."""
from __future__ import annotations

import os
import signal
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from contest.enums import Role
from contest.extensions import db
from contest.mail.models import OutgoingEmail
from contest.messages.models import Audience, Message, MessageRecipient, MessageStatus, RecipientStatus
from contest.messages.services import Draft, create_message
from tests import factories
from tests.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.postgres]


def _sent() -> int:
    return db.session.scalar(select(func.count(MessageRecipient.id)).where(
        MessageRecipient.status == RecipientStatus.SENT)) or 0


def test_killed_worker_mid_message_sends_to_everyone_once(app, start_worker):
    contest = factories.make_contest()
    for _ in range(24):
        factories.make_entry(contest, factories.make_user(Role.STUDENT, commit=False), commit=False)
    db.session.commit()
    message = create_message(contest=contest, actor=factories.make_user(Role.ORGANIZER), draft=Draft(
        Audience.STUDENTS, subject={"ru": "Важно"}, body={"ru": "Срок продлён."}))
    db.session.commit()
    first = start_worker(MESSAGE_BATCH_SIZE=4, MESSAGE_BATCH_PAUSE=1.0)
    wait_for(lambda: _sent() >= 4, timeout=60)
    os.killpg(first.pid, signal.SIGKILL)  # the worker and its children, mid-way
    first.wait()
    db.session.rollback()
    assert 4 <= _sent() < 24
    start_worker(MESSAGE_BATCH_SIZE=4, JOB_LOST_AFTER=3)
    wait_for(lambda: db.session.get(Message, message.id).status == MessageStatus.DONE, timeout=90)
    wait_for(lambda: len(list(Path(app.config["OUTBOX_FOLDER"]).glob("*.eml"))) == 24, timeout=60)
    message = db.session.get(Message, message.id)
    assert (message.total, message.sent, message.failed) == (24, 24, 0)
    per_address = Counter(db.session.scalars(select(OutgoingEmail.to)))
    assert len(per_address) == 24 and set(per_address.values()) == {1}
    files = [p.read_bytes() for p in Path(app.config["OUTBOX_FOLDER"]).glob("*.eml")]
    from email import message_from_bytes, policy

    addresses = Counter(message_from_bytes(b, policy=policy.default)["To"] for b in files)
    assert len(addresses) == 24 and set(addresses.values()) == {1}
