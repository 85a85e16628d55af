"""Run core.extract in a forked child with memory, wall-clock and page caps.

The parent (an RQ work-horse) should call preload() once at start-up so the forked child
finds pdfplumber, pdfminer, python-docx and charset-normalizer already imported.
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import time
from dataclasses import dataclass

from contest.extraction import core

STATUSES = ("ok", "timeout", "too_complex", "encrypted", "corrupt", "no_text", "empty", "crashed")
_GRACE_S = 1.0  # the parent kills the child this long after its own soft alarm


class ExtractionTimeout(BaseException):
    """Raised inside the child by its own SIGALRM when the wall-clock cap is reached.

    A BaseException so that pdfminer's many `except Exception` blocks cannot swallow it.
    """


@dataclass(frozen=True)
class Outcome:
    status: str  # one of STATUSES
    result: core.ExtractionResult | None = None
    detail: str = ""  # the exception class and message, or the signal, for the log
    elapsed_s: float = 0.0


def preload() -> None:
    """Import and warm everything extraction touches, once, in the parent process."""
    core.extract(_TINY_PDF, "pdf", max_pages=1)
    core.decode_text("пример".encode("cp1251"))


def run_extraction(data: bytes, fmt: str, *, max_pages: int, memory_mb: int,
                   timeout_s: float, max_chars: int = core.DEFAULT_MAX_CHARS) -> Outcome:
    """Extract in a forked child; never raises for anything the file does.

    Rules: the child's address space may grow by at most `memory_mb` above the size it
    was forked at (RLIMIT_AS), so a decompression bomb ends in MemoryError ->
    "too_complex". After `timeout_s` the child's own SIGALRM raises ExtractionTimeout
    wherever it is (even inside pdfplumber, which wraps it in PdfminerException) ->
    "timeout"; if the child still has not answered `_GRACE_S` later the parent SIGKILLs it
    -> "timeout". More than `max_pages` pages, MemoryError or RecursionError ->
    "too_complex"; a user password -> "encrypted"; no text layer -> "no_text" (with the
    result); any other exception -> "corrupt". A child that dies without answering
    (SIGKILL from the OOM killer, a segfault) -> "crashed": the caller may retry; one that
    aborts (SIGABRT: CPython out of memory while raising) -> "too_complex". An exception
    raised in the parent while it waits (an RQ job timeout) kills and reaps the child, then
    propagates to the caller.
    """
    start = time.monotonic()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never returns
        os.close(read_fd)
        _child(write_fd, data, fmt, max_pages, memory_mb, timeout_s, max_chars)
    os.close(write_fd)
    try:
        payload, timed_out = _read_all(read_fd, start + timeout_s + _GRACE_S)
    finally:  # also when the parent itself is interrupted (an RQ job timeout)
        os.close(read_fd)
        wait_status = _reap(pid)
    elapsed = time.monotonic() - start
    if timed_out:
        return Outcome("timeout", detail=f"killed after {timeout_s}s", elapsed_s=elapsed)
    return _decode(payload, elapsed, wait_status)


def _reap(pid: int) -> int:
    """Wait for the child, killing it first if it is still running."""
    done, status = os.waitpid(pid, os.WNOHANG)
    if done == 0:
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    return status


def _read_all(fd: int, deadline: float) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return b"", True
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return b"", True
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)


def _decode(payload: bytes, elapsed: float, wait_status: int) -> Outcome:
    try:
        status, result, detail = pickle.loads(payload)
    except (EOFError, pickle.UnpicklingError, ValueError):  # the child died mid-way
        if os.WIFSIGNALED(wait_status) and os.WTERMSIG(wait_status) == signal.SIGABRT:
            # CPython aborts ("Cannot recover from MemoryErrors") when the address-space
            # cap is hit while it builds an exception: the memory cap, not a crash.
            return Outcome("too_complex", detail="aborted at the memory cap", elapsed_s=elapsed)
        if os.WIFSIGNALED(wait_status):
            how = f"killed by {signal.Signals(os.WTERMSIG(wait_status)).name}"
        else:
            how = f"exit code {os.waitstatus_to_exitcode(wait_status)}"
        return Outcome("crashed", detail=how, elapsed_s=elapsed)
    return Outcome(status, result, detail, elapsed)


def _child(fd: int, data: bytes, fmt: str, max_pages: int, memory_mb: int,
           timeout_s: float, max_chars: int) -> None:
    code = 0
    try:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGUSR1):
            signal.signal(sig, signal.SIG_DFL)  # drop handlers inherited from the worker
        signal.signal(signal.SIGALRM, _raise_timeout)
        _limit_memory(memory_mb)
        signal.setitimer(signal.ITIMER_REAL, timeout_s)
        message = _run(data, fmt, max_pages, max_chars)
        signal.setitimer(signal.ITIMER_REAL, 0)
        blob = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(blob)
        while view:
            view = view[os.write(fd, view):]
    except BaseException:  # noqa: BLE001 - the child must reach os._exit whatever happens
        code = 70
    finally:
        os._exit(code)  # skip the parent's atexit handlers and buffered output


def _raise_timeout(signum, frame):
    raise ExtractionTimeout("wall-clock cap reached")


def _limit_memory(memory_mb: int) -> None:
    with open("/proc/self/statm") as f:  # first field: current virtual size in pages
        current = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    cap = current + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def _run(data: bytes, fmt: str, max_pages: int, max_chars: int) -> tuple:
    try:
        result = core.extract(data, fmt, max_pages, max_chars)
    except BaseException as exc:  # noqa: BLE001 - classified, never re-raised
        return classify(exc), None, f"{type(exc).__name__}: {str(exc)[:300]}"
    if "encrypted" in result.flags:
        return "encrypted", result, ""
    if "no_text" in result.flags:
        return "no_text", result, ""
    if "empty" in result.flags:
        return "empty", result, ""
    return "ok", result, ""


def classify(exc: BaseException) -> str:
    """Map an exception from extraction to a status, looking through wrappers: a timeout
    anywhere in the chain wins, then resource limits, then everything else is corrupt."""
    chain = list(core.exception_chain(exc))
    if any(isinstance(e, ExtractionTimeout) for e in chain):
        return "timeout"
    if any(isinstance(e, (MemoryError, RecursionError, core.TooComplexError)) for e in chain):
        return "too_complex"
    return "corrupt"


_TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 50]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 36>>stream\nBT /F1 12 Tf 10 20 Td (warm up) Tj ET\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
