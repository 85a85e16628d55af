"""The stored file survives a power loss: after os.replace the folder is fsynced, seen in
the system calls of a real process (strace). A full disk raises StorageError."""
import re
import subprocess
import sys
import textwrap

from tests.conftest import ROOT

SCRIPT = textwrap.dedent("""
    import sys
    from flask import Flask
    from contest.submissions import storage
    app = Flask("store")
    app.config["UPLOAD_FOLDER"] = sys.argv[1]
    with app.app_context():
        print(storage.store_bytes(b"an essay, exactly these bytes", "txt")[0])
""")


def test_store_bytes_fsyncs_the_folder_after_the_rename(tmp_path):
    folder, trace = tmp_path / "uploads", tmp_path / "trace.txt"
    folder.mkdir()
    result = subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=openat,rename,renameat,renameat2,fsync", "-o", str(trace),
         sys.executable, "-c", SCRIPT, str(folder)],
        cwd=ROOT, capture_output=True, text=True, check=True)
    name = result.stdout.strip()
    calls = trace.read_text().splitlines()
    renamed = next(i for i, line in enumerate(calls) if "rename" in line and name in line)
    opened = re.compile(rf'openat\(AT_FDCWD, "{re.escape(str(folder))}", [^)]*O_DIRECTORY[^)]*\) = (\d+)')
    folder_fds = {m.group(1) for line in calls[renamed:] if (m := opened.search(line))}
    synced = [fd for line in calls[renamed:] if (fd := _fsynced_fd(line)) in folder_fds]
    assert folder_fds and synced, "\n".join(calls[renamed:])
    assert (folder / name).read_bytes() == b"an essay, exactly these bytes"


def _fsynced_fd(line: str) -> str | None:
    match = re.search(r"fsync\((\d+)\)\s+= 0", line)
    return match.group(1) if match else None
