"""The autosave's quick reading of a posted review (forms.quick_review_input): whatever it
accepts, ReviewForm accepts too and reads the same way; everything that needs a message, or
is not plain form data, is left to ReviewForm."""

import io
from types import SimpleNamespace

import pytest
from flask import g
from werkzeug.datastructures import MultiDict

from contest.judging.forms import ReviewForm, quick_review_input

CRITERIA = (SimpleNamespace(id=11), SimpleNamespace(id=12))
LONG = "x" * 5001

CASES = [  # (posted, whether the quick path takes it)
    ({"version": "3", "score_11": "7", "score_12": "4,5", "comment_11": " ok ", "feedback": "Good.",
      "private_comment": "p"}, True),
    ({"version": "0", "score_11": "", "score_12": " 7 "}, True),
    ({"version": "12"}, True),
    (MultiDict([("version", "1"), ("score_11", "7"), ("score_11", "x")]), True),
    ({"version": "1", "comment_12": "x" * 5000, "feedback": "y" * 5000}, True),
    ({"version": "1", "score_11": " "}, False),
    ({"version": "1", "score_11": "abc"}, False),
    ({"version": "1", "score_11": "inf"}, False),
    ({"version": "1", "score_11": "0" * 20 + "7"}, False),
    ({"version": "", "score_11": "7"}, False),
    ({"score_11": "7"}, False),
    ({"version": "x1"}, False),
    ({"version": "-1"}, False),
    ({"version": "1", "comment_11": LONG}, False),
    ({"version": "1", "feedback": LONG}, False),
    ({"version": "1", "private_comment": LONG}, False),
]


@pytest.mark.parametrize(("posted", "quick"), CASES)
def test_quick_review_input_reads_what_the_form_accepts_as_the_form_does(app, posted, quick):
    with app.test_request_context("/save", method="POST", data=posted):
        data = quick_review_input(CRITERIA)
        form = ReviewForm.for_criteria(CRITERIA)
        valid = form.validate()
        assert (data is not None) == quick == valid  # each case left to the form has an error
        if data is not None:
            assert form.to_input() == data


def test_quick_review_input_leaves_unchecked_csrf_and_uploads_to_the_form(app):
    posted = {"version": "1", "score_11": "7"}
    app.config["WTF_CSRF_ENABLED"] = True
    with app.test_request_context("/save", method="POST", data=posted):
        assert quick_review_input(CRITERIA) is None  # CSRFProtect did not check this request
        g.csrf_valid = True
        assert quick_review_input(CRITERIA).scores == {11: 7.0, 12: None}
    app.config["WTF_CSRF_ENABLED"] = False
    with app.test_request_context("/save", method="POST", data={**posted, "f": (io.BytesIO(b"x"), "a.txt")}):
        assert quick_review_input(CRITERIA) is None
    with app.test_request_context("/save", method="POST", json=posted):
        assert quick_review_input(CRITERIA) is None
