"""Writing and sending an organizer's message.

`create_message` checks and stores the message and queues `deliver_message`; the job lists
the recipients (one row each, unique per message and user) and sends in batches, committing
each batch with its recipients' state. A worker that dies mid-way leaves the committed
batches done and the rest pending: the re-run picks up the pending ones only, and each
recipient's e-mail has a dedupe key, so nobody gets the message twice."""
from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, insert, select

from contest.accounts.models import User
from contest.audit.services import record_event
from contest.contests.models import Contest, localized
from contest.db import utcnow
from contest.errors import InvalidInput
from contest.extensions import db
from contest.messages import audiences
from contest.messages.models import (
    JUROR_AUDIENCES,
    Audience,
    Message,
    MessageRecipient,
    MessageStatus,
    RecipientStatus,
)

LANGS = ("kk", "ru", "en")
MAX_SUBJECT = 150
MAX_BODY = 10000


@dataclass
class Draft:
    audience: Audience
    subject: dict[str, str]
    body: dict[str, str]
    category_id: int | None = None


def _clean(texts: dict[str, str]) -> dict[str, str]:
    return {code: (texts.get(code) or "").strip() for code in LANGS if (texts.get(code) or "").strip()}


def check_draft(*, contest: Contest, draft: Draft) -> Draft:
    """Shape and rules: a subject and a text in at least one language (the same ones), a
    category of this contest when writing to one, winners only after publication, and in a
    blind contest nothing to jurors that names a participant."""
    subject, body = _clean(draft.subject), _clean(draft.body)
    if not subject or not body:
        raise InvalidInput(_l("Write the subject and the text in at least one language."), field="subject_kk")
    if set(subject) != set(body):
        raise InvalidInput(_l("Give the subject and the text in the same languages."), field="subject_kk")
    if any("\r" in s or "\n" in s or len(s) > MAX_SUBJECT for s in subject.values()):
        raise InvalidInput(_l("A subject is one line of at most %(n)s characters.", n=MAX_SUBJECT),
                           field="subject_kk")
    if any(len(b) > MAX_BODY for b in body.values()):
        raise InvalidInput(_l("The text is too long."), field="body_kk")
    if draft.audience == Audience.CATEGORY and draft.category_id not in {c.id for c in contest.categories}:
        raise InvalidInput(_l("Choose a category of this contest."), field="category_id")
    if draft.audience == Audience.WINNERS and contest.phase not in audiences.PUBLISHED:
        raise InvalidInput(_l("Winners can be written to only after the results are published."),
                           field="audience")
    if contest.blind and draft.audience in JUROR_AUDIENCES and names_a_participant(contest, subject, body):
        raise InvalidInput(_l("Judging is blind: a message to jurors must not name a participant, their "
                              "school or e-mail. Refer to entries by their codes."), field="body_kk")
    category_id = draft.category_id if draft.audience == Audience.CATEGORY else None
    return Draft(audience=draft.audience, subject=subject, body=body, category_id=category_id)


def names_a_participant(contest: Contest, *texts: dict[str, str]) -> bool:
    """True if any text mentions an author of this contest: a name in any spelling and form
    the blind redaction knows, the author's e-mail, or the author's registered school."""
    from contest.extraction.redaction import Author, redact_text
    from contest.submissions.models import Entry

    people = db.session.execute(select(User.full_name, User.email, User.school).where(
        User.id.in_(select(Entry.student_id).where(Entry.contest_id == contest.id)))).all()
    joined = "\n".join(value for mapping in texts for value in mapping.values())
    folded = joined.casefold()
    for person in people:
        if person.email and person.email.casefold() in folded:
            return True
        if len(person.school or "") > 3 and person.school.casefold() in folded:
            return True
        # Only the name rule: any e-mail or school number in an organizer's text is not a participant.
        found = redact_text(joined, Author(full_name=person.full_name or ""))
        if any(span.rule == "name" for span in found.spans):
            return True
    return False


def create_message(*, contest: Contest, draft: Draft, actor) -> Message:
    """Store a checked message and queue its sending (after commit). Audited."""
    from contest.jobs import enqueue_after_commit
    from contest.messages.tasks import deliver_message

    draft = check_draft(contest=contest, draft=draft)
    message = Message(contest_id=contest.id, audience=draft.audience, category_id=draft.category_id,
                      subject=draft.subject, body=draft.body, created_by_id=actor.id,
                      total=audiences.count_audience(contest, draft.audience, draft.category_id))
    db.session.add(message)
    db.session.flush()
    record_event(action="message.created", actor=actor, obj=message, contest_id=contest.id,
                 new={"audience": draft.audience.value, "category_id": draft.category_id,
                      "languages": sorted(draft.subject), "recipients": message.total})
    enqueue_after_commit(deliver_message, message_id=message.id, dedupe_key=f"message:{message.id}")
    return message


def list_recipients(message: Message, contest: Contest) -> int:
    """Write the recipients' rows once (a re-run adds only missing ones); returns the total."""
    ids = list(db.session.scalars(audiences.audience_ids(contest, message.audience, message.category_id)))
    known = set(db.session.scalars(select(MessageRecipient.user_id).where(
        MessageRecipient.message_id == message.id)))
    fresh = [{"message_id": message.id, "user_id": uid, "status": RecipientStatus.PENDING.value}
             for uid in ids if uid not in known]
    for start in range(0, len(fresh), 1000):
        db.session.execute(insert(MessageRecipient.__table__), fresh[start:start + 1000])
    return len(known) + len(fresh)


def send_batch(message: Message, contest: Contest, size: int) -> int:
    """Send to the next `size` pending recipients; returns how many were handled."""
    from contest.coordinators.queries import mail_recipients
    from contest.messages.notify import email_recipient

    batch = list(db.session.scalars(
        select(MessageRecipient).where(MessageRecipient.message_id == message.id,
                                       MessageRecipient.status == RecipientStatus.PENDING)
        .order_by(MessageRecipient.id).limit(size)))
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_([r.user_id for r in batch])))}
    addresses = mail_recipients(users.values())
    for recipient in batch:
        user_id = recipient.user_id
        email_recipient(message, contest, recipient, users.get(user_id), addresses.get(user_id))
    _count(message)
    return len(batch)


def _count(message: Message) -> None:
    rows = dict(db.session.execute(
        select(MessageRecipient.status, func.count()).where(MessageRecipient.message_id == message.id)
        .group_by(MessageRecipient.status)).all())
    message.sent = rows.get(RecipientStatus.SENT, 0)
    message.failed = rows.get(RecipientStatus.FAILED, 0)


def run_delivery(message_id: int) -> None:
    """The job's body: list recipients, then batches, each committed on its own."""
    message = db.session.get(Message, message_id)
    if message is None or message.status == MessageStatus.DONE:
        return
    contest = db.session.get(Contest, message.contest_id)
    if message.status == MessageStatus.QUEUED:
        message.total = list_recipients(message, contest)
        message.status = MessageStatus.SENDING
        db.session.commit()
    size = int(current_app.config.get("MESSAGE_BATCH_SIZE", 200))
    pause = float(current_app.config.get("MESSAGE_BATCH_PAUSE", 0))
    while send_batch(message, contest, size):
        db.session.commit()
        if pause:
            time.sleep(pause)  # a throttle for slow mail servers (and for tests that kill a worker)
    message.status, message.finished_at = MessageStatus.DONE, utcnow()
    record_event(action="message.delivered", obj=message, contest_id=contest.id,
                 new={"sent": message.sent, "failed": message.failed, "total": message.total})
    db.session.commit()


def text_for(message: Message, lang: str) -> tuple[str, str]:
    """(subject, body) in `lang`, falling back to a language the organizer wrote."""
    return localized(message.subject, lang), localized(message.body, lang)
