"""Contest set-up writes: settings, window, diploma and logo, rubric lock, cloning.

Topics, categories, criteria, tiers and signatories are in `items.py`; jurors in `jurors.py`;
phases in `phases.py`. Services flush, never commit, and raise DomainError subclasses.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect

from contest.audit.services import record_changes, record_event
from contest.blind import services as blind_services
from contest.contests import changelog, roles
from contest.contests.models import AwardTier, Category, Contest, Criterion, Phase, Signatory, Topic
from contest.db import utcnow
from contest.errors import InvalidInput
from contest.extensions import db

LANGS = ("kk", "ru", "en")
FORMATS = ("pdf", "docx", "txt", "text", "image")
MAX_FILE_MB = 25  # MAX_CONTENT_LENGTH is 25 MB
LOGO_MAX_BYTES = 512 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"


class FieldErrors(InvalidInput):
    """Several refused fields at once: {field name: message}."""

    def __init__(self, errors: dict):
        field_name, message = next(iter(errors.items()))
        super().__init__(message, field=field_name)
        self.errors = errors


def clean_texts(texts: dict[str, str] | None) -> dict[str, str]:
    """Only kk/ru/en, stripped, empty ones dropped."""
    return {code: value.strip() for code, value in (texts or {}).items()
            if code in LANGS and value and value.strip()}


def to_utc(local: datetime | None, timezone: str) -> datetime | None:
    """A wall-clock time in `timezone` (as typed by the organizer) as an aware UTC time."""
    if local is None:
        return None
    return local.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def to_local(moment: datetime | None, timezone: str) -> datetime | None:
    """An aware UTC time as the naive wall-clock time in `timezone` (for the editor's fields)."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


@dataclass
class ContestSettings:
    """Everything the contest editor's main form sets; the window is in `timezone` wall time."""

    title: dict[str, str]
    code_prefix: str
    year: int
    description: dict[str, str] = field(default_factory=dict)
    rules: dict[str, str] = field(default_factory=dict)
    timezone: str = "Asia/Almaty"
    opens_local: datetime | None = None
    closes_local: datetime | None = None
    formats: list[str] = field(default_factory=lambda: ["pdf", "docx", "txt"])
    max_file_mb: int = 10
    max_pages: int = 30
    min_words: int = 0
    max_words: int = 0
    soft_margin_pct: int = 0
    languages: list[str] = field(default_factory=lambda: list(LANGS))
    entries_per_student: int = 1
    reviews_per_entry: int = 3
    blind: bool = True
    jurors_may_open_files: bool = False
    same_region_conflict: bool = False
    show_rubric: bool = True
    share_feedback: bool = True
    judging_ends_local: datetime | None = None
    reminder_days: list[int] = field(default_factory=lambda: [3, 1])
    blind_reason: str = ""  # required to turn blind off once judging has started


def settings_errors(s: ContestSettings) -> dict:
    """Every business-rule problem in the settings, by form field."""
    errors = {}
    if not clean_texts(s.title):
        errors["title_kk"] = _l("Give the title in at least one language.")
    if not (s.code_prefix.isascii() and s.code_prefix.isalnum() and 1 <= len(s.code_prefix) <= 8):
        errors["code_prefix"] = _l("Use 1 to 8 Latin letters or digits.")
    if not 2000 <= s.year <= 2100:
        errors["year"] = _l("Give a year between 2000 and 2100.")
    if s.timezone not in available_timezones():
        errors["timezone"] = _l("Choose a time zone from the list.")
    elif s.opens_local and s.closes_local and s.closes_local <= s.opens_local:
        errors["closes_at"] = _l("The window must close after it opens.")
    elif bool(s.opens_local) != bool(s.closes_local):
        missing = "closes_at" if s.opens_local else "opens_at"
        errors[missing] = _l("Give both the opening and the closing time.")
    if not s.formats or not set(s.formats) <= set(FORMATS):
        errors["formats"] = _l("Accept at least one format.")
    if not 1 <= s.max_file_mb <= MAX_FILE_MB:
        errors["max_file_mb"] = _l("Give a size between 1 and %(n)s MB.", n=MAX_FILE_MB)
    if s.max_pages < 1:
        errors["max_pages"] = _l("Allow at least one page.")
    if s.min_words < 0:
        errors["min_words"] = _l("The minimum cannot be negative.")
    if s.max_words and s.max_words <= s.min_words:
        errors["max_words"] = _l("The maximum must be above the minimum (or 0 for no maximum).")
    if not 0 <= s.soft_margin_pct <= 100:
        errors["soft_margin_pct"] = _l("Give a margin between 0 and 100 percent.")
    if not s.languages or not set(s.languages) <= set(LANGS):
        errors["languages"] = _l("Accept at least one essay language.")
    if s.entries_per_student < 1:
        errors["entries_per_student"] = _l("Allow at least one entry per student.")
    if not 1 <= s.reviews_per_entry <= 20:
        errors["reviews_per_entry"] = _l("Each essay needs between 1 and 20 reviews.")
    if s.judging_ends_local and s.closes_local and s.judging_ends_local <= s.closes_local:
        errors["judging_ends_at"] = _l("Judging must end after submissions close.")
    if len(s.reminder_days) > 5 or any(not 1 <= d <= 60 for d in s.reminder_days):
        errors["reminder_days"] = _l("Give up to five numbers of days between 1 and 60, e.g. 3, 1.")
    return errors


_PLAIN_FIELDS = ("code_prefix", "year", "timezone", "formats", "max_file_mb", "max_pages", "min_words",
                 "max_words", "soft_margin_pct", "languages", "entries_per_student", "reviews_per_entry",
                 "blind", "jurors_may_open_files", "same_region_conflict", "show_rubric", "share_feedback")


def _apply(contest: Contest, s: ContestSettings) -> None:
    for name in _PLAIN_FIELDS:
        setattr(contest, name, getattr(s, name))
    contest.code_prefix = s.code_prefix.upper()
    contest.title, contest.description, contest.rules = (
        clean_texts(s.title), clean_texts(s.description), clean_texts(s.rules))
    contest.reminder_days = sorted(set(s.reminder_days), reverse=True)


def _apply_judging_deadline(contest: Contest, s: ContestSettings, actor) -> None:
    """The judging deadline (reminders count down to it); a change is logged."""
    ends = to_utc(s.judging_ends_local, s.timezone)
    if ends != contest.judging_ends_at:
        if contest.id is not None:
            record_event(action="contest.judging_deadline", actor=actor, obj=contest, contest_id=contest.id,
                         old={"judging_ends_at": changelog.iso(contest.judging_ends_at)},
                         new={"judging_ends_at": changelog.iso(ends)})
        contest.judging_ends_at = ends


def create_contest(*, settings: ContestSettings, actor) -> Contest:
    """A new draft contest."""
    errors = settings_errors(settings)
    if errors:
        raise FieldErrors(errors)
    contest = Contest(phase=Phase.DRAFT, created_by_id=actor.id)
    _apply(contest, settings)
    contest.opens_at = to_utc(settings.opens_local, settings.timezone)
    contest.closes_at = to_utc(settings.closes_local, settings.timezone)
    _apply_judging_deadline(contest, settings, actor)
    db.session.add(contest)
    db.session.flush()
    roles.make_owner(contest=contest, user=actor)
    record_event(action="contest.created", actor=actor, obj=contest, contest_id=contest.id)
    return contest


def update_contest(*, contest: Contest, settings: ContestSettings, actor,
                   now: datetime | None = None) -> Contest:
    """Save the editor's main form. Once open, the deadline may move, but never to before now;
    after submissions close the window is fixed. Every change is logged with the old and new
    values of exactly the fields that changed (see contests.changelog)."""
    errors = settings_errors(settings)
    opens = to_utc(settings.opens_local, settings.timezone) if not errors else None
    closes = to_utc(settings.closes_local, settings.timezone) if not errors else None
    window_changed = not errors and (opens, closes) != (contest.opens_at, contest.closes_at)
    if window_changed:
        errors.update(_window_errors(contest, closes, now or utcnow()))
    blind_problem = blind_services.blind_change_error(contest=contest, blind=settings.blind,
                                                      reason=settings.blind_reason)
    if blind_problem:
        errors["blind_reason"] = blind_problem
    if errors:
        raise FieldErrors(errors)
    old_blind, old_files = contest.blind, contest.jurors_may_open_files
    before, window_before = changelog.settings_snapshot(contest), changelog.window_snapshot(contest)
    _apply(contest, settings)
    record_changes(action="contest.settings", actor=actor, obj=contest, contest_id=contest.id,
                   before=before, after=changelog.settings_snapshot(contest))
    _apply_judging_deadline(contest, settings, actor)
    blind_services.after_settings_change(contest=contest, actor=actor, old_blind=old_blind,
                                         old_files=old_files, reason=settings.blind_reason)
    if window_changed:
        contest.opens_at, contest.closes_at = opens, closes
        record_changes(action="contest.window", actor=actor, obj=contest, contest_id=contest.id,
                       before=window_before, after=changelog.window_snapshot(contest))
    db.session.flush()
    return contest


def _window_errors(contest: Contest, closes: datetime | None, now: datetime) -> dict:
    if contest.phase in (Phase.JUDGING, Phase.PUBLISHED, Phase.ARCHIVED):
        return {"closes_at": _l("The submission window cannot change after submissions have closed.")}
    if contest.phase == Phase.OPEN and (closes is None or closes <= now):
        return {"closes_at": _l("The contest is open: the deadline cannot be moved to before now.")}
    return {}


def logo_mime(data: bytes) -> str | None:
    """The image type by its first bytes (never by the file name): PNG or JPEG, else None."""
    if data.startswith(PNG_SIGNATURE):
        return "image/png"
    if data.startswith(JPEG_SIGNATURE):
        return "image/jpeg"
    return None


def update_diploma(*, contest: Contest, issuer: dict[str, str], logo: bytes | None = None,
                   remove_logo: bool = False, actor=None) -> Contest:
    """The diploma's issuer (kk/ru/en) and logo: a PNG or JPEG of at most 512 KB; a change is logged."""
    before = changelog.diploma_snapshot(contest)
    if logo:
        mime = logo_mime(logo)
        if len(logo) > LOGO_MAX_BYTES:
            raise InvalidInput(_l("The logo must be at most %(kb)s KB.", kb=LOGO_MAX_BYTES // 1024),
                               field="logo")
        if mime is None:
            raise InvalidInput(_l("The logo must be a PNG or JPEG image."), field="logo")
        contest.logo, contest.logo_mime = logo, mime
    elif remove_logo:
        contest.logo, contest.logo_mime = None, ""
    contest.issuer = clean_texts(issuer)
    db.session.flush()
    if contest.id is not None:
        record_changes(action="contest.diploma", actor=actor, obj=contest, contest_id=contest.id,
                       before=before, after=changelog.diploma_snapshot(contest))
    return contest


def lock_rubric(*, contest: Contest, actor=None) -> None:
    """Freeze the rubric (judging calls this when the first review is submitted)."""
    if not contest.rubric_locked:
        contest.rubric_locked = True
        record_event(action="contest.rubric_locked", actor=actor, obj=contest, contest_id=contest.id)


def unlock_rubric(*, contest: Contest, actor, reason: str) -> None:
    """Allow rubric edits again after reviews exist: an explicit act with a logged reason."""
    if not contest.rubric_locked:
        raise InvalidInput(_l("The rubric is not locked."))
    if not reason.strip():
        raise InvalidInput(_l("Give a reason for unlocking the rubric."), field="reason")
    contest.rubric_locked = False
    record_event(action="contest.rubric_unlocked", actor=actor, obj=contest, contest_id=contest.id,
                 reason=reason.strip())


_NOT_CLONED = {"id", "contest_id", "phase", "created_at", "created_by_id", "entry_counter",
               "rubric_locked", "year", "opens_at", "closes_at", "judging_ends_at"}


def _columns(obj) -> dict:
    """Copies of an object's column values, minus ids, state and history."""
    return {attr.key: copy.deepcopy(getattr(obj, attr.key)) for attr in inspect(obj).mapper.column_attrs
            if attr.key not in _NOT_CLONED}


def _next_year(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    try:
        return moment.replace(year=moment.year + 1)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + 1, day=28)


def clone_contest(*, source: Contest, actor) -> Contest:
    """A new draft with the whole set-up copied (new rows throughout) and the year and window
    moved on by one year; no entries, no jurors, no reviews."""
    clone = Contest(**_columns(source), phase=Phase.DRAFT, year=source.year + 1, created_by_id=actor.id,
                    opens_at=_next_year(source.opens_at), closes_at=_next_year(source.closes_at))
    clone.topics = [Topic(**_columns(t)) for t in source.topics]
    clone.categories = [Category(**_columns(c)) for c in source.categories]
    clone.criteria = [Criterion(**_columns(c)) for c in source.criteria]
    clone.signatories = [Signatory(**_columns(s)) for s in source.signatories]
    db.session.add(clone)
    db.session.flush()
    new_category = {old.id: new.id for old, new in zip(source.categories, clone.categories)}
    for tier in source.award_tiers:
        values = _columns(tier)
        values["category_id"] = new_category.get(tier.category_id)
        clone.award_tiers.append(AwardTier(**values))
    db.session.flush()
    roles.make_owner(contest=clone, user=actor)
    record_event(action="contest.cloned", actor=actor, obj=clone, contest_id=clone.id,
                 new={"from_contest": source.id})
    return clone
