"""The rows of the entries registry's table, its filters' selects and its sortable header,
as HTML built in Python (as the juror dashboard does, contest/judging/dashboard.py): what is
the same for every row (labels, names, the entry URL) is prepared once per request, each row
is one f-string in which every text from the database goes through escape(), and the labels
that depend only on the language (statuses, flags, regions, grades, column titles) are
translated and escaped once per process and language. templates/desk/entries.html shows
where each part goes."""
from __future__ import annotations

from functools import cache, partial
from html import escape as html_escape
from urllib.parse import urlencode

from babel import Locale
from babel.numbers import parse_pattern
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from contest.accounts.forms import GRADE_CHOICES
from contest.awards.queries import award_title
from contest.contests.models import localized
from contest.desk.forms import MAX_TEXT, REGISTRY_SELECTS, REGISTRY_TEXT, RegistryQuery
from contest.desk.labels import STATUS_LABELS
from contest.desk.registry import Filters, Names, Page
from contest.schools import regions
from contest.submissions.flags import language_label, title

# format_decimal(value, "0.00", locale) without parsing the pattern and the locale for each row.
_SCORE = parse_pattern("0.00")

BADGES = {"ready": "badge ok", "needs_attention": "badge warn", "rejected": "badge bad"}


@cache
def _labels(lang: str) -> dict[str, dict]:
    """The language's escaped labels, once per process: they come from the catalogues and
    the regions' data file, which do not change while it runs (call inside a request in
    `lang`)."""
    return {
        "places": {code: escape(name) for code, name in regions.choices(lang)},
        "grades": {c.value: escape(str(c.label)) for c in GRADE_CHOICES},
        "languages": {code: escape(language_label(code)) for code in ("kk", "ru", "en")},
        "statuses": {key: f'<span class="{BADGES.get(key, "badge")}">{escape(str(label))}</span>'
                     for key, label in STATUS_LABELS.items()},
        "fields": {name: escape(str(label)) for name, label in (*REGISTRY_TEXT, *REGISTRY_SELECTS)},
        # (sort key or "", th class, escaped title) of the registry's columns, in order
        "titles": tuple((key, css, escape(label)) for key, css, label in _column_labels()),
    }


def registry_rows(names: Names, page: Page) -> Markup:
    lang = str(get_locale())
    categories = {i: escape(localized(name, lang)) for i, name in names.categories}
    topics = {i: escape(localized(name, lang)) for i, name in names.topics}
    awards = {i: escape(award_title(name, "award", lang)) for i, name in names.tiers}
    labels = _labels(lang)
    places, grades, languages, statuses = (labels[k] for k in ("places", "grades", "languages", "statuses"))
    score = partial(_SCORE.apply, locale=Locale.parse(lang))
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
        # html.escape on the plain texts: markupsafe's escape() and its Markup objects cost
        # three times as much per cell, and the rows are joined into one Markup below.
        html.append(
            f'<tr><td><a href="{entry_url}{int(r.entry_id)}">{html_escape(r.code)}</a></td>'
            f"<td>{html_escape(r.author)}</td><td>{html_escape(r.school)}</td>"
            f"<td>{places.get(r.region) or html_escape(r.region)}</td>"
            f"<td>{grades.get(r.grade) or html_escape(r.grade)}</td>"
            f'<td>{categories.get(r.category_id, "")}</td><td>{topics.get(r.topic_id, "")}</td>'
            f'<td>{languages.get(r.language) or html_escape(r.language or "—")}</td>'
            f'<td class="num">{int(r.words) if r.words is not None else "—"}</td>'
            f'<td>{statuses[r.status.value]}</td><td>{" ".join(flags)}</td>'
            f'<td class="num">{int(r.reviews_done)} / {int(r.reviews_assigned)}</td>'
            f'<td class="num">{score(r.score) if r.score is not None else ""}</td>'
            f'<td class="num">{int(r.place) if r.place is not None else ""}</td>'
            f'<td>{awards.get(r.tier_id, "") if r.tier_id is not None else ""}</td>'
            f"<td>{html_escape(r.coordinator)}</td></tr>")
    return Markup("\n".join(html))


_fixed_options: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}


def _options(choices) -> tuple[tuple[str, str], ...]:
    """(escaped value, escaped label) of each choice."""
    return tuple((str(escape(c.value)), str(escape(str(c.label)))) for c in choices)


STATIC_SELECTS = ("status", "language", "region", "grade", "flag", "reviews")


def filter_fields(query: RegistryQuery) -> dict[str, Markup]:
    """The registry's filter fields by name: a label and an input (what was typed), or a select
    with the chosen value selected. Fixed choices are escaped once per language. A text too
    long to apply says so (the view ignores it rather than refuse)."""
    lang = str(get_locale())
    labels, out = _labels(lang)["fields"], {}
    for name, _label in REGISTRY_TEXT:
        label, value = labels[name], escape(query.typed[name])
        if name in query.too_long:
            too_long = _("Longer than %(max)d characters: this filter is not applied.", max=MAX_TEXT)
            out[name] = Markup(
                f'<div class="field has-error"><label for="{name}">{label}</label>\n'
                f'  <input aria-describedby="{name}-err" aria-invalid="true" id="{name}" '
                f'maxlength="{MAX_TEXT}" name="{name}" type="text" value="{value}">\n'
                f'  <p class="error" id="{name}-err">{escape(too_long)}</p></div>')
        else:
            out[name] = Markup(f'<div class="field"><label for="{name}">{label}</label>\n'
                               f'  <input id="{name}" maxlength="{MAX_TEXT}" name="{name}" type="text" '
                               f'value="{value}"></div>')
    for name, _label in REGISTRY_SELECTS:
        if name in STATIC_SELECTS:  # the same choices in every contest: once per language
            options = _fixed_options.get((lang, name))
            if options is None:
                options = _fixed_options[lang, name] = _options(query.choices[name])
        else:
            options = _options(query.choices[name])
        selected = str(escape(query.typed[name]))
        html = "".join(f'<option value="{v}"{" selected" if v == selected else ""}>{text}</option>'
                       for v, text in options)
        out[name] = Markup(f'<div class="field"><label for="{name}">{labels[name]}</label>\n'
                           f'  <select id="{name}" name="{name}">{html}</select></div>')
    return out


def _column_labels() -> tuple[tuple[str, str | None, str], ...]:
    return (("code", None, _("Code")), ("author", None, _("Author")), ("school", None, _("School")),
            ("region", None, _("Region")), ("grade", None, _("Grade")), ("category", None, _("Category")),
            ("topic", None, _("Topic")), ("language", None, _("Language")), ("words", "num", _("Words")),
            ("status", None, _("Status")), ("", None, _("Flags")), ("reviews", "num", _("Reviews")),
            ("score", "num", _("Score")), ("place", "num", _("Place")), ("", None, _("Award")),
            ("", None, _("School coordinator")))


def sort_header(contest_id: int, filters: Filters) -> Markup:
    """The header row: each sortable title links to the view sorted by it (again: reversed),
    keeping the filters, on page 1."""
    base = url_for("desk.entries", contest_id=contest_id)
    cells = []
    for key, css, label in _labels(str(get_locale()))["titles"]:
        on = bool(key) and filters.sort == key
        # aria-sort belongs on the header cell, not on its link (axe: aria-allowed-attr).
        mark = f' aria-sort="{"descending" if filters.desc else "ascending"}"' if on else ""
        th = f'<th class="{css}"{mark}>' if css else f"<th{mark}>"
        if not key:
            cells.append(f"{th}{label}</th>")
            continue
        args = filters.query_args(sort=key, desc=(on and not filters.desc), page=1)
        href = f"{base}?{urlencode(args)}" if args else base
        arrow = f' {"↓" if filters.desc else "↑"}' if on else ""
        cells.append(f'{th}<a href="{escape(href)}">{label}{arrow}</a></th>')
    return Markup("".join(cells))
