"""What each document says, in each language: the organizer's document settings, and the
printed content of diplomas, participation certificates and thank-you letters.

Kinds: AWARD (a diploma, or whatever the tier's document title says), PARTICIPATION,
JUROR_THANKS, TEACHER_THANKS and PROTOCOL (see awards.protocol). A document is printed in
one language, or in two ("kk+ru": Kazakh above Russian) when the organizer wants that.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from contest.accounts.services import external_url
from contest.awards.tiers import AWARD, PARTICIPATION
from contest.contests.models import AwardTier, Contest, localized
from contest.diplomas import DiplomaContent

JUROR_THANKS, TEACHER_THANKS, PROTOCOL = "juror_thanks", "teacher_thanks", "protocol"
KINDS = (AWARD, PARTICIPATION, JUROR_THANKS, TEACHER_THANKS, PROTOCOL)
KIND_NAMES = {
    AWARD: _l("Diploma"),
    PARTICIPATION: _l("Certificate of participation"),
    JUROR_THANKS: _l("Letter of thanks to a juror"),
    TEACHER_THANKS: _l("Letter of thanks to a supervisor"),
    PROTOCOL: _l("Jury protocol"),
}
LANGUAGE_MODES = ("own", "kk", "ru", "en", "kk+ru")
SCOPES = ("judged", "accepted")


@dataclass(frozen=True)
class DocumentSettings:
    """The organizer's choices (stored as JSON on the contest).

    language: "own" (each person's language), "kk", "ru", "en" or "kk+ru" (bilingual).
    participation: "judged" (certificates for entries with a submitted review) or "accepted"
    (also for accepted entries that were never judged); certificates need a participation tier.
    thank_jurors / thank_teachers: issue letters of thanks. place, chair, secretary: per
    language, printed on the protocol."""

    language: str = "own"
    participation: str = "judged"
    thank_jurors: bool = False
    thank_teachers: bool = False
    place: dict[str, str] | None = None
    chair: dict[str, str] | None = None
    secretary: dict[str, str] | None = None

    @classmethod
    def of(cls, contest: Contest) -> DocumentSettings:
        data: dict[str, Any] = dict(contest.documents or {})
        language = data.get("language") if data.get("language") in LANGUAGE_MODES else "own"
        scope = data.get("participation") if data.get("participation") in SCOPES else "judged"
        return cls(
            language,
            scope,
            bool(data.get("thank_jurors")),
            bool(data.get("thank_teachers")),
            dict(data.get("place") or {}),
            dict(data.get("chair") or {}),
            dict(data.get("secretary") or {}),
        )

    def language_for(self, person_language: str) -> str:
        """The language code a person's document is printed in."""
        if self.language == "own":
            return person_language if person_language in ("kk", "ru", "en") else "kk"
        return self.language

    def protocol_languages(self, contest: Contest) -> list[str]:
        if self.language != "own":
            return [self.language]
        return [lang for lang in ("kk", "ru", "en") if lang in (contest.languages or ["kk", "ru"])] or ["kk"]


@dataclass(frozen=True)
class Recipient:
    """Who a document is for and what it says about them (language-independent facts)."""

    kind: str
    name: str
    tier: AwardTier | None = None
    category_id: int | None = None
    topic_id: int | None = None
    supervisor: str = ""
    student: str = ""  # a teacher's letter names the student
    essays: int = 0  # a juror's letter counts the essays read


def document_title(tier: AwardTier | None, kind: str, lang: str) -> str:
    """The big title: the tier's document title in `lang`, else the kind's default."""
    title = localized(tier.document_title, lang) if tier is not None else ""
    if title:
        return title
    with force_locale(lang):
        if kind == AWARD:
            return _("Diploma")
        if kind == PARTICIPATION:
            return _("Certificate")
        return _("Letter of thanks")


def content_for(
    contest: Contest, who: Recipient, language: str, *, code: str, date, logo: bytes | None
) -> DiplomaContent:
    """The printed content in `language` ("kk", "ru", "en" or "kk+ru")."""
    if "+" in language:
        first, second = language.split("+", 1)
        return replace(
            content_for(contest, who, first, code=code, date=date, logo=logo),
            second=content_for(contest, who, second, code=code, date=date, logo=None),
        )
    lang = language
    with force_locale(lang):
        tier_name = localized(who.tier.name, lang) if who.tier is not None else ""
        if who.kind == AWARD:
            subtitle, lead = tier_name or _("Award"), _("This diploma is awarded to")
        elif who.kind == PARTICIPATION:
            subtitle, lead = tier_name or _("Participant of the contest"), _("This certificate is awarded to")
        else:
            subtitle, lead = "", _("We thank")
        body = ""
        if who.kind == JUROR_THANKS:
            body = ngettext(
                "For the work on the contest's jury: %(num)s essay read and scored",
                "For the work on the contest's jury: %(num)s essays read and scored",
                who.essays,
            )
        elif who.kind == TEACHER_THANKS:
            body = _("For supervising %(student)s, author of an essay in the contest", student=who.student)
        labels = {
            "awarded_to": lead,
            "category": _("Category"),
            "topic": _("Topic"),
            "date": _("Date"),
            "code": _("Verification code"),
            "verify_at": _("Verify this document at"),
            "supervisor": _("Supervisor"),
        }
        return DiplomaContent(
            issuer=localized(contest.issuer, lang),
            contest_title=contest.title_in(lang),
            award_title=subtitle,
            heading=document_title(who.tier, who.kind, lang),
            category=next(
                (localized(c.name, lang) for c in contest.categories if c.id == who.category_id), ""
            ),
            topic=next((localized(t.title, lang) for t in contest.topics if t.id == who.topic_id), ""),
            holder_name=who.name,
            date_text=format_date(date, "long") if date else "",
            signatories=tuple((s.name_in(lang), localized(s.title, lang)) for s in contest.signatories[:3]),
            verification_code=code,
            verification_url=external_url("awards.verify_code", code=code),
            labels=labels,
            logo=logo,
            supervisor=who.supervisor if who.kind in (AWARD, PARTICIPATION) else "",
            body=body,
        )


def kind_name(kind: str) -> str:
    return str(KIND_NAMES.get(kind, kind))
