import math
import xml.etree.ElementTree as ET

import pytest

from contest.ranking.charts import histogram_svg, severity_svg
from contest.ranking.stats import Histogram, histogram

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & Co'


def test_histogram_svg_well_formed_one_bar_per_bin():
    svg = histogram_svg(histogram([5, 15, 15, 95], bins=10), "Totals", "Score")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert len(root.findall(f"{SVG}rect")) == 10
    tips = [r.find(f"{SVG}title").text for r in root.findall(f"{SVG}rect")]
    assert tips[1] == "10–20: 2"


def test_histogram_svg_tallest_bar_fills_plot_height():
    root = ET.fromstring(histogram_svg(Histogram((0.0, 1.0, 2.0), (4, 2)), "T", height=240))
    heights = [float(r.get("height")) for r in root.findall(f"{SVG}rect")]
    assert heights == [190.0, 95.0]


@pytest.mark.parametrize("render", [
    lambda t: histogram_svg(histogram([1, 2]), t, x_label=t),
    lambda t: severity_svg([(t, 1.0, 0.5)], t),
])
def test_charts_escape_text_and_carry_accessible_name(render):
    svg = render(HOSTILE)
    root = ET.fromstring(svg)
    assert "<script" not in svg
    assert root.get("aria-label") == HOSTILE
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == HOSTILE
    assert HOSTILE in [t.text for t in root.iter(f"{SVG}text")] + [
        t.text for t in root.iter(f"{SVG}title")]


def test_severity_svg_whiskers_span_two_se():
    root = ET.fromstring(severity_svg([("A", 2.0, 1.0), ("B", -1.0, math.nan)], "Sev", width=480))
    groups = root.findall(f"{SVG}g")
    assert len(groups) == 2
    whisker = groups[0].find(f"{SVG}line")
    point = groups[0].find(f"{SVG}circle")
    # reach = |2| + 2*1 = 4 over 340 px centred at x = 290: 42.5 px per unit
    assert (whisker.get("x1"), point.get("cx"), whisker.get("x2")) == ("290.0", "375.0", "460.0")
    assert groups[1].find(f"{SVG}line") is None  # unknown SE: no whisker


def test_severity_svg_skips_unknown_severity_and_handles_empty():
    root = ET.fromstring(severity_svg([("A", math.nan, math.nan)], "Sev"))
    assert root.findall(f"{SVG}g") == []
    assert ET.fromstring(severity_svg([], "Empty")).find(f"{SVG}title").text == "Empty"
    assert ET.fromstring(histogram_svg(Histogram((0.0,), ()), "None")).findall(f"{SVG}rect") == []


def test_severity_svg_label_column_fits_long_names_and_cuts_only_the_unreasonable():
    """Issue 17: at 1366 px juror names were clipped on the statistics chart (the label column
    was a fixed 120 px, about 18 letters)."""
    from contest.ranking.charts import CHAR_PX

    long_name = "Сейітқасымова Әйгерім Нұрланқызы"  # 32 letters
    absurd = "Жюри мүшесі " * 10
    root = ET.fromstring(severity_svg([(long_name, 1.0, 0.5), ("Ирина", -1.0, 0.5), (absurd, 0.0, 0.5)],
                                      "Sev", width=480))
    texts = [t for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    shown = [t.find(f"{SVG}title").tail if t.find(f"{SVG}title") is not None else t.text for t in texts]
    assert shown[0] == long_name and shown[1] == "Ирина"
    right_edge = float(texts[0].get("x"))
    assert right_edge - CHAR_PX * len(long_name) >= 0  # the whole name is inside the picture
    assert shown[2].startswith(absurd[:20]) and shown[2].endswith("…")
    assert texts[2].find(f"{SVG}title").text == absurd  # whole in the tooltip
    assert right_edge - CHAR_PX * len(shown[2]) >= 0
    circles = root.findall(f"{SVG}g/{SVG}circle")
    assert min(float(c.get("cx")) for c in circles) > right_edge  # the plot starts after the names
    assert float(root.get("width")) >= 480
