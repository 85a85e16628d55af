"""The message job: thin wrapper that reloads by id (see services.run_delivery)."""
from __future__ import annotations

from contest.jobs import task


@task
def deliver_message(*, message_id: int) -> None:
    """Send a message to its audience in batches; safe to run again after a crash."""
    from contest.messages.services import run_delivery

    run_delivery(message_id)
