"""Previews before publishing: each kind of document drawn with the contest's real texts
(issuer, titles, tiers' document titles, signatories, settings) for a sample entry."""

from __future__ import annotations

from dataclasses import replace

from contest.awards import protocol, queries
from contest.awards.documents import (
    JUROR_THANKS,
    PROTOCOL,
    TEACHER_THANKS,
    DocumentSettings,
    Recipient,
    content_for,
)
from contest.awards.issuing import usable_logo
from contest.awards.models import Publication
from contest.awards.published import results_date
from contest.awards.tiers import AWARD, PARTICIPATION
from contest.contests.models import Contest
from contest.db import utcnow
from contest.diplomas import render_diploma
from contest.diplomas.preview import first_page_png
from contest.diplomas.protocol import render_protocol
from contest.diplomas.samples import HOLDER, JUROR, TEACHER

SAMPLE_CODE = "0000-0000-0000-0000"
PREVIEW_KINDS = (AWARD, PARTICIPATION, JUROR_THANKS, TEACHER_THANKS, PROTOCOL)


def preview_languages(contest: Contest) -> list[str]:
    """The languages documents will be printed in, as the settings say."""
    return DocumentSettings.of(contest).protocol_languages(contest)


def sample_recipient(contest: Contest, kind: str) -> Recipient:
    """A sample person for `kind`, in the contest's first category and topic, holding its
    first award tier (or participation tier)."""
    rules = ("count", "threshold") if kind == AWARD else ("participation",)
    tier = next((t for t in contest.award_tiers if t.rule in rules), None)
    category = contest.categories[0].id if contest.categories else None
    topic = contest.topics[0].id if contest.topics else None
    if kind == JUROR_THANKS:
        return Recipient(kind, JUROR, essays=12)
    if kind == TEACHER_THANKS:
        return Recipient(kind, TEACHER, student=HOLDER)
    return Recipient(kind, HOLDER, tier, category, topic, TEACHER)


def preview_pdf(contest: Contest, kind: str, language: str) -> bytes:
    """The PDF a kind of document would be printed as now, in `language`."""
    if kind == PROTOCOL:
        publication = queries.latest_publication(contest.id)
        if publication is None:  # not published yet: the live results, never stored
            rows, _stored = queries.live_results(contest)  # a sample: an out-of-date ranking will do
            publication = Publication(
                contest_id=contest.id,
                revision=1,
                ranking=rows,
                published_at=utcnow(),
                frozen=protocol.snapshot(contest, {r["entry_id"] for r in rows}),
            )
        content = protocol.protocol_content(contest, publication, language, code=SAMPLE_CODE)
        return render_protocol(replace(content, groups=content.groups[:3]))
    date = results_date(contest.id) or utcnow()
    content = content_for(
        contest,
        sample_recipient(contest, kind),
        language,
        code=SAMPLE_CODE,
        date=date,
        logo=usable_logo(contest),
    )
    return render_diploma(content)


def preview_png(contest: Contest, kind: str, language: str) -> bytes:
    return first_page_png(preview_pdf(contest, kind, language))
