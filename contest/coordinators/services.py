"""Writes for school coordinators: registration, pupils, consent, entries for pupils, claiming.

A coordinator's entries go through the submissions services with the pupil's record as the
student, so receipts, limits, flags, statuses, documents and conflicts of interest are the
same as for a pupil who registered alone. What is added here: the coordinator's caps per
contest, the rule that a minor needs a guardian's consent before an entry, the coordinator
printed as supervisor, and an audit event naming the coordinator.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from contest.accounts import services as accounts
from contest.accounts.models import Token, TokenPurpose, User
from contest.audit.services import record_event
from contest.contests.models import Contest
from contest.coordinators import queries
from contest.coordinators.models import PLACEHOLDER_DOMAIN, CoordinatorLimit, Pupil
from contest.db import utcnow
from contest.enums import Role
from contest.errors import InvalidInput, NotAllowed
from contest.extensions import db
from contest.mail.services import send_email
from contest.schools.services import set_school
from contest.submissions import queries as entry_queries
from contest.submissions import services as submissions
from contest.submissions.models import Entry

CLAIM_TTL = timedelta(days=14)
GRADES = ("5-8", "9-11", "college", "university", "other")


def register_coordinator(*, email: str, password: str, full_name: str, school: str, region: str,
                         language: str, client: str | None = None) -> User | None:
    """Registered and confirmed like a student (same mail, limits and same answer for a known
    address), then made a coordinator of the school chosen in the region's list."""
    if not school.strip():
        raise InvalidInput(_l("Enter the name of your school."), field="school")
    user = accounts.register_student(email=email, password=password, full_name=full_name, school=school,
                                     grade="", region=region, language=language, is_minor=False,
                                     guardian_consent=False, publish_name_consent=False, client=client)
    if user is not None:
        user.role = Role.COORDINATOR
        db.session.flush()
    return user


def _clean(text: str, limit: int = 200) -> str:
    return " ".join((text or "").split())[:limit]


def _check_pupil_fields(*, full_name: str, grade: str, language: str, contact_email: str) -> str:
    if not _clean(full_name):
        raise InvalidInput(_l("Enter the pupil's full name."), field="full_name")
    if grade not in GRADES:
        raise InvalidInput(_l("Choose the pupil's grade."), field="grade")
    if language not in current_app.config["LANGUAGES"]:
        raise InvalidInput(_l("Choose the pupil's language."), field="language")
    email = accounts.normalize_email(contact_email or "")
    if email and ("@" not in email or email.endswith(".invalid")):
        raise InvalidInput(_l("Enter a valid e-mail address or leave it empty."), field="contact_email")
    return email


def add_pupil(*, coordinator: User, full_name: str, grade: str, language: str, contact_email: str = "",
              is_minor: bool = True, guardian_consent: bool = False, guardian_name: str = "",
              publish_consent: bool = False, email_consent: bool = False) -> Pupil:
    """A pupil record at the coordinator's school, with the consent the coordinator recorded."""
    email = _check_pupil_fields(full_name=full_name, grade=grade, language=language,
                                contact_email=contact_email)
    if queries.count_records(coordinator.id) >= current_app.config["COORDINATOR_MAX_RECORDS"]:
        raise NotAllowed(_l("You have reached the number of pupils one coordinator can keep (%(n)s).",
                            n=current_app.config["COORDINATOR_MAX_RECORDS"]))
    record = User(email=f"pupil-{secrets.token_hex(10)}@{PLACEHOLDER_DOMAIN}", password_hash=None,
                  full_name=_clean(full_name), role=Role.STUDENT, grade=grade, language=language,
                  active=False)
    set_school(record, region=coordinator.region, name=coordinator.school)
    db.session.add(record)
    db.session.flush()
    pupil = Pupil(coordinator_id=coordinator.id, user_id=record.id, contact_email=email)
    db.session.add(pupil)
    _apply_consent(pupil, record, coordinator, is_minor=is_minor, guardian_consent=guardian_consent,
                   guardian_name=guardian_name, publish_consent=publish_consent, email_consent=email_consent)
    record_event(action="pupil.added", actor=coordinator, obj=record,
                 new={"grade": grade, "language": language, "has_email": bool(email)})
    return pupil


def update_pupil(*, coordinator: User, pupil: Pupil, record: User, full_name: str, grade: str, language: str,
                 contact_email: str, is_minor: bool, guardian_consent: bool, guardian_name: str,
                 publish_consent: bool, email_consent: bool) -> None:
    """The coordinator corrects a pupil and their consent, until the pupil claims the record."""
    if pupil.claimed_at is not None:
        raise NotAllowed(_l("This pupil has taken over their account; only they can change it now."))
    email = _check_pupil_fields(full_name=full_name, grade=grade, language=language,
                                contact_email=contact_email)
    record.full_name, record.grade, record.language = _clean(full_name), grade, language
    pupil.contact_email = email
    _apply_consent(pupil, record, coordinator, is_minor=is_minor, guardian_consent=guardian_consent,
                   guardian_name=guardian_name, publish_consent=publish_consent, email_consent=email_consent)


def _apply_consent(pupil: Pupil, record: User, actor: User, *, is_minor: bool, guardian_consent: bool,
                   guardian_name: str, publish_consent: bool, email_consent: bool) -> None:
    """Store the consent with who recorded it and when; a guardian's consent names the guardian."""
    guardian_name = _clean(guardian_name)
    if is_minor and guardian_consent and not guardian_name:
        raise InvalidInput(_l("Write the name of the parent or guardian who gave consent."),
                           field="guardian_name")
    old = consent_of(pupil, record)
    record.is_minor = is_minor
    record.guardian_consent = bool(is_minor and guardian_consent)
    record.publish_name_consent = publish_consent
    pupil.email_consent = email_consent
    pupil.guardian_name = guardian_name if record.guardian_consent else ""
    pupil.consent_recorded_at, pupil.consent_recorded_by_id = utcnow(), actor.id
    db.session.flush()
    new = consent_of(pupil, record)
    if new != old:
        record_event(action="pupil.consent", actor=actor, obj=record, old=old, new=new)


def consent_of(pupil: Pupil, record: User) -> dict:
    return {"minor": record.is_minor, "guardian": record.guardian_consent,
            "public_results": record.publish_name_consent, "emails": pupil.email_consent}


def change_own_consent(*, pupil_user: User, publish_consent: bool, email_consent: bool) -> None:
    """A pupil who claimed their record changes the consent the coordinator recorded."""
    pupil = queries.pupil_of_user(pupil_user.id)
    if pupil is None or pupil.claimed_at is None:
        raise NotAllowed(_l("This page is for pupils whose teacher entered them."))
    old = consent_of(pupil, pupil_user)
    pupil_user.publish_name_consent, pupil.email_consent = publish_consent, email_consent
    pupil.consent_recorded_at, pupil.consent_recorded_by_id = utcnow(), pupil_user.id
    db.session.flush()
    record_event(action="pupil.consent", actor=pupil_user, obj=pupil_user, old=old,
                 new=consent_of(pupil, pupil_user))


# --- entries for pupils ----------------------------------------------------------------------

def _require_acting(coordinator: User, record: User) -> None:
    if not queries.may_act_for(coordinator, record.id):
        raise NotAllowed(_l("This pupil has taken over their account; only they can change their entries."))


def _check_caps(coordinator: User, record: User, contest: Contest) -> None:
    """The contest's caps on one coordinator, counted under the coordinator's own row lock (the
    caps are per coordinator; the contest row stays free for everyone's receipt numbers)."""
    db.session.execute(select(User.id).where(User.id == coordinator.id).with_for_update())
    max_pupils, max_entries = queries.limits(contest.id)
    pupils, entries = queries.usage(coordinator.id, contest.id)
    if entries >= max_entries:
        raise NotAllowed(_l("You have submitted the most entries one coordinator may send to this contest "
                            "(%(n)s).", n=max_entries))
    if pupils >= max_pupils and queries.usage_of_pupil(record.id, contest.id) == 0:
        raise NotAllowed(_l("You have entered the most pupils one coordinator may enter in this contest "
                            "(%(n)s).", n=max_pupils))


def submit_for(*, coordinator: User, record: User, contest: Contest, topic_id: int, category_id: int,
               upload: submissions.Upload, submit_key: str, supervisor: str = ""):
    """An entry for a pupil through the ordinary submission; the coordinator is the supervisor
    printed on the documents unless another one is named."""
    _require_acting(coordinator, record)
    if record.is_minor and not record.guardian_consent:
        raise NotAllowed(_l("Record the consent of the pupil's parent or guardian before submitting."))
    existing = entry_queries.find_version_by_submit_key(record.id, submit_key)
    if existing is not None:
        return existing
    _check_caps(coordinator, record, contest)
    version = submissions.submit_entry(student=record, contest=contest, topic_id=topic_id,
                                       category_id=category_id, upload=upload, submit_key=submit_key,
                                       supervisor=_clean(supervisor) or coordinator.full_name)
    record_event(action="coordinator.entry_submitted", actor=coordinator, obj=version.entry,
                 contest_id=contest.id, new={"code": version.entry.code, "pupil": record.id})
    return version


def replace_for(*, coordinator: User, record: User, entry: Entry, upload: submissions.Upload,
                submit_key: str):
    _require_acting(coordinator, record)
    version = submissions.replace_entry(student=record, entry=entry, upload=upload, submit_key=submit_key)
    record_event(action="coordinator.entry_replaced", actor=coordinator, obj=entry,
                 contest_id=entry.contest_id, new={"version": version.number})
    return version


def withdraw_for(*, coordinator: User, record: User, entry: Entry) -> None:
    _require_acting(coordinator, record)
    submissions.withdraw_entry(student=record, entry=entry)
    record_event(action="coordinator.entry_withdrawn", actor=coordinator, obj=entry,
                 contest_id=entry.contest_id)


def set_limits(*, organizer: User, contest: Contest, max_pupils: int, max_entries: int) -> CoordinatorLimit:
    if not (1 <= max_pupils <= 10_000 and 1 <= max_entries <= 10_000):
        raise InvalidInput(_l("Each limit must be a whole number from 1 to 10000."))
    row = db.session.get(CoordinatorLimit, contest.id)
    old = queries.limits(contest.id)
    if row is None:
        row = CoordinatorLimit(contest_id=contest.id, max_pupils=max_pupils, max_entries=max_entries)
        db.session.add(row)
    row.max_pupils, row.max_entries = max_pupils, max_entries
    db.session.flush()
    record_event(action="coordinator.limits", actor=organizer, obj=contest, contest_id=contest.id,
                 old={"pupils": old[0], "entries": old[1]},
                 new={"pupils": max_pupils, "entries": max_entries})
    return row


# --- claiming --------------------------------------------------------------------------------

def send_claim_link(*, coordinator: User, pupil: Pupil, record: User) -> Token:
    """E-mail the pupil a single-use link to take over their record (needs their address and
    their consent to e-mails); an earlier link stops working."""
    if pupil.claimed_at is not None:
        raise NotAllowed(_l("This pupil has already taken over their account."))
    if not pupil.contact_email:
        raise InvalidInput(_l("Add the pupil's e-mail address first."))
    if not pupil.email_consent:
        raise InvalidInput(
            _l("Record the consent to e-mails first: the link is sent to the pupil's address."))
    if accounts.get_user_by_email(pupil.contact_email) is not None:
        raise InvalidInput(_l("This e-mail address already has an account on the platform."))
    accounts.revoke_open_tokens(record, TokenPurpose.CLAIM)
    token, raw = accounts.issue_token(purpose=TokenPurpose.CLAIM, ttl=CLAIM_TTL, email=pupil.contact_email,
                                      user=record, created_by=coordinator)
    with force_locale(record.language):
        body = render_template("mail/pupil_claim.txt", pupil=record, coordinator=coordinator,
                               link=accounts.external_url("coordinators.claim", token=raw))
        send_email(to=pupil.contact_email, subject=_("Your essays on the contest platform"), body=body,
                   language=record.language)
    record_event(action="pupil.claim_link", actor=coordinator, obj=record)
    return token


def claim_record(*, raw_token: str, password: str, publish_consent: bool, email_consent: bool) -> User:
    """The pupil takes over the record: their address, a password, their own consent. The
    entries are already theirs (they were submitted on this record)."""
    token = accounts.peek_token(raw_token, TokenPurpose.CLAIM)
    if accounts.get_user_by_email(token.email) is not None:
        raise InvalidInput(_l("This e-mail address already has an account on the platform."))
    token = accounts.consume_token(raw_token, TokenPurpose.CLAIM)
    record = db.session.get(User, token.user_id)
    pupil = queries.pupil_of_user(record.id)
    record.email, record.active = token.email, True
    accounts.set_password(record, password)
    pupil.claimed_at = utcnow()
    db.session.flush()
    record_event(action="pupil.claimed", actor=record, obj=record)
    change_own_consent(pupil_user=record, publish_consent=publish_consent, email_consent=email_consent)
    return record
