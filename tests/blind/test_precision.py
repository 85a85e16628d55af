"""Precision on the demo corpus: almost nothing removed is not about the author."""
from contest.demo.precision import measure


def test_redaction_removes_almost_only_identity_on_the_demo_corpus():
    p = measure(300)
    assert p.removed > 300 and p.missed == 0
    assert p.not_identity_share < 0.005
