"""Which jurors review which essays: a pure planner, explainable to the organizer.

Rule. Every entry gets k distinct jurors. A juror may review an entry only if they
read its language, judge its category and have no conflict of interest with it
(declared by the juror; same school; same region when the contest says so). A juror
never exceeds their capacity. Existing pairs (started or submitted reviews, manual
assignments) are kept as they are, count toward k and toward the juror's load, and
only the gaps are filled; so re-running on its own result adds nothing.

Algorithm. The problem is a flow: source -> entry (k) -> eligible juror (1) -> sink
(capacity). Jurors are bit positions of Python ints, so an entry's eligible set, a
juror's reach and a whole search frontier are single integer operations.
1. Greedy in seeded random order: each entry takes its least loaded free eligible
   jurors, ties broken by a fresh random number per pick, so equally loaded jurors are
   drawn anew for every entry (no fixed panels). Random order beat scarcest-first here:
   that one stratifies loads, so the same few low jurors get drawn together repeatedly.
2. Fill gaps: for each entry still short, breadth-first search for an augmenting path
   in the residual graph (take a juror who is full, let them pass one of their new
   entries on, and so on until a juror with spare capacity). Jurors proven unable to
   reach spare capacity are never searched again.
3. Balance: while some juror can pass a review, through a chain of reassignments, to
   a juror with at least two fewer, do it (each step lowers the sum of squared loads).

Guarantees. (a) Coverage is maximum: no assignment respecting the constraints and the
kept pairs fills more review slots (no augmenting path is left: max-flow/min-cut).
(b) Loads (kept + new) are decreasingly minimal among maximum-coverage assignments:
none has a smaller largest load, nor a larger smallest load (Frank and Murota,
"Discrete decreasing minimization": on an M-convex set, no improving 1-exchange
implies dec-min and inc-max). Hence max - min <= 1 whenever the constraints allow it.
Kept pairs never move, so after late changes only the new work is spread.
(c) Deterministic for a given input order and seed. Mixing is not a guarantee;
`graph_connectivity` and `panel_diversity` measure it.
The tests check (a) against scipy's exact max flow and (b) against LP bounds.
Cost: greedy O(entries x class size log), searches O(jurors^2 / 64) word operations
each; 10,000 entries x 3 x 300 jurors plans in 0.2-0.4 s (bench/assign.py).
"""

import functools
import random
import re
import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from contest.judging.assignment_stats import graph_connectivity, panel_diversity
from contest.judging.matching import INF, Matcher, bits
from contest.judging.shortfalls import Shortfall, diagnose, summarize_shortfalls

__all__ = [
    "AssignmentPlan", "EntryInfo", "JurorInfo", "Shortfall", "conflict_reason",
    "eligible_jurors", "graph_connectivity", "ineligible_reason", "normalize_name",
    "panel_diversity", "plan_assignments", "summarize_shortfalls",
]

_WORDS = re.compile(r"[^\W\d_]+|\d+")


@dataclass(frozen=True)
class EntryInfo:
    id: Hashable
    language: str
    category_id: Hashable
    school: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class JurorInfo:
    id: Hashable
    languages: frozenset
    category_ids: frozenset
    school: str | None = None
    region: str | None = None
    capacity: int | None = None
    declared_conflicts: frozenset = frozenset()


@dataclass(frozen=True)
class AssignmentPlan:
    pairs: list  # new (entry_id, juror_id) pairs to save, entries in input order
    kept: list  # existing pairs kept; they count toward k and load
    shortfalls: list  # Shortfall per entry left with fewer than k jurors
    loads: dict  # juror_id -> reviews after the plan (kept + new), jurors in input order
    existing_issues: list  # (entry_id, juror_id, code): kept pairs that break a rule now,
    # or ("unknown_entry" / "unknown_juror") existing pairs that were ignored


@functools.lru_cache(maxsize=65536)
def normalize_name(name: str | None) -> str:
    """School/region key: Unicode-folded, case-insensitive, punctuation and spacing ignored.

    "School No. 5", "school no 5" and "SCHOOL  №5" are the same school; an empty or
    missing name matches nothing (an unknown school is no conflict).
    """
    if not name:
        return ""
    # NFKC turns "№" into "No"; letters and digits are split so "No5" == "No 5".
    return " ".join(_WORDS.findall(unicodedata.normalize("NFKC", name).casefold()))


def _lang(code: str) -> str:
    return str(code).strip().casefold()


def conflict_reason(entry: EntryInfo, juror: JurorInfo, same_region_conflict: bool):
    """The juror's conflict of interest with the entry, or None.

    Codes, first that applies: "declared" (the juror declared a conflict with this
    entry), "same_school", "same_region" (only when the contest counts regions).
    """
    if entry.id in juror.declared_conflicts:
        return "declared"
    school = normalize_name(entry.school)
    if school and school == normalize_name(juror.school):
        return "same_school"
    region = normalize_name(entry.region)
    if same_region_conflict and region and region == normalize_name(juror.region):
        return "same_region"
    return None


def ineligible_reason(entry: EntryInfo, juror: JurorInfo, same_region_conflict: bool):
    """Why the juror may not review the entry ("language", "category" or a conflict
    code from conflict_reason), or None when they may. Capacity is not considered."""
    if _lang(entry.language) not in {_lang(x) for x in juror.languages}:
        return "language"
    if entry.category_id not in juror.category_ids:
        return "category"
    return conflict_reason(entry, juror, same_region_conflict)


def eligible_jurors(entry: EntryInfo, jurors: Iterable[JurorInfo], same_region_conflict: bool):
    """Jurors (input order) who read the entry's language, judge its category and have
    no conflict with it: the choices for a manual add. Capacity and load are ignored."""
    return [j for j in jurors if ineligible_reason(entry, j, same_region_conflict) is None]


class _Index:
    """Masks of jurors by language, category, school, region and declared conflict."""

    def __init__(self, jurors, same_region_conflict):
        self.by_lang, self.by_cat, self.by_school, self.by_region = {}, {}, {}, {}
        self.declared = {}
        self.same_region = same_region_conflict
        for j, juror in enumerate(jurors):
            bit = 1 << j
            for lang in {_lang(x) for x in juror.languages}:
                self.by_lang[lang] = self.by_lang.get(lang, 0) | bit
            for cat in juror.category_ids:
                self.by_cat[cat] = self.by_cat.get(cat, 0) | bit
            for table, name in ((self.by_school, juror.school), (self.by_region, juror.region)):
                key = normalize_name(name)
                if key:
                    table[key] = table.get(key, 0) | bit
            for entry_id in juror.declared_conflicts:
                self.declared[entry_id] = self.declared.get(entry_id, 0) | bit

    def readers(self, entry: EntryInfo) -> int:
        """Jurors who read the entry's language."""
        return self.by_lang.get(_lang(entry.language), 0)

    def judges(self, entry: EntryInfo) -> int:
        """Jurors who judge the entry's category."""
        return self.by_cat.get(entry.category_id, 0)

    def matching(self, entry: EntryInfo) -> int:
        """Jurors who read the entry's language and judge its category."""
        return self.readers(entry) & self.judges(entry)

    def conflicts(self, entry: EntryInfo) -> dict:
        """Masks of conflicted jurors by reason code (declared wins over school...)."""
        declared = self.declared.get(entry.id, 0)
        school = self.by_school.get(normalize_name(entry.school), 0) & ~declared
        region = self.by_region.get(normalize_name(entry.region), 0) if self.same_region else 0
        return {"declared": declared, "same_school": school,
                "same_region": region & ~declared & ~school}


def _check_inputs(entries, jurors, k):
    if k < 1:
        raise ValueError("k must be at least 1")
    for kind, items in (("entry", entries), ("juror", jurors)):
        ids = [x.id for x in items]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate {kind} ids")
    if any(j.capacity is not None and j.capacity < 0 for j in jurors):
        raise ValueError("juror capacity must not be negative")


def _eligibility(entries, index):
    """Per entry: the mask of eligible jurors."""
    elig = []
    for entry in entries:
        matching = index.matching(entry)
        conflicts = index.conflicts(entry)
        elig.append(matching & ~(conflicts["declared"] | conflicts["same_school"]
                                 | conflicts["same_region"]))
    return elig


def _existing(existing, entries, jurors, elig, same_region_conflict):
    """Split existing pairs into counted (entry index, juror index) pairs and issues."""
    entry_pos = {x.id: i for i, x in enumerate(entries)}
    juror_pos = {x.id: j for j, x in enumerate(jurors)}
    kept, issues, seen = [], [], set()
    for entry_id, juror_id in existing:
        if (entry_id, juror_id) in seen:
            continue
        seen.add((entry_id, juror_id))
        if entry_id not in entry_pos:
            issues.append((entry_id, juror_id, "unknown_entry"))
        elif juror_id not in juror_pos:
            issues.append((entry_id, juror_id, "unknown_juror"))
        else:
            e, j = entry_pos[entry_id], juror_pos[juror_id]
            kept.append((e, j))
            if not (elig[e] >> j) & 1:
                reason = ineligible_reason(entries[e], jurors[j], same_region_conflict)
                issues.append((entry_id, juror_id, reason))
    return kept, issues


def plan_assignments(entries, jurors, *, k=3, existing=(), same_region_conflict=False, seed=0):
    """Plan which jurors review which entries; see the module docstring for the rule,
    the algorithm and its guarantees. Nothing is saved: the caller shows the plan
    (shortfalls included) and stores `pairs` on confirmation."""
    entries, jurors = list(entries), list(jurors)
    _check_inputs(entries, jurors, k)
    index = _Index(jurors, same_region_conflict)
    elig = _eligibility(entries, index)
    kept, issues = _existing(existing, entries, jurors, elig, same_region_conflict)
    fixed, fixed_loads = [0] * len(entries), [0] * len(jurors)
    for e, j in kept:
        fixed[e] |= 1 << j
        fixed_loads[j] += 1
    rng = random.Random(seed)
    caps = [INF if j.capacity is None else j.capacity for j in jurors]
    matcher = Matcher(k=k, elig=elig, fixed=fixed, caps=caps, fixed_loads=fixed_loads, rng=rng)
    # Random order, not scarcest first: by-scarcity processing stratifies loads, and then
    # the few least loaded jurors of a class are drawn together again and again.
    order = list(range(len(entries)))
    rng.shuffle(order)
    matcher.greedy(order)
    matcher.fill_gaps(order)
    matcher.balance()
    return AssignmentPlan(
        pairs=[(entries[e].id, jurors[j].id) for e in range(len(entries))
               for j in bits(matcher.assigned[e] & ~fixed[e])],
        kept=[(entries[e].id, jurors[j].id) for e, j in kept],
        shortfalls=[diagnose(entries[e], k - matcher.count[e], index, matcher, e)
                    for e in range(len(entries)) if matcher.count[e] < k],
        loads={juror.id: matcher.load[j] for j, juror in enumerate(jurors)},
        existing_issues=issues,
    )


def fill_entry(entry: EntryInfo, jurors, loads: dict, holding, *, k: int, same_region_conflict=False,
               seed=0) -> list:
    """Local repair for one entry (a juror declared a conflict, or was taken off): the
    jurors to add so it has k, chosen as the plan's greedy would, the least loaded eligible
    jurors with spare capacity, ties broken at random. `loads` maps juror id -> reviews held
    now; `holding` are the jurors the entry already has. Costs one pass over the jurors,
    whatever the size of the contest. Returns fewer than needed when the eligible jurors
    are full: then only a new plan (which can shift other entries) may do better."""
    need = k - len(set(holding))
    if need <= 0:
        return []
    rng = random.Random(seed)
    free = [j for j in jurors
            if j.id not in holding and ineligible_reason(entry, j, same_region_conflict) is None
            and (j.capacity is None or loads.get(j.id, 0) < j.capacity)]
    free.sort(key=lambda j: (loads.get(j.id, 0), rng.random()))
    return [j.id for j in free[:need]]
