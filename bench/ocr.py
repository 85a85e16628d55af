"""OCR accuracy and speed on printed essay pages in kk, ru and en (contest/extraction/ocr.py).

Pages: essays from the demo generator (contest.demo.generator), typeset in DejaVu Sans 12 pt
on A4 (contest.demo.paper) and read as
  - "clean": a 300 dpi greyscale scan (PNG);
  - "photo": a phone-like photo of it: rotated by a random angle within ±5°, a slight
    perspective, Gaussian blur 1.2 px, uneven light (gradient and shadow), noise, JPEG q60.
Each page is read the way the worker reads a photo (EXIF, OSD, even light, deskew, Tesseract
with OMP_THREAD_LIMIT=1: one core), with the contest language's model alone ("kaz", "rus" or
"eng") and with all three ("kaz+rus+eng", what a trilingual contest uses).

Reported per language, condition and models: CER and WER (Levenshtein distance over the
reference length, after collapsing white space), the share of each Kazakh letter
ә ғ қ ң ө ұ ү һ і (both cases) of the reference found in place in the OCR text (kk only),
mean word confidence, and pages per second of one core: pages / (CPU seconds of this
process and of Tesseract), which does not depend on what else the machine is doing; the
wall-clock pages per second of this run are printed beside it.

    python bench/ocr.py [--pages N] [--seed S]
"""
from __future__ import annotations

import argparse
import difflib
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from contest.demo import paper, phrases  # noqa: E402
from contest.demo.generator import write_essay  # noqa: E402
from contest.extraction import ocr  # noqa: E402

KAZAKH = "әғқңөұүһі"
MODELS = {"kk": "kaz", "ru": "rus", "en": "eng"}


def levenshtein(a, b) -> int:
    """Edit distance between two sequences (characters or words)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def _cpu() -> float:
    """CPU seconds of this process and its finished children (Tesseract)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def flat(text: str) -> str:
    return " ".join(text.split())


def kazakh_letters_found(reference: str, read: str) -> tuple[int, int]:
    """(Kazakh letters of the reference matched in place in the OCR text, all of them)."""
    matcher = difflib.SequenceMatcher(None, reference, read, autojunk=False)
    found = sum(1 for block in matcher.get_matching_blocks()
                for ch in reference[block.a:block.a + block.size] if ch.lower() in KAZAKH)
    return found, sum(1 for ch in reference if ch.lower() in KAZAKH)


def pages_for(language: str, count: int, rng: random.Random) -> list[str]:
    texts: list[str] = []
    while len(texts) < count:
        topic = rng.choice(phrases.TOPIC_KEYS)
        essay = write_essay(rng, language=language, topic=topic, quality=rng.random(), min_words=200)
        texts += [text for _, text in paper.typeset(essay.text)]
    return texts[:count]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=2, help="pages per language")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print("| language | condition | models | pages | CER % | WER % | Kazakh letters | confidence "
          "| pages/s/core (CPU) | pages/s (wall) |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for language in ("kk", "ru", "en"):
        texts = pages_for(language, args.pages, rng)
        scans = {"clean": [], "photo": []}
        for text in texts:
            [(image, _)] = paper.typeset(text)
            scans["clean"].append(paper.png_bytes(image))
            scans["photo"].append(paper.photo(image, rng))
        for condition, blobs in scans.items():
            for models in ((MODELS[language],), ("kaz", "rus", "eng")):
                chars = char_errors = words = word_errors = found = letters = 0
                confidences, seconds, cpu = [], 0.0, 0.0
                for text, blob in zip(texts, blobs, strict=True):
                    start, cpu_start = time.perf_counter(), _cpu()
                    read = ocr.read_photos(blob, models, max_pages=1, deadline=time.monotonic() + 600,
                                           too_many=ValueError)
                    seconds += time.perf_counter() - start
                    cpu += _cpu() - cpu_start
                    reference, got = flat(text), flat(read.text)
                    chars += len(reference)
                    char_errors += levenshtein(reference, got)
                    words += len(reference.split())
                    word_errors += levenshtein(reference.split(), got.split())
                    f, n = kazakh_letters_found(reference, got)
                    found, letters = found + f, letters + n
                    confidences.append(read.confidence)
                kazakh = f"{100 * found / letters:.1f} %" if letters else "-"
                print(f"| {language} | {condition} | {'+'.join(models)} | {len(texts)} | "
                      f"{100 * char_errors / chars:.2f} | {100 * word_errors / words:.2f} | {kazakh} | "
                      f"{sum(confidences) / len(confidences):.1f} | {len(texts) / cpu:.3f} | "
                      f"{len(texts) / seconds:.3f} |", flush=True)


if __name__ == "__main__":
    main()
