from contest.judging.assignment_stats import (
    PanelDiversity,
    graph_connectivity,
    panel_diversity,
)


def test_graph_connectivity_counts_components_and_largest_entry_share():
    pairs = [("e1", "a"), ("e2", "a"), ("e2", "b"), ("e3", "c"), ("e4", "c")]
    assert graph_connectivity(pairs) == (2, 0.5)
    assert graph_connectivity(pairs + [("e3", "b")]) == (1, 1.0)
    assert graph_connectivity([]) == (0, 0.0)


def test_panel_diversity_counts_repeated_panels():
    pairs = [(e, j) for e in ("e1", "e2", "e3") for j in "abc"] + [("e4", "a"), ("e4", "d"),
                                                                  ("e5", "a")]
    assert panel_diversity(pairs) == PanelDiversity(
        entries=4, distinct_panels=2, distinct_share=0.5, max_repeat=3)
