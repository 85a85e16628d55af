"""The final ranking as a weighted combination of the final round and the one before it.

With `previous_weight` w (0..1) on the final round, an entry's score is
(1 - w) x its final-round score + w x its previous-round score, both by the contest's
method on 0..100; places are then given again by the contest's tie-break chain. Only
entries reviewed in the final round are ranked (the shortlist). w = 0: the final round
alone, exactly as ranked.
"""
from __future__ import annotations

from dataclasses import replace

from contest.ranking.core import GroupResult
from contest.ranking.places import apply_tiebreaks
from contest.rounds.queries import get_round


def combination_key(contest, round_no: int) -> float:
    stage = get_round(contest.id, round_no)
    return float(stage.previous_weight) if stage else 0.0


def combine_groups(final: dict, previous: dict, weight: float, *, chain=(), tie_order=None) -> dict:
    """Pure: each final-round group re-scored with the previous round's scores (entry id ->
    adjusted score per group) at `weight`, and placed again."""
    out = {}
    for group, result in final.items():
        earlier = previous[group].ranking.entries if group in previous else ()
        before = {e.entry_id: e.adjusted for e in earlier}
        rows = [replace(e, adjusted=(1 - weight) * e.adjusted + weight * before.get(e.entry_id, e.adjusted))
                for e in result.ranking.entries]
        rows.sort(key=lambda e: -e.adjusted)
        ranking = replace(result.ranking, entries=tuple(rows))
        out[group] = GroupResult(group, ranking, apply_tiebreaks(ranking.entries, chain, tie_order=tie_order))
    return out


def combined_ranking(contest, round_no: int, final: dict, rank_round) -> dict:
    """`final` combined with round `round_no - 1` (ranked by `rank_round(n)`) when the final
    round asks for it; else `final` unchanged."""
    weight = combination_key(contest, round_no)
    if weight <= 0:
        return final
    from contest.ranking.queries import entry_codes

    ids = {c.id for c in contest.criteria}
    chain = [tuple(rule) for rule in contest.tiebreaks or [] if rule[0] != "criterion" or rule[1] in ids]
    codes = entry_codes(contest.id)
    return combine_groups(final, rank_round(round_no - 1), min(weight, 1.0), chain=chain,
                          tie_order=codes.__getitem__)
