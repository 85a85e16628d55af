"""Participation statistics of a contest: loads one fact row per entry and labels the groups
in the organizer's language (the counting is desk.breakdown, the chart desk.charts)."""
from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select

from contest.accounts.forms import GRADE_CHOICES
from contest.accounts.models import User
from contest.awards.models import Award
from contest.contests.models import localized
from contest.desk import breakdown, charts
from contest.extensions import db
from contest.judging.models import Assignment, ReviewStatus
from contest.schools import regions
from contest.submissions.flags import language_label
from contest.submissions.models import Entry, EntryStatus

CHART_ROWS = 15  # the largest groups drawn; the table lists all


def dimension_titles() -> dict[str, str]:
    return {"region": _("By region"), "school": _("By school"), "grade": _("By grade or level"),
            "language": _("By language of the essay"), "category": _("By category")}


def entry_facts(contest) -> list[breakdown.EntryFacts]:
    """One row per entry that was not withdrawn. The submitted reviews are counted per entry
    by an index lookup each, and the rows taken straight from the cursor (plain values: a
    Row object per entry cost more than the query at 100,000 entries)."""
    done = (select(func.count(Assignment.id)).where(Assignment.entry_id == Entry.id,
                                                     Assignment.status == ReviewStatus.SUBMITTED)
            .correlate(Entry).scalar_subquery())
    result = db.session.connection().execute(
        select(User.region, User.school, User.grade, Entry.language, Entry.category_id, Entry.status, done,
               Award.tier_id)
        .join(User, User.id == Entry.student_id).outerjoin(Award, Award.entry_id == Entry.id)
        .where(Entry.contest_id == contest.id, Entry.status != EntryStatus.WITHDRAWN))
    rows = result.cursor.fetchall()
    result.close()
    k, ready = contest.reviews_per_entry, EntryStatus.READY.value
    return [breakdown.EntryFacts(region or "", school or "", grade or "", language or "", category,
                                 status == ready or done > 0, done >= k, tier is not None)
            for region, school, grade, language, category, status, done, tier in rows]


def _labeller(contest, lang: str):
    grades = {c.value: str(c.label) for c in GRADE_CHOICES}
    categories = {c.id: localized(c.name, lang) for c in contest.categories}
    missing = _("Not given")

    def label(dimension: str, key) -> str:
        if key in ("", None):
            return missing
        if dimension == "region":
            return regions.label(key, lang)
        if dimension == "grade":
            return grades.get(key, key)
        if dimension == "language":
            return language_label(key)
        if dimension == "category":
            return categories.get(key, str(key))
        return key

    return label


def statistics_tables(contest, lang: str) -> list[dict]:
    """Per dimension: its title, labelled groups, the totals and an SVG chart."""
    facts = entry_facts(contest)
    label = _labeller(contest, lang)
    legend = {"entries": _("Entries"), "ready": _("Ready"), "judged": _("Judged"), "winners": _("Winners")}
    out = []
    for dimension, title in dimension_titles().items():
        groups = breakdown.breakdown(facts, dimension)
        rows = [(label(dimension, g.key), g) for g in groups]
        chart = charts.groups_svg([(name, g.__dict__) for name, g in rows[:CHART_ROWS]], title, legend)
        out.append({"dimension": dimension, "title": title, "rows": rows, "total": breakdown.totals(groups),
                    "svg": Markup(chart)})
    return out


def export_rows(tables: list[dict]) -> tuple[list[str], list[list]]:
    header = [_("Breakdown"), _("Group"), _("Entries"), _("Ready"), _("Judged"), _("Winners")]
    return header, [[t["title"], name, g.entries, g.ready, g.judged, g.winners]
                    for t in tables for name, g in t["rows"]]
