"""The jury protocol core (PDF and DOCX), bilingual pages and the PNG preview."""

import dataclasses
import io
import zipfile

import docx
import pdfplumber
from PIL import Image

from contest.diplomas import render_diploma
from contest.diplomas.preview import first_page_png
from contest.diplomas.protocol import ProtocolRow, render_protocol
from contest.diplomas.protocol_docx import render_protocol_docx
from contest.diplomas.samples import CODE, sample_document, sample_protocol

MARKUP = "<b>x</b><img src=http://evil/> & ../../etc"


def _pages(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [page.extract_text() for page in document.pages]


def test_protocol_every_row_page_x_of_y_and_code_on_every_page():
    content = sample_protocol("ru", 300)
    pages = _pages(render_protocol(content))
    assert len(pages) > 3
    for number, text in enumerate(pages, start=1):
        assert f"Стр. {number} из {len(pages)}" in text
        assert f"Код проверки: {CODE}" in text
    text = "\n".join(pages)
    codes = [row.code for group in content.groups for row in group.rows]
    assert len(codes) == 300 and all(code in text for code in codes)
    assert "Место" in pages[1] and "Автор" in pages[1]  # the table header repeats on later pages
    assert "не оценена" in text and "Председатель" in text and "ПРОТОКОЛ" in text


def test_protocol_bilingual_labels_kazakh_first():
    text = "\n".join(_pages(render_protocol(sample_protocol("kk+ru", 10))))
    assert "ХАТТАМА / ПРОТОКОЛ" in text and "Төраға / Председатель" in text
    assert "Бет 1 / 1" in text


def test_protocol_markup_printed_literally_same_bytes_each_time():
    content = sample_protocol("kk", 4)
    group = content.groups[0]
    rows = (dataclasses.replace(group.rows[0], author="<b>Ә</b>&<i>"),) + group.rows[1:]
    content = dataclasses.replace(
        content, groups=(dataclasses.replace(group, rows=rows),) + content.groups[1:]
    )
    pdf = render_protocol(content)
    assert "<b>Ә</b>&<i>" in _pages(pdf)[0]
    assert b"/URI" not in pdf and b"/JavaScript" not in pdf
    assert render_protocol(content) == pdf


def test_protocol_docx_tables_footer_fields_and_literal_text():
    content = sample_protocol("ru", 20)
    group = content.groups[0]
    rows = (ProtocolRow("1", "ZT-1", MARKUP + "\x07", "S", "R", "9.00", "A"),) + group.rows[1:]
    content = dataclasses.replace(
        content, groups=(dataclasses.replace(group, rows=rows),) + content.groups[1:]
    )
    data = render_protocol_docx(content)
    document = docx.Document(io.BytesIO(data))
    table = document.tables[1]
    assert [c.text for c in table.rows[0].cells][:3] == ["Место", "Код", "Автор"]
    assert table.rows[1].cells[2].text == MARKUP  # the control character is dropped, markup kept as text
    assert len(table.rows) == 11
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        footer = "".join(archive.read(n).decode() for n in archive.namelist() if "footer" in n)
    assert " PAGE " in footer and " NUMPAGES " in footer and CODE in footer


def test_bilingual_diploma_prints_kazakh_above_russian():
    pdf = render_diploma(sample_document("award", "kk+ru"))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        words = document.pages[0].extract_words()
        text = document.pages[0].extract_text()
    top = {w["text"]: w["top"] for w in words}
    assert top["иегері"] < top["награждается"]
    assert "Жетекшісі: Б. С. Ахметова" in text and "Научный руководитель: Б. С. Ахметова" in text
    assert "Сәрсенбаева" in text and "Сарсенбаева" in text


def test_letter_prints_its_sentence_instead_of_category():
    with pdfplumber.open(io.BytesIO(render_diploma(sample_document("juror_thanks", "ru")))) as document:
        text = document.pages[0].extract_text()
    assert "прочитано и оценено 42 эссе" in text and "Категория" not in text


def test_first_page_png_is_the_page_drawn():
    png = first_page_png(render_diploma(sample_document("award", "kk")), width=600)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size[0] == 600 and 400 < image.size[1] < 440
    assert image.convert("L").getextrema()[0] < 60  # ink on the page, not a blank render


def test_sample_protocol_writes_scores_with_the_languages_decimal_mark():
    from contest.diplomas.samples import sample_protocol

    assert sample_protocol("ru", 4).groups[0].rows[0].score == "96,00"
    assert sample_protocol("kk+ru", 4).groups[0].rows[0].score == "96,00"
