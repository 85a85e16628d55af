"""Demo essays: plausible text from the sentence banks in phrases.py, written as real PDF,
DOCX and TXT files. Pure: no Flask, no database; every choice comes from the given Random.

Rule for quality q in [0, 1]: a better essay has more body paragraphs (2 to 5), more
sentences per paragraph, a concrete example with probability q, linking words, and no
filler; a weaker one is shorter and mixes in vague filler sentences ("The law is very
important."). Every essay has at least `min_words` words.
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

from contest.demo import phrases

FONT_PATH = Path(__file__).resolve().parent.parent / "diplomas" / "fonts" / "DejaVuSans.ttf"
FONT = "DejaVuSans"
FORMATS = ("pdf", "docx", "txt")


@dataclass(frozen=True)
class Essay:
    title: str
    paragraphs: list[str]
    language: str

    @property
    def text(self) -> str:
        return "\n\n".join([self.title, *self.paragraphs])

    @property
    def word_count(self) -> int:
        return len(self.text.split())


def _fill(rng: random.Random, sentence: str, language: str) -> str:
    return sentence.format(name=rng.choice(phrases.NAMES[language]),
                           city=rng.choice(phrases.CITIES[language]), age=rng.randint(12, 21),
                           n=rng.randint(7, 35))


def _linked(rng: random.Random, sentence: str, language: str, quality: float) -> str:
    """Sometimes open with a linking word (better essays link more of their sentences)."""
    if rng.random() < 0.15 + 0.45 * quality:
        connector = rng.choice(phrases.CONNECTORS[language])
        return connector + sentence[0].lower() + sentence[1:]
    return sentence


def write_essay(rng: random.Random, *, language: str, topic: str, quality: float,
                min_words: int = 150, author_line: str = "") -> Essay:
    """An essay in `language` on `topic` (a key of phrases.TOPIC) of the given quality.
    `author_line` (name and school, as students often write) goes under the title."""
    quality = min(1.0, max(0.0, quality))
    pool = list(phrases.TOPIC[topic][language]) + list(phrases.GENERAL[language])
    rng.shuffle(pool)
    examples = list(phrases.EXAMPLE[language])
    rng.shuffle(examples)
    weak = phrases.WEAK[language]
    body_count = 2 + round(3 * quality)
    paragraphs = [" ".join(rng.sample(phrases.INTRO[language], 1 + (quality > 0.5)))]
    for i in range(body_count):
        size = max(2, 2 + round(2 * quality) + rng.randint(-1, 1))
        sentences = [_fill(rng, pool.pop(), language) for _ in range(min(size, len(pool)))]
        sentences = [_linked(rng, s, language, quality) if j else s for j, s in enumerate(sentences)]
        if examples and rng.random() < quality:
            sentences.append(_fill(rng, examples.pop(), language))
        if rng.random() < 0.6 * (1 - quality):
            sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(weak))
        if sentences:
            paragraphs.append(" ".join(sentences))
        if not pool and i < body_count - 1:
            break
    paragraphs.append(rng.choice(phrases.CONCLUSION[language]))
    title = phrases.TITLES[topic][language]
    essay = Essay(title, [author_line, *paragraphs] if author_line else paragraphs, language)
    spare = examples + pool
    while essay.word_count < min_words and spare:  # a short essay gets one more paragraph
        paragraphs.insert(-1, " ".join(_fill(rng, spare.pop(), language) for _ in range(min(2, len(spare)))))
        essay = Essay(title, [author_line, *paragraphs] if author_line else paragraphs, language)
    return essay


# --- files -------------------------------------------------------------------------------------

def register_font() -> None:
    """Register the shipped DejaVu Sans (Cyrillic and Kazakh letters) with reportlab once."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH)))


def wrap_lines(text: str, width: float, size: float) -> list[str]:
    """Greedy word wrap of `text` into lines no wider than `width` points at `size`."""
    from reportlab.pdfbase import pdfmetrics

    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if pdfmetrics.stringWidth(trial, FONT, size) > width and line:
            lines.append(line)
            line = word
        else:
            line = trial
    return lines + ([line] if line else [])


def essay_pdf(essay: Essay, *, author: str = "") -> bytes:
    """A typed A4 PDF with a real text layer (DejaVu Sans: Cyrillic and Kazakh letters)."""
    from reportlab.pdfgen import canvas

    register_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842), invariant=1)
    c.setTitle(essay.title)
    if author:
        c.setAuthor(author)
    size, y = 11.5, 780.0
    c.setFont(FONT, 15)
    for line in wrap_lines(essay.title, 445, 15):
        c.drawString(72, y, line)
        y -= 22
    y -= 8
    for para in essay.paragraphs:
        for line in wrap_lines(para, 445, size):
            if y < 72:
                c.showPage()
                y = 780.0
            c.setFont(FONT, size)
            c.drawString(72, y, line)
            y -= size * 1.45
        y -= size * 0.8
    c.showPage()
    c.save()
    return buf.getvalue()


def essay_docx(essay: Essay, *, author: str = "") -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(essay.title, level=1)
    for para in essay.paragraphs:
        document.add_paragraph(para)
    if author:
        document.core_properties.author = author
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def essay_txt(essay: Essay) -> bytes:
    return (essay.text + "\n").encode("utf-8")


def essay_file(essay: Essay, fmt: str, *, author: str = "") -> tuple[str, bytes]:
    """(file name as a student would send it, bytes) in `fmt` (pdf, docx or txt)."""
    slug = {"kk": "esse", "ru": "esse", "en": "essay"}[essay.language]
    if fmt == "pdf":
        return f"{slug}.pdf", essay_pdf(essay, author=author)
    if fmt == "docx":
        return f"{slug}.docx", essay_docx(essay, author=author)
    if fmt == "txt":
        return f"{slug}.txt", essay_txt(essay)
    raise ValueError(f"unknown format {fmt!r}")
