"""Background work after results are published: diplomas, then the participants' e-mails."""
from __future__ import annotations

from contest.awards import delivery, issuing, queries
from contest.contests.models import Contest
from contest.extensions import db
from contest.jobs import task


@task
def issue_results(*, contest_id: int, revision: int) -> None:
    """Issue the documents of a publication (diplomas, certificates, letters, the protocol)
    and tell the participants and the thanked jurors. Idempotent: a diploma
    keeps its row, code and file name on every run, and each e-mail has a dedupe key. A job
    for a revision that has since been superseded does nothing (the newer job does it all)."""
    contest = db.session.get(Contest, contest_id)
    publication = queries.visible_publication(contest) if contest else None
    if publication is None or publication.revision != revision:
        return
    drawings = issuing.prepare_diplomas(contest, publication)
    db.session.commit()  # rows and codes are safe; drawing holds no database lock
    issuing.draw_diplomas(drawings)
    replaced = issuing.mark_drawn(drawings)
    delivery.notify_participants(contest, publication)
    delivery.notify_jurors(contest)
    db.session.commit()
    issuing.remove_files(replaced)  # only once no row points at them
