"""The ranking and every juror's score on every criterion, as tables for CSV and XLSX.

Writing them (and neutralising formulas) is `contest.spreadsheet`'s job, shared by every export.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from flask_babel import gettext as _

from contest.contests.models import Contest, localized
from contest.ranking import core, queries
from contest.ranking.summary import _group_order, group_label
from contest.spreadsheet import MIMETYPES, export_response, stream_response, to_csv, to_xlsx  # noqa: F401


def file_name(contest: Contest, kind: str, fmt: str, now: datetime) -> str:
    """e.g. ranking-ZT-2026-20260412-0930.csv: ASCII only, safe in a header."""
    prefix = re.sub(r"[^A-Za-z0-9_-]", "", contest.code_prefix or "") or "contest"
    return f"{kind}-{prefix}-{contest.year}-{now:%Y%m%d-%H%M}.{fmt}"


def _r(x: float) -> float | str:
    return round(x, 2) if x == x else ""


def ranking_header() -> list[str]:
    return [_("Group"), _("Place"), _("Entry code"), _("Student"), _("School"), _("Region"), _("Raw mean"),
            _("Adjusted score"), _("Reviews"), _("Spread"), _("Spread after severity correction"),
            _("Disagreement"), _("Award")]


def ranking_table(contest: Contest, *, method: str, bridging: str, lang: str, result=None):
    """Header and rows: group, place, code, student, school, region, raw mean, adjusted,
    reviews, spread, the spread after the severity correction, flag, and the award (decided, or
    as it would be published now). `result` is the computed ranking (default: computed or
    cached now)."""
    if result is None:
        result = queries.cached_contest_ranking(contest, method=method, bridging=bridging)
    same = (method, bridging) == (contest.ranking_method, contest.ranking_bridging)
    rows = [row for batch in ranking_batches(contest, result, lang=lang, batch_size=10_000,
                                             awards_from_result=same) for row in batch]
    return ranking_header(), rows


def ranking_batches(contest: Contest, result: dict, *, lang: str, batch_size: int,
                    awards_from_result: bool = True) -> Iterator[list[list]]:
    """The ranking's rows, `batch_size` places at a time in group then place order: each
    batch reads its entries' codes, names, schools and regions in one query of its own, so the
    export holds the ranking (already computed) and one batch of people, not everyone.
    The awards are proposed from `result` when it is of the contest's own method
    (`awards_from_result`), else from the contest's ranking as before."""
    awards = _award_titles(contest, lang, result if awards_from_result else None)
    # Read the contest now: the batches are made while the response is sent, after the view's
    # session has ended.
    groups = [(group_label(contest, key, lang), result[key].places)
              for key in sorted(result, key=lambda k: _group_order(contest, k))]
    return _ranking_rows(groups, awards, lang, batch_size)


def _ranking_rows(groups, awards: dict[int, str], lang: str, batch_size: int) -> Iterator[list[list]]:
    from contest.schools.regions import label

    yes = _("yes")
    for group, places in groups:
        for start in range(0, len(places), batch_size):
            part = places[start:start + batch_size]
            people = queries.entry_people_of([p.entry.entry_id for p in part])
            rows = []
            for p in part:
                s = p.entry
                code, name, school, region = people.get(s.entry_id, ("?", "?", "", ""))
                rows.append([group, p.place, code, name, school or "", label(region, lang), _r(s.raw_mean),
                             _r(s.adjusted), s.n_reviews, _r(s.spread), _r(s.corrected_spread),
                             yes if s.flagged else "", awards.get(s.entry_id, "")])
            yield rows


def _award_titles(contest: Contest, lang: str, result: dict | None) -> dict[int, str]:
    """entry id -> the award's title: the published one, else the proposal (with overrides),
    proposed from the ranking being exported (not computed again), or from the contest's own
    ranking as the awards page shows it (a large contest's stored one, never computed here)."""
    from contest.awards.queries import award_title, build_results, live_results, visible_publication

    publication = visible_publication(contest)
    if publication is not None:
        rows = publication.ranking
    else:
        rows = build_results(contest, groups=result) if result is not None else live_results(contest)[0]
    return {row["entry_id"]: award_title(row.get("tier_name"), row.get("kind"), lang) for row in rows}


def scores_table(contest: Contest, *, lang: str):
    """One row per submitted review and criterion: code, category, juror, criterion,
    score, the review's weighted total, the criterion comment and the juror's comment.
    A contest judged in rounds adds a first column with the round, every round's reviews
    on its own rubric."""
    header, batches = scores_batches(contest, lang=lang, batch_size=10_000)
    return header, [row for batch in batches for row in batch]


def scores_batches(contest: Contest, *, lang: str, batch_size: int) -> tuple[list[str], Iterator[list[list]]]:
    """The score export's header and its rows in batches of about `batch_size` reviews each
    (a review gives one row per criterion), read from a streamed statement."""
    from contest.rounds.queries import round_count  # rounds read the ranking

    header = [_("Entry code"), _("Category"), _("Juror"), _("Criterion"), _("Score"), _("Total"),
              _("Comment"), _("Review comment")]
    rounds = round_count(contest.id)
    # The rubrics and names are read now: the batches are made while the response is sent,
    # after the view's session has ended.
    cats = {c.id: localized(c.name, lang) for c in contest.categories}
    rubrics = [(round_no, [(c.id, localized(c.name, lang)) for c in queries.round_rubric(contest, round_no)],
                queries.contest_criteria(contest, round_no)) for round_no in range(1, rounds + 1)]

    def batches():
        for round_no, criteria, core_criteria in rubrics:
            for part in _round_scores(contest.id, round_no, criteria, core_criteria, cats, batch_size):
                yield [[round_no, *row] for row in part] if rounds > 1 else part

    return ([_("Round"), *header] if rounds > 1 else header), batches()


def _round_scores(contest_id: int, round_no: int, criteria: list[tuple[int, str]], core_criteria, cats: dict,
                  batch_size: int) -> Iterator[list[list]]:
    for reviews in queries.review_row_batches(contest_id, round_no, batch_size):
        rows = []
        for code, cat_id, juror, scores, comments, comment, total in reviews:
            scores, comments = scores or {}, comments or {}
            if total is None:
                try:
                    total = core.weighted_total({int(k): float(v) for k, v in scores.items()}, core_criteria)
                except ValueError:
                    total = None
            for criterion_id, name in criteria:
                score = scores.get(str(criterion_id))
                rows.append([code, cats.get(cat_id, ""), juror, name,
                             "" if score is None else float(score),
                             "" if total is None else round(total, 2),
                             comments.get(str(criterion_id), ""), comment or ""])
        yield rows
