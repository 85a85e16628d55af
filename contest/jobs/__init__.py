"""Background jobs: durable rows in the database, delivered to RQ after commit.

The `job` table is the source of truth: a job row is written in the same
transaction as the work that needs it, pushed to Redis only after the commit,
and re-pushed by the reconciler when Redis lost it or a worker died.
"""
from contest.jobs.services import enqueue_after_commit, task

__all__ = ["enqueue_after_commit", "task"]
