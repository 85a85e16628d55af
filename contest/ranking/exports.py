"""The ranking and every juror's score on every criterion, as tables for CSV and XLSX.

Writing them (and neutralising formulas) is `contest.spreadsheet`'s job, shared by every export.
"""
from __future__ import annotations

import re
from datetime import datetime

from flask_babel import gettext as _

from contest.contests.models import Contest, localized
from contest.ranking import core, queries
from contest.ranking.summary import ranking_groups
from contest.spreadsheet import MIMETYPES, export_response, to_csv, to_xlsx  # noqa: F401


def file_name(contest: Contest, kind: str, fmt: str, now: datetime) -> str:
    """e.g. ranking-ZT-2026-20260412-0930.csv: ASCII only, safe in a header."""
    prefix = re.sub(r"[^A-Za-z0-9_-]", "", contest.code_prefix or "") or "contest"
    return f"{kind}-{prefix}-{contest.year}-{now:%Y%m%d-%H%M}.{fmt}"


def _r(x: float) -> float | str:
    return round(x, 2) if x == x else ""


def ranking_table(contest: Contest, *, method: str, bridging: str, lang: str):
    """Header and rows: group, place, code, student, school, region, raw mean, adjusted,
    reviews, spread, the spread after the severity correction, flag, and the award (decided, or
    as it would be published now)."""
    header = [_("Group"), _("Place"), _("Entry code"), _("Student"), _("School"), _("Region"), _("Raw mean"),
              _("Adjusted score"), _("Reviews"), _("Spread"), _("Spread after severity correction"),
              _("Disagreement"), _("Award")]
    groups = ranking_groups(contest, method=method, bridging=bridging, lang=lang)
    people = queries.entry_people(contest.id)
    awards = _award_titles(contest, lang)
    rows = [[g.label, r.place, r.code, r.name, *people.get(r.entry_id, ("", "")), _r(r.score.raw_mean),
             _r(r.score.adjusted), r.score.n_reviews, _r(r.score.spread), _r(r.score.corrected_spread),
             _("yes") if r.score.flagged else "", awards.get(r.entry_id, "")]
            for g in groups for r in g.rows]
    return header, rows


def _award_titles(contest: Contest, lang: str) -> dict[int, str]:
    """entry id -> the award's title: the published one, else the proposal (with overrides)."""
    from contest.awards.queries import award_title, build_results, visible_publication

    publication = visible_publication(contest)
    rows = publication.ranking if publication else build_results(contest)
    return {row["entry_id"]: award_title(row.get("tier_name"), row.get("kind"), lang) for row in rows}


def scores_table(contest: Contest, *, lang: str):
    """One row per submitted review and criterion: code, category, juror, criterion,
    score, the review's weighted total, the criterion comment and the juror's comment.
    A contest judged in rounds adds a first column with the round, every round's reviews
    on its own rubric."""
    from contest.rounds.queries import round_count  # rounds read the ranking

    header = [_("Entry code"), _("Category"), _("Juror"), _("Criterion"), _("Score"), _("Total"),
              _("Comment"), _("Review comment")]
    rounds = round_count(contest.id)
    rows = []
    for round_no in range(1, rounds + 1):
        part = _round_scores(contest, lang, round_no)
        rows += [[round_no, *row] for row in part] if rounds > 1 else part
    return ([_("Round"), *header] if rounds > 1 else header), rows


def _round_scores(contest: Contest, lang: str, round_no: int) -> list[list]:
    criteria = queries.round_rubric(contest, round_no)
    core_criteria = queries.contest_criteria(contest, round_no)
    cats = {c.id: localized(c.name, lang) for c in contest.categories}
    names = {c.id: localized(c.name, lang) for c in criteria}
    rows = []
    for code, cat_id, juror, scores, comments, comment, total in queries.review_rows(contest.id, round_no):
        scores, comments = scores or {}, comments or {}
        if total is None:
            try:
                total = core.weighted_total({int(k): float(v) for k, v in scores.items()}, core_criteria)
            except ValueError:
                total = None
        for c in criteria:
            score = scores.get(str(c.id))
            rows.append([code, cats.get(cat_id, ""), juror, names[c.id],
                         "" if score is None else float(score),
                         "" if total is None else round(total, 2),
                         comments.get(str(c.id), ""), comment or ""])
    return rows
