"""Visible polish (issue 17): no stored codes on pages, no doubled quotes or periods, Kazakh
terms kept apart, and no empty values in the assignment shortfall message."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from babel.messages.pofile import read_po
from flask import render_template, render_template_string
from flask_babel import force_locale

from contest.enums import Role
from contest.extensions import db
from contest.i18n import tidy
from tests import factories
from tests.layout.visible import raw_codes_in

CATALOGUES = "contest/translations/{}/LC_MESSAGES/messages.po"


def _as(client, auth, user, lang: str):
    user.language = lang
    db.session.commit()
    auth.login(user)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_organizer_judging_pages_show_labels_not_codes(app, client, auth, lang):
    contest = factories.make_contest(phase="judging", k=2)
    entry = factories.make_entry(contest)
    jurors = [factories.make_juror(contest=contest) for _ in range(2)]
    factories.make_review(contest, entry, jurors[0], [6, 3])
    factories.make_assignment(entry, jurors[1], status="draft")
    _as(client, auth, factories.make_user(Role.ORGANIZER), lang)

    for path in ("/judging/contests", f"/judging/entries/{entry.id}"):
        html = client.get(path).get_data(as_text=True)
        assert raw_codes_in(html) == [], (lang, path)


def test_review_page_names_the_reader_outcome(app, client, auth):
    contest = factories.make_contest(phase="open")
    entry = factories.make_entry(contest, status="needs_attention")
    entry.current_version.extraction_status = "no_text"
    entry.current_version.flags = [{"code": "no_text", "level": "attention"}]
    db.session.commit()
    _as(client, auth, factories.make_user(Role.ORGANIZER), "ru")

    html = client.get(f"/organizer/entries/{entry.id}").get_data(as_text=True)

    assert raw_codes_in(html) == []
    assert "Нет текстового слоя" in html


@pytest.mark.parametrize(("text", "expected"), [
    ("««Заңға мойынсұнамын!»» байқауының", "«Заңға мойынсұнамын!» байқауының"),
    ("«\"Title\"» contest", "«Title» contest"),
    ("Опубликовано 29 ноября 2026 г..", "Опубликовано 29 ноября 2026 г."),
    ("Wait...", "Wait..."),
    ("A «plain» sentence.", "A «plain» sentence."),
])
def test_tidy_collapses_doubled_quotes_and_periods(text, expected):
    assert tidy(text) == expected


def test_russian_publication_date_ends_with_one_period(app):
    with app.test_request_context(), force_locale("ru"):
        html = render_template_string('{{ _("Published on %(date)s.", date=when|day) }}',
                                      when=datetime(2026, 11, 29, tzinfo=UTC))
    assert html == "Опубликовано 29 ноября 2026\u202fг."


def test_kazakh_results_email_quotes_the_title_once(app):
    contest = factories.make_contest(phase="published")
    entry = factories.make_entry(contest)
    with app.test_request_context(), force_locale("kk"):
        body = render_template("mail/results.txt", user=factories.make_user(), entry=entry, row=None,
                               contest_title="«Заңға мойынсұнамын!»", award="", feedback=[], revision=1,
                               document=None, document_url="", letter_url="", supervisor="",
                               dashboard_url="http://x/dashboard", results_url="http://x/results")
    assert "«Заңға мойынсұнамын!» байқауының" in body
    assert "««" not in body and "»»" not in body


def test_kazakh_review_draft_is_not_the_contest_draft_phase():
    entries = {m.id: m.string for m in read_po(open(CATALOGUES.format("kk"), "rb")) if m.id}
    phase_word = entries["Draft"].lower()
    for msgid in ("draft", "Draft saved", "Draft saved.", "Save draft"):
        assert phase_word not in entries[msgid].lower(), msgid
        assert "қаралама" in entries[msgid].lower(), msgid


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_shortfall_message_without_detected_language_has_no_empty_values(app, lang):
    from contest.judging.assign_services import ShortfallGroupView, shortfall_message

    group = ShortfallGroupView(language=None, category_id=None, cause="no_language_readers", entries=2,
                               missing=4, reasons={})
    with app.test_request_context(), force_locale(lang):
        text = shortfall_message(group, language=None, category=None, k=2)
    assert "()" not in text and ": ," not in text and "None" not in text, text
    assert ", ," not in text and "(," not in text, text


@pytest.mark.parametrize(("lang", "expected"), [
    ("kk", ("66,5", "1\u00a0234,25", "+0,0", "-1,5", "Ақтөбе", "—")),
    ("ru", ("66,5", "1\u00a0234,25", "+0,0", "-1,5", "Актобе", "—")),
    ("en", ("66.5", "1,234.25", "+0.0", "-1.5", "Aqtobe", "—")),
])
def test_numbers_and_zones_follow_the_page_language(app, lang, expected):
    from contest.i18n import decimal, signed, zone_city

    with app.test_request_context(), force_locale(lang):
        got = (decimal(66.5), decimal(1234.25, 2), signed(-0.04), signed(-1.5), zone_city("Asia/Aqtobe"),
               decimal(float("nan")))
    assert got == expected


def test_scores_and_zones_on_pages_use_the_decimal_comma_in_russian(app, client, auth):
    from contest.judging.models import ReviewStatus

    contest = factories.make_contest(phase="judging", k=1, timezone="Asia/Aqtobe",
                                     judging_ends_at=datetime(2026, 12, 10, 13, 0, tzinfo=UTC))
    entry = factories.make_entry(contest)
    juror = factories.make_juror(contest=contest)
    review = factories.make_review(contest, entry, juror, [6, 3], total=66.5)
    assert review.status == ReviewStatus.SUBMITTED
    _as(client, auth, factories.make_user(Role.ORGANIZER), "ru")

    entry_page = client.get(f"/judging/entries/{entry.id}").get_data(as_text=True)
    progress = client.get(f"/judging/contests/{contest.id}/progress").get_data(as_text=True)

    assert ">66,5<" in entry_page and "66.5" not in entry_page
    assert "(Актобе)" in progress and "Asia/Aqtobe" not in progress


@pytest.mark.parametrize(("lang", "expected"), [("kk", "0,5 · 10"), ("ru", "0,5 · 10"), ("en", "0.5 · 10")])
def test_rubric_steps_show_only_the_decimals_they_need(app, lang, expected):
    with app.test_request_context(), force_locale(lang):
        assert render_template_string("{{ 0.5|decimal(none) }} · {{ 10.0|decimal(none) }}") == expected


def test_chart_labels_use_the_decimal_comma_and_coordinates_keep_the_point():
    from contest.ranking.charts import severity_svg

    svg = severity_svg([("Бекзат", -1.5, 0.45), ("Ирина", 2.25, float("nan"))], "Қатаңдық", mark=",")

    assert "Бекзат: -1,5 ± 0,9" in svg and ">+2,4<" in svg and ">-2,4<" in svg
    assert 'cy="19.0"' in svg  # SVG numbers are not text for people
