"""School coordinators: pupils without accounts, consent, entries through the ordinary
submission services, caps per contest, claiming, access between two schools, conflicts."""
import io
import re
import secrets

import pytest
from sqlalchemy import select

from contest.accounts.models import Token, User
from contest.audit.models import AuditEvent
from contest.coordinators import queries, services
from contest.coordinators.models import Pupil
from contest.enums import Role
from contest.extensions import db
from contest.judging import assign_services
from contest.judging.models import Assignment
from contest.mail.models import OutgoingEmail
from contest.schools.services import set_school
from contest.submissions.models import Entry, EntryStatus, EntryVersion
from tests.factories import PASSWORD, make_contest, make_juror, make_user

pytestmark = pytest.mark.postgres
ESSAY = "A pupil's essay about law and order in our town. " * 30
PUPIL = {"full_name": "Әлия Нұрланқызы", "grade": "5-8", "language": "kk", "contact_email": "",
         "is_minor": "y", "guardian_consent": "y", "guardian_name": "Нұрлан Әбенов"}


def _coordinator(school="Школа-гимназия №5", region="aktobe", **fields):
    user = make_user(Role.COORDINATOR, commit=False, **fields)
    set_school(user, region=region, name=school)
    db.session.commit()
    return user


def _add(client, **changes):
    page = client.post("/coordinator/pupils/new", data={**PUPIL, **changes})
    assert page.status_code == 302, page.get_data(as_text=True)
    return db.session.scalar(select(Pupil).order_by(Pupil.id.desc()))


def _submit(client, pupil, contest, *, text=ESSAY, supervisor="", key=None, filename="essay.txt"):
    form = {"topic": str(contest.topics[0].id), "category": str(contest.categories[0].id),
            "submit_key": key or secrets.token_urlsafe(18), "supervisor": supervisor}
    if filename:
        form["file"] = (io.BytesIO(text.encode()), filename)
    return client.post(f"/coordinator/pupils/{pupil.id}/contests/{contest.id}/submit", data=form,
                       content_type="multipart/form-data")


def test_registration_makes_an_inactive_coordinator_at_a_school_of_the_list(app, client):
    form = {"full_name": "Гүлнар Серікова", "email": "Teacher@School5.kz", "password": "a long password 1",
            "region": "Актюбинская обл.", "school": "Гимназия №56", "language": "ru"}
    assert client.post("/coordinator/register", data=form).status_code == 200
    user = db.session.scalar(select(User))
    assert (user.email, user.role, user.active, user.region, user.school) == (
        "teacher@school5.kz", Role.COORDINATOR, False, "aktobe", "Гимназия №56")
    refused = client.post("/coordinator/register", data={**form, "email": "b@school5.kz", "region": "Mars"})
    assert "Choose the region or city from the list." in refused.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(User.id))) == 1


def test_a_pupil_record_has_no_account_and_the_school_of_the_coordinator(app, client, auth):
    coordinator = _coordinator()
    auth.login(coordinator)
    pupil = _add(client, contact_email="Aliya@Mail.kz", publish_consent="y")
    record = db.session.get(User, pupil.user_id)
    assert (record.role, record.active, record.password_hash, record.email.endswith("@pupils.invalid")) == (
        Role.STUDENT, False, None, True)
    assert (record.school_id, record.school, record.region, record.grade, record.language) == (
        coordinator.school_id, "Школа-гимназия №5", "aktobe", "5-8", "kk")
    assert (record.is_minor, record.guardian_consent, record.publish_name_consent, pupil.email_consent) == (
        True, True, True, False)
    assert (pupil.contact_email, pupil.guardian_name, pupil.consent_recorded_by_id) == (
        "aliya@mail.kz", "Нұрлан Әбенов", coordinator.id)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "pupil.consent"))
    assert event.new == {"minor": True, "guardian": True, "public_results": True, "emails": False}
    auth.logout()  # the record cannot sign in, not even with a password that would fit
    auth.login(record.email, PASSWORD)
    assert "/account/login" in client.get("/dashboard").headers["Location"]


def test_guardian_consent_needs_the_guardian_name_and_a_minor_without_it_cannot_be_entered(app, client, auth):
    contest = make_contest()
    auth.login(_coordinator())
    page = client.post("/coordinator/pupils/new", data={**PUPIL, "guardian_name": ""})
    assert "Write the name of the parent or guardian who gave consent." in page.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(Pupil.id))) == 0
    pupil = _add(client, guardian_consent="", guardian_name="")
    page = _submit(client, pupil, contest)
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "Record the consent of the pupil&#39;s parent or guardian before submitting." in text
    assert db.session.scalar(select(db.func.count(Entry.id))) == 0


def test_the_coordinator_submits_replaces_and_withdraws_with_the_same_receipts(app, client, auth):
    contest = make_contest()
    coordinator = _coordinator(full_name="Гүлнар Серікова", email="gulnar@school5.kz")
    auth.login(coordinator)
    pupil = _add(client)
    page = _submit(client, pupil, contest)
    assert page.status_code == 302 and "/receipt/1" in page.headers["Location"]
    entry = db.session.scalar(select(Entry))
    assert (entry.student_id, entry.code, entry.status, entry.supervisor) == (
        pupil.user_id, "ZT-2026-0001", EntryStatus.RECEIVED, "Гүлнар Серікова")
    receipt = client.get(page.headers["Location"]).get_data(as_text=True)
    assert "ZT-2026-0001" in receipt
    mail = db.session.scalar(select(OutgoingEmail))
    # To the coordinator (the pupil has no address), in the coordinator's language.
    assert (mail.to, mail.subject) == ("gulnar@school5.kz", "Receipt ZT-2026-0001: your essay was received")
    status = client.get(f"/entries/{entry.id}").get_data(as_text=True)
    assert f"/coordinator/entries/{entry.id}/replace" in status
    replaced = client.post(f"/coordinator/entries/{entry.id}/replace", content_type="multipart/form-data",
                           data={"submit_key": secrets.token_urlsafe(18),
                                 "file": (io.BytesIO(ESSAY.encode() + b" Second."), "essay.txt")})
    assert replaced.status_code == 302 and "/receipt/2" in replaced.headers["Location"]
    client.post(f"/coordinator/entries/{entry.id}/withdraw")
    db.session.expire_all()
    assert (entry.status, len(entry.versions)) == (EntryStatus.WITHDRAWN, 2)
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"entry.submitted", "coordinator.entry_submitted", "coordinator.entry_replaced",
            "coordinator.entry_withdrawn", "entry.withdrawn"} <= actions


def test_a_named_supervisor_is_printed_instead_of_the_coordinator(app, client, auth):
    contest = make_contest()
    auth.login(_coordinator(full_name="Гүлнар Серікова"))
    _submit(client, _add(client), contest, supervisor="  Асқар   Бекұлы ")
    assert db.session.scalar(select(Entry.supervisor)) == "Асқар Бекұлы"


def test_bad_input_is_refused_and_stores_nothing(app, client, auth):
    contest = make_contest(formats=["pdf"])
    auth.login(_coordinator())
    pupil = _add(client)
    page = _submit(client, pupil, contest)
    assert page.status_code == 400 and "This contest accepts only: PDF." in page.get_data(as_text=True)
    assert (db.session.scalar(select(db.func.count(Entry.id))),
            db.session.scalar(select(db.func.count(EntryVersion.id)))) == (0, 0)
    page = client.post("/coordinator/pupils/new", data={**PUPIL, "grade": "phd"})
    assert "Not a valid choice" in page.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(Pupil.id))) == 1


def test_caps_per_coordinator_are_set_per_contest(app, client, auth):
    contest = make_contest(entries_per_student=3)
    other = make_contest(code_prefix="XY", entries_per_student=3)
    organizer = make_user(Role.ORGANIZER)
    auth.login(organizer)
    assert client.post(f"/organizer/contests/{contest.id}/coordinators",
                       data={"max_pupils": "1", "max_entries": "2"}).status_code == 302
    assert client.post(f"/organizer/contests/{contest.id}/coordinators",
                       data={"max_pupils": "0", "max_entries": "2"}).status_code == 200
    assert queries.limits(contest.id) == (1, 2)
    auth.logout()
    coordinator = _coordinator()
    auth.login(coordinator)
    first, second = _add(client), _add(client, full_name="Бекзат")
    assert _submit(client, first, contest).status_code == 302
    page = _submit(client, second, contest)
    assert "You have entered the most pupils one coordinator may enter in this contest (1)." in \
        page.get_data(as_text=True)
    assert _submit(client, first, contest).status_code == 302
    page = _submit(client, first, contest)
    assert "You have submitted the most entries one coordinator may send to this contest (2)." in \
        page.get_data(as_text=True)
    assert _submit(client, second, other).status_code == 302  # the other contest keeps the defaults
    assert queries.usage(coordinator.id, contest.id) == (1, 2)


def test_a_coordinator_of_another_school_reaches_nothing(app, client, auth):
    contest = make_contest()
    auth.login(_coordinator())
    pupil = _add(client)
    _submit(client, pupil, contest)
    entry = db.session.scalar(select(Entry))
    auth.logout()
    auth.login(_coordinator(school="Лицей №21", region="almaty"))
    for url in (f"/coordinator/pupils/{pupil.id}", f"/entries/{entry.id}", f"/entries/{entry.id}/receipt/1",
                f"/entries/{entry.id}/versions/1/file", f"/coordinator/entries/{entry.id}/replace",
                f"/coordinator/pupils/{pupil.id}/contests/{contest.id}/submit"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/coordinator/entries/{entry.id}/withdraw").status_code == 404
    assert client.post(f"/coordinator/pupils/{pupil.id}/claim-link").status_code == 404
    assert "Әлия" not in client.get("/coordinator").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Entry, entry.id).status == EntryStatus.RECEIVED


def test_a_pupil_claims_their_entries_and_the_coordinator_keeps_read_access(app, client, auth):
    contest = make_contest()
    coordinator = _coordinator(email="gulnar@school5.kz")
    auth.login(coordinator)
    pupil = _add(client)
    _submit(client, pupil, contest)
    entry = db.session.scalar(select(Entry))
    client.post(f"/coordinator/pupils/{pupil.id}/claim-link", follow_redirects=True)
    assert db.session.scalar(select(db.func.count(Token.id))) == 0  # no address yet
    client.post(f"/coordinator/pupils/{pupil.id}", data={**PUPIL, "contact_email": "aliya@mail.kz"})
    page = client.post(f"/coordinator/pupils/{pupil.id}/claim-link", follow_redirects=True)
    assert "Record the consent to e-mails first" in page.get_data(as_text=True)
    client.post(f"/coordinator/pupils/{pupil.id}", data={**PUPIL, "contact_email": "aliya@mail.kz",
                                                         "email_consent": "y"})
    page = client.post(f"/coordinator/pupils/{pupil.id}/claim-link", follow_redirects=True)
    assert "The link was sent to aliya@mail.kz." in page.get_data(as_text=True)
    mail = db.session.scalar(select(OutgoingEmail).where(OutgoingEmail.to == "aliya@mail.kz"))
    link = re.search(r"/claim/(\S+)", mail.body).group(1)
    auth.logout()
    page = client.post(f"/claim/{link}", data={"password": "pupil password 1", "confirm": "pupil password 1",
                                               "email_consent": "y"})
    assert page.status_code == 302
    db.session.expire_all()
    record = db.session.get(User, pupil.user_id)
    assert (record.email, record.active, db.session.get(Pupil, pupil.id).claimed_at is not None) == (
        "aliya@mail.kz", True, True)
    assert client.get(f"/entries/{entry.id}").status_code == 200
    assert client.get(f"/entries/{entry.id}/replace").status_code == 200  # the pupil's own now
    assert client.post("/account/consent", data={"publish_consent": "y"}).status_code == 302
    db.session.expire_all()
    assert (record.publish_name_consent, db.session.get(Pupil, pupil.id).email_consent) == (True, False)
    assert queries.mail_recipient(record) == ("gulnar@school5.kz", "en")  # no e-mail consent: the teacher
    assert client.post(f"/claim/{link}", data={"password": "x" * 12, "confirm": "x" * 12}).status_code == 400
    auth.logout()
    auth.login(coordinator)
    assert client.get(f"/entries/{entry.id}").status_code == 200
    status = client.get(f"/entries/{entry.id}").get_data(as_text=True)
    assert f"/coordinator/entries/{entry.id}/replace" not in status
    client.post(f"/coordinator/entries/{entry.id}/withdraw")
    db.session.expire_all()
    assert db.session.get(Entry, entry.id).status == EntryStatus.RECEIVED
    assert client.get(f"/coordinator/pupils/{pupil.id}").status_code == 200


def test_the_consent_page_is_only_for_claimed_pupils(app, client, auth):
    auth.login(make_user(Role.STUDENT))
    assert client.get("/account/consent").status_code == 404


def test_a_claim_link_for_an_address_that_has_an_account_is_refused(app, client, auth):
    make_user(Role.STUDENT, email="taken@mail.kz")
    coordinator = _coordinator()
    auth.login(coordinator)
    pupil = _add(client, contact_email="taken@mail.kz", email_consent="y")
    page = client.post(f"/coordinator/pupils/{pupil.id}/claim-link", follow_redirects=True)
    assert "This e-mail address already has an account on the platform." in page.get_data(as_text=True)


def test_conflicts_follow_the_pupils_school_whoever_submitted(app):
    contest = make_contest(n_categories=1, k=1)
    coordinator = _coordinator(school="Школа-гимназия №5", region="aktobe")
    pupil = services.add_pupil(coordinator=coordinator, full_name="Әлия", grade="5-8", language="en",
                               is_minor=False)
    db.session.commit()
    record = db.session.get(User, pupil.user_id)
    from tests.factories import make_entry

    entry = make_entry(contest, record)
    colleague = make_juror(contest=contest, languages=("en",))
    set_school(colleague, region="aktobe", name="школа-гимназия №5")  # the same school of the list
    db.session.commit()
    assert (colleague.school_id, colleague.school) == (record.school_id, record.school)
    stranger = make_juror(contest=contest, languages=("en",), school="Лицей №21", region="almaty")
    preview = assign_services.preview_plan(contest=contest)
    organizer = make_user(Role.ORGANIZER)
    assign_services.save_plan(contest=contest, actor=organizer, fingerprint=preview.fingerprint)
    db.session.commit()
    pairs = [(a.entry_id, a.juror_id) for a in db.session.scalars(select(Assignment))]
    assert pairs == [(entry.id, stranger.id)]
    assert colleague.id != stranger.id


def test_mail_about_an_unclaimed_pupil_goes_to_the_coordinator(app):
    coordinator = _coordinator(email="gulnar@school5.kz")
    pupil = services.add_pupil(coordinator=coordinator, full_name="Әлия", grade="5-8", language="kk",
                               contact_email="aliya@mail.kz", email_consent=True, is_minor=False)
    student = make_user(Role.STUDENT, email="self@mail.kz", language="ru")
    assert queries.mail_recipient(db.session.get(User, pupil.user_id)) == ("gulnar@school5.kz", "en")
    assert queries.mail_recipient(student) == ("self@mail.kz", "ru")



def test_the_registry_shows_and_filters_by_school_and_coordinator(app, client, auth):
    contest = make_contest()
    for name, school, pupil_name in (("Гүлнар Серікова", "Школа-гимназия №5", "Әлия"),
                                     ("Ivan Petrov", "Лицей №21", "Бекзат")):
        auth.login(_coordinator(full_name=name, school=school))
        _submit(client, _add(client, full_name=pupil_name), contest)
        auth.logout()
    from tests.factories import make_entry

    make_entry(contest, make_user(Role.STUDENT, full_name="Self Registered", school="Гимназия №56"))
    auth.login(make_user(Role.ORGANIZER))
    page = client.get(f"/contests/{contest.id}/desk/entries").get_data(as_text=True)
    cells = r"<tr><td><a[^>]*>(ZT-[\d-]+)</a></td><td>([^<]*)</td><td>([^<]*)</td>.*?<td>([^<]*)</td></tr>"
    rows = re.findall(cells, page)
    assert sorted(rows) == [("ZT-2026-0001", "Әлия", "Школа-гимназия №5", "Гүлнар Серікова"),
                            ("ZT-2026-0002", "Бекзат", "Лицей №21", "Ivan Petrov"),
                            ("ZT-2026-0003", "Self Registered", "Гимназия №56", "")]
    page = client.get(f"/contests/{contest.id}/desk/entries?coordinator=ivan").get_data(as_text=True)
    assert "ZT-2026-0002" in page and "ZT-2026-0001" not in page and "ZT-2026-0003" not in page
    export = client.get(f"/contests/{contest.id}/desk/entries/export.csv?coordinator=гүлнар")
    export = export.get_data(as_text=True)
    assert "Гүлнар Серікова" in export and "ZT-2026-0001" in export and "ZT-2026-0002" not in export


def test_two_submissions_at_once_cannot_pass_the_cap_together(app, auth):
    """The cap is counted under the contest row's lock: of two simultaneous requests for two
    pupils with one entry left, one is stored and the other refused."""
    import threading

    from tests.conftest import AuthActions

    contest = make_contest()
    services.set_limits(organizer=make_user(Role.ORGANIZER), contest=contest, max_pupils=5, max_entries=1)
    coordinator = _coordinator()
    db.session.commit()
    from flask.testing import FlaskClient  # plain: each thread's request gets its own app context

    clients = [FlaskClient(app, app.response_class, use_cookies=True) for _ in range(2)]
    for c in clients:
        AuthActions(c).login(coordinator)
    pupils = [_add(clients[0], full_name=name) for name in ("Әлия", "Бекзат")]
    barrier, codes = threading.Barrier(2), []
    topic, category = contest.topics[0].id, contest.categories[0].id
    urls = [f"/coordinator/pupils/{p.id}/contests/{contest.id}/submit" for p in pupils]

    def send(client, url):
        form = {"topic": topic, "category": category, "submit_key": secrets.token_urlsafe(18),
                "file": (io.BytesIO(ESSAY.encode()), "essay.txt")}
        barrier.wait()
        codes.append(client.post(url, data=form, content_type="multipart/form-data").status_code)

    db.session.rollback()  # the test's own session holds nothing while the two requests run
    threads = [threading.Thread(target=send, args=pair) for pair in zip(clients, urls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    db.session.rollback()
    assert sorted(codes) == [302, 400]
    assert db.session.scalar(select(db.func.count(Entry.id))) == 1


def test_the_caps_page_counts_entries_per_school_and_coordinator(app, client, auth):
    contest = make_contest()
    for name, school, n in (("Гүлнар Серікова", "Школа-гимназия №5", 2), ("Ivan Petrov", "Лицей №21", 1)):
        auth.login(_coordinator(full_name=name, school=school))
        for i in range(n):
            _submit(client, _add(client, full_name=f"Pupil {i}"), contest)
        auth.logout()
    auth.login(make_user(Role.ORGANIZER))
    page = client.get(f"/organizer/contests/{contest.id}/coordinators").get_data(as_text=True)
    assert queries.coordinators_in_contest(contest.id) == [("Ivan Petrov", "Лицей №21", 1, 1),
                                                           ("Гүлнар Серікова", "Школа-гимназия №5", 2, 2)]
    assert "Лицей №21</strong> · Ivan Petrov" in page and "Pupils: 2 · Entries: 2" in page
