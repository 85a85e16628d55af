"""Run core.extract in a forked child with memory, time and page caps.

The parent (an RQ work-horse) should call preload() once at start-up so the forked child
finds pdfplumber, pdfminer, python-docx and charset-normalizer already imported.

Time is the child's own: its CPU seconds (user + system), not the parent's wall clock. A
worker that is paused (SIGSTOP, a swapping host) or starved of CPU does not turn a file
that was read in time into a "timeout": the parent reads whatever is waiting in the pipe
before it decides anything.
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import time
from dataclasses import dataclass

from contest.extraction import core, ocr

STATUSES = ("ok", "timeout", "too_complex", "encrypted", "corrupt", "no_text", "empty", "crashed")
_GRACE_S = 1.0  # the parent kills the child this long after the child's own timer
_WALL_FACTOR = 3  # a child that neither works nor answers is stopped at 3x its CPU cap
_POLL_S = 0.25  # how often the parent looks at the child's clocks while it waits
_TICKS = os.sysconf("SC_CLK_TCK")


class ExtractionTimeout(BaseException):
    """Raised inside the child by its own timer when its CPU (or wall) cap is reached.

    A BaseException so that pdfminer's many `except Exception` blocks cannot swallow it.
    """


@dataclass(frozen=True)
class Outcome:
    status: str  # one of STATUSES
    result: core.ExtractionResult | None = None
    detail: str = ""  # the exception class and message, or the signal, for the log
    elapsed_s: float = 0.0  # wall clock, parent's view (includes any pause)
    cpu_s: float = 0.0  # the child's own CPU time


def preload() -> None:
    """Import and warm everything extraction touches, once, in the parent process."""
    core.extract(_TINY_PDF, "pdf", max_pages=1)
    core.decode_text("пример".encode("cp1251"))
    import pillow_heif  # noqa: F401 - HEIC photos; its opener is registered in the child (ocr.register_heif)
    import pypdfium2  # noqa: F401 - rendering scanned pages for OCR
    from PIL import Image, JpegImagePlugin, PngImagePlugin  # noqa: F401 - decoding photos


def wall_cap(timeout_s: float) -> float:
    """Seconds of its own life after which a child that has not answered is stopped."""
    return max(_WALL_FACTOR * timeout_s, timeout_s + 30)


def run_extraction(data: bytes, fmt: str, *, max_pages: int, memory_mb: int,
                   timeout_s: float, max_chars: int = core.DEFAULT_MAX_CHARS,
                   ocr_settings: core.OcrSettings | None = None) -> Outcome:
    """Extract in a forked child; never raises for anything the file does.

    Rules: the child's address space may grow by at most `memory_mb` above the size it
    was forked at (RLIMIT_AS), so a decompression bomb ends in MemoryError ->
    "too_complex". After `timeout_s` seconds of the child's own CPU time its timer raises
    ExtractionTimeout wherever it is (even inside pdfplumber, which wraps it in
    PdfminerException) -> "timeout"; a child that is still alive `_GRACE_S` after that, or
    has lived wall_cap(timeout_s) without answering, is SIGKILLed -> "timeout" unless its
    complete answer was already in the pipe (then the answer counts). More than
    `max_pages` pages, MemoryError or RecursionError -> "too_complex"; a user password ->
    "encrypted"; no text layer -> "no_text" (with the result); any other exception ->
    "corrupt". A child that dies without answering (SIGKILL from the OOM killer, a
    segfault) -> "crashed": the caller may retry; one that aborts (SIGABRT: CPython out of
    memory while raising) -> "too_complex". An exception raised in the parent while it
    waits (an RQ job timeout) kills and reaps the child, then propagates to the caller.

    OCR (`ocr_settings`: photos and PDFs without a text layer) runs Tesseract as the
    child's own child, under the same memory cap, within `ocr_settings.timeout_s` seconds
    (ocr.OcrTimeout -> "timeout"); the wall caps grow by that budget, the CPU cap of the
    Python child does not.
    """
    start = time.monotonic()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never returns
        os.close(read_fd)
        _child(write_fd, data, fmt, max_pages, memory_mb, timeout_s, max_chars, ocr_settings)
    os.close(write_fd)
    extra = ocr_settings.timeout_s if ocr_settings is not None else 0.0
    try:
        payload, killed = _read_all(read_fd, pid, start, timeout_s, extra)
    finally:  # also when the parent itself is interrupted (an RQ job timeout)
        os.close(read_fd)
        wait_status, cpu = _reap(pid)
    elapsed = time.monotonic() - start
    outcome = _decode(payload, elapsed, wait_status, cpu)
    if killed and outcome.status == "crashed":  # no complete answer: the caps stopped it
        return Outcome("timeout", detail=f"killed after {timeout_s}s", elapsed_s=elapsed, cpu_s=cpu)
    return outcome


def _reap(pid: int) -> tuple[int, float]:
    """Wait for the child, killing it first if it is still running; (status, CPU seconds)."""
    done, status, usage = os.wait4(pid, os.WNOHANG)
    if done == 0:
        os.kill(pid, signal.SIGKILL)
        _, status, usage = os.wait4(pid, 0)
    return status, usage.ru_utime + usage.ru_stime


def _child_cpu(pid: int) -> float | None:
    """The child's CPU seconds so far (Linux /proc); None where that cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime
    except (OSError, IndexError, ValueError):
        return None


def _over_caps(pid: int, start: float, timeout_s: float, extra_s: float = 0.0) -> bool:
    """Whether the child has used up its own time: CPU cap (plus grace) or its wall cap
    (which grows by `extra_s`, the OCR budget, spent in Tesseract rather than the child)."""
    age = time.monotonic() - start
    if age > wall_cap(timeout_s) + extra_s + _GRACE_S:
        return True
    cpu = _child_cpu(pid)
    if cpu is None:  # no /proc: fall back to the child's age
        return age > timeout_s + _GRACE_S
    return cpu > timeout_s + _GRACE_S


def _read_all(fd: int, pid: int, start: float, timeout_s: float, extra_s: float = 0.0) -> tuple[bytes, bool]:
    """Everything the child writes until EOF; (payload, whether the parent had to kill it).

    Reading always comes first: after a pause of the parent the answer may be waiting."""
    chunks: list[bytes] = []
    killed = False
    while True:
        ready, _, _ = select.select([fd], [], [], _POLL_S)
        if ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"".join(chunks), killed
            chunks.append(chunk)
        elif not killed and _over_caps(pid, start, timeout_s, extra_s):
            os.kill(pid, signal.SIGKILL)  # the pipe then reaches EOF; what it held is read
            killed = True


def _decode(payload: bytes, elapsed: float, wait_status: int, cpu: float) -> Outcome:
    try:
        status, result, detail = pickle.loads(payload)
    except (EOFError, pickle.UnpicklingError, ValueError):  # the child died mid-way
        if os.WIFSIGNALED(wait_status) and os.WTERMSIG(wait_status) == signal.SIGABRT:
            # CPython aborts ("Cannot recover from MemoryErrors") when the address-space
            # cap is hit while it builds an exception: the memory cap, not a crash.
            return Outcome("too_complex", detail="aborted at the memory cap", elapsed_s=elapsed, cpu_s=cpu)
        if os.WIFSIGNALED(wait_status):
            how = f"killed by {signal.Signals(os.WTERMSIG(wait_status)).name}"
        else:
            how = f"exit code {os.waitstatus_to_exitcode(wait_status)}"
        return Outcome("crashed", detail=how, elapsed_s=elapsed, cpu_s=cpu)
    return Outcome(status, result, detail, elapsed, cpu)


def _child(fd: int, data: bytes, fmt: str, max_pages: int, memory_mb: int,
           timeout_s: float, max_chars: int, ocr_settings: core.OcrSettings | None = None) -> None:
    code = 0
    try:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGUSR1):
            signal.signal(sig, signal.SIG_DFL)  # drop handlers inherited from the worker
        signal.signal(signal.SIGPROF, _raise_timeout)  # its own CPU time
        signal.signal(signal.SIGALRM, _raise_timeout)  # its own life, for a child that hangs
        _limit_memory(memory_mb)
        signal.setitimer(signal.ITIMER_PROF, timeout_s)
        extra = ocr_settings.timeout_s if ocr_settings is not None else 0.0
        signal.setitimer(signal.ITIMER_REAL, wall_cap(timeout_s) + extra)
        message = _run(data, fmt, max_pages, max_chars, ocr_settings)
        signal.setitimer(signal.ITIMER_PROF, 0)
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
    raise ExtractionTimeout("CPU time cap reached" if signum == signal.SIGPROF else "wall-clock cap reached")


def _limit_memory(memory_mb: int) -> None:
    with open("/proc/self/statm") as f:  # first field: current virtual size in pages
        current = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    cap = current + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def _run(data: bytes, fmt: str, max_pages: int, max_chars: int,
         ocr_settings: core.OcrSettings | None = None) -> tuple:
    try:
        result = core.extract(data, fmt, max_pages, max_chars, ocr_settings)
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
    if any(isinstance(e, (ExtractionTimeout, ocr.OcrTimeout)) for e in chain):
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
