"""Documents issued with the results: titles per tier and language, signatory spellings,
certificates for unjudged entries, letters, the frozen protocol, idempotent reruns."""

import io

import docx
import pdfplumber
import pytest
from sqlalchemy import select

from contest.awards import issuing, services
from contest.awards.issuing import diploma_path, docx_path
from contest.awards.models import Diploma
from contest.awards.tasks import issue_results
from contest.contests.models import AwardTier, Signatory
from contest.extensions import db
from contest.mail.models import OutgoingEmail
from tests.factories import make_entry, make_juror

pytestmark = pytest.mark.postgres


def _issue(judged, revision=1, reason=""):
    services.publish_results(contest=judged.contest, actor=judged.organizer, reason=reason)
    db.session.commit()
    issue_results(contest_id=judged.contest.id, revision=revision)
    db.session.commit()
    return {d.slot: d for d in db.session.scalars(select(Diploma))}


def _text(diploma) -> str:
    with pdfplumber.open(diploma_path(diploma.stored_name)) as pdf:
        return "\n".join(page.extract_text() for page in pdf.pages)


def _squeezed(diploma) -> str:
    return "".join(_text(diploma).split())  # the heading is letter-spaced


def _settings(contest, **values):
    contest.documents = {**(contest.documents or {}), **values}
    db.session.commit()


def test_tier_document_title_printed_per_language_not_diploma(judged):
    first, second, _third = judged.tiers
    first.document_title = {"kk": "Құрмет грамотасы", "ru": "Почётная грамота"}
    second.document_title = {"kk": "Құрмет грамотасы", "ru": "Почётная грамота"}
    db.session.commit()
    docs = _issue(judged)
    kazakh = _squeezed(docs[f"entry:{judged.entries['a'].id}"])
    russian = _squeezed(docs[f"entry:{judged.entries['b'].id}"])
    assert "ҚҰРМЕТГРАМОТАСЫ" in kazakh and "ДИПЛОМ" not in kazakh
    assert "ПОЧЁТНАЯГРАМОТА" in russian and "ДИПЛОМ" not in russian


def test_signatory_name_spelt_per_language(judged):
    judged.contest.signatories = [
        Signatory(
            name="Г. Ж. Сәрсенбаева",
            names={"ru": "Г. Ж. Сарсенбаева"},
            title={"kk": "Басқарма басшысы", "ru": "Руководитель управления"},
        )
    ]
    db.session.commit()
    docs = _issue(judged)
    kazakh, russian = (_text(docs[f"entry:{judged.entries[k].id}"]) for k in "ab")
    assert "Г. Ж. Сәрсенбаева" in kazakh and "Басқарма басшысы" in kazakh
    assert (
        "Г. Ж. Сарсенбаева" in russian
        and "Сәрсенбаева" not in russian
        and "Руководитель управления" in russian
    )


def _participation(judged):
    contest = judged.contest
    db.session.add(
        AwardTier(
            contest_id=contest.id,
            rule="participation",
            position=9,
            name={"kk": "Байқау қатысушысы", "ru": "Участник конкурса", "en": "Participant"},
            document_title={"kk": "Сертификат", "ru": "Сертификат", "en": "Certificate"},
        )
    )
    contest.participation_certificates = True
    unjudged = make_entry(contest, category=judged.categories[0])
    withdrawn = make_entry(contest, category=judged.categories[0], status="withdrawn")
    db.session.commit()
    return unjudged, withdrawn


def test_unjudged_entry_gets_a_certificate_when_all_accepted_entries_do(judged):
    unjudged, withdrawn = _participation(judged)
    _settings(judged.contest, participation="accepted")
    docs = _issue(judged)
    certificate = docs[f"entry:{unjudged.id}"]
    assert certificate.kind == "participation" and certificate.stored_name
    assert f"entry:{withdrawn.id}" not in docs
    assert docs[f"entry:{judged.entries['d'].id}"].kind == "participation"


def test_unjudged_entry_gets_nothing_when_only_judged_ones_do(judged):
    unjudged, _withdrawn = _participation(judged)
    docs = _issue(judged)
    assert f"entry:{unjudged.id}" not in docs
    assert docs[f"entry:{judged.entries['d'].id}"].kind == "participation"


def test_letters_to_jurors_and_supervisors_and_supervisor_on_diploma(judged):
    entry = judged.entries["a"]
    entry.supervisor = "Б. С. Ахметова"
    _settings(judged.contest, thank_jurors=True, thank_teachers=True)
    docs = _issue(judged)
    assert "Жетекшісі: Б. С. Ахметова" in _text(docs[f"entry:{entry.id}"])
    teacher = docs[f"teacher:{entry.id}"]
    assert teacher.kind == "teacher_thanks" and teacher.holder == "Б. С. Ахметова"
    assert "Б. С. Ахметова" in _text(teacher) and judged.students["a"].full_name in _text(teacher)
    juror = docs[f"juror:{judged.juror.id}"]
    assert juror.kind == "juror_thanks" and juror.user_id == judged.juror.id
    assert "5 essays read and scored" in " ".join(_text(juror).split())
    assert not any(slot.startswith("teacher:") and slot != f"teacher:{entry.id}" for slot in docs)
    mails = {m.dedupe_key: m for m in db.session.scalars(select(OutgoingEmail))}
    assert f"/diplomas/{juror.id}/download" in mails[f"thanks:{judged.contest.id}:{judged.juror.id}"].body
    student_mail = mails[f"results:{judged.contest.id}:1:{entry.id}"].body
    assert f"/diplomas/{docs[f'entry:{entry.id}'].id}/download" in student_mail
    assert f"/diplomas/{teacher.id}/download" in student_mail


def test_bilingual_documents_kazakh_above_russian(judged):
    _settings(judged.contest, language="kk+ru")
    docs = _issue(judged)
    ivan = docs[f"entry:{judged.entries['b'].id}"]
    assert ivan.language == "kk+ru"
    text = _text(ivan)
    assert text.index("Диплом иегері") < text.index("награждается")
    protocols = sorted(slot for slot in docs if slot.startswith("protocol:"))
    assert protocols == ["protocol:1:kk+ru"]


def test_rerun_after_killed_worker_one_document_each_codes_stable(judged):
    _settings(judged.contest, thank_jurors=True)
    services.publish_results(contest=judged.contest, actor=judged.organizer)
    db.session.commit()
    # The worker died after committing the rows and before drawing anything.
    issuing.prepare_diplomas(
        judged.contest,
        judged.contest
        and __import__("contest.awards.queries", fromlist=["x"]).latest_publication(judged.contest.id),
    )
    db.session.commit()
    codes = {d.slot: d.code for d in db.session.scalars(select(Diploma))}
    assert all(d.stored_name is None for d in db.session.scalars(select(Diploma)))
    issue_results(contest_id=judged.contest.id, revision=1)
    db.session.commit()
    drawn = {
        d.stored_name: diploma_path(d.stored_name).stat().st_mtime_ns
        for d in db.session.scalars(select(Diploma))
    }
    issue_results(contest_id=judged.contest.id, revision=1)  # a rerun keeps what is drawn
    db.session.commit()
    db.session.expire_all()
    rows = list(db.session.scalars(select(Diploma)))
    assert {d.slot: d.code for d in rows} == codes and len(rows) == len(codes)
    assert {d.stored_name: diploma_path(d.stored_name).stat().st_mtime_ns for d in rows} == drawn
    assert len(drawn) == len(rows)
    folder = diploma_path("x").parent
    assert sorted(p.name for p in folder.iterdir() if p.suffix == ".pdf") == sorted(drawn)


def test_changed_content_redrawn_under_a_new_name_old_file_removed(judged):
    docs = _issue(judged)
    before = docs[f"entry:{judged.entries['a'].id}"].stored_name
    judged.contest.signatories = [Signatory(name="Н. Жаңа", title={"kk": "Директор"})]
    db.session.commit()
    issue_results(contest_id=judged.contest.id, revision=1)
    db.session.commit()
    db.session.expire_all()
    after = db.session.get(Diploma, docs[f"entry:{judged.entries['a'].id}"].id).stored_name
    assert after != before and not diploma_path(before).exists()
    assert "Н. Жаңа" in _text(db.session.get(Diploma, docs[f"entry:{judged.entries['a'].id}"].id))


def test_protocol_frozen_at_publication_with_method_unranked_and_docx(judged):
    late = make_entry(judged.contest, category=judged.categories[0])
    docs = _issue(judged)
    make_juror(contest=judged.contest, full_name="Late Juror")
    services.override_award(
        contest=judged.contest,
        entry_id=judged.entries["d"].id,
        choice=str(judged.tiers[2].id),
        reason="Jury decision",
        actor=judged.organizer,
    )
    db.session.commit()
    issue_results(contest_id=judged.contest.id, revision=1)  # a rerun redraws the same frozen protocol
    db.session.commit()
    protocol = docs["protocol:1:ru"]
    text = " ".join(_text(protocol).split())
    assert "ПРОТОКОЛ" in text and "Late Juror" not in text and judged.juror.full_name in text
    assert "средн" in text  # how the scores were combined (plain mean), in words
    assert "Работы ранжируются внутри каждой категории" in text and "Entries are ranked" not in text
    assert late.code in text and "нет отправленных оценок" in text
    assert "Dana Lowscore" in text and "Ivan Petrov" in text
    d_line = next(line for line in _text(protocol).splitlines() if "Dana Lowscore" in line)
    assert "степени" not in d_line  # the override after publication is not in this protocol
    word = docx.Document(io.BytesIO(docx_path(protocol.stored_name).read_bytes()))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    assert "Ivan Petrov" in cells and late.code in cells
    assert {"protocol:1:kk", "protocol:1:ru", "protocol:1:en"} <= set(docs)


def test_protocol_names_a_region_chosen_from_the_list_in_its_language(judged):
    judged.students["a"].region = "aktobe"  # stored as the list's code
    db.session.commit()
    docs = _issue(judged)
    for key, name in (("protocol:1:kk", "Ақтөбе облысы"), ("protocol:1:ru", "Актюбинская область")):
        word = docx.Document(io.BytesIO(docx_path(docs[key].stored_name).read_bytes()))
        cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
        assert name in cells and "aktobe" not in cells
