"""DOCX: all the text a reader sees, once. Files are built by tests/extraction/hostile.py
(rich_docx) with the XML Word writes for each feature."""
from contest.extraction.core import NOTES_MARK, extract
from tests.extraction import hostile as h

KK = h.SAMPLES["kk"]


def _read(body: str, **parts):
    return extract(h.rich_docx(body, **parts), "docx", max_pages=10)


def test_essay_in_a_text_box_is_read_once_not_twice_through_the_vml_fallback():
    result = _read(h.w_p("Эссе", h.w_textbox(KK, KK)))
    assert result.text == f"Эссе\n\n{KK}\n\n{KK}"
    assert result.word_count == 1 + 2 * 27 and result.language == "kk"


def test_content_controls_block_and_inline_are_read():
    block = (f"<w:sdt><w:sdtPr><w:alias w:val=\"Essay\"/></w:sdtPr><w:sdtContent>{h.w_p(KK)}"
             "</w:sdtContent></w:sdt>")
    inline = h.w_p("Тақырып: ", "<w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>Менің елім</w:t></w:r>"
                                "</w:sdtContent></w:sdt>")
    assert _read(inline + block).text == f"Тақырып: Менің елім\n\n{KK}"


def test_tracked_changes_read_as_accepted():
    para = h.w_p("Біз ", "<w:ins w:id=\"1\" w:author=\"A\"><w:r><w:t>заңды </w:t></w:r></w:ins>",
                 "<w:del w:id=\"2\" w:author=\"A\"><w:r><w:delText>ескі </w:delText></w:r></w:del>",
                 "құрметтейміз.")
    moved = h.w_p("<w:moveFrom w:id=\"3\" w:author=\"A\"><w:r><w:t>кетті</w:t></w:r></w:moveFrom>",
                  "<w:moveTo w:id=\"4\" w:author=\"A\"><w:r><w:t>келді</w:t></w:r></w:moveTo>")
    result = _read(para + moved)
    assert result.text == "Біз заңды құрметтейміз.\n\nкелді"
    assert result.word_count == 4


def test_nested_tables_are_read_cell_by_cell():
    inner = h.w_table([["Ішкі бір", "Ішкі екі"]])
    result = _read(h.w_table([["Сыртқы", inner], ["Соңғы жол", "бос емес"]]))
    assert result.text == "Сыртқы\nІшкі бір\nІшкі екі\n\nСоңғы жол\nбос емес"
    assert result.word_count == 9


def test_footnotes_are_read_after_the_essay_and_counted_apart():
    result = _read(h.w_p(KK), footnotes=["Дереккөз: Қазақстан Республикасының Конституциясы, 1995."])
    assert result.text == f"{KK}\n\n{NOTES_MARK}\n\nДереккөз: Қазақстан Республикасының Конституциясы, 1995."
    assert (result.word_count, result.notes_word_count) == (27, 5)
    assert "———" not in result.text  # Word's separator note is not text


def test_headers_and_footers_are_out_of_the_count_but_kept_for_redaction():
    result = _read(h.w_p(KK), header="Айгерім Сапарова, 9 сынып", footer="№12 мектеп")
    assert "Сапарова" not in result.text and result.word_count == 27
    assert result.margin_text == "Айгерім Сапарова, 9 сынып\n\n№12 мектеп"
