"""The registry's query string read without a form (contest/desk/forms.py, read_registry): what
does not fit is ignored, never refused, and what was typed is kept to show it again."""

from werkzeug.datastructures import MultiDict

from contest.desk.forms import MAX_TEXT, read_registry
from contest.desk.registry import Filters
from contest.forms_common import choices

SELECTS = {name: choices([("", "Any"), *values]) for name, values in {
    "status": [("ready", "Ready"), ("withdrawn", "Withdrawn")], "category_id": [("7", "Juniors")],
    "topic_id": [("9", "Law")], "language": [("kk", "Kazakh")], "region": [("aktobe", "Aktobe")],
    "grade": [("9-11", "9-11")], "flag": [("any", "Any flag")], "reviews": [("none", "None")],
    "award": [("any", "Any award"), ("3", "First")]}.items()}


def _read(**args):
    return read_registry(MultiDict(args), SELECTS)


def test_valid_values_become_the_filters():
    query = _read(q="Әлия", status="ready", category_id="7", topic_id="9", language="kk", region="aktobe",
                  school="Lyceum", coordinator="Ivanova", grade="9-11", flag="any", reviews="none", award="3",
                  sort="school", desc="y", page="3")
    assert query.filters == Filters(q="Әлия", status="ready", category_id=7, topic_id=9, language="kk",
                                    region="aktobe", school="Lyceum", grade="9-11", flag="any",
                                    reviews="none", award="3", coordinator="Ivanova", sort="school",
                                    desc=True, page=3)
    assert query.too_long == frozenset()


def test_what_does_not_fit_is_ignored_and_kept_as_typed():
    query = _read(q="x" * (MAX_TEXT + 1), school="y" * MAX_TEXT, status="deleted", category_id="8",
                  award="<b>", sort="password", desc="false", page="0")
    assert query.filters == Filters(school="y" * MAX_TEXT)  # every other value: its default
    assert query.too_long == {"q"}
    assert query.typed["q"] == "x" * (MAX_TEXT + 1) and query.typed["award"] == "<b>"
    for page in ("abc", "-1", "100001", ""):
        assert _read(page=page).filters.page == 1
    assert _read(page="100000").filters.page == 100000
    assert _read().filters == Filters()
