"""Every e-mail about a pupil follows the consent the coordinator (or the pupil) recorded: a pupil
who has not claimed their record, or has not agreed to e-mails, is reached through their
coordinator, in the coordinator's language; only a pupil who claimed and agreed gets mail.
(Before: receipts followed the rule, but results, deadline extensions, shortlist notices and
group messages went to the pupil's own address whatever their consent, or nowhere.)"""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from contest.accounts.models import User
from contest.awards.delivery import notify_participants
from contest.awards.models import Publication
from contest.coordinators import services
from contest.db import utcnow
from contest.enums import Role
from contest.extensions import db
from contest.mail.models import OutgoingEmail
from contest.messages.models import Audience
from contest.messages.services import Draft, create_message, run_delivery
from contest.rounds.notices import notify_shortlist
from contest.submissions.extension_models import DeadlineExtension
from contest.submissions.notices import notify_extension
from tests.factories import make_contest, make_entry, make_user

pytestmark = pytest.mark.postgres
TEACHER = "gulnar@school5.kz"


@pytest.fixture
def school(app):
    """A coordinator (English) with three pupils and a student who registered herself."""
    contest = make_contest()
    coordinator = make_user(Role.COORDINATOR, email=TEACHER, language="en", school="Школа №5",
                            region="aktobe")
    records = {}
    for name, claimed, consent in (("unclaimed", False, True), ("no_consent", True, False),
                                   ("consents", True, True)):
        pupil = services.add_pupil(coordinator=coordinator, full_name=f"Pupil {name}", grade="5-8",
                                   language="kk", contact_email=f"{name}@mail.kz", email_consent=consent,
                                   is_minor=False)
        record = db.session.get(User, pupil.user_id)
        if claimed:  # as services.claim does: the pupil's own address, an active account
            record.email, record.active, pupil.claimed_at = f"{name}@mail.kz", True, utcnow()
        records[name] = record
    records["self"] = make_user(Role.STUDENT, email="self@mail.kz", language="ru")
    entries = {name: make_entry(contest, record) for name, record in records.items()}
    db.session.commit()
    return SimpleNamespace(contest=contest, coordinator=coordinator, records=records, entries=entries)


def _mail():
    db.session.flush()
    return sorted((m.to, m.subject) for m in db.session.scalars(select(OutgoingEmail)))


def _addresses():
    return sorted(m.to for m in db.session.scalars(select(OutgoingEmail)))


def test_a_deadline_extension_reaches_a_pupil_only_with_consent(school):
    for record in school.records.values():
        extension = DeadlineExtension(contest_id=school.contest.id, student_id=record.id,
                                      until=utcnow() + timedelta(days=2), reason="ill")
        db.session.add(extension)
        db.session.flush()
        notify_extension(contest=school.contest, student=record, extension=extension)
    assert _addresses() == sorted(["consents@mail.kz", "self@mail.kz", TEACHER, TEACHER])
    to_teacher = [s for to, s in _mail() if to == TEACHER]
    assert all("deadline" in s for s in to_teacher)  # in the coordinator's language (English)


def test_shortlist_notices_follow_the_same_rule(school):
    rows = [SimpleNamespace(entry_id=entry.id, selected=True, round_id=1, notified_at=None)
            for entry in school.entries.values()]
    assert notify_shortlist(contest=school.contest, rows=rows) == 4
    assert _addresses() == sorted(["consents@mail.kz", "self@mail.kz", TEACHER, TEACHER])


def test_results_follow_the_same_rule(school):
    ranking = [{"entry_id": entry.id, "tier_id": None, "kind": None, "tier_name": {}, "place": place,
                "group_size": 4, "score": 90.0 - place}
               for place, entry in enumerate(school.entries.values(), start=1)]
    publication = Publication(contest_id=school.contest.id, revision=1, published_at=utcnow(),
                              ranking=ranking)
    db.session.add(publication)
    db.session.flush()
    assert notify_participants(school.contest, publication) == 4
    assert _addresses() == sorted(["consents@mail.kz", "self@mail.kz", TEACHER, TEACHER])
    assert "unclaimed@mail.kz" not in _addresses() and "no_consent@mail.kz" not in _addresses()


def test_a_message_to_students_reaches_pupils_through_their_coordinator_once(school):
    organizer = make_user(Role.ORGANIZER)
    draft = Draft(Audience.STUDENTS, subject={"en": "Important", "kk": "Маңызды"},
                  body={"en": "Read me.", "kk": "Оқы."})
    message = create_message(contest=school.contest, actor=organizer, draft=draft)
    db.session.commit()
    run_delivery(message.id)
    db.session.refresh(message)
    assert (message.total, message.sent, message.failed) == (4, 4, 0)
    # The coordinator hears once for the two pupils who are reached through them.
    assert _addresses() == sorted(["consents@mail.kz", "self@mail.kz", TEACHER])
    assert dict(_mail())[TEACHER] == "Important"  # the coordinator reads English
