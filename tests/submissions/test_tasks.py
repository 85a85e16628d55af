"""The extraction job called directly: results, flags, rules, blind copies, idempotence,
hostile files, and the fallback when a replacement cannot be read."""
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from contest.enums import Role
from contest.extensions import db
from contest.jobs.models import Job, JobStatus
from contest.submissions.models import Entry, EntryStatus, EntryVersion
from contest.submissions.tasks import TransientExtractionError, reconcile_entries
from tests import factories
from tests.extraction import hostile
from tests.submissions.helpers import code_flags, replace, run_extraction, submit

pytestmark = pytest.mark.postgres
NAME, SCHOOL = "Айгерім Сапарова", "Алматы қаласының №12 мектебі"


@pytest.fixture
def app_config():
    # 200 MB above the fork: a decompression bomb reaches the cap in ~2 s even on a loaded machine.
    return {"EXTRACT_TIMEOUT": 4, "EXTRACT_MEMORY_MB": 200}


@pytest.fixture
def author(app):
    return factories.make_user(Role.STUDENT, full_name=NAME, school=SCHOOL, language="kk")


def _entry(version: EntryVersion) -> Entry:
    return db.session.get(Entry, version.entry_id)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_pdf_in_each_language_becomes_ready(app, contest, author, lang):
    version = run_extraction(submit(author, contest, "essay.pdf", hostile.essay_pdf(lang, 2)).id)
    assert version.extraction_status == "ok"
    assert version.language == lang and version.page_count == 2
    assert version.word_count > 100 and version.flags == []
    assert version.text.startswith(hostile.SAMPLES[lang][:30])
    assert len(version.minhash) == 512 and version.extracted_at is not None
    entry = _entry(version)
    assert entry.status == EntryStatus.READY
    assert (entry.language, entry.word_count) == (lang, version.word_count)


def test_docx_and_cp1251_txt_are_extracted(app, contest, author):
    contest.entries_per_student = 2
    db.session.commit()
    docx_version = run_extraction(submit(author, contest, "essay.docx",
                                         hostile.essay_docx([hostile.SAMPLES["ru"]] * 2)).id)
    txt_version = run_extraction(submit(author, contest, "essay.txt",
                                        (hostile.SAMPLES["ru"] + "\n") .encode("cp1251") * 2).id)
    assert (docx_version.language, docx_version.extraction_status) == ("ru", "ok")
    assert (txt_version.language, txt_version.extraction_status) == ("ru", "ok")
    assert txt_version.text.startswith("Мой родной город")
    assert docx_version.word_count == txt_version.word_count == 2 * len(hostile.SAMPLES["ru"].split())


@pytest.mark.parametrize("make,status", [
    (hostile.scan_pdf, "no_text"),
    (lambda: hostile.encrypted_pdf(user_password="secret", owner_password="owner"), "encrypted"),
    (hostile.bomb_pdf, "too_complex"),
    (hostile.truncated_pdf, "corrupt"),
    (lambda: hostile.many_pages_pdf(200, declared=1), "too_complex"),
])
def test_bad_pdfs_need_attention_with_the_reason(app, contest, author, make, status):
    version = run_extraction(submit(author, contest, "essay.pdf", make()).id)
    assert version.extraction_status == status
    # A scan is read by OCR too; the grey noise of this one holds no word: a person transcribes it.
    ocr = ["ocr", "needs_transcription"] if status == "no_text" else []
    assert code_flags(version) == sorted([status, *ocr])
    assert version.flags[0]["level"] == "attention"
    assert _entry(version).status == EntryStatus.NEEDS_ATTENTION


def test_glyph_flood_is_recorded_as_timeout(app, contest, author):
    version = run_extraction(submit(author, contest, "essay.pdf", hostile.glyph_flood_pdf()).id)
    assert (version.extraction_status, code_flags(version)) == ("timeout", ["timeout"])
    assert _entry(version).status == EntryStatus.NEEDS_ATTENTION


def test_owner_password_only_pdf_is_extracted_normally(app, contest, author):
    pdf = hostile.encrypted_pdf(user_password="", owner_password="owner")
    version = run_extraction(submit(author, contest, "essay.pdf", pdf).id)
    assert (version.extraction_status, version.language) == ("ok", "ru")


def test_same_version_extracted_twice_leaves_one_result(app, contest, author):
    version = submit(author, contest, "essay.pdf", hostile.essay_pdf("en"))
    first = run_extraction(version.id)
    stamp, text = first.extracted_at, first.text
    second = run_extraction(version.id)
    assert (second.extracted_at, second.text, second.attempts) == (stamp, text, 1)


@pytest.mark.parametrize("words,level", [(15, None), (19, "warning"), (17, "attention")])
def test_too_short_with_soft_margin(app, contest, author, words, level):
    contest.min_words, contest.soft_margin_pct = 20 if words != 15 else 15, 10
    db.session.commit()
    version = run_extraction(submit(author, contest, text=" ".join(["слово"] * words)).id)
    assert [(f["code"], f["level"]) for f in version.flags] == ([("too_short", level)] if level else [])
    expected = EntryStatus.NEEDS_ATTENTION if level == "attention" else EntryStatus.READY
    assert _entry(version).status == expected


def test_too_long_beyond_margin_and_wrong_language(app, contest, author):
    contest.max_words, contest.soft_margin_pct, contest.languages = 50, 10, ["kk"]
    db.session.commit()
    version = run_extraction(submit(author, contest, text=(hostile.SAMPLES["en"] + "\n") * 3).id)
    assert {(f["code"], f["level"]) for f in version.flags} == {("too_long", "attention"),
                                                                 ("wrong_language", "attention")}
    assert next(f for f in version.flags if f["code"] == "too_long")["words"] == version.word_count


def test_blind_copy_has_no_author_name_in_text_or_pdf_metadata(app, contest, author):
    body = f"Менің атым {NAME}. Мен {SCHOOL} оқимын. Сапарованың ойы: заң бәрінен жоғары. " * 5
    pdf = hostile.text_pdf([[body]], author=NAME)
    assert NAME in PdfReader(io.BytesIO(pdf)).metadata.author
    version = run_extraction(submit(author, contest, "Сапарова эссе.pdf", pdf).id)
    assert "Сапаров" not in version.juror_text and "Айгерім" not in version.juror_text
    assert "мектебі" not in version.juror_text and "заң бәрінен жоғары" in version.juror_text
    assert "Сапарова" in version.text  # the original is kept for the organizer
    assert version.juror_file_name != version.stored_name
    copy = Path(app.config["UPLOAD_FOLDER"], version.juror_file_name).read_bytes()
    assert b"\xd0\xa1\xd0\xb0\xd0\xbf" not in copy  # "Сап" in UTF-8
    meta = PdfReader(io.BytesIO(copy)).metadata or {}
    assert all(NAME not in str(value) for value in meta.values())
    assert "Сапаров" not in (PdfReader(io.BytesIO(copy)).metadata or {}).get("/Title", "")


def test_blind_docx_copy_is_a_pdf_typeset_from_the_redacted_text(app, contest, author):
    data = hostile.essay_docx([f"{NAME}. " + hostile.SAMPLES["kk"] * 2], author=NAME)
    version = run_extraction(submit(author, contest, "essay.docx", data).id)
    copy = Path(app.config["UPLOAD_FOLDER"], version.juror_file_name).read_bytes()
    assert copy.startswith(b"%PDF") and version.juror_file_name.endswith(".pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(copy)).pages)
    assert _entry(version).code in text and "Айгерім" not in text and "[…]" in text
    assert PdfReader(io.BytesIO(copy)).metadata.title == _entry(version).code


def test_not_blind_juror_copy_is_the_original(app, contest, author):
    contest.blind = False
    db.session.commit()
    version = run_extraction(submit(author, contest, text=f"{NAME} " + hostile.SAMPLES["en"]).id)
    assert version.juror_text == version.text and version.juror_file_name == version.stored_name


def test_unreadable_replacement_leaves_the_good_version_current(app, contest, author):
    good = run_extraction(submit(author, contest, "essay.pdf", hostile.essay_pdf("en")).id)
    entry = _entry(good)
    bad = replace(author, entry, "new.pdf", hostile.truncated_pdf())
    assert _entry(good).current_version_id == bad.id  # current until it turns out unreadable
    bad = run_extraction(bad.id)
    entry = _entry(good)
    assert entry.current_version_id == good.id and entry.status == EntryStatus.READY
    assert code_flags(bad) == ["corrupt", "replacement_unreadable"]


def test_replaced_version_is_skipped_once_a_newer_one_was_read(app, contest, author):
    first = submit(author, contest, "essay.pdf", hostile.essay_pdf("en"))
    second = replace(author, _entry(first), "new.pdf", hostile.essay_pdf("ru"))
    assert run_extraction(second.id).extraction_status == "ok"
    assert run_extraction(first.id).extraction_status == "superseded"
    assert _entry(second).status == EntryStatus.READY and _entry(second).language == "ru"


def test_replaced_version_is_still_read_while_the_newer_one_may_prove_unreadable(app, contest, author):
    """v1 is read (it may be the one judged), changes nothing while v2 is unread, and is
    chosen when v2 turns out unreadable."""
    first = submit(author, contest, "essay.pdf", hostile.essay_pdf("en"))
    second = replace(author, _entry(first), "new.pdf", hostile.truncated_pdf())
    assert run_extraction(first.id).extraction_status == "ok"
    assert _entry(first).current_version_id == second.id and _entry(first).status == EntryStatus.RECEIVED
    second = run_extraction(second.id)
    assert (_entry(first).current_version_id, _entry(first).status) == (first.id, EntryStatus.READY)
    assert code_flags(second) == ["corrupt", "replacement_unreadable"]


def _kill_children_while(action):
    """Run action() while a thread SIGKILLs every child process of this one as soon as it
    appears, as the kernel's OOM killer would kill the extraction child."""
    import os
    import signal
    import threading

    stop, me = threading.Event(), str(os.getpid())

    def children() -> set[int]:
        found = set()
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1] == me:
                    found.add(int(pid))
            except (OSError, IndexError):
                pass
        return found

    existing = children()  # e.g. an embedded Redis: only children started by action() die

    def killer():
        while not stop.is_set():
            for pid in children() - existing:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            stop.wait(0.005)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    try:
        return action()
    finally:
        stop.set()
        thread.join()


class TestChildKilled:
    @pytest.fixture
    def app_config(self):
        return {"EXTRACT_TIMEOUT": 20, "EXTRACT_MAX_ATTEMPTS": 2}

    def test_killed_child_is_retried_then_flagged(self, app, contest, author):
        version = submit(author, contest, "essay.pdf", hostile.essay_pdf("en", 20))
        with pytest.raises(TransientExtractionError, match="SIGKILL"):
            _kill_children_while(lambda: run_extraction(version.id))
        db.session.rollback()
        assert db.session.get(EntryVersion, version.id).extracted_at is None
        assert _entry(version).status == EntryStatus.PROCESSING
        final = _kill_children_while(lambda: run_extraction(version.id))
        assert (final.extraction_status, code_flags(final), final.attempts) == ("crashed", ["crashed"], 2)
        assert _entry(final).status == EntryStatus.NEEDS_ATTENTION

    def test_killed_child_then_a_clean_retry_succeeds(self, app, contest, author):
        version = submit(author, contest, "essay.pdf", hostile.essay_pdf("ru", 20))
        with pytest.raises(TransientExtractionError):
            _kill_children_while(lambda: run_extraction(version.id))
        db.session.rollback()
        final = run_extraction(version.id)
        assert (final.extraction_status, final.attempts, final.language) == ("ok", 2, "ru")
        assert _entry(final).status == EntryStatus.READY


def test_entry_reconciler_requeues_entries_whose_job_finished_without_a_result(app, contest, author):
    version = submit(author, contest, text=hostile.SAMPLES["en"])
    job = db.session.scalar(select(Job))
    job.status = JobStatus.FAILED  # e.g. it failed for good while the database was down
    db.session.commit()
    assert reconcile_entries(stale_after=0) == 1
    db.session.commit()
    assert db.session.get(Job, job.id).status == JobStatus.QUEUED
    assert db.session.get(Job, job.id).attempts == 0
    run_extraction(version.id)
    assert reconcile_entries(stale_after=0) == 0
