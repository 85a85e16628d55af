"""Proof: generated students (kk, ru, en) send PDF, DOCX and TXT essays carrying their identity
in every file part; every juror crawls every page, JSON answer, download and e-mail they can
reach, and none of the identifiers appears anywhere."""
import io
import itertools
import re
import secrets

import pytest
from flask import url_for
from pypdf import PdfReader
from sqlalchemy import select

from contest.enums import Role
from contest.errors import InvalidInput
from contest.extensions import db
from contest.judging.models import Assignment, JurorReminder
from contest.judging.services import queue_reminders
from contest.judging.tasks import send_juror_reminder
from contest.mail.models import OutgoingEmail
from contest.messages.models import Audience
from contest.messages.services import Draft, create_message
from contest.messages.tasks import deliver_message
from contest.submissions.models import Entry
from contest.submissions.services import Upload, submit_entry
from contest.submissions.tasks import extract_version
from tests.blind.students import FILES, STUDENTS
from tests.factories import (
    make_assignment,
    make_contest,
    make_entry,
    make_juror,
    make_scanned_entry,
    make_user,
)

# SQLite only: what a juror reaches is decided by the code, not the database, and the crawl is
# the suite's longest test on PostgreSQL (100 s); tests/blind/test_views.py runs there.
JSON = {"Accept": "application/json"}


def _submit_all(app, contest) -> list[Entry]:
    entries = []
    for s in STUDENTS:
        student = make_user(Role.STUDENT, full_name=s.full_name, school=s.school, email=s.email,
                            language=s.language)
        for fmt, build in FILES.items():
            version = submit_entry(student=student, contest=contest, topic_id=contest.topics[0].id,
                                   category_id=contest.categories[0].id, submit_key=secrets.token_urlsafe(18),
                                   upload=Upload(filename=f"{s.full_name} essay.{fmt}", data=build(s)),
                                   supervisor=s.supervisor)
            db.session.commit()
            extract_version(version_id=version.id)
            db.session.commit()
            entries.append(db.session.get(Entry, version.entry_id))
    return entries


def _int_pool(contest, assignments, entries) -> list[int]:
    return sorted({contest.id, 1, 2, 3, *(a.id for a in assignments), *(e.id for e in entries)})


def _crawl(app, client, contest, assignments, entries):
    """Every GET route of the app with every id of this contest's objects, then the POSTs a
    juror makes on their reviews (draft JSON, refused JSON, submit)."""
    pool = _int_pool(contest, assignments, entries)
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or "logout" in rule.endpoint:
            continue
        ints = [a for a in rule.arguments if type(rule._converters[a]).__name__ == "IntegerConverter"]
        # Every value of an any() converter (participants/students and /jurors, csv and xlsx…).
        others = [dict(zip(names, values)) for names in [[a for a in rule.arguments if a not in ints]]
                  for values in itertools.product(*[sorted(getattr(rule._converters[a], "items", None) or
                                                           ["nope"]) for a in names])]
        combos = [dict(zip(ints, (v,) * len(ints))) for v in pool] if ints else [{}]
        for values, other in itertools.product(combos, others):
            with app.test_request_context():
                url = url_for(rule.endpoint, **values, **other)
            yield client.get(url)
    for a in assignments:
        data = {"version": "0", "feedback": "Good.", "private_comment": ""}
        data.update({f"score_{c.id}": "5" for c in contest.criteria})
        yield client.post(f"/judging/review/{a.id}/save", data=data, headers=JSON)
        bad = {**data, "version": "1", f"score_{contest.criteria[0].id}": "x"}
        yield client.post(f"/judging/review/{a.id}/save", data=bad, headers=JSON)
        yield client.post(f"/judging/review/{a.id}/submit", data={**data, "version": "1"},
                          follow_redirects=True)


def _leaks(blob: str, needles) -> list[str]:
    """Needles of 4 characters or fewer count only as whole words ("nis" is in "finish")."""
    low = blob.lower()
    return [n for n in needles
            if (re.search(rf"(?<!\w){re.escape(n)}(?!\w)", low) if len(n) <= 4 else n in low)]


def _response_text(response) -> str:
    body = response.get_data()
    text = body.decode("utf-8", "replace") + str(response.headers)
    if body.startswith(b"%PDF"):
        text += " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return text


def test_no_identifier_reaches_any_juror(app, client, auth):
    contest = make_contest(phase="open", blind=True, jurors_may_open_files=True, entries_per_student=3,
                           formats=["pdf", "docx", "txt"], judging_ends_at=None)
    entries = _submit_all(app, contest)
    statuses = [(e.current_version.extraction_status, e.current_version.extraction_detail) for e in entries]
    assert [status for status, _detail in statuses] == ["ok"] * 9, statuses
    contest.phase = "judging"
    db.session.commit()
    jurors = [make_juror(contest=contest) for _ in range(3)]
    for juror in jurors:
        for entry in entries:
            make_assignment(entry, juror)
    needles = {n for s in STUDENTS for n in s.needles}
    found, downloads, read = {}, 0, set()
    for juror in jurors:
        auth.login(juror)
        mine = list(db.session.scalars(select(Assignment).where(Assignment.juror_id == juror.id)))
        for response in _crawl(app, client, contest, mine, entries):
            downloads += response.get_data().startswith(b"%PDF")
            if response.status_code == 200 and "[…]".encode() in response.get_data():
                read.add((juror.id, response.request.path))
            for leak in _leaks(_response_text(response), needles):
                found.setdefault(leak, response.request.path)
        auth.logout()
    assert found == {}
    assert downloads == 3 * 9  # each juror got a PDF typeset from the redacted text of every entry
    assert len({path for _j, path in read if path.endswith(tuple("0123456789"))}) >= 27, read  # reading views
    late = make_entry(contest, make_user(Role.STUDENT, full_name=STUDENTS[0].full_name,
                                         email="late@example.kz"))
    for juror in jurors:  # a pending review, so every juror gets a reminder
        make_assignment(late, juror)
    contest.judging_ends_at = db.session.get(Entry, entries[0].id).created_at
    queue_reminders(contest=contest)
    db.session.commit()
    for reminder in db.session.scalars(select(JurorReminder)):
        send_juror_reminder(reminder_id=reminder.id)
    db.session.commit()
    # A message to the jury (one naming an author is refused), read on the dashboard and by e-mail.
    organizer = make_user(Role.ORGANIZER)
    naming = Draft(Audience.JURORS, subject={"ru": "Работа"}, body={"ru": "Прочтите эссе Анны Петровой."})
    with pytest.raises(InvalidInput):
        create_message(contest=contest, actor=organizer, draft=naming)
    plain = Draft(Audience.JURORS, subject={"ru": "Срок"},
                  body={"ru": f"Оцените, пожалуйста, {entries[0].code} до пятницы."})
    message = create_message(contest=contest, actor=organizer, draft=plain)
    db.session.commit()
    deliver_message(message_id=message.id)
    db.session.commit()
    for juror in jurors:
        auth.login(juror)
        page = client.get("/judging/")
        assert "до пятницы" in page.get_data(as_text=True)  # the message is shown
        assert _leaks(_response_text(page), needles) == []
        auth.logout()
    mails = [m.subject + m.body for m in db.session.scalars(select(OutgoingEmail))
             if m.to in {j.email for j in jurors}]
    assert len(mails) == 6 and all(_leaks(m, needles) == [] for m in mails)  # reminders and the message
    # A juror declaring a conflict: the answer and the dashboard it leads to name nobody.
    auth.login(jurors[0])
    mine = db.session.scalars(select(Assignment).where(Assignment.juror_id == jurors[0].id)).first()
    answer = client.post(f"/judging/review/{mine.id}/conflict", data={"reason": "I know who wrote it"},
                         follow_redirects=True)
    assert answer.status_code == 200 and "another juror" in answer.get_data(as_text=True)
    assert _leaks(_response_text(answer), needles) == []
    auth.logout()
    # A photographed essay (a handwritten page carries the author's name, which no redaction
    # removes): no juror's reading view links a page image, and the page route answers 404.
    author = make_user(Role.STUDENT, full_name=STUDENTS[1].full_name, email="scan@example.kz")
    scan = make_scanned_entry(contest, [_name_page(STUDENTS[1].full_name)], author)
    for juror in jurors:
        assignment = make_assignment(scan, juror)
        auth.login(juror)
        view = client.get(f"/judging/review/{assignment.id}")
        assert view.status_code == 200 and "Read from a scan" in view.get_data(as_text=True)
        assert "/pages/" not in view.get_data(as_text=True)
        codes = [client.get(f"/judging/review/{assignment.id}/pages/{n}").status_code for n in (0, 1, 2)]
        assert codes == [404] * 3
        auth.logout()


def _name_page(name: str) -> bytes:
    """A page photo with the author's name written at the top, as PNG."""
    from PIL import Image, ImageDraw

    page = Image.new("L", (400, 300), 255)
    ImageDraw.Draw(page).text((20, 20), name, fill=0)
    out = io.BytesIO()
    page.save(out, "PNG")
    return out.getvalue()
