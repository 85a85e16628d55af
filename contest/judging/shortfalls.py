"""Why an entry is left with fewer than k jurors, in codes and numbers an organizer reads.

The planner's coverage is maximum, so a shortfall is never the algorithm's fault: it is
the first binding constraint in this funnel, checked for the entry after planning:
jurors who read the language -> who also judge the category -> minus conflicts of
interest -> eligible -> those not yet on the entry are all at capacity.
"""

from collections.abc import Hashable
from dataclasses import dataclass

# Stable cause codes, first binding constraint wins; the UI translates them.
CAUSES = (
    "no_language_readers",  # no juror reads the entry's language at all
    "no_category_judges",  # no juror judges the entry's category at all
    "no_matching_jurors",  # jurors read it, jurors judge it, but never the same juror
    "too_few_matching_jurors",  # fewer than k jurors read it and judge the category
    "conflicts_of_interest",  # enough such jurors, but conflicts leave fewer than k
    "capacity",  # enough eligible jurors, but the others are all at capacity
)


@dataclass(frozen=True)
class Shortfall:
    """An entry short of jurors: `missing` reviews, `cause` (a CAUSES code) and the
    funnel `reasons`: language_readers, category_judges, matching_jurors,
    excluded_declared, excluded_school, excluded_region, eligible, assigned, at_capacity."""

    entry_id: Hashable
    language: str
    category_id: Hashable
    missing: int
    cause: str
    reasons: dict

    def message(self) -> str:
        """A plain English sentence for logs and the untranslated UI."""
        r, lang, cat = self.reasons, self.language, self.category_id
        details = {
            "no_language_readers": f"no juror reads {lang}",
            "no_category_judges": f"no juror judges category {cat}",
            "no_matching_jurors": (
                f"{_n(r['language_readers'], 'reads', 'read')} {lang} but "
                f"{'does not judge' if r['language_readers'] == 1 else 'none of them judges'} "
                f"category {cat}"),
            "too_few_matching_jurors": (
                f"only {_n(r['matching_jurors'], 'reads', 'read')} {lang} and "
                f"{'judges' if r['matching_jurors'] == 1 else 'judge'} category {cat}"),
            "conflicts_of_interest": (
                f"conflicts of interest exclude {_excluded(r)} of the "
                f"{_n(r['matching_jurors'])} who read {lang} and judge category {cat}"),
            "capacity": (
                "the only other eligible juror is at capacity" if r["at_capacity"] == 1
                else f"all {r['at_capacity']} other eligible jurors are at capacity"),
        }
        plural = "s" if self.missing != 1 else ""
        return (f"Entry {self.entry_id} ({lang}, category {cat}) needs {self.missing} more "
                f"juror{plural}: {details[self.cause]}.")


def _n(count: int, singular: str = "", plural: str = "") -> str:
    phrase = f"{count} juror {singular}" if count == 1 else f"{count} jurors {plural}"
    return phrase.rstrip()


def _excluded(r: dict) -> str:
    parts = [f"{r[key]} {label}" for key, label in (
        ("excluded_declared", "declared"), ("excluded_school", "same school"),
        ("excluded_region", "same region")) if r[key]]
    total = r["excluded_declared"] + r["excluded_school"] + r["excluded_region"]
    return f"{total} ({', '.join(parts)})"


def _cause(r: dict, k: int) -> str:
    if not r["language_readers"]:
        return "no_language_readers"
    if not r["category_judges"]:
        return "no_category_judges"
    if not r["matching_jurors"]:
        return "no_matching_jurors"
    if r["matching_jurors"] < k:
        return "too_few_matching_jurors"
    if r["eligible"] < k:
        return "conflicts_of_interest"
    return "capacity"


def diagnose(entry, missing: int, index, matcher, e: int) -> Shortfall:
    """The Shortfall of entry (position e) after planning; index and matcher are the
    planner's juror masks and final state."""
    matching = index.matching(entry)
    conflicts = index.conflicts(entry)
    elig = matcher.elig[e]
    reasons = {
        "language_readers": index.readers(entry).bit_count(),
        "category_judges": index.judges(entry).bit_count(),
        "matching_jurors": matching.bit_count(),
        "excluded_declared": (conflicts["declared"] & matching).bit_count(),
        "excluded_school": (conflicts["same_school"] & matching).bit_count(),
        "excluded_region": (conflicts["same_region"] & matching).bit_count(),
        "eligible": elig.bit_count(),
        "assigned": matcher.count[e],
        "at_capacity": (elig & ~matcher.assigned[e] & ~matcher.spare).bit_count(),
    }
    return Shortfall(entry_id=entry.id, language=entry.language,
                     category_id=entry.category_id, missing=missing,
                     cause=_cause(reasons, matcher.k), reasons=reasons)


@dataclass(frozen=True)
class ShortfallGroup:
    language: str
    category_id: Hashable
    cause: str
    entries: int
    missing: int


def summarize_shortfalls(shortfalls) -> list[ShortfallGroup]:
    """Shortfalls grouped by (language, category, cause), in first-seen order: the
    organizer's one-line-per-problem view ("12 entries in kk / 3: nobody reads kk")."""
    groups: dict = {}
    for s in shortfalls:
        key = (s.language, s.category_id, s.cause)
        entries, missing = groups.get(key, (0, 0))
        groups[key] = (entries + 1, missing + s.missing)
    return [ShortfallGroup(lang, cat, cause, n, m)
            for (lang, cat, cause), (n, m) in groups.items()]
