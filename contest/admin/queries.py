"""Reads for the organizer's people pages."""
from sqlalchemy import select

from contest.accounts.models import Token, TokenPurpose, User
from contest.extensions import db


def list_staff() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role != "student").order_by(User.full_name)))


def list_open_invitations() -> list[Token]:
    return list(db.session.scalars(
        select(Token).where(Token.purpose == TokenPurpose.INVITE, Token.used_at.is_(None),
                            Token.revoked_at.is_(None)).order_by(Token.created_at.desc())
    ))
