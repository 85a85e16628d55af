"""Reads for messages: a contest's messages, one message's recipients, a user's inbox."""
from __future__ import annotations

from sqlalchemy import select

from contest.accounts.models import User
from contest.contests.models import Contest
from contest.extensions import db
from contest.messages.models import Message, MessageRecipient, RecipientStatus


def list_messages(contest_id: int) -> list[Message]:
    return list(db.session.scalars(select(Message).where(Message.contest_id == contest_id)
                                   .order_by(Message.created_at.desc(), Message.id.desc())))


def get_message(contest_id: int, message_id: int) -> Message | None:
    message = db.session.get(Message, message_id)
    return message if message is not None and message.contest_id == contest_id else None


def list_recipients(message_id: int, limit: int = 500) -> list[tuple[MessageRecipient, User]]:
    """Failed ones first, then by name."""
    rows = db.session.execute(
        select(MessageRecipient, User).join(User, User.id == MessageRecipient.user_id)
        .where(MessageRecipient.message_id == message_id)
        .order_by((MessageRecipient.status == RecipientStatus.FAILED).desc(), User.full_name).limit(limit))
    return [(r, u) for r, u in rows]


def inbox(user_id: int, limit: int = 10) -> list[tuple[Message, Contest]]:
    """Messages sent to this user, newest first (what their dashboard shows)."""
    rows = db.session.execute(
        select(Message, Contest).join(MessageRecipient, MessageRecipient.message_id == Message.id)
        .join(Contest, Contest.id == Message.contest_id)
        .where(MessageRecipient.user_id == user_id, MessageRecipient.status == RecipientStatus.SENT)
        .order_by(MessageRecipient.sent_at.desc(), Message.id.desc()).limit(limit))
    return [(m, c) for m, c in rows]
