"""How well an assignment mixes jurors: what lets a severity model compare them.

Two jurors' severities can only be compared if a chain of shared entries links them,
so the bipartite juror-entry graph should be one component; and panels should vary,
because entries that all share the same trio only compare that trio with itself.
"""

from collections import Counter
from dataclasses import dataclass


def graph_connectivity(pairs) -> tuple[int, float]:
    """(number of connected components, share of entries in the largest one) of the
    bipartite graph whose edges are the (entry_id, juror_id) pairs. (0, 0.0) if empty."""
    parent: dict = {}

    def find(node):
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:  # path compression keeps later finds short
            parent[node], node = root, parent[node]
        return root

    for entry_id, juror_id in pairs:
        a, b = ("e", entry_id), ("j", juror_id)
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    roots = {node: find(node) for node in parent}
    components = len(set(roots.values()))
    entry_roots = Counter(root for node, root in roots.items() if node[0] == "e")
    if not entry_roots:
        return components, 0.0
    return components, max(entry_roots.values()) / sum(entry_roots.values())


@dataclass(frozen=True)
class PanelDiversity:
    entries: int  # entries with at least two jurors (a panel)
    distinct_panels: int  # distinct juror sets among them
    distinct_share: float  # distinct_panels / entries: 1.0 means no panel repeats
    max_repeat: int  # most entries sharing one identical panel


def panel_diversity(pairs) -> PanelDiversity:
    """How varied the juror panels are: entries with two or more jurors, grouped by
    their exact juror set. Fixed panels give a low distinct_share and a high max_repeat."""
    panels: dict = {}
    for entry_id, juror_id in pairs:
        panels.setdefault(entry_id, set()).add(juror_id)
    counts = Counter(frozenset(p) for p in panels.values() if len(p) >= 2)
    entries = sum(counts.values())
    return PanelDiversity(
        entries=entries,
        distinct_panels=len(counts),
        distinct_share=len(counts) / entries if entries else 1.0,
        max_repeat=max(counts.values(), default=0),
    )
