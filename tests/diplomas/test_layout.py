import dataclasses
import io
import subprocess
import sys

import pdfplumber
import pytest
import zxingcpp
from PIL import Image

from contest.diplomas import (
    LABEL_KEYS,
    LogoError,
    new_verification_code,
    render_diploma,
    render_diplomas,
)
from contest.diplomas.layout import PAGE_H, PAGE_W
from contest.diplomas.samples import HOLDER, sample_content, sample_logo

MARKUP_NAME = "<b>x</b><img src=http://evil/ onerror=alert(1)> & <font>"
NETWORK_EVENTS = ("socket.connect", "socket.getaddrinfo", "urllib.Request", "http.client.connect")
_network_calls: list[str] = []


def _record_network(event: str, args: tuple) -> None:
    if event in NETWORK_EVENTS:
        _network_calls.append(f"{event} {args!r}")


sys.addaudithook(_record_network)


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 1
        return document.pages[0].extract_text()


def _chars(pdf: bytes) -> list[dict]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return list(document.pages[0].chars)


def _qr_texts(pdf: bytes, tmp_path) -> list[str]:
    source = tmp_path / "diploma.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(source), str(tmp_path / "page")],
        check=True,
    )
    with Image.open(tmp_path / "page.png") as image:
        return [result.text for result in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_render_diploma_text_has_kazakh_name_and_code(language):
    code = new_verification_code()
    pdf = render_diploma(sample_content(language, code=code))
    text = _text(pdf)
    assert HOLDER == "Әлия Қуанышқызы Нұрғалиева"
    assert HOLDER in text.splitlines()
    assert code in text.splitlines()
    assert f"https://essay.example.kz/verify/{code}" in text


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_render_diploma_qr_decodes_to_verification_url(language, tmp_path):
    code = new_verification_code()
    content = sample_content(language, code=code, logo=sample_logo())
    assert _qr_texts(render_diploma(content), tmp_path) == [content.verification_url]


def test_render_diploma_markup_name_printed_literally_and_nothing_fetched():
    _network_calls.clear()
    pdf = render_diploma(sample_content("en", holder=MARKUP_NAME))
    assert MARKUP_NAME in _text(pdf).splitlines()
    assert _network_calls == []
    for action in (b"/URI", b"/Launch", b"/JavaScript", b"/Subtype /Image"):
        assert action not in pdf


def test_render_diploma_metadata_is_literal():
    name = "Ә) (\\ <b>Қ</b>"
    pdf = render_diploma(sample_content("kk", holder=name))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert document.metadata["Title"] == f"Диплом \u2014 {name}"
        assert document.metadata["Author"] == "Алматы қаласы Білім басқармасы"


@pytest.mark.parametrize(
    "holder, first_word",
    [
        ("Әлия-Гүлнұр Қуанышқызы Нұрғалиева-Сәрсенбаева-Тұрсынбекова Өтепбергенқызы", "Әлия"),
        ("Ұ" + "ққ" * 80, "Ұ"),
        (" ".join(["Нұрғалиева"] * 40), "Нұрғалиева"),
        ("W" * 300, "W"),
    ],
)
def test_render_diploma_long_name_stays_inside_frame(holder, first_word):
    pdf = render_diploma(sample_content("kk", holder=holder))
    chars = _chars(pdf)
    assert [c for c in chars if c["x0"] < 30 or c["x1"] > PAGE_W - 30] == []
    assert [c for c in chars if c["top"] < 30 or c["bottom"] > PAGE_H - 30] == []
    assert _text(pdf).count(first_word) >= 1


def test_render_diploma_same_content_same_bytes():
    content = sample_content("ru", logo=sample_logo())
    assert render_diploma(content) == render_diploma(content)


def test_render_diplomas_matches_one_by_one():
    logo = sample_logo()
    contents = [sample_content(lang, code=new_verification_code(), logo=logo)
                for lang in ("kk", "ru", "en")]
    assert list(render_diplomas(contents)) == [render_diploma(c) for c in contents]


def test_render_diploma_logo_is_drawn():
    pdf = render_diploma(sample_content("kk", logo=sample_logo()))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages[0].images) == 1


@pytest.mark.parametrize(
    "logo",
    [b"not an image", b"<html><script>alert(1)</script></html>", b"GIF89a" + bytes(64)],
)
def test_render_diploma_bad_logo_refused(logo):
    with pytest.raises(LogoError):
        render_diploma(sample_content("ru", logo=logo))


@pytest.mark.parametrize("missing", LABEL_KEYS)
def test_diploma_content_missing_label_refused(missing):
    content = sample_content("en")
    labels = {k: v for k, v in content.labels.items() if k != missing}
    with pytest.raises(ValueError, match=missing):
        dataclasses.replace(content, labels=labels)


def test_diploma_content_four_signatories_refused():
    content = sample_content("en")
    with pytest.raises(ValueError):
        dataclasses.replace(content, signatories=(("A", "B"),) * 4)


@pytest.mark.parametrize("count", [0, 1, 3])
def test_render_diploma_signatory_names_printed(count):
    people = tuple((f"Сұлтан Өмір {i}", f"Қазы {i}") for i in range(count))
    text = _text(render_diploma(dataclasses.replace(sample_content("kk"), signatories=people)))
    assert [name for name, _ in people if name in text] == [name for name, _ in people]
    assert "2026 жылғы 15 мамыр" in text
