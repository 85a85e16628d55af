"""Building the bytes of one e-mail (pure: no Flask, no database).

Why not `email.message.EmailMessage` with the default policy: when its folder breaks a long
non-ASCII Subject between two words, the space becomes the folding whitespace between two
encoded words, and RFC 2047 tells every reader to drop whitespace between encoded words
("ваше эссе" arrives as "вашеэссе"). `email.header.Header` splits the text inside encoded
words instead, so every space travels inside one of them and decodes back exactly.
"""
from __future__ import annotations

from datetime import datetime
from email.charset import QP, Charset
from email.header import Header
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid, parseaddr

_UTF8_QP = Charset("utf-8")
_UTF8_QP.body_encoding = QP


def _no_breaks(value: str) -> str:
    if "\r" in value or "\n" in value:
        raise ValueError("e-mail header values must not contain line breaks")
    return value


def sender_address(default_sender: str, display_name: str) -> str:
    """`MAIL_DEFAULT_SENDER` (a bare address or "Name <address>") with `display_name` as the
    name shown to the reader; the configured name is kept when no display name is given."""
    configured_name, address = parseaddr(default_sender)
    name = " ".join((display_name or configured_name or "").split())
    return formataddr((_no_breaks(name), address), charset="utf-8") if name else address


def build_message(*, sender: str, to: str, subject: str, body: str, when: datetime,
                  message_id: str | None = None, domain: str | None = None) -> bytes:
    """A text/plain UTF-8 message whose headers decode to exactly what was given."""
    msg = MIMEText(body, "plain", _UTF8_QP)
    msg["From"] = _no_breaks(sender)
    msg["To"] = _no_breaks(to)
    subject = " ".join(_no_breaks(subject).split())
    msg["Subject"] = Header(subject, "us-ascii" if subject.isascii() else "utf-8")
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = message_id or make_msgid(domain=domain)
    return msg.as_bytes()
