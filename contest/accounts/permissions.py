"""Route access declarations. Every view states who may reach it; a test walks the URL map
and fails for any route that does not, so no route can escape the role matrix."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from contest.enums import Role

PUBLIC = "public"
SIGNED_IN = "signed_in"


def access(*who: str | Role) -> Callable:
    """Declare who may use a view: PUBLIC, SIGNED_IN, or roles. Anonymous users of a
    non-public view go to the login page; signed-in users without the role get 403."""
    allowed = frozenset(who)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if PUBLIC not in allowed:
                if not current_user.is_authenticated:
                    from contest.extensions import login_manager

                    return login_manager.unauthorized()
                if SIGNED_IN not in allowed and current_user.role not in allowed:
                    abort(403)
            return view(*args, **kwargs)

        wrapped.access = allowed
        return wrapped

    return decorator


def is_organizer(user) -> bool:
    return bool(user.is_authenticated and user.role == Role.ORGANIZER)
