"""Real worker.py processes against real Redis: a mix of good and hostile files, a worker
SIGKILLed mid-job, and Redis down during an upload."""
import os
import signal
from pathlib import Path

import pytest
from sqlalchemy import select

from contest.extensions import db
from contest.jobs.models import Job, JobStatus
from contest.jobs.services import reconcile_jobs
from contest.submissions.models import Entry, EntryStatus, EntryVersion
from tests.conftest import wait_for
from tests.extraction import hostile
from tests.submissions.helpers import entries, post_upload

pytestmark = [pytest.mark.worker, pytest.mark.postgres]
FINAL = (EntryStatus.READY, EntryStatus.NEEDS_ATTENTION)
RU_OTHER = ("Закон защищает каждого человека, но только если люди знают свои права и обязанности. "
            "В нашей школе старшеклассники проводят уроки правовой грамотности для младших ребят.\n") * 3


def _all_final(n: int):
    found = entries()
    return found if len(found) == n and all(e.status in FINAL for e in found) else None


def test_real_worker_processes_good_and_hostile_files_and_survives(app, client, contest, student, worker):
    contest.entries_per_student = 10
    db.session.commit()
    files = [
        ("kk.pdf", hostile.essay_pdf("kk", 2)),
        ("ru.docx", hostile.essay_docx([hostile.SAMPLES["ru"]] * 3)),
        ("cp1251.txt", RU_OTHER.encode("cp1251")),
        ("scan.pdf", hostile.scan_pdf()),
        ("locked.pdf", hostile.encrypted_pdf(user_password="secret", owner_password="owner")),
        ("bomb.pdf", hostile.bomb_pdf()),
        ("after-bomb.pdf", hostile.essay_pdf("en")),
    ]
    for name, data in files:
        assert post_upload(client, contest, name, data).status_code == 302
    done = wait_for(lambda: _all_final(len(files)), timeout=120)
    by_name = {db.session.get(EntryVersion, e.current_version_id).original_name: e for e in done}
    summary = {name: (e.status.value, e.language) for name, e in by_name.items()}
    assert summary == {
        "kk.pdf": ("ready", "kk"), "ru.docx": ("ready", "ru"), "cp1251.txt": ("ready", "ru"),
        "scan.pdf": ("needs_attention", None), "locked.pdf": ("needs_attention", None),
        "bomb.pdf": ("needs_attention", None), "after-bomb.pdf": ("ready", "en"),
    }
    statuses = {name: db.session.get(EntryVersion, e.current_version_id).extraction_status
                for name, e in by_name.items()}
    assert (statuses["scan.pdf"], statuses["locked.pdf"], statuses["bomb.pdf"]) == (
        "no_text", "encrypted", "too_complex")
    assert worker.poll() is None  # the bomb did not kill the worker
    # The job row is marked done just after the task's own commit, and receipts are jobs too.
    jobs = wait_for(lambda: (rows := db.session.scalars(select(Job)).all())
                    and all(j.status == JobStatus.DONE for j in rows) and rows, timeout=60)
    assert len(jobs) == 2 * len(files)  # one extraction and one receipt e-mail per upload
    assert len(list(Path(app.config["OUTBOX_FOLDER"]).glob("*.eml"))) == len(files)  # one receipt each


SLOW = dict(JOB_TIMEOUT=40, JOB_LOST_AFTER=3, RECONCILE_INTERVAL=1, RECONCILE_STALE_AFTER=1,
            EXTRACT_TIMEOUT=30)


def test_worker_killed_mid_job_is_recovered_by_the_next_worker(app, client, contest, student, start_worker):
    contest.max_pages, contest.max_words = 80, 0
    db.session.commit()
    first = start_worker(**SLOW)
    post_upload(client, contest, "long.pdf", hostile.essay_pdf("en", 60))
    [entry] = entries()
    wait_for(lambda: entries()[0].status == EntryStatus.PROCESSING, timeout=60, interval=0.05)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    version = db.session.get(EntryVersion, entry.current_version_id)
    assert version.extracted_at is None and version.attempts == 1
    job = db.session.scalar(select(Job).where(Job.dedupe_key == f"extract:{version.id}"))
    assert job.status == JobStatus.RUNNING  # the dead worker's job, until a reconciler sees it
    start_worker(**SLOW)
    wait_for(lambda: entries()[0].status == EntryStatus.READY, timeout=90)
    db.session.expire_all()
    version = db.session.get(EntryVersion, entry.current_version_id)
    assert (version.extraction_status, version.attempts, version.page_count) == ("ok", 2, 60)
    # The entry is ready when the job's work commits; the job is marked done just after.
    wait_for(lambda: db.session.get(Job, job.id).status == JobStatus.DONE, timeout=30)


class TestRedisDownDuringUpload:
    @pytest.fixture
    def app_config(self, redis_server):
        return {"REDIS_URL": redis_server.url}

    def test_receipt_is_shown_and_work_is_done_when_redis_is_back(
            self, app, client, contest, student, redis_server, start_worker):
        redis_server.stop()
        response = post_upload(client, contest, "essay.pdf", hostile.essay_pdf("kk"))
        assert response.status_code == 302
        assert "ZT-2026-0001" in client.get(response.headers["Location"]).data.decode()
        [entry] = entries()
        version = db.session.get(EntryVersion, entry.current_version_id)
        assert Path(app.config["UPLOAD_FOLDER"], version.stored_name).exists()
        assert entry.status == EntryStatus.RECEIVED
        assert {j.status for j in db.session.scalars(select(Job))} == {JobStatus.QUEUED}
        redis_server.start()  # empty: whatever it held is gone
        assert reconcile_jobs(stale_after=0) == 2  # the extraction and the receipt e-mail
        start_worker(REDIS_URL=redis_server.url)
        done = wait_for(lambda: _all_final(1), timeout=60)
        assert done[0].status == EntryStatus.READY and done[0].language == "kk"
        wait_for(lambda: list(Path(app.config["OUTBOX_FOLDER"]).glob("*.eml")), timeout=30)
        assert db.session.scalar(select(Entry.code)) == "ZT-2026-0001"
