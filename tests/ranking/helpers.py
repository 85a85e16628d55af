"""Shared by the tests of large contests: count the rankings actually computed."""
from contest.ranking import queries as ranking_queries


def count_rankings(monkeypatch) -> list[int]:
    """Wrap the real compute_contest_ranking: the returned list gets a contest id per ranking
    computed (in a request or in a job run in-process)."""
    real, calls = ranking_queries.compute_contest_ranking, []

    def counted(*args, **kwargs):
        calls.append(args[0].id)
        return real(*args, **kwargs)

    monkeypatch.setattr(ranking_queries, "compute_contest_ranking", counted)
    return calls
