"""Pages: the organizer's awards page, public results (consent), downloads, ZIP, verification,
and that nothing of a result shows anywhere before publication."""
import io
import zipfile

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from contest.audit.models import AuditEvent
from contest.awards import services
from contest.awards.models import Award, Diploma, Publication
from contest.awards.tasks import issue_results
from contest.enums import Role
from contest.extensions import db
from contest.mail.models import OutgoingEmail
from tests.awards.conftest import KAZAKH_NAME
from tests.factories import make_user


def _publish_and_issue(judged):
    services.publish_results(contest=judged.contest, actor=judged.organizer)
    db.session.commit()
    issue_results(contest_id=judged.contest.id, revision=1)
    db.session.commit()
    return {d.entry_id: d for d in db.session.scalars(select(Diploma).where(Diploma.slot.like("entry:%")))}


def _page(client, url):
    response = client.get(url)
    return response.status_code, response.get_data(as_text=True)


# --- before publication -----------------------------------------------------------------------

@pytest.mark.parametrize("who", [None, Role.STUDENT, Role.JUROR])
def test_results_page_is_404_before_publication(judged, client, auth, who):
    if who is not None:
        auth.login(judged.students["a"] if who == Role.STUDENT else make_user(who))
    status, body = _page(client, f"/contests/{judged.contest.id}/results")
    assert status == 404 and KAZAKH_NAME not in body and "Ivan Petrov" not in body


def test_organizer_previews_results_before_publication(judged, client, auth):
    auth.login(judged.organizer)
    status, body = _page(client, f"/contests/{judged.contest.id}/results")
    assert status == 200 and "Preview for organizers" in body and "Ivan Petrov" in body
    assert db.session.scalars(select(Publication)).all() == []


def test_nothing_leaks_to_a_student_before_publication(judged, client, auth):
    diploma = Diploma(code="7KQ4-M2XD-9RTP-WC3A", contest_id=judged.contest.id,
                      slot=f"entry:{judged.entries['a'].id}",
                      entry_id=judged.entries["a"].id, stored_name="not-yet.pdf")
    db.session.add(diploma)
    db.session.commit()
    auth.login(judged.students["a"])
    status, body = _page(client, "/dashboard")
    assert status == 200 and "Your results" not in body
    assert "дәрежелі" not in body and "degree" not in body and "Feedback for a" not in body
    assert client.get(f"/diplomas/{diploma.id}/download").status_code == 404
    status, body = _page(client, "/verify/7KQ4-M2XD-9RTP-WC3A")
    with force_locale(judged.students["a"].language):  # the page follows the signed-in user's language
        unknown = gettext("No diploma has this code")
    assert status == 404 and unknown in body and KAZAKH_NAME not in body
    assert db.session.scalars(select(OutgoingEmail)).all() == []


# --- the organizer's awards page ----------------------------------------------------------------

def test_awards_page_shows_proposal_beside_ranking(judged, client, auth):
    auth.login(judged.organizer)
    status, body = _page(client, f"/contests/{judged.contest.id}/awards")
    assert status == 200
    for key in "abcde":
        assert judged.entries[key].code in body
    assert body.count("Second degree") >= 2  # proposed and decided for b, plus the override choices
    assert "Publish the results" in body


def test_override_view_without_reason_changes_nothing(judged, client, auth):
    auth.login(judged.organizer)
    response = client.post(f"/contests/{judged.contest.id}/awards/override",
                           data={"entry_id": judged.entries["d"].id, "choice": str(judged.tiers[2].id),
                                 "reason": ""})
    assert response.status_code == 302
    assert db.session.scalars(select(Award)).all() == []
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "award.override")).all() == []


def test_override_and_publish_through_the_pages(judged, client, auth):
    auth.login(judged.organizer)
    d = judged.entries["d"]
    client.post(f"/contests/{judged.contest.id}/awards/override",
                data={"entry_id": d.id, "choice": str(judged.tiers[2].id), "reason": "Jury decision"})
    client.post(f"/contests/{judged.contest.id}/awards/publish", data={})
    [pub] = db.session.scalars(select(Publication)).all()
    assert {r["entry_id"]: r["tier_id"] for r in pub.ranking}[d.id] == judged.tiers[2].id
    client.post(f"/contests/{judged.contest.id}/awards/publish", data={"reason": ""})  # refused: no reason
    client.post(f"/contests/{judged.contest.id}/awards/publish", data={"reason": "Corrected a typo"})
    revisions = db.session.scalars(select(Publication.revision).order_by(Publication.revision)).all()
    assert revisions == [1, 2]
    status, body = _page(client, f"/contests/{judged.contest.id}/awards")
    assert "Revision 2" in body and "Corrected a typo" in body and "Publish revision 3" in body


def test_student_cannot_reach_organizer_actions(judged, client, auth):
    auth.login(judged.students["a"])
    assert client.get(f"/contests/{judged.contest.id}/awards").status_code == 403
    assert client.post(f"/contests/{judged.contest.id}/awards/publish", data={}).status_code == 403
    assert db.session.scalars(select(Publication)).all() == []


# --- public results -----------------------------------------------------------------------------

def test_public_results_show_names_only_with_consent(judged, client):
    _publish_and_issue(judged)
    status, body = _page(client, f"/contests/{judged.contest.id}/results")
    assert status == 200
    assert "Ivan Petrov" in body and "Lyceum 7" in body                 # consented
    assert KAZAKH_NAME not in body and "Назарбаев" not in body           # did not consent
    assert "Ә. Қ. Н." in body and "Алматы облысы" in body                # initials and region instead
    assert "Dana Lowscore" not in body and "D. L." not in body           # no award, not listed
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert" not in body
    assert "&lt;i&gt;School&lt;/i&gt;" in body
    for secret in ("100.0", "86.67", "Feedback for", str(judged.entries["a"].code)):
        assert secret not in body


@pytest.mark.postgres
def test_public_results_read_in_two_statements_with_a_revision_published(judged, client):
    """The page is public and hot: its contest with the publication the public may see is one
    statement, the winners with the category and topic names another. With two revisions
    the contest's row is joined to the newest alone."""
    import sqlalchemy as sa

    from contest.awards import published

    _publish_and_issue(judged)
    judged.students["b"].publish_name_consent = True
    db.session.commit()
    services.publish_results(contest=judged.contest, actor=judged.organizer, reason="Corrected")
    db.session.commit()
    url = f"/contests/{judged.contest.id}/results"
    assert _page(client, url)[0] == 200  # the first view reads the publication's rows, kept after
    sent = []

    def capture(_conn, _cursor, statement, *_args):
        sent.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", capture)
    try:
        status, body = _page(client, url)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", capture)
    selects = [statement for statement in sent if statement.lstrip().startswith("SELECT")]
    assert status == 200 and len(selects) == 2, selects
    from contest.awards.queries import results_head

    contest, publication = results_head(judged.contest.id)
    assert (contest.id, publication.revision, publication.reason) == (judged.contest.id, 2, "Corrected")
    assert judged.students["b"].full_name in body  # a winner who consents: read when shown
    assert published.winners(judged.contest, []) == []  # no award holders: nothing to read


@pytest.mark.parametrize("language, name", [("kk", "Ақтөбе облысы"), ("ru", "Актюбинская область")])
def test_public_results_name_a_winners_region_in_the_page_language(judged, client, language, name):
    """A region chosen from the list is stored as its code; the public page shows its name."""
    judged.students["a"].region = "aktobe"  # a winner who did not consent: initials and region
    db.session.commit()
    _publish_and_issue(judged)
    response = client.get(f"/contests/{judged.contest.id}/results", headers={"Accept-Language": language})
    body = response.get_data(as_text=True)
    assert "Ә. Қ. Н." in body and name in body
    assert "aktobe" not in body


def test_published_results_do_not_follow_later_review_changes(judged, client):
    _publish_and_issue(judged)
    judged.reviews["d"].scores = dict(judged.reviews["a"].scores)
    judged.reviews["a"].scores = {str(c.id): c.min_score for c in judged.contest.criteria}
    judged.students["d"].publish_name_consent = True
    db.session.commit()
    status, body = _page(client, f"/contests/{judged.contest.id}/results")
    assert "Dana Lowscore" not in body and "Ә. Қ. Н." in body


# --- dashboard and downloads --------------------------------------------------------------------

def test_dashboard_shows_result_feedback_and_diploma(judged, client, auth):
    diplomas = _publish_and_issue(judged)
    auth.login(judged.students["b"])
    status, body = _page(client, "/dashboard")
    assert "Диплом II степени" in body and "Feedback for b: well argued." in body
    assert "Feedback for a" not in body
    assert f"/diplomas/{diplomas[judged.entries['b'].id].id}/download" in body
    assert f"/diplomas/{diplomas[judged.entries['a'].id].id}/download" not in body


def test_dashboard_hides_feedback_when_contest_keeps_it(judged, client, auth):
    judged.contest.share_feedback = False
    _publish_and_issue(judged)
    auth.login(judged.students["b"])
    status, body = _page(client, "/dashboard")
    assert "Диплом II степени" in body and "Feedback for b" not in body


def test_student_downloads_own_diploma_only(judged, client, auth):
    diplomas = _publish_and_issue(judged)
    own, other = diplomas[judged.entries["b"].id], diplomas[judged.entries["a"].id]
    auth.login(judged.students["b"])
    response = client.get(f"/diplomas/{own.id}/download")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    expected = f"attachment; filename={judged.entries['b'].code}-diploma.pdf"
    assert response.headers["Content-Disposition"] == expected
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "application/pdf"
    assert client.get(f"/diplomas/{other.id}/download").status_code == 404
    assert client.get("/diplomas/987654/download").status_code == 404
    own.revoked_at = own.issued_at
    db.session.commit()
    assert client.get(f"/diplomas/{own.id}/download").status_code == 404


def test_zip_holds_every_diploma_under_generated_names(judged, client, auth):
    diplomas = _publish_and_issue(judged)
    auth.login(judged.organizer)
    response = client.get(f"/contests/{judged.contest.id}/diplomas.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        names = sorted(archive.namelist())
        assert all(archive.read(name).startswith(b"%PDF") for name in names)
    assert names == sorted(f"{judged.entries[k].code}-diploma.pdf" for k in "abce")
    assert not any(".." in n or "/" in n or "<" in n for n in names)
    status, body = _page(client, f"/contests/{judged.contest.id}/diplomas")
    assert status == 200 and all(d.code in body for d in diplomas.values()) and len(diplomas) == 4
    assert "&lt;script&gt;" in body and "<script>alert" not in body


# --- verification -------------------------------------------------------------------------------

def test_verify_genuine_then_revoked_and_leaks_nothing_else(judged, client, auth):
    diploma = _publish_and_issue(judged)[judged.entries["a"].id]
    status, body = _page(client, f"/verify/{diploma.code}")
    assert status == 200 and "This diploma is genuine" in body
    assert KAZAKH_NAME in body and "Zero tolerance" in body and "First degree" in body
    for secret in ("Ivan Petrov", "100.0", str(judged.entries["a"].code), "Feedback", "/diplomas/"):
        assert secret not in body
    auth.login(judged.organizer)
    client.post(f"/diplomas/{diploma.id}/revoke", data={"reason": ""})
    assert db.session.get(Diploma, diploma.id).revoked_at is None
    client.post(f"/diplomas/{diploma.id}/revoke", data={"reason": "Issued in error"})
    auth.logout()
    status, body = _page(client, f"/verify/{diploma.code}")
    assert status == 200 and "This diploma was revoked" in body and KAZAKH_NAME in body
    assert "Issued in error" not in body
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "diploma.revoke")).all()
    assert (event.reason, event.actor_id) == ("Issued in error", judged.organizer.id)


def test_verify_unknown_and_typed_codes(judged, client):
    diploma = _publish_and_issue(judged)[judged.entries["b"].id]
    assert _page(client, "/verify/0000-0000-0000-0000")[0] == 404
    assert _page(client, "/verify/<script>")[0] == 404
    sloppy = diploma.code.lower().replace("-", " ")
    response = client.get("/verify", query_string={"code": sloppy})
    assert response.status_code == 302 and response.headers["Location"] == f"/verify/{diploma.code}"
    response = client.get(f"/verify/{diploma.code.lower()}")
    assert response.status_code == 302 and response.headers["Location"] == f"/verify/{diploma.code}"
    status, body = _page(client, "/verify?code=not-a-code")
    assert status == 200 and "This is not a verification code" in body
