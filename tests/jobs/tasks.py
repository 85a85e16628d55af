"""Tasks for the fault tests, run by real worker.py processes (importable by name)."""
from __future__ import annotations

import time
from pathlib import Path

from contest.jobs import task


@task
def nap(*, seconds: float, log: str) -> None:
    """Sleep, then note the run: a line per run in `log` (so a test counts the runs)."""
    time.sleep(seconds)
    with open(log, "a") as f:
        f.write("ran\n")


@task
def fail_once_on_signal(*, folder: str) -> None:
    """First run: say "started", wait for "go", then fail. Later runs succeed at once."""
    folder_path = Path(folder)
    runs = len(list(folder_path.glob("run-*")))
    (folder_path / f"run-{runs}").write_text("")
    if runs:
        return
    (folder_path / "started").write_text("")
    deadline = time.monotonic() + 60
    while not (folder_path / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    raise RuntimeError("the first run fails")
