"""Jobs for contests: the bulk juror import (thin wrapper, reloads by id)."""
from __future__ import annotations

from contest.jobs import task


@task
def run_juror_import(*, import_id: int) -> None:
    """Create, attach and invite the confirmed lines of an import; safe to run again."""
    from contest.contests.juror_import_services import run_import

    run_import(import_id)
