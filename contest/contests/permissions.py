"""Who may do what with a contest: the one place for organizer permissions.

An organizer account reaches a contest's organizer pages only through a role in it
(ContestMember: owner, co-organizer, observer, jury chair, transcriber); a site administrator
(`User.is_admin`) reaches every contest. What each role may do is the GRANTS table below.
Organizer views declare what they need with `@contest_access(Capability.X)` under
`@access(Role.ORGANIZER)`: no role in the contest answers 404 (as for a missing contest),
a role without the capability answers 403. Templates call the same predicates. A transcriber
holds only TRANSCRIBE: the contest is not in their lists of contests (visible_contest_ids),
and every other page of it answers 403.

Other domains import the small predicates: can_view_desk, can_see_entries, can_see_results,
can_manage_contest, can_view_audit, can_manage_roles, is_jury_chair, can_sign_protocol,
and can_merge_schools (site administrators only: schools are shared by all contests).
"""
from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps

from flask import abort, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import select

from contest.accounts.permissions import is_organizer
from contest.contests.models import Contest, ContestMember, ContestRole, Phase
from contest.extensions import db


class Capability(enum.StrEnum):
    VIEW = "view"  # the overview and live counts
    ENTRIES = "entries"  # registry, participants, entry pages and files (names of authors)
    RESULTS = "results"  # ranking, statistics, judging progress, awards (read), exports
    MANAGE = "manage"  # settings, phases, jury, assignment, decisions, awards, publication
    AUDIT = "audit"  # the audit-log viewer
    ROLES = "roles"  # who holds which role in the contest
    TRANSCRIBE = "transcribe"  # the transcription queue and screen: page images, typing the text


GRANTS: dict[ContestRole, frozenset[Capability]] = {
    ContestRole.OWNER: frozenset(Capability),
    ContestRole.CO_ORGANIZER: frozenset({Capability.VIEW, Capability.ENTRIES, Capability.RESULTS,
                                         Capability.MANAGE, Capability.TRANSCRIBE}),
    ContestRole.OBSERVER: frozenset({Capability.VIEW, Capability.ENTRIES, Capability.RESULTS}),
    ContestRole.JURY_CHAIR: frozenset({Capability.VIEW, Capability.RESULTS, Capability.AUDIT}),
    ContestRole.TRANSCRIBER: frozenset({Capability.TRANSCRIBE}),
}
# Roles whose contests appear in the organizer's lists (home, contests, attention, judging).
DESK_ROLES = tuple(role for role, caps in GRANTS.items() if Capability.VIEW in caps)


def is_site_admin(user) -> bool:
    return bool(is_organizer(user) and getattr(user, "is_admin", False))


def _contest_id(contest: Contest | int | None) -> int | None:
    return contest if isinstance(contest, int) or contest is None else contest.id


def contest_role(user, contest: Contest | int | None) -> ContestRole | None:
    """The organizer's role in the contest, or None (cached for the request)."""
    contest_id = _contest_id(contest)
    if contest_id is None or not is_organizer(user):
        return None
    cache = g.setdefault("_contest_roles", {}) if has_request_context() else {}
    key = (user.id, contest_id)
    if key not in cache:
        cache[key] = db.session.scalar(select(ContestMember.role).where(
            ContestMember.contest_id == contest_id, ContestMember.user_id == user.id))
    return cache[key]


def remember_contest_role(user, contest_id: int, role: ContestRole | None) -> None:
    """The role read with the user (contest.accounts.loader), so contest_role need not read it."""
    if is_organizer(user) and has_request_context():
        g.setdefault("_contest_roles", {})[(user.id, contest_id)] = role


def can(user, contest: Contest | int | None, capability: Capability) -> bool:
    """May the user do `capability` in this contest? Admins may do everything."""
    if _contest_id(contest) is None:
        return False
    if is_site_admin(user):
        return True
    role = contest_role(user, contest)
    return role is not None and capability in GRANTS[role]


def holds_role(user, contest) -> bool:
    """Any role in the contest (or a site administrator): the rest is a 403, not a 404."""
    return is_site_admin(user) or contest_role(user, contest) is not None


def can_view_desk(user, contest) -> bool:
    return can(user, contest, Capability.VIEW)


def can_transcribe(user, contest) -> bool:
    return can(user, contest, Capability.TRANSCRIBE)


def can_see_entries(user, contest) -> bool:
    return can(user, contest, Capability.ENTRIES)


def can_see_results(user, contest) -> bool:
    return can(user, contest, Capability.RESULTS)


def can_manage_contest(user, contest) -> bool:
    return can(user, contest, Capability.MANAGE)


def can_view_audit(user, contest) -> bool:
    return can(user, contest, Capability.AUDIT)


def can_manage_roles(user, contest) -> bool:
    return can(user, contest, Capability.ROLES)


def is_jury_chair(user, contest) -> bool:
    return contest_role(user, contest) == ContestRole.JURY_CHAIR


def can_sign_protocol(user, contest) -> bool:
    """The jury protocol is for the owners and the jury chair (and site administrators)."""
    return is_site_admin(user) or contest_role(user, contest) in (ContestRole.OWNER, ContestRole.JURY_CHAIR)


def can_merge_schools(user) -> bool:
    """Schools are one list for the whole site: a merge moves people of every contest and
    changes conflicts of interest in contests the organizer may hold no role in. So only a
    site administrator merges; contest owners see the list and ask one."""
    return is_site_admin(user)


def visible_contest_ids(user):
    """A subquery of the contest ids the organizer holds a desk role in (not a transcriber's:
    they reach only their queue); None for an administrator (every contest). Lists of
    contests filter on it."""
    if is_site_admin(user):
        return None
    return select(ContestMember.contest_id).where(
        ContestMember.user_id == user.id, ContestMember.role.in_(DESK_ROLES)).scalar_subquery()


def scope_contests(query, user, column=Contest.id):
    """`query` restricted to the contests the organizer may see."""
    ids = visible_contest_ids(user)
    return query if ids is None else query.where(column.in_(ids))


def contest_from_kwargs(kwargs: dict) -> int | None:
    return kwargs.get("contest_id")


def contest_access(capability: Capability, via: Callable[[dict], int | None] = contest_from_kwargs, *,
                   post: Capability | None = None):
    """Declare the capability a view needs in the contest its URL names (`post`: what a POST
    to it needs, when more). `via` maps the view's arguments to the contest id (default:
    `contest_id`; an entry's or a diploma's contest for routes that name those).
    Missing object or no role: 404. A role without the capability: 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            contest_id = via(kwargs)
            if contest_id is None or not holds_role(current_user, contest_id):
                abort(404)
            needed = post if post is not None and request.method == "POST" else capability
            if not can(current_user, contest_id, needed):
                abort(403)
            return view(*args, **kwargs)

        wrapped.contest_capability = capability
        wrapped.contest_capability_post = post or capability
        return wrapped

    return decorator


def can_view_contest(user, contest: Contest | None) -> bool:
    """Public pages: drafts exist only for the organizers holding a role in them (who preview
    them); every other phase is public."""
    return contest is not None and (contest.phase != Phase.DRAFT or can_view_desk(user, contest))


def can_edit_juror_profile(user, juror) -> bool:
    """A juror edits their own profile; organizers edit any juror's."""
    return juror is not None and user.is_authenticated and (is_organizer(user) or user.id == juror.id)
