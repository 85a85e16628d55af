"""The rows of the juror dashboard's table, as HTML built in Python.

A juror lists about a hundred essays. Through Jinja every cell of every row was an escape,
a lookup or a gettext call, which made the rows most of the page's time. Here what is the
same for every row (status labels, category and topic names, the review URL) is prepared
once per request and each row is one f-string in which every text from the database is
escaped. templates/judging/dashboard.html shows where the rows go.
"""
from __future__ import annotations

from html import escape as html_escape

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from contest.contests.models import localized
from contest.judging.models import ReviewStatus
from contest.judging.queries import DashboardContest


def review_status_label(status: ReviewStatus | str) -> str:
    """A review's state in the page's language (the dashboard's words), never the stored code."""
    return {ReviewStatus.SUBMITTED: _("submitted"), ReviewStatus.DRAFT: _("draft"),
            ReviewStatus.NEW: _("new")}[ReviewStatus(status)]


def dashboard_rows(group: DashboardContest) -> Markup:
    """<tr> elements for one contest's assignments: code, author (unless blind), topic,
    category, words, status and the link to the reading view."""
    lang = str(get_locale())
    topics = {key: escape(localized(name, lang)) for key, name in group.topics.items()}
    categories = {key: escape(localized(name, lang)) for key, name in group.categories.items()}
    statuses = {  # status: (badge class, label, link text)
        ReviewStatus.SUBMITTED: ("badge ok", escape(_("submitted")), escape(_("View"))),
        ReviewStatus.DRAFT: ("badge warn", escape(_("draft")), escape(_("Continue"))),
        ReviewStatus.NEW: ("badge", escape(_("new")), escape(_("Read"))),
    }
    review_url = escape(url_for("judging.review", assignment_id=0)[:-1])
    blind = group.contest.blind
    html = []
    final = escape(_("Final round"))  # a contest judged in rounds: its later rounds are marked
    for assignment_id, status, code, author, words, category_id, topic_id, round_no in group.rows:
        # html.escape on the plain str: markupsafe's escape() and its Markup objects cost
        # three times as much per cell, and these strings are joined into one Markup below.
        code = html_escape(code)
        mark = f' <span class="badge">{final}</span>' if round_no > 1 else ""
        badge, label, action = statuses[status]
        author_cell = "" if blind else f"<td>{html_escape(author or '')}</td>"
        html.append(
            f'<tr><td><span class="code">{code}</span>{mark}</td>{author_cell}'
            f'<td>{topics.get(topic_id, "")}</td><td>{categories.get(category_id, "")}</td>'
            f'<td>{int(words) if words is not None else ""}</td><td><span class="{badge}">{label}</span></td>'
            f'<td><a href="{review_url}{int(assignment_id)}">{action}'
            f'<span class="visually-hidden"> {code}</span></a></td></tr>')
    return Markup("\n".join(html))
