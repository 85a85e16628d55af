"""The entry lifecycle under any interleaving: a hypothesis state machine drives the real
services (submit, replace, withdraw) and the extraction job's two halves (begin, then
record the outcome the real sandbox gave for a real file) in random orders on the real
database, and checks the invariants after every step.

Files: a Kazakh TXT essay (read fine), a PDF cut after 600 bytes (corrupt) and a 300-page
essay PDF read with a 0.3 s cap (timeout), all from tests/extraction/hostile.py; each is
run once through contest.extraction.sandbox and its outcome reused.
"""
import functools
import secrets

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from contest.enums import Role
from contest.errors import DomainError
from contest.extensions import db
from contest.extraction import sandbox
from contest.judging.queries import plan_inputs
from contest.mail.models import OutgoingEmail
from contest.submissions import processing
from contest.submissions.models import Entry, EntryStatus, EntryVersion
from contest.submissions.services import Upload, replace_entry, submit_entry, withdraw_entry
from tests import factories
from tests.extraction import hostile

pytestmark = pytest.mark.postgres
KINDS = ("good", "corrupt", "slow")
UNREADABLE = ("encrypted", "corrupt", "too_complex", "timeout", "crashed")


@functools.cache
def _file(kind: str) -> tuple[str, bytes]:
    if kind == "good":
        return "essay.txt", ((hostile.SAMPLES["kk"] + "\n") * 3).encode()
    if kind == "corrupt":
        return "broken.pdf", hostile.truncated_pdf()
    return "slow.pdf", hostile.essay_pdf("en", 300)


@functools.cache
def _outcome(kind: str) -> sandbox.Outcome:
    name, data = _file(kind)
    timeout = 0.3 if kind == "slow" else 30
    outcome = sandbox.run_extraction(data, name.rsplit(".", 1)[1], max_pages=400, memory_mb=400,
                                     timeout_s=timeout)
    assert outcome.status == {"good": "ok", "corrupt": "corrupt", "slow": "timeout"}[kind]
    return outcome


class EntryMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self):
        self.contest = factories.make_contest(formats=["pdf", "docx", "txt"], max_file_mb=2, min_words=10,
                                              max_words=0, max_pages=400, languages=["kk", "ru", "en"],
                                              entries_per_student=2)
        self.student = factories.make_user(Role.STUDENT)
        db.session.commit()
        self.kind_of: dict[int, str] = {}  # version id -> kind of file
        self.running: list[int] = []  # versions whose job began and has not recorded

    def _entries(self) -> list[Entry]:
        db.session.expire_all()
        return list(db.session.scalars(select(Entry).where(Entry.contest_id == self.contest.id)
                                       .order_by(Entry.id)))

    def _upload(self, kind: str) -> Upload:
        name, data = _file(kind)
        return Upload(filename=name, data=data)

    @rule(kind=st.sampled_from(KINDS))
    def submit(self, kind):
        try:
            version = submit_entry(student=self.student, contest=self.contest,
                                   topic_id=self.contest.topics[0].id,
                                   category_id=self.contest.categories[0].id, upload=self._upload(kind),
                                   submit_key=secrets.token_urlsafe(18))
        except DomainError:
            db.session.rollback()
            return
        db.session.commit()
        self.kind_of[version.id] = kind

    @precondition(lambda self: self._entries())
    @rule(data=st.data(), kind=st.sampled_from(KINDS))
    def replace(self, data, kind):
        entry = data.draw(st.sampled_from(self._entries()))
        try:
            version = replace_entry(student=self.student, entry=entry, upload=self._upload(kind),
                                    submit_key=secrets.token_urlsafe(18))
        except DomainError:
            db.session.rollback()
            return
        db.session.commit()
        self.kind_of[version.id] = kind

    @precondition(lambda self: self._entries())
    @rule(data=st.data())
    def withdraw(self, data):
        entry = data.draw(st.sampled_from(self._entries()))
        withdraw_entry(student=self.student, entry=entry)
        db.session.commit()

    @precondition(lambda self: any(v.extracted_at is None and v.id not in self.running
                                   for e in self._entries() for v in e.versions))
    @rule(data=st.data())
    def job_begins(self, data):
        waiting = [v.id for e in self._entries() for v in e.versions
                   if v.extracted_at is None and v.id not in self.running]
        version_id = data.draw(st.sampled_from(waiting))
        plan = processing.begin_extraction(version_id=version_id)
        db.session.commit()
        if plan is not None:
            self.running.append(version_id)

    @precondition(lambda self: self.running)
    @rule(data=st.data())
    def job_records(self, data):
        version_id = data.draw(st.sampled_from(self.running))
        self.running.remove(version_id)
        processing.record_extraction(version_id=version_id, outcome=_outcome(self.kind_of[version_id]),
                                     data=_file(self.kind_of[version_id])[1])
        db.session.commit()

    @precondition(lambda self: self.running)
    @rule(data=st.data())
    def job_gives_up(self, data):
        """The last attempt crashed (the child was killed every time)."""
        version_id = data.draw(st.sampled_from(self.running))
        self.running.remove(version_id)
        processing.final_crash(version_id, "killed by SIGKILL")
        db.session.commit()

    @invariant()
    def withdrawn_is_never_assignable(self):
        ready = {info.id for info in plan_inputs(self.contest)[0]}
        for entry in self._entries():
            assert (entry.withdrawn_at is not None) == (entry.status == EntryStatus.WITHDRAWN)
            if entry.status == EntryStatus.WITHDRAWN:
                assert entry.id not in ready

    @invariant()
    def current_is_newest_readable_or_the_student_was_told(self):
        for entry in self._entries():
            if entry.status == EntryStatus.WITHDRAWN:
                continue
            versions = sorted(entry.versions, key=lambda v: v.number)
            newest, current = versions[-1], entry.current_version
            if newest.extracted_at is None or newest.extraction_status not in UNREADABLE:
                assert current.id == newest.id
                if newest.extracted_at is None:
                    assert entry.status in (EntryStatus.RECEIVED, EntryStatus.PROCESSING)
                continue
            read_fine = [v for v in versions if v.extraction_status == "ok"]
            if read_fine:  # an unreadable newest upload: the newest good one, and the student is told
                assert current.id == read_fine[-1].id
                assert "replacement_unreadable" in {f["code"] for f in newest.flags}
            else:
                assert current.id == newest.id and entry.status == EntryStatus.NEEDS_ATTENTION
                assert newest.extraction_status in {f["code"] for f in newest.flags}

    @invariant()
    def settled_entries_match_their_current_version(self):
        for entry in self._entries():
            if entry.status in (EntryStatus.READY, EntryStatus.NEEDS_ATTENTION):
                current = entry.current_version
                assert current.extracted_at is not None and current.extraction_status != "processing"
                assert (entry.language, entry.word_count) == (current.language, current.word_count)

    @invariant()
    def every_receipt_has_its_entry_and_every_version_its_receipt(self):
        version_ids = {v.id for e in self._entries() for v in e.versions}
        receipts = {int(key.split(":")[1]) for key in db.session.scalars(
            select(OutgoingEmail.dedupe_key).where(OutgoingEmail.dedupe_key.like("receipt:%")))}
        assert receipts & set(self.kind_of) == version_ids
        assert set(self.kind_of) == version_ids
        assert all(db.session.get(EntryVersion, vid) is not None for vid in receipts & set(self.kind_of))


def test_entry_lifecycle_under_any_interleaving(app):
    for kind in KINDS:
        _outcome(kind)
    # The interleavings are the model's, not the database's: the full search runs on SQLite; on
    # PostgreSQL a shorter one checks its locks and compare-and-set (the suite must stay short).
    examples = 40 if db.engine.dialect.name == "sqlite" else 12
    run_state_machine_as_test(EntryMachine, settings=settings(
        max_examples=examples, stateful_step_count=25, deadline=None, derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]))
