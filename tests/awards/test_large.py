"""A large contest's awards (issue 24): the awards page, an override and publishing read the
ranking a worker job stored, never rank the contest in the request; while it is being
computed or updated the page says so and nothing can be decided or published on it."""
import pytest
from sqlalchemy import select

from contest.awards import queries
from contest.awards.models import Award, Publication
from contest.contests.models import Phase
from contest.extensions import db
from contest.jobs.models import Job, JobStatus
from contest.judging.services import reopen_review
from contest.ranking import queries as ranking_queries
from contest.ranking import store
from tests.ranking.helpers import count_rankings

COMPUTING = "The ranking is being computed."
UPDATING = "Updating…"
REFUSED = "The ranking is being updated after the latest changes."


@pytest.fixture
def large(app):
    app.config["RANKING_INLINE_MAX_ENTRIES"] = 2  # the five judged entries are "large"


@pytest.fixture
def rankings(monkeypatch):
    """Counts every ranking computed (the worker's job run in-process included)."""
    return count_rankings(monkeypatch)


def _awards(client, contest) -> str:
    response = client.get(f"/contests/{contest.id}/awards")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _post(client, contest, action, data) -> str:
    return client.post(f"/contests/{contest.id}/awards/{action}", data=data,
                       follow_redirects=True).get_data(as_text=True)


def _run_refresh(contest) -> None:
    """What the worker runs, and records."""
    store.refresh_ranking(contest.id, "mean", "jurors")
    job = db.session.scalar(select(Job).where(Job.dedupe_key == f"ranking:{contest.id}:mean:jurors"))
    job.status = JobStatus.DONE
    db.session.commit()


def _job_status(contest):
    db.session.rollback()
    return db.session.scalar(select(Job.status).where(Job.dedupe_key == f"ranking:{contest.id}:mean:jurors"))


def _inline_rows(contest):
    """The results as a small contest's request would compute them."""
    db.session.rollback()
    return queries.build_results(contest, ranking_queries.compute_contest_ranking(contest))


def test_a_large_contests_awards_wait_for_the_stored_ranking_never_ranked_in_the_request(
        judged, client, auth, large, rankings):
    contest, codes = judged.contest, [e.code for e in judged.entries.values()]
    auth.login(judged.organizer)
    html = _awards(client, contest)
    assert COMPUTING in html and not any(code in html for code in codes)
    assert "nothing to rank" not in html
    assert _job_status(contest) == JobStatus.QUEUED
    second = str(judged.tiers[1].id)
    refused = _post(client, contest, "override",
                    {"entry_id": judged.entries["c"].id, "choice": second, "reason": "Strong argument"})
    assert REFUSED in refused
    assert REFUSED in _post(client, contest, "publish", {"reason": ""})
    assert db.session.scalars(select(Publication)).all() == []
    assert db.session.scalars(select(Award)).all() == []
    preview = client.get(f"/contests/{contest.id}/results").get_data(as_text=True)  # the organizer's preview
    assert REFUSED in preview and judged.students["b"].full_name not in preview
    assert rankings == []

    _run_refresh(contest)
    del rankings[:]
    html = _awards(client, contest)
    assert COMPUTING not in html and UPDATING not in html and all(code in html for code in codes)
    assert "The award is changed." in _post(client, contest, "override", {
        "entry_id": judged.entries["c"].id, "choice": second, "reason": "Strong argument"})
    assert "The results are published." in _post(client, contest, "publish", {"reason": ""})
    assert rankings == []
    [publication] = db.session.scalars(select(Publication)).all()
    assert publication.ranking == _inline_rows(contest)
    tiers = {row["code"]: row["tier_id"] for row in publication.ranking}
    assert tiers[judged.entries["c"].code] == int(second)
    assert db.session.get(type(contest), contest.id).phase == Phase.PUBLISHED


def test_a_stale_ranking_is_shown_as_updating_and_never_published(judged, client, auth, large, rankings):
    contest, a = judged.contest, judged.entries["a"]
    auth.login(judged.organizer)
    _awards(client, contest)
    _run_refresh(contest)
    reopen_review(assignment=judged.reviews["a"], actor=judged.organizer, reason="typo")
    db.session.commit()  # a's review is back in draft: the stored ranking is out of date
    assert _job_status(contest) == JobStatus.QUEUED  # queued by the review's change
    del rankings[:]
    html = _awards(client, contest)
    assert UPDATING in html and a.code in html  # the older ranking, marked
    assert REFUSED in _post(client, contest, "publish", {"reason": "Late review left out"})
    assert db.session.scalars(select(Publication)).all() == [] and rankings == []

    _run_refresh(contest)
    published = _post(client, contest, "publish", {"reason": "Late review left out"})
    assert "The results are published." in published
    [publication] = db.session.scalars(select(Publication)).all()
    assert a.code not in [row["code"] for row in publication.ranking]
    assert publication.ranking == _inline_rows(contest)


def _stored_then_a_setting_changed(judged, client, auth):
    """The ranking stored by a finished job, then a ranking setting changed: out of date,
    and no job queued for it."""
    contest = judged.contest
    auth.login(judged.organizer)
    _awards(client, contest)
    _run_refresh(contest)
    contest.disagreement_threshold = 0.5
    db.session.commit()
    assert _job_status(contest) == JobStatus.DONE
    return contest


def test_a_refused_publication_queues_the_refresh_it_waits_for(judged, client, auth, large, rankings):
    contest = _stored_then_a_setting_changed(judged, client, auth)
    assert REFUSED in _post(client, contest, "publish", {"reason": ""})
    assert _job_status(contest) == JobStatus.QUEUED
    assert db.session.scalars(select(Publication)).all() == []


def test_the_results_preview_queues_the_refresh_it_waits_for(judged, client, auth, large, rankings):
    contest = _stored_then_a_setting_changed(judged, client, auth)
    preview = client.get(f"/contests/{contest.id}/results")
    assert preview.status_code == 200 and "being updated" in preview.get_data(as_text=True)
    assert _job_status(contest) == JobStatus.QUEUED
    assert rankings == [contest.id]  # the job run above; never in a request


def test_a_small_contests_awards_are_ranked_in_the_request_as_before(judged, client, auth, rankings):
    auth.login(judged.organizer)
    html = _awards(client, judged.contest)
    assert all(e.code in html for e in judged.entries.values()) and COMPUTING not in html
    assert "The results are published." in _post(client, judged.contest, "publish", {"reason": ""})
    assert len(rankings) == 3  # the page, the publication, the page again: each from the database
    assert _job_status(judged.contest) is None
