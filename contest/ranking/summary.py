"""What the organizer's ranking and statistics pages show, built from cached computations.

Numbers are cached (see queries.cached_contest_ranking); labels and charts are made per
request so they follow the reader's language.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from babel.numbers import get_decimal_symbol
from flask_babel import gettext as _
from markupsafe import Markup

from contest.contests.models import Contest, localized
from contest.ranking import bootstrap, charts, core, notes, queries, stats
from contest.ranking.cache import RANKINGS


@dataclass(frozen=True)
class Row:
    place: int
    entry_id: int
    code: str
    name: str
    score: core.EntryScore


@dataclass(frozen=True)
class Group:
    key: tuple
    label: str
    rows: list[Row]
    n_entries: int
    parts: tuple[core.Part, ...]
    note: notes.LinkageNote | None = None
    flagged: tuple[Row, ...] | None = None  # every flagged entry when rows stop at a limit

    @property
    def split(self) -> bool:
        return len(self.parts) > 1


def group_label(contest: Contest, key: tuple, lang: str) -> str:
    cats = {c.id: c for c in contest.categories}
    topics = {t.id: t for t in contest.topics}
    cat_id, topic_id = key
    label = localized(cats[cat_id].name, lang) if cat_id in cats else str(cat_id)
    if topic_id is not None:
        label += " · " + (localized(topics[topic_id].title, lang) if topic_id in topics else str(topic_id))
    return label


def _group_order(contest: Contest, key: tuple) -> tuple:
    cat_pos = {c.id: c.position for c in contest.categories}
    topic_pos = {t.id: t.position for t in contest.topics}
    return cat_pos.get(key[0], 0), key[0], topic_pos.get(key[1], 0) if key[1] is not None else -1


def ranking_groups(contest: Contest, *, method: str, bridging: str, lang: str,
                   limit: int | None = None, result: dict | None = None) -> list[Group]:
    """Each group's places with entry codes and names, in category (then topic) order, of
    `result` (a stored ranking, see store.ranking_for) or of the ranking computed now.
    With a `limit`, rows stop after that many places (the page), and `flagged` holds every
    flagged entry of the group; names are then read for those entries only."""
    if result is None:
        result = queries.cached_contest_ranking(contest, method=method, bridging=bridging)
    shown = {key: res.places if limit is None else res.places[:limit] for key, res in result.items()}
    flagged = {key: [p for p in res.places if p.entry.flagged] if limit is not None else None
               for key, res in result.items()}
    wanted = None
    if limit is not None:
        wanted = {p.entry.entry_id for places in (*shown.values(), *flagged.values()) for p in places}
    labels = queries.entry_labels(contest.id, wanted)
    names = queries.user_names({j.juror_id for res in result.values() for j in res.ranking.jurors})

    def row(p):
        return Row(p.place, p.entry.entry_id, *labels.get(p.entry.entry_id, ("?", "?")), p.entry)

    groups = []
    for key in sorted(result, key=lambda k: _group_order(contest, k)):
        res = result[key]
        every_flagged = None if flagged[key] is None else tuple(row(p) for p in flagged[key])
        groups.append(Group(key, group_label(contest, key, lang), [row(p) for p in shown[key]],
                            len(res.places), res.ranking.parts, notes.linkage_note(res.ranking, names),
                            every_flagged))
    return groups


def flagged_rows(groups: list[Group]) -> list[tuple[Group, Row]]:
    return [(g, r) for g in groups for r in (g.rows if g.flagged is None else g.flagged) if r.score.flagged]


# --- statistics -------------------------------------------------------------------

@dataclass(frozen=True)
class Reliability:
    n_entries: int
    n_reviews: int
    n_jurors: int
    icc_single: float
    icc_average: float
    k: float
    alpha: float
    ci: bootstrap.Intervals | None = None


@dataclass(frozen=True)
class Numbers:
    overall: Reliability
    by_category: dict  # category id -> (Reliability, totals histogram)
    totals_hist: stats.Histogram
    jurors: tuple[core.JurorStat, ...]
    parts: tuple[core.Part, ...] = ()


def _reliability(entry_ids: np.ndarray, juror_ids: np.ndarray, y: np.ndarray) -> Reliability:
    """ICC(2,1), ICC(2,k) (Henderson III, missing ratings allowed) and interval alpha with
    bootstrap intervals (see `bootstrap`); nan where the design cannot support an estimate
    (e.g. a single juror)."""
    n_e, n_j = len(np.unique(entry_ids)), len(np.unique(juror_ids))
    single = average = k = alpha = math.nan
    ci = None
    with np.errstate(all="ignore"):
        if y.size:
            alpha = stats.alpha_interval_long(entry_ids, y)
        if n_e >= 2 and n_j >= 2:
            try:
                vc = stats.variance_components(entry_ids, juror_ids, y)
                single, average, k = vc.single, vc.average, vc.k
            except (ValueError, ZeroDivisionError, np.linalg.LinAlgError):
                pass
        if n_e >= 2:
            ci = bootstrap.reliability_intervals(entry_ids, juror_ids, y, icc=n_j >= 2,
                                                 resamples=bootstrap.resamples_for(int(y.size)))
    return Reliability(n_e, int(y.size), n_j, float(single), float(average), float(k), float(alpha), ci)


def _compute_numbers(contest: Contest, round_no: int = 1) -> Numbers:
    entry_ids, juror_ids, matrix = queries.submitted_columns(contest, round_no)
    criteria = queries.contest_criteria(contest, round_no)
    category = {eid: cat for eid, (cat, _t) in queries.entry_groups(contest).items()}
    y = core.review_totals(matrix, criteria) if entry_ids else np.zeros(0)
    e = np.array(entry_ids, dtype=np.int64)
    j = np.array(juror_ids, dtype=np.int64)
    cats = np.array([category[x] for x in entry_ids], dtype=np.int64)
    by_cat = {}
    for cat in contest.categories:
        mask = cats == cat.id
        if mask.any():
            by_cat[cat.id] = (_reliability(e[mask], j[mask], y[mask]), stats.histogram(y[mask]))
    # Entry quality absorbs each category's level, so one contest-wide fit is fair to jurors
    # who read in several categories.
    fitted = core.rank_matrix(entry_ids, juror_ids, matrix, criteria, "severity",
                              bridging=contest.ranking_bridging or "jurors")
    return Numbers(_reliability(e, j, y), by_cat, stats.histogram(y), fitted.jurors, fitted.parts)


def statistics_key(contest: Contest) -> tuple:
    """What the statistics depend on: the contest, its settings, the data's fingerprint."""
    round_no = queries.ranking_round(contest)
    return ("stats", contest.id, queries.settings_key(contest, None, None, round_no),
            queries.ranking_fingerprint(contest.id, round_no))


def compute_numbers(contest: Contest) -> Numbers:
    """The statistics of the current round, computed now (store.refresh_statistics)."""
    return _compute_numbers(contest, queries.ranking_round(contest))


def statistics_numbers(contest: Contest) -> Numbers:
    return RANKINGS.get_or_compute(statistics_key(contest), lambda: compute_numbers(contest))


def _severity_charts(numbers: Numbers, names: dict, mark: str = ".") -> list[tuple[Markup, str]]:
    """One severity chart per part of the jury, each on its own axis: severities are centred
    within each part and mean nothing across parts."""
    title = _("Juror severity (points; negative = harsher), ±2 standard errors")
    charts_out = []
    for part in numbers.parts or (None,):
        jurors = sorted((j for j in numbers.jurors if part is None or j.part == part.index),
                        key=lambda j: j.severity)
        caption = ""
        if part is not None and len(numbers.parts) > 1:
            caption = _("Part %(n)d: %(jurors)d jurors, %(entries)d essays", n=part.index + 1,
                        jurors=len(part.juror_ids), entries=len(part.entry_ids))
        label = f"{title} · {caption}" if caption else title
        charts_out.append((Markup(charts.severity_svg(
            [(names.get(j.juror_id, str(j.juror_id)), j.severity, j.se) for j in jurors], label, mark=mark)),
            caption))
    return charts_out


def statistics_page(contest: Contest, lang: str, numbers: Numbers | None = None) -> dict:
    """Numbers (given, e.g. stored: store.statistics_for; else computed or cached now) plus
    charts (inline SVG, escaped by charts.py) for the statistics page."""
    numbers = numbers if numbers is not None else statistics_numbers(contest)
    names = queries.user_names(j.juror_id for j in numbers.jurors)
    jurors = sorted(numbers.jurors, key=lambda j: (j.part, j.severity))
    categories = [(localized(c.name, lang), *numbers.by_category[c.id])
                  for c in contest.categories if c.id in numbers.by_category]
    score_label = _("Review total (0–100)")
    mark = get_decimal_symbol(lang)
    return {
        "overall": numbers.overall,
        "reliability": [(_("Whole contest"), numbers.overall)]
        + [(label, rel) for label, rel, _h in categories],
        "categories": [(label, rel, Markup(charts.histogram_svg(
            hist, _("Review totals: %(category)s", category=label), score_label, mark=mark)))
            for label, rel, hist in categories],
        "jurors": [(names.get(j.juror_id, str(j.juror_id)), j) for j in jurors],
        "parts": numbers.parts,
        "totals_svg": Markup(charts.histogram_svg(numbers.totals_hist, _("All review totals"),
                                                  score_label, mark=mark)),
        "severity_svgs": _severity_charts(numbers, names, mark),
        "resamples": bootstrap.RESAMPLES, "min_resamples": bootstrap.MIN_RESAMPLES,
        "seed": bootstrap.SEED,
    }
