"""OCR inside the extraction sandbox on images the tests make: pages in order, a scanned
PDF, a page photographed sideways, and hostile images (bombs, huge, truncated, too slow)."""
import io

from PIL import Image

from contest.demo import paper
from contest.extraction import ocr, sandbox
from contest.extraction.core import OcrSettings
from contest.extraction.filetype import FileTypeError, sniff_format
from tests.ocr import images

KAZ = OcrSettings(("kaz",), 60.0)


def _run(data: bytes, fmt: str = "image", settings: OcrSettings = KAZ, max_pages: int = 10):
    return sandbox.run_extraction(data, fmt, max_pages=max_pages, memory_mb=512, timeout_s=30,
                                  ocr_settings=settings)


def _page(text: str) -> Image.Image:
    return paper.page_images(text, size_pt=16, dpi=200)[0]


def test_several_photos_are_pages_in_the_order_given():
    first, second = _page("Бірінші бет: әже ұлы қызға ғылым үйретті."), _page("Екінші бет: өзен һәм көл.")
    outcome = _run(ocr.bundle_images([images.png_of(first), images.png_of(second)]))
    assert outcome.status == "ok"
    text = outcome.result.text
    assert text.index("Бірінші") < text.index("Екінші")
    assert outcome.result.page_count == 2 and "ocr" in outcome.result.flags
    for word in ("әже", "ұлы", "қызға", "ғылым", "үйретті", "өзен", "һәм", "көл"):
        assert word in text


def test_a_pdf_without_a_text_layer_is_read_by_ocr():
    out = io.BytesIO()
    _page("Заң бәріне ортақ. Әділдік қоғамның негізі.").save(out, "PDF", resolution=200)
    outcome = _run(out.getvalue(), "pdf")
    assert outcome.status == "ok" and "ocr" in outcome.result.flags
    assert "Әділдік қоғамның негізі" in outcome.result.text
    assert outcome.result.ocr_confidence > 80
    without_ocr = sandbox.run_extraction(out.getvalue(), "pdf", max_pages=10, memory_mb=512, timeout_s=30)
    assert without_ocr.status == "no_text" and without_ocr.result.ocr_confidence is None


def test_a_page_photographed_sideways_is_turned_upright():
    page = _page("Мектеп кітапханасында көптеген қызықты кітаптар бар. Оқушылар күнде келеді.")
    outcome = _run(images.png_of(page.rotate(90, expand=True)))
    assert outcome.status == "ok"
    assert "кітапханасында" in outcome.result.text and "Оқушылар" in outcome.result.text


def test_a_decompression_bomb_is_refused_before_decoding():
    outcome = _run(images.bomb_png())
    assert (outcome.status, outcome.result) == ("too_complex", None)
    assert outcome.elapsed_s < 10


def test_an_image_over_the_pixel_cap_is_refused():
    outcome = _run(images.bomb_png(side=8_000))  # 64 MP: under Pillow's own limit, over ours
    assert outcome.status == "too_complex" and "8000x8000" in outcome.detail


def test_a_truncated_jpeg_is_corrupt():
    outcome = _run(images.truncated_jpeg())
    assert outcome.status == "corrupt" and "truncated" in outcome.detail


def test_ocr_over_its_time_budget_is_a_timeout():
    outcome = _run(images.kk_photo(), settings=OcrSettings(("kaz", "rus", "eng"), 0.5))
    assert (outcome.status, outcome.result) == ("timeout", None)


def test_too_many_photos_hit_the_page_cap():
    blob = images.png_of(Image.new("L", (50, 50), 255))
    outcome = _run(ocr.bundle_images([blob] * 4), max_pages=3)
    assert outcome.status == "too_complex"


def test_image_files_must_be_what_their_name_says():
    png = images.png_of(Image.new("L", (10, 10), 255))
    assert sniff_format(png, "page.PNG") == "image"
    assert sniff_format(images.kk_photo(), "page.jpeg") == "image"
    for data, name in ((png, "page.jpg"), (b"MZ\x90\x00", "page.png"), (b"<html>", "x.jpg")):
        try:
            sniff_format(data, name)
        except FileTypeError as exc:
            assert exc.reason == "not_image"
        else:
            raise AssertionError(f"{name} accepted")


def test_a_handwritten_looking_page_is_not_trusted():
    """No word of it is read with confidence: the worker sends it to be transcribed."""
    outcome = _run(images.scribbled_page(), settings=OcrSettings(("kaz", "rus", "eng"), 120.0))
    assert outcome.status in ("ok", "no_text")
    assert outcome.result.word_count == 0 or outcome.result.ocr_confidence < 75


def test_a_heic_photo_is_read_by_ocr():
    data = images.kk_heic()
    assert data[4:12] == b"ftypheic" and sniff_format(data, "IMG_0042.HEIC") == "image"
    outcome = _run(data)
    assert outcome.status == "ok" and "ocr" in outcome.result.flags, outcome.detail
    for word in ("қызғалдақтар", "еңбекқор", "қонақжай", "Ұстаздарым", "өлкесінің"):
        assert word in outcome.result.text
    assert outcome.result.ocr_confidence > 75 and outcome.result.language == "kk"


def test_a_heic_bomb_is_refused_before_decoding():
    outcome = _run(images.heic_claiming(30_000))  # Pillow's own bomb limit
    assert (outcome.status, outcome.result) == ("too_complex", None)
    assert "900000000 pixels" in outcome.detail
    outcome = _run(images.heic_claiming(8_000))  # 64 MP: under Pillow's limit, over ours
    assert outcome.status == "too_complex" and "8000x8000" in outcome.detail


def test_a_truncated_heic_is_corrupt():
    data = images.kk_heic()
    assert _run(data[: len(data) // 2]).status == "corrupt"
    for name in ("page.heif", "page.heic"):
        try:
            sniff_format(images.kk_photo(), name)
        except FileTypeError as exc:
            assert exc.reason == "not_image"
        else:
            raise AssertionError(f"a JPEG named {name} accepted")
