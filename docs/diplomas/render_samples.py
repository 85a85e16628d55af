"""Render the sample documents of every kind into docs/diplomas/ as PNGs (from the real PDFs).

Usage: python docs/diplomas/render_samples.py
"""
import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from contest.diplomas import render_diploma  # noqa: E402
from contest.diplomas.preview import first_page_png  # noqa: E402
from contest.diplomas.protocol import render_protocol  # noqa: E402
from contest.diplomas.samples import KINDS, sample_document, sample_logo, sample_protocol  # noqa: E402

OUT = Path(__file__).resolve().parent


def main() -> None:
    logo = sample_logo()
    for language in ("kk", "ru", "kk+ru"):
        name = language.replace("+", "-")
        for kind in KINDS:
            pdf = render_diploma(dataclasses.replace(sample_document(kind, language), logo=logo))
            (OUT / f"{kind}-{name}.png").write_bytes(first_page_png(pdf, width=1100))
        pdf = render_protocol(sample_protocol(language, 40))
        (OUT / f"protocol-{name}.png").write_bytes(first_page_png(pdf, width=900))


if __name__ == "__main__":
    main()
