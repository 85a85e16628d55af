"""Seeded contest populations for the judging tests."""

import random

from contest.judging.assignment import EntryInfo, JurorInfo


def population(seed, n_entries=240, n_jurors=30, *, capacity=None, n_schools=30):
    """Seeded contest: 3 languages, 3 categories, schools in 5 regions; every juror
    reads ru and kk, en or both, and judges two categories."""
    rng = random.Random(seed)
    schools = [(f"School {i}", f"Region {i % 5}") for i in range(n_schools)]
    entries = [EntryInfo(f"e{i}", rng.choice(("ru", "ru", "kk", "en")), rng.randint(1, 3),
                         *rng.choice(schools)) for i in range(n_entries)]
    jurors = []
    for i in range(n_jurors):
        langs = {"ru", *rng.sample(("kk", "en"), rng.randint(1, 2))}
        school, region = rng.choice(schools)
        cap = capacity(rng) if callable(capacity) else capacity
        jurors.append(JurorInfo(f"j{i}", frozenset(langs), frozenset(rng.sample((1, 2, 3), 2)),
                                school.upper(), region, cap))
    return entries, jurors


def skewed_population(seed):
    """A few kk specialists, some narrow and capped jurors: balance is forced to be uneven."""
    rng = random.Random(seed)
    entries = [EntryInfo(i, rng.choice(("ru", "kk")), rng.randint(1, 3), f"S{rng.randrange(9)}")
               for i in range(90)]
    jurors = []
    for j in range(14):
        langs = frozenset({"ru", "kk"} if j < rng.randint(3, 5) else {"ru"})
        cats = frozenset(rng.sample((1, 2, 3), rng.randint(1, 3)))
        cap = rng.randint(12, 22) if rng.random() < 0.3 else None
        jurors.append(JurorInfo(j, langs, cats, f"S{rng.randrange(9)}", None, cap))
    return entries, jurors


def juror(jid, langs=("ru",), cats=(1,), school=None, region=None, capacity=None, declared=()):
    return JurorInfo(jid, frozenset(langs), frozenset(cats), school, region, capacity,
                     frozenset(declared))


def kk_contest():
    """kk entries in category 3; two jurors read kk but judge only categories 1-2."""
    entries = [EntryInfo(f"k{i}", "kk", 3, f"S{i}") for i in range(2)]
    entries.append(EntryInfo("r0", "ru", 3, "S9"))
    jurors = [juror(f"j{i}", langs=("ru", "kk") if i < 2 else ("ru",), cats=(1, 2, 3) if i >= 2
                    else (1, 2)) for i in range(5)]
    return entries, jurors
