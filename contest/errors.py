"""Domain errors raised by services; views turn them into flashes or form errors.

Each carries a translatable message (lazy_gettext) so the view can show it as is.
"""
from __future__ import annotations


class DomainError(Exception):
    """Base of every business-rule refusal."""

    def __init__(self, message, *, field: str | None = None, code: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code


class NotAllowed(DomainError):
    """The actor may not do this (maps to 403/404 in views)."""


class NotFound(DomainError):
    """The object does not exist or is not visible to the actor."""


class Conflict(DomainError):
    """Someone else changed the object first (version mismatch, duplicate)."""


class InvalidInput(DomainError):
    """The input breaks a business rule."""


class TokenError(DomainError):
    """A token is unknown, used, revoked or expired."""
