"""The pure tier rule: count tiers by place (ties at the boundary), thresholds, best tier
only, categories, participation certificates."""
import pytest

from contest.awards.tiers import AWARD, PARTICIPATION, Candidate, Proposal, Tier, kind_of, propose_awards

DEGREES = (Tier(1, "count", count=1, position=0), Tier(2, "count", count=2, position=1),
           Tier(3, "count", count=3, position=2))


def _tiers_of(places, tiers, scores=None, participation=False, category=10):
    scores = scores or [100.0 - i for i in range(len(places))]
    candidates = [Candidate(f"e{i}", category, place, score)
                  for i, (place, score) in enumerate(zip(places, scores))]
    result = propose_awards(candidates, tiers, participation=participation)
    return [result[c.entry_id].tier_id for c in candidates]


@pytest.mark.parametrize(("places", "expected"), [
    ([1, 2, 3, 4, 5, 6, 7], [1, 2, 2, 3, 3, 3, None]),       # 1st: top 1; 2nd: next 2; 3rd: next 3
    ([1, 1, 3, 4, 5, 6, 7], [1, 1, 2, 3, 3, 3, None]),       # a tie for 1st widens tier 1, narrows tier 2
    ([1, 2, 2, 2, 5, 6, 7], [1, 2, 2, 2, 3, 3, None]),       # three share the boundary of tier 2: all get it
    ([1, 2, 3, 4, 5, 6, 6, 8], [1, 2, 2, 3, 3, 3, 3, None]),  # tie at the last boundary: both get tier 3
    ([1, 2, 3, 3, 5], [1, 2, 2, 2, 3]),                       # tie straddling the tier 2/3 boundary
    ([1, 1, 1, 1, 5], [1, 1, 1, 1, 3]),                       # four-way tie for 1st; place 5 is in 4..6
    ([1], [1]),
    ([], []),
])
def test_count_tiers_by_place_ties_at_boundary_share_the_tier(places, expected):
    assert _tiers_of(places, DEGREES) == expected


@pytest.mark.parametrize(("scores", "expected"), [
    ([91.0, 90.0, 89.99999999999, 89.99999, 50.0], [7, 7, 7, None, None]),  # float noise is not a miss
    ([89.0, 10.0], [None, None]),
])
def test_threshold_tier_takes_scores_at_least_min(scores, expected):
    honorary = (Tier(7, "threshold", min_score=90, position=0),)
    assert _tiers_of(list(range(1, len(scores) + 1)), honorary, scores) == expected


def test_each_entry_gets_only_its_best_tier_in_position_order():
    tiers = (Tier(1, "count", count=1, position=0), Tier(2, "count", count=2, position=1),
             Tier(9, "threshold", min_score=60, position=3))
    scores = [95.0, 90.0, 85.0, 70.0, 60.0, 59.9]
    assert _tiers_of([1, 2, 3, 4, 5, 6], tiers, scores) == [1, 2, 2, 9, 9, None]


def test_threshold_tier_before_count_tiers_wins_and_counts_still_run_by_place():
    tiers = (Tier(5, "threshold", min_score=90, position=0), Tier(1, "count", count=2, position=1))
    assert _tiers_of([1, 2, 3], tiers, [95.0, 80.0, 70.0]) == [5, 1, None]


def test_tiers_of_another_category_do_not_apply():
    tiers = (Tier(1, "count", count=1, category_id=20, position=0), Tier(2, "count", count=1, position=1))
    # Only tier 2 applies to category 10, so its running total is 1: place 1 gets tier 2.
    assert _tiers_of([1, 2], tiers, category=10) == [2, None]
    assert _tiers_of([1, 2], tiers, category=20) == [1, 2]


def test_tiers_without_count_or_min_score_award_nothing():
    tiers = (Tier(1, "count", count=None), Tier(2, "count", count=0, position=1),
             Tier(3, "threshold", min_score=None, position=2))
    assert _tiers_of([1, 2], tiers) == [None, None]


def test_participation_for_every_other_entry_when_enabled():
    tiers = DEGREES[:1] + (Tier(8, "participation", position=9),)
    candidates = [Candidate("a", 10, 1, 90.0), Candidate("b", 10, 2, 80.0)]
    assert propose_awards(candidates, tiers, participation=True) == {
        "a": Proposal("a", 1, AWARD), "b": Proposal("b", 8, PARTICIPATION)}
    assert propose_awards(candidates, tiers, participation=False) == {
        "a": Proposal("a", 1, AWARD), "b": Proposal("b", None, None)}


def test_participation_without_a_participation_tier_has_no_tier():
    result = propose_awards([Candidate("a", 10, 4, 10.0)], DEGREES[:1], participation=True)
    assert result == {"a": Proposal("a", None, PARTICIPATION)}


def test_participation_tier_placed_first_never_outranks_awards():
    tiers = (Tier(8, "participation", position=0), Tier(1, "count", count=1, position=1))
    assert _tiers_of([1, 2], tiers, participation=True) == [1, 8]


@pytest.mark.parametrize(("rule", "participation", "kind"), [
    ("count", False, AWARD), ("threshold", True, AWARD), ("participation", True, PARTICIPATION),
    ("participation", False, None), (None, True, PARTICIPATION), (None, False, None),
])
def test_kind_of(rule, participation, kind):
    assert kind_of(rule, participation) == kind


def test_unknown_rule_refused():
    with pytest.raises(ValueError, match="unknown tier rule"):
        Tier(1, "lottery")
