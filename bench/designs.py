"""Jury designs for bench/ranking.py: who reads which essay, generated from a seed.

Every design returns (entry_idx, juror_idx), one pair per review, each essay read by k
distinct jurors and (except where said) every juror carrying the same load.
"""

import numpy as np


def mixed(rng, quality, n_jurors, k):
    """Randomly mixed juries: each essay gets k distinct jurors drawn at random, loads
    balanced (jurors are dealt out from shuffled rounds)."""
    n = quality.size
    slots = np.concatenate([rng.permutation(n_jurors) for _ in range(-(-n * k // n_jurors) + 1)])
    jurors, pos = [], 0
    for _ in range(n):
        picked: list[int] = []
        while len(picked) < k:
            j = int(slots[pos % slots.size])
            pos += 1
            if j not in picked:
                picked.append(j)
        jurors.append(picked)
    return np.repeat(np.arange(n), k), np.array(jurors).ravel()


def panels(rng, quality, n_jurors, k, shared=0):
    """Fixed panels of k jurors: essay i is read by every juror of panel i mod n_panels.
    `shared` jurors then link the panels: each swaps one review with one juror of every
    other panel (he reads one of their essays, that juror one of his), keeping every load.
    shared=0 leaves the panels disconnected; shared=1 joins all panels through one juror
    and a single swap per panel (barely linked); 15 of 30 mixes them fairly well."""
    n = quality.size
    n_panels = n_jurors // k
    panel_of = rng.permutation(n) % n_panels
    members = np.arange(n_panels * k).reshape(n_panels, k)
    readers = members[panel_of].copy()  # n x k
    for j in rng.choice(n_panels * k, shared, replace=False):
        home = int(np.argwhere(members == j)[0, 0])
        for p in range(n_panels):
            if p == home:
                continue
            for _attempt in range(20):
                mine = rng.choice(np.argwhere(readers == j)[:, 0])
                theirs = rng.choice(np.flatnonzero(panel_of == p))
                slot = int(rng.integers(k))
                partner = readers[theirs, slot]
                if j not in readers[theirs] and partner not in readers[mine]:
                    readers[mine, readers[mine] == j] = partner
                    readers[theirs, slot] = j
                    break
    return np.repeat(np.arange(n), k), readers.ravel()


def strong_to_some(rng, quality, n_jurors, k, links=None):
    """Strong essays sent to some jurors: the top third of essays by true quality goes to
    the first third of jurors, the middle to the second, the rest to the last.
    links=None: as in the original bench, each essay's jurors are drawn with weight 5 from
    its own third and 1 from the others (well connected). links=0: strictly by thirds,
    three separate parts; links=L: then L essays swap one juror with another third."""
    n = quality.size
    tier_e = np.empty(n, dtype=np.int64)
    tier_e[np.argsort(-quality)] = np.arange(n) * 3 // n
    tier_j = np.arange(n_jurors) * 3 // n_jurors
    if links is None:
        jurors = []
        for i in range(n):
            w = np.where(tier_j == tier_e[i], 5.0, 1.0)
            jurors.append(rng.choice(n_jurors, k, replace=False, p=w / w.sum()))
        return np.repeat(np.arange(n), k), np.concatenate(jurors)
    readers = np.empty((n, k), dtype=np.int64)
    for t in range(3):
        es = np.flatnonzero(tier_e == t)
        js = np.flatnonzero(tier_j == t)
        sub_e, sub_j = mixed(rng, quality[es], js.size, k)
        readers[es] = js[sub_j].reshape(-1, k)
    for e in rng.choice(n, links, replace=False):
        other_tier = (tier_e[e] + 1 + rng.integers(2)) % 3
        outsiders = np.flatnonzero(tier_j == other_tier)
        readers[e, rng.integers(k)] = rng.choice(outsiders)
    return np.repeat(np.arange(n), k), readers.ravel()
