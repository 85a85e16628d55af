"""A large contest's ranking is computed by a worker job and stored (issue 24): a review
change queues the job, the organizer's page shows the stored ranking, an out-of-date one with
an "updating" note, none with "being computed", and never ranks a large contest itself. A
small contest (RANKING_INLINE_MAX_ENTRIES or fewer entries) is ranked inline as before."""
import pytest
from sqlalchemy import select

from contest.enums import Role
from contest.extensions import db
from contest.jobs.models import Job, JobStatus
from contest.judging.services import ReviewInput, reopen_review, submit_review
from contest.ranking import queries, store
from contest.ranking.cache import RANKINGS
from tests.conftest import wait_for, writes_beside_a_worker
from tests.factories import make_assignment, make_contest, make_entry, make_juror, make_review, make_user
from tests.ranking.test_views import rows_of

LARGE = 2  # RANKING_INLINE_MAX_ENTRIES in the tests that say so: three entries are "large"
COMPUTING = "being computed."  # "The ranking is …", "The statistics are …"
UPDATING = "Updating…"


@pytest.fixture
def large(app):
    app.config["RANKING_INLINE_MAX_ENTRIES"] = LARGE


def three_entries():
    contest = make_contest(criteria=((0, 100, 1, 1),), ranking_method="mean")
    juror = make_juror(contest=contest, full_name="Juror One")
    entries = [make_entry(contest) for _ in range(3)]
    reviews = [make_review(contest, entry, juror, [score]) for entry, score in zip(entries, (70, 60, 50))]
    return contest, entries, juror, reviews


def refresh_jobs(contest) -> list[Job]:
    db.session.rollback()
    keys = (Job.dedupe_key.like(f"ranking:{contest.id}:%"), Job.dedupe_key == f"statistics:{contest.id}")
    return list(db.session.scalars(select(Job).where(keys[0] | keys[1]).order_by(Job.dedupe_key)))


def page(client, contest) -> str:
    response = client.get(f"/contests/{contest.id}/ranking")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def current_key(contest):
    db.session.rollback()
    return queries.ranking_key(contest, "mean", "jurors", 1)


def submit(contest, entry, juror, score):
    assignment = make_assignment(entry, juror)
    criterion = contest.criteria[0]
    submit_review(assignment=assignment, contest=contest, actor=juror, criteria=[criterion],
                  data=ReviewInput(base_version=assignment.version, scores={criterion.id: score},
                                   criterion_comments={}))
    db.session.commit()


def test_a_small_contest_is_ranked_inline_and_queues_no_job(client, auth):
    contest, entries, juror, _reviews = three_entries()
    auth.login(make_user(Role.ORGANIZER))
    html = page(client, contest)
    assert [r[1] for r in rows_of(html, "ranking")] == [e.code for e in entries]
    assert COMPUTING not in html and UPDATING not in html
    submit(contest, make_entry(contest), make_juror(contest=contest), 40)
    assert refresh_jobs(contest) == []


def test_a_large_contests_page_never_ranks_it_shows_the_stored_ranking(client, auth, large):
    contest, entries, juror, reviews = three_entries()
    auth.login(make_user(Role.ORGANIZER))
    html = page(client, contest)
    # Nothing stored yet: the page says so, ranks nothing itself, and has queued the job.
    assert COMPUTING in html and rows_of(html, "ranking") == []
    assert RANKINGS.get(current_key(contest)) is None
    [job] = refresh_jobs(contest)
    assert (job.status, job.kwargs) == (JobStatus.QUEUED, {"contest_id": contest.id, "method": "mean",
                                                           "bridging": "jurors"})
    export = client.get(f"/contests/{contest.id}/ranking/export/ranking.csv")
    assert export.status_code == 302  # the export waits for the stored ranking too
    assert len(refresh_jobs(contest)) == 1  # one job per contest and method, however often asked

    store.refresh_ranking(contest.id, "mean", "jurors")  # what the worker runs
    html = page(client, contest)
    assert [r[1] for r in rows_of(html, "ranking")] == [e.code for e in entries]
    assert COMPUTING not in html and UPDATING not in html
    db.session.get(Job, job.id).status = JobStatus.DONE  # as the worker would record it
    db.session.commit()
    assert len(refresh_jobs(contest)) == 1

    # The statistics page likewise: being computed, then the stored numbers.
    stats = client.get(f"/contests/{contest.id}/ranking/statistics").get_data(as_text=True)
    assert "The statistics are being computed." in stats and "Inter-rater reliability" not in stats
    assert [j.dedupe_key for j in refresh_jobs(contest)] == [job.dedupe_key, f"statistics:{contest.id}"]
    store.refresh_statistics(contest.id)
    stats = client.get(f"/contests/{contest.id}/ranking/statistics").get_data(as_text=True)
    assert "Inter-rater reliability" in stats and "being computed" not in stats
    for done in refresh_jobs(contest):
        done.status = JobStatus.DONE
    db.session.commit()

    # A review is reopened: the job is queued again; meanwhile the old ranking is shown, marked.
    reopen_review(assignment=reviews[0], actor=make_user(Role.ORGANIZER), reason="typo")
    db.session.commit()
    assert [j.status for j in refresh_jobs(contest)] == [JobStatus.QUEUED, JobStatus.QUEUED]
    stats = client.get(f"/contests/{contest.id}/ranking/statistics").get_data(as_text=True)
    assert UPDATING in stats and "Inter-rater reliability" in stats
    html = page(client, contest)
    assert UPDATING in html
    assert [r[1] for r in rows_of(html, "ranking")] == [e.code for e in entries]  # the stored one
    assert RANKINGS.get(current_key(contest)) is None  # still not computed by the request


@pytest.mark.worker
@pytest.mark.postgres
def test_a_real_worker_refreshes_the_stored_ranking_when_a_review_changes(client, auth, large, start_worker):
    contest, entries, juror, _reviews = three_entries()
    auth.login(make_user(Role.ORGANIZER))
    start_worker()
    with writes_beside_a_worker():
        late = make_entry(contest)
        submit(contest, late, make_juror(contest=contest), 90)  # queues the job in its transaction
    assert [j.dedupe_key for j in refresh_jobs(contest)] == [f"ranking:{contest.id}:mean:jurors",
                                                             f"statistics:{contest.id}"]

    def fresh():
        html = page(client, contest)
        return html if COMPUTING not in html and UPDATING not in html else None

    html = wait_for(fresh, timeout=120)
    assert [r[1] for r in rows_of(html, "ranking")] == [late.code] + [e.code for e in entries]
    # Another review: the same job row runs again and the page follows. The statistics job
    # queued with the first review may still be writing.
    with writes_beside_a_worker():
        other = make_entry(contest)
        submit(contest, other, make_juror(contest=contest), 95)
    html = wait_for(lambda: other.code in page(client, contest) and fresh(), timeout=120)
    assert [r[1] for r in rows_of(html, "ranking")][:2] == [other.code, late.code]
    assert len(refresh_jobs(contest)) == 2  # the ranking's and the statistics' rows, run again

    def settled_statistics():
        html = client.get(f"/contests/{contest.id}/ranking/statistics").get_data(as_text=True)
        return html if UPDATING not in html and COMPUTING not in html else None

    assert "Inter-rater reliability" in wait_for(settled_statistics, timeout=120)
