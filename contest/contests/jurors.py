"""Juror writes: a juror's profile (languages read, default capacity, school and region for
conflicts of interest) and their attachment to contests (categories judged, capacity)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from contest.accounts.models import User
from contest.audit.services import record_event
from contest.contests.models import Contest, ContestJuror, JurorProfile
from contest.contests.services import LANGS, FieldErrors
from contest.enums import Role
from contest.errors import Conflict, InvalidInput
from contest.extensions import db
from contest.schools import regions
from contest.schools.services import set_school


def get_or_create_profile(juror: User) -> JurorProfile:
    profile = db.session.get(JurorProfile, juror.id)
    if profile is None:
        profile = JurorProfile(user_id=juror.id, languages=[], capacity=None)
        db.session.add(profile)
        db.session.flush()
    return profile


def update_juror_profile(*, juror: User, actor: User, languages: list[str], school: str, region: str,
                         capacity: int | None = None, set_capacity: bool = False) -> JurorProfile:
    """Languages the juror reads (at least one), school and region; organizers also set the
    default capacity (`set_capacity`). Logged, so conflict data has a history."""
    errors = {}
    if juror.role != Role.JUROR:
        raise InvalidInput(_l("Only jurors have a juror profile."))
    if not languages or not set(languages) <= set(LANGS):
        errors["languages"] = _l("Choose at least one language the juror reads.")
    if set_capacity and capacity is not None and capacity < 1:
        errors["capacity"] = _l("Capacity must be at least 1 essay (or empty for no limit).")
    if errors:
        raise FieldErrors(errors)
    profile = get_or_create_profile(juror)
    old = {"languages": profile.languages, "school": juror.school, "region": juror.region,
           "capacity": profile.capacity}
    profile.languages = [code for code in LANGS if code in languages]
    set_school(juror, region=regions.normalize(region) or "", name=school)  # unknown text: no region
    if set_capacity:
        profile.capacity = capacity
    record_event(action="juror.profile_updated", actor=actor, obj=juror, old=old,
                 new={"languages": profile.languages, "school": juror.school, "region": juror.region,
                      "capacity": profile.capacity})
    return profile


def _link_errors(contest: Contest, category_ids: list[int], capacity: int | None) -> dict:
    errors = {}
    if not category_ids:
        errors["category_ids"] = _l("Choose at least one category this juror judges.")
    elif not set(category_ids) <= {c.id for c in contest.categories}:
        errors["category_ids"] = _l("Choose categories of this contest.")
    if capacity is not None and capacity < 1:
        errors["capacity"] = _l("Capacity must be at least 1 essay (or empty for no limit).")
    return errors


def attach_juror(*, contest: Contest, juror: User, category_ids: list[int], capacity: int | None,
                 actor: User) -> ContestJuror:
    """Put a juror on a contest's jury for some categories; capacity defaults to the profile's."""
    if juror.role != Role.JUROR or not juror.active:
        raise InvalidInput(_l("Choose an active juror."), field="user_id")
    existing = db.session.scalar(select(ContestJuror).where(ContestJuror.contest_id == contest.id,
                                                            ContestJuror.user_id == juror.id))
    if existing is not None:
        raise Conflict(_l("This juror is already on this contest's jury."), field="user_id")
    errors = _link_errors(contest, category_ids, capacity)
    if errors:
        raise FieldErrors(errors)
    if capacity is None:
        capacity = get_or_create_profile(juror).capacity
    link = ContestJuror(contest_id=contest.id, user_id=juror.id, category_ids=sorted(category_ids),
                        capacity=capacity)
    db.session.add(link)
    db.session.flush()
    record_event(action="contest.juror_attached", actor=actor, obj=link, contest_id=contest.id,
                 new={"user_id": juror.id, "category_ids": link.category_ids, "capacity": capacity})
    return link


def update_contest_juror(*, contest: Contest, link: ContestJuror, category_ids: list[int],
                         capacity: int | None, actor: User) -> ContestJuror:
    errors = _link_errors(contest, category_ids, capacity)
    if errors:
        raise FieldErrors(errors)
    old = {"category_ids": link.category_ids, "capacity": link.capacity}
    link.category_ids, link.capacity = sorted(category_ids), capacity
    record_event(action="contest.juror_updated", actor=actor, obj=link, contest_id=contest.id, old=old,
                 new={"category_ids": link.category_ids, "capacity": capacity})
    return link


def detach_juror(*, contest: Contest, link: ContestJuror, actor: User) -> None:
    record_event(action="contest.juror_detached", actor=actor, obj=link, contest_id=contest.id,
                 old={"user_id": link.user_id, "category_ids": link.category_ids})
    db.session.delete(link)
    db.session.flush()
