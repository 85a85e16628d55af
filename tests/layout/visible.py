"""What a person reads on a page: its text nodes, and the stored codes that must never be among them."""
from __future__ import annotations

from html.parser import HTMLParser

from contest.contests.models import ContestRole, Phase
from contest.extraction.sandbox import STATUSES
from contest.judging.models import ReviewStatus
from contest.submissions.models import EntryStatus

# Codes stored in the database. A text node that is exactly one of these is a code shown raw.
RAW_CODES = frozenset(
    {m.value for enum in (EntryStatus, ReviewStatus, Phase, ContestRole) for m in enum} | set(STATUSES)
) - {"ok"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.skip = 0
        self.nodes: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "option", "code"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "option", "code") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.nodes.append(data.strip())


def text_nodes(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.nodes


def raw_codes_in(html: str) -> list[str]:
    """Text nodes of the page that are a stored code (e.g. "needs_attention", "submitted")."""
    return [node for node in text_nodes(html) if node in RAW_CODES]
