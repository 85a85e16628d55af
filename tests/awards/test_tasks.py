"""The diploma job: idempotent, in the holder's language, text and QR read back from the PDF."""
import io
import subprocess
from pathlib import Path

import pdfplumber
import pytest
import zxingcpp
from flask import current_app
from PIL import Image
from sqlalchemy import select

from contest.awards import services
from contest.awards.issuing import diploma_path
from contest.awards.models import Diploma
from contest.awards.tasks import issue_results
from contest.extensions import db
from contest.mail.models import OutgoingEmail
from tests.awards.conftest import KAZAKH_NAME, MARKUP_NAME

pytestmark = pytest.mark.postgres


def _publish(judged, reason=""):
    pub = services.publish_results(contest=judged.contest, actor=judged.organizer, reason=reason)
    db.session.commit()
    return pub


def _diplomas():
    """The students' documents (protocols and letters aside), by entry."""
    return {d.entry_id: d for d in db.session.scalars(select(Diploma).where(Diploma.slot.like("entry:%")))}


def _text(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return pdf.pages[0].extract_text().splitlines()


def _qr(path: Path, tmp_path) -> list[str]:
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(path), str(tmp_path / "page")],
                   check=True)
    with Image.open(tmp_path / "page.png") as image:
        return [r.text for r in zxingcpp.read_barcodes(image)]


def test_issue_results_three_times_one_row_one_file_one_email_each(judged):
    _publish(judged)
    for _ in range(3):
        issue_results(contest_id=judged.contest.id, revision=1)
        db.session.commit()
    diplomas = _diplomas()
    awarded = {judged.entries[k].id for k in "abce"}
    assert set(diplomas) == awarded
    files = sorted(p.name for p in Path(current_app.config["DIPLOMA_FOLDER"]).iterdir() if p.suffix == ".pdf")
    assert files == sorted(d.stored_name for d in db.session.scalars(select(Diploma)))
    mails = db.session.scalars(select(OutgoingEmail).order_by(OutgoingEmail.to)).all()
    assert sorted(m.to for m in mails) == sorted(s.email for s in judged.students.values())
    codes = {d.entry_id: d.code for d in diplomas.values()}
    issue_results(contest_id=judged.contest.id, revision=1)
    db.session.commit()
    db.session.expire_all()
    assert {d.entry_id: d.code for d in _diplomas().values()} == codes


def test_diploma_has_kazakh_name_code_and_qr_to_base_url(judged, tmp_path):
    _publish(judged)
    issue_results(contest_id=judged.contest.id, revision=1)
    db.session.commit()
    diploma = _diplomas()[judged.entries["a"].id]
    path = diploma_path(diploma.stored_name)
    lines = _text(path)
    assert KAZAKH_NAME in lines
    assert diploma.code in lines
    assert "I дәрежелі диплом" in lines  # the tier's name in the holder's language (kk)
    url = f"http://contest.test/verify/{diploma.code}"
    assert _qr(path, tmp_path) == [url]
    assert diploma.language == "kk" and diploma.kind == "award"


def test_diploma_follows_holder_language_in_date_and_award(judged):
    _publish(judged)
    issue_results(contest_id=judged.contest.id, revision=1)
    db.session.commit()
    diploma = _diplomas()[judged.entries["b"].id]
    text = "\n".join(_text(diploma_path(diploma.stored_name)))
    assert "Диплом II степени" in text and "Ivan Petrov" in text
    months = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
              "октября", "ноября", "декабря")
    assert any(month in text for month in months)
    assert diploma.language == "ru"


def test_markup_name_printed_literally(judged):
    _publish(judged)
    issue_results(contest_id=judged.contest.id, revision=1)
    db.session.commit()
    diploma = _diplomas()[judged.entries["c"].id]
    pdf = diploma_path(diploma.stored_name).read_bytes()
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert MARKUP_NAME in document.pages[0].extract_text().splitlines()
    for action in (b"/URI", b"/Launch", b"/JavaScript"):
        assert action not in pdf


def test_email_in_holder_language_with_result_and_feedback(judged):
    _publish(judged)
    issue_results(contest_id=judged.contest.id, revision=1)
    db.session.commit()
    mail = db.session.scalar(select(OutgoingEmail).where(OutgoingEmail.to == judged.students["b"].email))
    assert "Диплом II степени" in mail.body
    assert "Feedback for b: well argued." in mail.body
    assert judged.entries["b"].code in mail.body
    assert mail.dedupe_key == f"results:{judged.contest.id}:1:{judged.entries['b'].id}"
    loser = db.session.scalar(select(OutgoingEmail).where(OutgoingEmail.to == judged.students["d"].email))
    assert "http://contest.test/dashboard" in loser.body
    assert "Feedback for a" not in loser.body


def test_no_feedback_in_email_when_contest_keeps_it(judged):
    judged.contest.share_feedback = False
    _publish(judged)
    issue_results(contest_id=judged.contest.id, revision=1)
    db.session.commit()
    bodies = [m.body for m in db.session.scalars(select(OutgoingEmail))]
    assert len(bodies) == 5 and not any("Feedback for" in body for body in bodies)


def test_revision_keeps_codes_revokes_lost_awards_and_mails_only_changes(judged):
    _publish(judged)
    issue_results(contest_id=judged.contest.id, revision=1)
    db.session.commit()
    before = {eid: d.code for eid, d in _diplomas().items()}
    c, d = judged.entries["c"], judged.entries["d"]
    services.override_award(contest=judged.contest, entry_id=c.id, choice="none", reason="Plagiarism",
                            actor=judged.organizer)
    services.override_award(contest=judged.contest, entry_id=d.id, choice=str(judged.tiers[2].id),
                            reason="Jury decision", actor=judged.organizer)
    _publish(judged, reason="Plagiarism in ZT-2026-0003")
    issue_results(contest_id=judged.contest.id, revision=1)  # superseded: does nothing
    issue_results(contest_id=judged.contest.id, revision=2)
    db.session.commit()
    db.session.expire_all()
    after = _diplomas()
    assert after[c.id].revoked_at is not None and after[c.id].code == before[c.id]
    assert after[d.id].revoked_at is None and after[d.id].stored_name
    assert {eid: x.code for eid, x in after.items() if eid != d.id} == before
    revision_mails = db.session.scalars(select(OutgoingEmail.to).where(
        OutgoingEmail.dedupe_key.like(f"results:{judged.contest.id}:2:%"))).all()
    assert sorted(revision_mails) == sorted([judged.students["c"].email, judged.students["d"].email])


def test_participation_certificates_for_every_other_ranked_entry(judged):
    judged.contest.participation_certificates = True
    _publish(judged)
    issue_results(contest_id=judged.contest.id, revision=1)
    db.session.commit()
    diplomas = _diplomas()
    assert diplomas[judged.entries["d"].id].kind == "participation"
    assert [d.kind for eid, d in diplomas.items() if eid != judged.entries["d"].id] == ["award"] * 4
    lines = _text(diploma_path(diplomas[judged.entries["d"].id].stored_name))
    assert "Dana Lowscore" in lines and "Participant of the contest" in lines
