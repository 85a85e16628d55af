"""The rows of the entries registry's table, as HTML built in Python (as the juror dashboard
does, contest/judging/dashboard.py): what is the same for every row (labels, names, the entry
URL) is prepared once per request, and each row is one f-string in which every text from the
database goes through escape(). templates/desk/entries.html shows where the rows go."""
from __future__ import annotations

from functools import partial

from babel.numbers import format_decimal
from flask import url_for
from flask_babel import get_locale
from markupsafe import Markup, escape

from contest.accounts.forms import GRADE_CHOICES
from contest.awards.queries import award_title
from contest.contests.models import localized
from contest.desk.labels import STATUS_LABELS
from contest.desk.registry import Page
from contest.schools import regions
from contest.submissions.flags import language_label, title

BADGES = {"ready": "badge ok", "needs_attention": "badge warn", "rejected": "badge bad"}


def registry_rows(contest, page: Page) -> Markup:
    lang = str(get_locale())
    score = partial(format_decimal, format="0.00", locale=lang)
    categories = {c.id: escape(localized(c.name, lang)) for c in contest.categories}
    topics = {t.id: escape(localized(t.title, lang)) for t in contest.topics}
    awards = {t.id: escape(award_title(t.name, "award", lang)) for t in contest.award_tiers}
    places = {code: escape(name) for code, name in regions.choices(lang)}
    grades = {c.value: escape(str(c.label)) for c in GRADE_CHOICES}
    languages = {code: escape(language_label(code)) for code in ("kk", "ru", "en")}
    statuses = {key: f'<span class="{BADGES.get(key, "badge")}">{escape(str(label))}</span>'
                for key, label in STATUS_LABELS.items()}
    flag_badges: dict[tuple, str] = {}
    entry_url = escape(url_for("submissions.review", entry_id=0)[:-1])
    html = []
    for r in page.rows:
        flags = []
        for f in r.flags:
            key = (f.get("code"), f.get("level"))
            if key not in flag_badges:
                level = " warn" if f.get("level") == "attention" else ""
                flag_badges[key] = f'<span class="badge{level}">{escape(title(f))}</span>'
            flags.append(flag_badges[key])
        html.append(
            f'<tr><td><a href="{entry_url}{int(r.entry_id)}">{escape(r.code)}</a></td>'
            f"<td>{escape(r.author)}</td><td>{escape(r.school)}</td>"
            f"<td>{places.get(r.region) or escape(r.region)}</td>"
            f"<td>{grades.get(r.grade) or escape(r.grade)}</td>"
            f'<td>{categories.get(r.category_id, "")}</td><td>{topics.get(r.topic_id, "")}</td>'
            f'<td>{languages.get(r.language) or escape(r.language or "—")}</td>'
            f'<td class="num">{r.words if r.words is not None else "—"}</td>'
            f'<td>{statuses[r.status.value]}</td><td>{" ".join(flags)}</td>'
            f'<td class="num">{r.reviews_done} / {r.reviews_assigned}</td>'
            f'<td class="num">{score(r.score) if r.score is not None else ""}</td>'
            f'<td class="num">{r.place if r.place is not None else ""}</td>'
            f'<td>{awards.get(r.tier_id, "") if r.tier_id is not None else ""}</td>'
            f"<td>{escape(r.coordinator)}</td></tr>")
    return Markup("\n".join(html))
