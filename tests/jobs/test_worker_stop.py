"""A worker asked to stop (SIGTERM from systemd or a container, Ctrl+C) stops, busy or idle."""
import signal
import subprocess

import pytest

from tests.conftest import wait_for


@pytest.mark.worker
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_an_idle_worker_stops_on_the_signal_with_its_scheduler(app, start_worker, signum):
    worker = start_worker()
    log = worker.log_path
    wait_for(lambda: "Scheduler for" in log.read_text(), timeout=60)
    worker.send_signal(signum)
    # Before the fix an idle worker took the signal for a lost Redis and started over.
    try:
        code = worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the worker did not stop; its log ends: {log.read_text()[-800:]}")
    assert code == 0
    assert "reconnecting to Redis" not in log.read_text()
    assert "Scheduler with PID" in log.read_text() or "Scheduler stopping" in log.read_text()
