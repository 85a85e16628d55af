"""A large contest's shortlist (issue 24): proposed from the first round's ranking a worker
job stored, never ranked in the request, and refused while that ranking is being computed."""
import pytest
from sqlalchemy import select

from contest.extensions import db
from contest.jobs.models import Job, JobStatus
from contest.ranking import store
from contest.rounds.models import RoundState, ShortlistEntry
from contest.rounds.queries import get_round, shortlisted_entry_ids
from tests.ranking.helpers import count_rankings

REFUSED = "The ranking is being updated after the latest changes."


@pytest.fixture
def rankings(app, monkeypatch):
    """A large contest (the ten entries), and every ranking computed counted."""
    app.config["RANKING_INLINE_MAX_ENTRIES"] = 2
    return count_rankings(monkeypatch)


def _url(t, tail=""):
    return f"/rounds/contests/{t.contest.id}{tail}"


def test_a_large_contests_shortlist_waits_for_the_stored_ranking(two_rounds, client, auth, rankings):
    t = two_rounds
    auth.login(t.organizer)
    client.post(_url(t, "/rounds/1/close"), data={"reason": ""})
    refused = client.post(_url(t, "/shortlist"), data={"kind": "top_pct", "value": "25"},
                          follow_redirects=True)
    assert REFUSED in refused.get_data(as_text=True)
    assert db.session.scalars(select(ShortlistEntry)).all() == [] and rankings == []
    job = db.session.scalar(select(Job).where(Job.dedupe_key == f"ranking:{t.contest.id}:mean:jurors"))
    assert (job.status, job.kwargs["contest_id"]) == (JobStatus.QUEUED, t.contest.id)  # queued by the refusal

    store.refresh_ranking(t.contest.id, "mean", "jurors")  # what the worker runs
    del rankings[:]
    client.post(_url(t, "/shortlist"), data={"kind": "top_pct", "value": "25"})
    assert len(shortlisted_entry_ids(t.final.id)) == 3  # 2 of 8 in category 1, 1 of 2 in category 2
    done = client.post(_url(t, "/shortlist/confirm"), data={}, follow_redirects=True)
    assert "the final round has started" in done.get_data(as_text=True)
    assert get_round(t.contest.id, 2).state == RoundState.OPEN
    assert rankings == []
