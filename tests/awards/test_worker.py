"""With a real worker.py: publishing through the page issues the diplomas and e-mails."""
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select

from contest.awards.models import Diploma
from contest.extensions import db
from contest.jobs.models import Job
from contest.mail.models import OutgoingEmail
from tests.conftest import wait_for


@pytest.mark.worker
def test_worker_issues_diplomas_after_publish(judged, client, auth, worker):
    auth.login(judged.organizer)
    response = client.post(f"/contests/{judged.contest.id}/awards/publish", data={})
    assert response.status_code == 302

    def done():
        drawn = db.session.scalar(select(func.count(Diploma.id)).where(Diploma.stored_name.is_not(None),
                                                                      Diploma.slot.like("entry:%")))
        sent = db.session.scalar(select(func.count(OutgoingEmail.id))
                                 .where(OutgoingEmail.sent_at.is_not(None)))
        job = db.session.scalar(select(Job).where(Job.dedupe_key == f"results:{judged.contest.id}:1"))
        # The job row is marked done just after the task's own commit, so wait for that too.
        return drawn == 4 and sent == 5 and job.status.value == "done" and job

    job = wait_for(done, timeout=60)
    assert job.attempts == 1
    folder = Path(current_app.config["DIPLOMA_FOLDER"])
    names = {d.stored_name for d in db.session.scalars(select(Diploma))}
    assert {p.name for p in folder.iterdir() if p.suffix == ".pdf"} == names
    assert all((folder / name).read_bytes().startswith(b"%PDF") for name in names)
