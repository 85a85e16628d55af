"""E-mails to students when the shortlist is confirmed, each in the student's language."""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from contest.accounts.models import User
from contest.coordinators.queries import mail_recipients
from contest.db import utcnow
from contest.extensions import db
from contest.mail.services import send_email
from contest.submissions.models import Entry


def notify_shortlist(*, contest, rows) -> int:
    """One e-mail per entry of the first round's ranking whose student has an address; the
    dedupe key makes a second confirmation send nothing twice. Returns the number queued."""
    people = {eid: (code, user) for eid, code, user in db.session.execute(
        select(Entry.id, Entry.code, User).join(User, User.id == Entry.student_id)
        .where(Entry.id.in_([r.entry_id for r in rows])))}
    sent, now = 0, utcnow()
    addresses = mail_recipients(student for _code, student in people.values())
    for row in rows:
        code, student = people[row.entry_id]
        to, lang = addresses[student.id]  # an unclaimed pupil's news goes to their coordinator
        if not to:
            continue
        lang = lang or "kk"
        with force_locale(lang):
            title = contest.title_in(lang)
            if row.selected:
                subject = _("Your essay is in the final round of \"%(title)s\"", title=title)
                body = _("Hello, %(name)s!\n\nYour essay %(code)s has been shortlisted: it goes on to the "
                         "final round of the contest \"%(title)s\", where the final jury reads it.",
                         name=student.full_name, code=code, title=title)
            else:
                subject = _("First-round results of \"%(title)s\"", title=title)
                body = _("Hello, %(name)s!\n\nThank you for taking part in \"%(title)s\". Your essay "
                         "%(code)s was not shortlisted for the final round.",
                         name=student.full_name, code=code, title=title)
            send_email(to=to, subject=subject, body=body, contest=contest, language=lang,
                       dedupe_key=f"shortlist:{row.round_id}:{row.entry_id}")
        row.notified_at = now
        sent += 1
    db.session.flush()
    return sent
