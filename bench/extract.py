"""Extraction throughput on a generated corpus: plain pdfplumber, pdftotext, our sandbox.

    python bench/extract.py            # 200 essays of 1-5 pages (kk/ru/en)
    python bench/extract.py --quick    # 40 essays
    python bench/extract.py --core     # also core.extract in-process (no sandbox)
    python bench/extract.py --no-pipeline   # skip the upload -> ready pipeline (bench/pipeline.py)

All methods run on the same files in the same run, interleaved essay by essay so CPU
frequency drift hits them alike. Times are CPU seconds (this process plus the children it
waited for: pdftotext, sandbox children), so other load on the machine does not count.
Ratios are against plain pdfplumber (extract_text per page). The full upload -> ready
pipeline (bench/pipeline.py) runs after them on the same files: uploads through the app,
then one real worker.py, whose CPU time (with its sandbox children) is the per-worker cost.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber

from contest.extraction import core, sandbox
from tests.extraction import hostile


@dataclass
class Method:
    """A column of the table: `fn(path, data)` extracts one essay; the time is summed."""

    name: str
    fn: Callable[[Path, bytes], object]
    seconds: float = field(default=0.0)


def make_corpus(folder: Path, n: int, seed: int = 7) -> list[tuple[Path, int]]:
    """n essays of 1-5 pages, languages in turn, text shuffled from the samples."""
    rnd = random.Random(seed)
    corpus = []
    for i in range(n):
        lang = ("kk", "ru", "en")[i % 3]
        words = hostile.SAMPLES[lang].split()
        pages = rnd.randint(1, 5)
        content = [[" ".join(rnd.choices(words, k=rnd.randint(50, 80))) for _ in range(4)]
                   for _ in range(pages)]
        path = folder / f"essay-{i:03d}.pdf"
        path.write_bytes(hostile.text_pdf(content))
        corpus.append((path, pages))
    return corpus


def plain_pdfplumber(path: Path, data: bytes) -> object:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() for page in pdf.pages]


def pdftotext(path: Path, data: bytes) -> object:
    return subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, check=True).stdout


def our_sandbox(path: Path, data: bytes) -> object:
    outcome = sandbox.run_extraction(path.read_bytes(), "pdf", max_pages=50,
                                     memory_mb=512, timeout_s=60)
    if outcome.status != "ok":
        raise RuntimeError(f"{path.name}: {outcome.status} {outcome.detail}")
    return outcome


def our_core_in_process(path: Path, data: bytes) -> object:
    return core.extract(path.read_bytes(), "pdf", max_pages=50)


def default_methods(with_core: bool = False) -> list[Method]:
    methods = [Method("pdfplumber (plain)", plain_pdfplumber), Method("pdftotext", pdftotext),
               Method("run_extraction (sandbox)", our_sandbox)]
    if with_core:
        methods.append(Method("core.extract (in-process)", our_core_in_process))
    return methods


def cpu_seconds() -> float:
    """CPU time of this process and of its waited-for children (user + system)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def run(corpus: list[tuple[Path, int]], methods: list[Method]) -> list[Method]:
    """Time every method on every essay, interleaved; the first method is the baseline."""
    sandbox.preload()  # what the worker does once before forking work-horses
    for path, _ in corpus[:3]:  # warm caches for everyone
        for m in methods:
            m.fn(path, b"")
    for path, _ in corpus:
        for m in methods:
            start = cpu_seconds()
            m.fn(path, b"")
            m.seconds += cpu_seconds() - start
    return methods


def report(corpus: list[tuple[Path, int]], methods: list[Method]) -> None:
    essays, pages = len(corpus), sum(p for _, p in corpus)
    base = methods[0].seconds
    print(f"{essays} essays, {pages} pages (CPU seconds)\n")
    print(f"{'method':34} {'seconds':>8} {'pages/s':>8} {'essays/min':>11} {'vs plain':>9}")
    for m in methods:
        print(f"{m.name:34} {m.seconds:8.2f} {pages / m.seconds:8.1f} "
              f"{essays * 60 / m.seconds:11.0f} {base / m.seconds:8.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 essays instead of 200")
    parser.add_argument("--core", action="store_true", help="add core.extract in-process")
    parser.add_argument("--no-pipeline", action="store_true", help="skip upload -> ready with a worker")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = make_corpus(Path(tmp), 40 if args.quick else 200)
        methods = run(corpus, default_methods(args.core))
        report(corpus, methods)
        if not args.no_pipeline:
            report_pipeline(corpus, methods)


def report_pipeline(corpus: list[tuple[Path, int]], methods: list[Method]) -> None:
    """The whole pipeline on the same files: uploads through the app, then one real worker."""
    from bench.pipeline import run_pipeline

    essays, pages = len(corpus), sum(p for _, p in corpus)
    base = methods[0].seconds
    for mode in ("inprocess", "fork"):
        figures = run_pipeline(corpus, mode)
        print(f"\nfull pipeline, one worker (WORKER_MODE={mode!r}), {figures['ready']}/{essays} ready, "
              f"upload -> ready in {figures['wall_s']:.1f} s wall clock:")
        for name, key in (("pipeline: worker", "worker_s"), ("pipeline: uploads (web process)", "upload_s")):
            print(f"{name:34} {figures[key]:8.2f} {pages / figures[key]:8.1f} "
                  f"{essays * 60 / figures[key]:11.0f} {base / figures[key]:8.0%}")


if __name__ == "__main__":
    main()
