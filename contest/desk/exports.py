"""The registry as a table for CSV/XLSX, headers and values in the organizer's language.
Cells go through contest.spreadsheet (the one place that neutralises formulas)."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from contest.accounts.forms import GRADE_CHOICES
from contest.awards.queries import award_title
from contest.contests.models import Contest, localized
from contest.desk.labels import STATUS_LABELS, audit_action, audit_object
from contest.desk.registry import Page, Row
from contest.spreadsheet import to_xlsx_sheets  # the one cell rule of every export (formula-safe)
from contest.submissions.flags import language_label, title


def registry_header() -> list[str]:
    return [_("Code"), _("Author"), _("School"), _("Region"), _("Supervisor"), _("Grade"), _("Category"),
            _("Topic"), _("Language"), _("Words"), _("Status"), _("Flags"), _("Reviews done"),
            _("Reviews assigned"), _("Score"), _("Place"), _("Award"), _("School coordinator")]


def registry_table(contest: Contest, page: Page, lang: str, region_label=lambda code: code):
    """(header, rows) of exactly the rows given."""
    return registry_header(), registry_cells(contest, lang, region_label)(page.rows)


def registry_batches(contest: Contest, batches: Iterable[list[Row]], lang: str, region_label=lambda code: code
                     ) -> Iterator[list[list]]:
    """The export's cells, one list per batch of registry rows (registry.export_batches).
    The contest's names are read now, not while the response is sent."""
    cells = registry_cells(contest, lang, region_label)
    return (cells(batch) for batch in batches)


def registry_cells(contest: Contest, lang: str, region_label) -> Callable[[Iterable[Row]], list[list]]:
    """A function from registry rows to their cells (names looked up once per export)."""
    categories = {c.id: localized(c.name, lang) for c in contest.categories}
    topics = {t.id: localized(t.title, lang) for t in contest.topics}
    grades = {c.value: str(c.label) for c in GRADE_CHOICES}
    statuses = {key: str(label) for key, label in STATUS_LABELS.items()}

    def cells(rows: Iterable[Row]) -> list[list]:
        return [[r.code, r.author, r.school, region_label(r.region), r.supervisor,
                 grades.get(r.grade, r.grade), categories.get(r.category_id, ""),
                 topics.get(r.topic_id, ""), language_label(r.language) if r.language else "",
                 r.words if r.words is not None else "", statuses[r.status.value],
                 "; ".join(title(f) for f in r.flags), r.reviews_done, r.reviews_assigned,
                 round(r.score, 2) if r.score is not None else "", r.place if r.place is not None else "",
                 award_title(r.tier_name, "award", lang) if r.tier_id is not None else "", r.coordinator]
                for r in rows]
    return cells


def audit_table(rows, timezone: str, changes, readable):
    """The audit log: one line per event, its changes as "Label: before → after" lines in the
    reader's language (`readable`, audit_fields), and again as stored ("key: before → after")."""
    zone = ZoneInfo(timezone or "Asia/Almaty")
    header = [_("Time"), _("Person"), _("Action"), _("Object"), _("Changes"), _("Reason"),
              _("Changes as stored")]
    table = [[event.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"), name or "", audit_action(event.action),
              f"{audit_object(event.object_type)} {event.object_id}".strip(),
              "\n".join(f"{c.label}: {c.before} → {c.after}" for c in readable(event)),
              event.reason,
              "\n".join(f"{c.key}: {c.before} → {c.after}" for c in changes(event.old, event.new))]
             for event, name in rows]
    return header, table


def xlsx_sheets(sheets) -> bytes:
    """(title, header, rows) per worksheet; cells neutralised like every other export."""
    return to_xlsx_sheets(sheets)
