"""Reads for messages: a contest's messages, one message's recipients, a user's inbox."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam, func, select

from contest.accounts.models import User
from contest.contests.models import Contest
from contest.db import plain_rows
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


@dataclass
class InboxItem:
    subject: dict  # name maps (JSON) by language
    body: dict
    created_at: object
    contest_title: dict
    timezone: str


_NEWEST_FIRST = (MessageRecipient.sent_at.desc(), Message.id.desc())


def _inbox(user_id, limit, *columns):
    """The user's sent messages, newest first: subject, body, created_at, the contest's title
    and time zone, then `columns`."""
    return (select(Message.subject, Message.body, Message.created_at, Contest.title.label("contest_title"),
                   Contest.timezone, *columns)
            .join(MessageRecipient, MessageRecipient.message_id == Message.id)
            .join(Contest, Contest.id == Message.contest_id)
            .where(MessageRecipient.user_id == user_id, MessageRecipient.status == RecipientStatus.SENT)
            .order_by(*_NEWEST_FIRST).limit(limit))


def inbox_select(user_id, limit: int):
    """The inbox as a subquery, its order in column `n` (1 = newest), for a page that reads
    it in its own statement (the juror dashboard): on PostgreSQL each statement is a round
    trip and a parse, which cost more than these few rows."""
    return _inbox(user_id, limit, func.row_number().over(order_by=_NEWEST_FIRST).label("n")).subquery("inbox")


@cache
def _inbox_statement():
    """Built once: every dashboard runs it, and building the ORM statement with its two
    entities cost more than running it."""
    return _inbox(bindparam("user_id"), bindparam("limit"))


def inbox(user_id: int, limit: int = 10) -> list[InboxItem]:
    """Messages sent to this user, newest first (what their dashboard shows), as plain rows."""
    rows = plain_rows(db.session, _inbox_statement(), {"user_id": user_id, "limit": limit})
    return [InboxItem(*row) for row in rows]
