"""The Kazakh and Russian catalogues are complete, real translations: every message has a
translation that keeps its placeholders, and the translated text is not the English copy."""
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

CATALOGS = Path(__file__).resolve().parent.parent / "contest" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)s|%s|%d|\{\w*\}")
# Strings that are the same in every language (names of languages, formats, codes).
SAME_EVERYWHERE = {"Қазақша", "Русский", "English", "PDF", "DOCX", "TXT", "ICC(2,1)", "ICC(2,k)", "CSV",
                   "XLSX", "SHA-256", "E-mail", "Email", "OK", "k", "ID", "URL", "QR"}


def _messages(lang):
    with (CATALOGS / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return [m for m in read_po(f) if m.id]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_catalogue_is_complete_and_real(lang):
    problems = []
    messages = _messages(lang)
    assert len(messages) > 100
    for m in messages:
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strs = m.string if isinstance(m.string, tuple) else (m.string,)
        for msgid, msgstr in zip(ids, strs):
            if not msgstr:
                problems.append(f"untranslated: {msgid!r}")
            elif sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr)):
                problems.append(f"placeholders differ: {msgid!r} -> {msgstr!r}")
            elif msgstr == msgid and msgid not in SAME_EVERYWHERE and re.search(r"[A-Za-z]{3}", msgid):
                problems.append(f"English copy: {msgid!r}")
        if "fuzzy" in m.flags:
            problems.append(f"fuzzy: {m.id!r}")
    assert problems == []


def test_kazakh_catalogue_uses_kazakh_letters():
    text = " ".join(m.string if isinstance(m.string, str) else " ".join(m.string) for m in _messages("kk"))
    assert len(set("әғқңөұүһі") & set(text)) >= 7


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_catalogue_is_well_formed(lang):
    """A union merge of two branches' appended entries must still parse (every msgid with its msgstr)."""
    with (CATALOGS / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        assert len(read_po(f, abort_invalid=True)) > 100


def test_every_message_the_code_uses_is_in_the_catalogues(tmp_path):
    """A string added to a template or module but not to the catalogues shows in English to a
    Kazakh or Russian reader; parallel branches make that easy to miss."""
    import subprocess
    import sys

    root = CATALOGS.parent.parent
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."], cwd=root, check=True,
                   capture_output=True)
    with pot.open("rb") as f:
        used = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    assert len(used) > 100
    for lang in ("kk", "ru", "en"):
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in _messages(lang)}
        assert sorted(used - known) == [], lang


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_catalogue_has_each_message_once(lang):
    """Parallel branches append to the catalogues and git merges them line by line: a message
    written twice (babel keeps the last, msgfmt refuses the file) or an entry that lost its
    msgstr line must not slip through."""
    text = (CATALOGS / lang / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    live = text.split("\n#~ ", 1)[0]  # obsolete entries, if any, come last
    entries = re.findall(r"^msgid ", live, flags=re.MULTILINE)
    translations = re.findall(r"^msgstr(?:\[\d+\])? ", live, flags=re.MULTILINE)
    plural_forms = len(re.findall(r"^msgid_plural ", live, flags=re.MULTILINE))
    with (CATALOGS / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    assert len(entries) == len(list(catalog)), "a message is defined twice"
    extra_plural_strings = plural_forms * (catalog.num_plurals - 1)
    assert len(translations) - extra_plural_strings == len(entries), "an entry lacks msgstr"


def test_the_pages_locale_follows_flask_babel_and_force_locale(app):
    """contest.i18n.page_locale reads the locale flask_babel chose; it must never differ from
    flask_babel.get_locale(), inside force_locale (e-mails in the recipient's language) too."""
    from flask_babel import force_locale, get_locale

    from contest.i18n import current_translations, page_locale

    with app.test_request_context("/", headers={"Accept-Language": "ru"}):
        assert str(page_locale()) == str(get_locale()) == "ru"
        assert current_translations().ugettext("Essay contest") == "Конкурс эссе"
        with force_locale("kk"):
            assert str(page_locale()) == str(get_locale()) == "kk"
            assert current_translations().ugettext("Essay contest") != "Конкурс эссе"
        assert str(page_locale()) == "ru"
    with app.app_context():  # a job: the default locale
        assert str(page_locale()) == str(get_locale()) == app.config["BABEL_DEFAULT_LOCALE"]
