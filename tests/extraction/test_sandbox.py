import os
import signal
import threading
import time
from pathlib import Path

import pytest
from pdfminer.psparser import PSEOF
from pdfplumber.utils.exceptions import PdfminerException

from contest.extraction.core import TooComplexError
from contest.extraction.sandbox import ExtractionTimeout, classify, preload, run_extraction
from tests.extraction import hostile as h

# Generous wall clock: on a loaded 2-core CI machine a bomb must hit the memory cap first.
CAPS = {"max_pages": 50, "memory_mb": 256, "timeout_s": 10.0}


def _children() -> list[int]:
    found = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            found += [int(pid) for pid in (task / "children").read_text().split()]
        except FileNotFoundError:  # the thread ended between listing and reading
            continue
    return found


def _assert_parent_still_works():
    outcome = run_extraction(h.essay_pdf("kk"), "pdf", **CAPS)
    assert (outcome.status, outcome.result.language) == ("ok", "kk")
    assert _children() == []


def setup_module():
    preload()


@pytest.mark.parametrize(
    ("make", "fmt", "status"),
    [
        (lambda: h.essay_pdf("en"), "pdf", "ok"),
        (lambda: h.essay_docx([h.SAMPLES["ru"]]), "docx", "ok"),
        (lambda: h.SAMPLES["ru"].encode("cp1251"), "txt", "ok"),
        (lambda: h.encrypted_pdf(user_password="", owner_password="o"), "pdf", "ok"),
        (lambda: h.encrypted_pdf(user_password="u", owner_password="o"), "pdf", "encrypted"),
        (h.scan_pdf, "pdf", "no_text"),
        (h.bomb_pdf, "pdf", "too_complex"),
        (h.docx_bomb, "docx", "too_complex"),
        (lambda: h.many_pages_pdf(20_000, declared=1), "pdf", "too_complex"),
        (h.deep_page_tree_pdf, "pdf", "too_complex"),
        (h.self_drawing_xobject_pdf, "pdf", "no_text"),
        (h.self_referencing_object_pdf, "pdf", "timeout"),
        (h.truncated_pdf, "pdf", "corrupt"),
        (lambda: b"%PDF-1.7\n" + os.urandom(3000), "pdf", "corrupt"),
        (lambda: b"PK\x03\x04 not a docx", "docx", "corrupt"),
        (lambda: h.zip_bytes({"word/document.xml": b"<not xml"}), "docx", "corrupt"),
    ],
)
def test_run_extraction_classifies_and_parent_survives(make, fmt, status):
    outcome = run_extraction(make(), fmt, **CAPS)
    assert outcome.status == status, outcome.detail
    _assert_parent_still_works()


def test_run_extraction_million_glyphs_is_a_timeout():
    outcome = run_extraction(h.glyph_flood_pdf(), "pdf", max_pages=5, memory_mb=2048,
                             timeout_s=1.5)
    # The child's own CPU timer normally fires; on a loaded machine the parent's backstop may
    # kill it first. Either way it is recorded as a timeout, never as corrupt or success.
    assert outcome.status == "timeout"
    assert outcome.detail in ("ExtractionTimeout: CPU time cap reached", "killed after 1.5s")
    _assert_parent_still_works()


def test_run_extraction_bomb_is_stopped_by_the_memory_cap_not_the_clock():
    outcome = run_extraction(h.bomb_pdf(), "pdf", max_pages=5, memory_mb=256, timeout_s=20)
    assert outcome.status == "too_complex"
    assert "allocate" in outcome.detail or outcome.detail == "aborted at the memory cap"


def test_run_extraction_child_killed_is_crashed():
    killer = threading.Timer(0.5, lambda: [os.kill(p, signal.SIGKILL) for p in _children()])
    killer.start()
    outcome = run_extraction(h.glyph_flood_pdf(), "pdf", max_pages=5, memory_mb=2048,
                             timeout_s=10)
    killer.join()
    assert (outcome.status, outcome.detail) == ("crashed", "killed by SIGKILL")
    _assert_parent_still_works()


class JobTimeout(Exception):
    pass


def _raise_job_timeout(signum, frame):
    raise JobTimeout


def test_run_extraction_parent_interrupted_kills_child():
    previous = signal.signal(signal.SIGALRM, _raise_job_timeout)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.5)  # what RQ's job timeout does
        with pytest.raises(JobTimeout):
            run_extraction(h.glyph_flood_pdf(), "pdf", max_pages=5, memory_mb=2048,
                           timeout_s=10)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert _children() == []
    _assert_parent_still_works()


def test_run_extraction_long_pdf_fits_a_small_memory_cap():
    outcome = run_extraction(h.essay_pdf("ru", n_pages=200), "pdf", max_pages=500,
                             memory_mb=48, timeout_s=60)
    assert (outcome.status, outcome.result.page_count) == ("ok", 200)


def test_run_extraction_returns_result_with_flags():
    outcome = run_extraction(h.essay_pdf("ru", n_pages=3), "pdf", **CAPS)
    assert (outcome.status, outcome.result.page_count, outcome.result.word_count) == (
        "ok", 3, 315)


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (PdfminerException(ExtractionTimeout()), "timeout"),
        (PdfminerException(MemoryError()), "too_complex"),
        (PdfminerException(RecursionError()), "too_complex"),
        (TooComplexError("pages"), "too_complex"),
        (PdfminerException(PSEOF("Unexpected EOF")), "corrupt"),
        (KeyError("word/document.xml"), "corrupt"),
    ],
)
def test_classify_looks_through_pdfplumber_wrappers(exc, status):
    assert classify(exc) == status


def test_classify_finds_a_timeout_in_the_cause_chain():
    try:
        try:
            raise ExtractionTimeout
        except ExtractionTimeout as inner:
            raise ValueError("parse failed") from inner
    except ValueError as outer:
        assert classify(outer) == "timeout"


def _pause_child(seconds: float) -> None:
    """SIGSTOP the extraction child as soon as it exists, SIGCONT it `seconds` later."""
    deadline = time.monotonic() + 5
    while not (children := _children()) and time.monotonic() < deadline:
        time.sleep(0.002)
    for pid in children:
        os.kill(pid, signal.SIGSTOP)
    time.sleep(seconds)
    for pid in children:
        os.kill(pid, signal.SIGCONT)


def test_run_extraction_child_paused_past_its_cap_still_answers():
    """A child that gets no CPU (stopped, or starved on a busy host) is charged only for the
    time it ran: paused for twice its cap, it still reads the essay."""
    pauser = threading.Thread(target=_pause_child, args=(3.0,))
    pauser.start()
    outcome = run_extraction(h.essay_pdf("ru", n_pages=3), "pdf", max_pages=50, memory_mb=256,
                             timeout_s=1.0)
    pauser.join()
    assert (outcome.status, outcome.result.word_count) == ("ok", 315)
    assert outcome.elapsed_s > 3.0 > outcome.cpu_s


def test_run_extraction_parent_paused_reads_the_waiting_answer():
    """The parent stops (as a SIGSTOPped worker does) while the child finishes; when it
    runs again, long past the cap, the answer waiting in the pipe is the outcome."""
    essay = h.essay_pdf("kk", n_pages=3)  # made first, so the stop falls inside the extraction
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # a child that runs the extraction in its own process, then reports
        os.close(read_fd)
        code = 1
        try:
            stop_self = threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGSTOP))
            stop_self.start()  # this process is the "worker": it stops itself mid-extraction
            outcome = run_extraction(essay, "pdf", max_pages=50, memory_mb=256, timeout_s=1.0)
            os.write(write_fd, f"{outcome.status} {outcome.elapsed_s:.1f}".encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    _wait_stopped(pid)
    time.sleep(3.5)  # longer than cap + grace: the extraction child has long finished
    os.kill(pid, signal.SIGCONT)
    answer = os.read(read_fd, 100).decode()
    os.close(read_fd)
    os.waitpid(pid, 0)
    status, elapsed = answer.split()
    assert status == "ok"
    assert float(elapsed) > 3.0


def _wait_stopped(pid: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with open(f"/proc/{pid}/stat") as f:
            if f.read().rsplit(")", 1)[1].split()[0] == "T":
                return
        time.sleep(0.01)
    raise AssertionError("the process did not stop")
