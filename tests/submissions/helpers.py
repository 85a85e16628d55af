"""Shared helpers for the submissions tests: posting uploads and running the job inline."""
from __future__ import annotations

import io
import secrets

from sqlalchemy import select

from contest.extensions import db
from contest.jobs.models import Job
from contest.submissions.models import Entry, EntryVersion
from contest.submissions.tasks import extract_version


def post_upload(client, contest, filename: str | None, data: bytes = b"", *, text: str = "",
                key: str | None = None, topic=None, category=None, headers=None):
    form = {"topic": str((topic or contest.topics[0]).id),
            "category": str((category or contest.categories[0]).id),
            "submit_key": key or secrets.token_urlsafe(18), "text": text}
    if filename is not None:
        form["file"] = (io.BytesIO(data), filename)
    return client.post(f"/contests/{contest.id}/submit", data=form, content_type="multipart/form-data",
                       headers=headers or {})


def post_replace(client, entry, filename: str, data: bytes, *, key: str | None = None):
    form = {"submit_key": key or secrets.token_urlsafe(18), "file": (io.BytesIO(data), filename)}
    return client.post(f"/entries/{entry.id}/replace", data=form, content_type="multipart/form-data")


def entries() -> list[Entry]:
    db.session.expire_all()
    return list(db.session.scalars(select(Entry).order_by(Entry.id)))


def versions() -> list[EntryVersion]:
    db.session.expire_all()
    return list(db.session.scalars(select(EntryVersion).order_by(EntryVersion.id)))


def jobs(name_part: str = "extract_version") -> list[Job]:
    return [j for j in db.session.scalars(select(Job)) if name_part in j.name]


def run_extraction(version_id: int) -> EntryVersion:
    """Run the job's task in this process, as the worker would, and commit."""
    extract_version(version_id=version_id)
    db.session.commit()
    db.session.expire_all()
    return db.session.get(EntryVersion, version_id)


def code_flags(version: EntryVersion) -> list[str]:
    return sorted(f["code"] for f in version.flags)


def submit(student, contest, filename: str = "", data: bytes = b"", *, text: str = "") -> EntryVersion:
    """Submit through the service (as the view does) and commit."""
    import secrets

    from contest.submissions.services import Upload, submit_entry

    version = submit_entry(student=student, contest=contest, topic_id=contest.topics[0].id,
                           category_id=contest.categories[0].id, submit_key=secrets.token_urlsafe(18),
                           upload=Upload(filename=filename, data=data, text=text))
    db.session.commit()
    return version


def replace(student, entry, filename: str, data: bytes) -> EntryVersion:
    import secrets

    from contest.submissions.services import Upload, replace_entry

    version = replace_entry(student=student, entry=entry, submit_key=secrets.token_urlsafe(18),
                            upload=Upload(filename=filename, data=data))
    db.session.commit()
    return version
