"""The job that re-runs one entry's redaction (blind turned on, a term added, a restoration)."""
from __future__ import annotations

from contest.blind import services
from contest.jobs import task


@task
def redact_entry_job(*, entry_id: int, generation: int) -> None:
    """Idempotent: a run for an older generation, or a second run, changes nothing new."""
    services.redact_entry(entry_id=entry_id, generation=generation)
