"""What a person reads on a page: its text nodes, and the stored codes that must never be among them."""
from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from contest.contests.models import ContestRole, Phase
from contest.extraction.sandbox import STATUSES
from contest.judging.models import ReviewStatus
from contest.submissions.models import EntryStatus

ROOT = Path(__file__).resolve().parents[2]

# Codes stored in the database. A text node that is exactly one of these is a code shown raw.
RAW_CODES = frozenset(
    {m.value for enum in (EntryStatus, ReviewStatus, Phase, ContestRole) for m in enum} | set(STATUSES)
) - {"ok"}


# Elements whose text is not the interface's: scripts, code, and the essays themselves.
_NOT_UI_TAGS = {"script", "style", "option", "code", "pre", "textarea"}
_NOT_UI_CLASSES = {"essay", "essay-text", "prose", "filename", "note", "feedback"}
_VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area", "base", "embed", "track"}


class _Text(HTMLParser):
    def __init__(self, lang: str | None = None):
        super().__init__()
        self.lang = lang
        self.stack: list[bool] = []  # per open element: does it start a non-interface subtree
        self.skip = 0
        self.nodes: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        declared = attrs.get("lang")
        other_language = tag != "html" and self.lang is not None and declared not in (None, self.lang)
        quiet = tag in _NOT_UI_TAGS or bool(classes & _NOT_UI_CLASSES) or other_language
        self.stack.append(quiet)
        self.skip += quiet

    def handle_endtag(self, tag):
        if tag in _VOID or not self.stack:
            return
        self.skip -= self.stack.pop()

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.nodes.append(data.strip())


def text_nodes(html: str, lang: str | None = None) -> list[str]:
    """Text nodes outside scripts, code and essays (and, given the page's language, outside
    elements marked as written in another language, such as the language switch)."""
    parser = _Text(lang)
    parser.feed(html)
    return parser.nodes


def raw_codes_in(html: str) -> list[str]:
    """Text nodes of the page that are a stored code (e.g. "needs_attention", "submitted")."""
    return [node for node in text_nodes(html) if node in RAW_CODES]


@cache
def _translated_msgids(lang: str) -> frozenset[str]:
    """English msgids (without placeholders) that the catalogue translates to something else."""
    from babel.messages.pofile import read_po

    with open(ROOT / f"contest/translations/{lang}/LC_MESSAGES/messages.po", "rb") as f:
        catalogue = read_po(f)
    return frozenset(m.id for m in catalogue if isinstance(m.id, str) and m.id and "%" not in m.id
                     and m.string and m.string != m.id and len(m.id) > 3)


# Each language offered by its own name (Қазақша, Русский, English), on purpose.
NATIVE_NAMES = frozenset({"Қазақша", "Русский", "English"})
_LATIN_WORD = re.compile(r"\b[A-Za-z]{2,}\b")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def untranslated_in(html: str, lang: str) -> list[str]:
    """Text nodes of a kk or ru page that are English: an msgid the catalogue translates, or a
    run of three or more English words with no Cyrillic letter."""
    msgids = _translated_msgids(lang) - NATIVE_NAMES
    found = []
    for node in text_nodes(html, lang):
        if node in msgids or (len(_LATIN_WORD.findall(node)) >= 3 and not _CYRILLIC.search(node)):
            found.append(node)
    return found
