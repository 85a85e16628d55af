"""Ranking: entry scores by method, juror severity, tie-breaks, reliability, charts."""
