"""The full-panel plan (pure): every juror of the round who reads the entry's language,
judges its category and has no conflict of interest with it reviews it.

Capacity is not applied: a full panel reads everything by definition. Existing pairs are
kept; an entry nobody may read is reported as a shortfall with the planner's own
diagnosis (as if one review were asked), so the organizer sees why.
"""
from __future__ import annotations

from contest.judging.assignment import AssignmentPlan, eligible_jurors, plan_assignments


def plan_full_panel(entries, jurors, *, existing=(), same_region_conflict=False) -> AssignmentPlan:
    """Pairs for every eligible (entry, juror) not yet assigned; loads count kept and new."""
    entries, jurors = list(entries), list(jurors)
    entry_ids, juror_ids = {e.id for e in entries}, {j.id for j in jurors}
    kept = [(e, j) for e, j in existing if e in entry_ids and j in juror_ids]
    issues = [(e, j, "unknown_entry" if e not in entry_ids else "unknown_juror")
              for e, j in existing if e not in entry_ids or j not in juror_ids]
    have = set(kept)
    pairs, uncovered = [], []
    for entry in entries:
        chosen = eligible_jurors(entry, jurors, same_region_conflict)
        if not chosen and not any(e == entry.id for e, _j in kept):
            uncovered.append(entry)
        pairs.extend((entry.id, j.id) for j in chosen if (entry.id, j.id) not in have)
    loads = {j.id: 0 for j in jurors}
    for _e, j in kept + pairs:
        loads[j] += 1
    shortfalls = plan_assignments(uncovered, jurors, k=1, same_region_conflict=same_region_conflict
                                  ).shortfalls if uncovered and jurors else []
    return AssignmentPlan(pairs=pairs, kept=kept, shortfalls=shortfalls, loads=loads, existing_issues=issues)
