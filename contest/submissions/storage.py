"""Uploaded files on disk: exact bytes under a content-addressed name `<sha256>.<ext>`.

A file is written to a temporary name in the same folder, flushed to disk, then renamed
into place (atomic on POSIX), and the folder itself is flushed so the rename survives a
power loss: a reader never sees half a file, a crash leaves at most a stray temporary
file, and a receipt committed after store_bytes returned always has its file. The same
bytes uploaded twice are stored once. Any failure to store (a full disk, a read-only or
broken volume) is raised as StorageError: nothing was stored.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from flask import current_app

EXTENSIONS = ("pdf", "docx", "txt", "jpg", "png", "heic", "zip")  # zip: our bundle of page photos
_STORED_NAME = re.compile(r"^[0-9a-f]{64}\.(pdf|docx|txt|jpg|png|heic|zip)$")


class StorageError(OSError):
    """The file could not be stored (see __cause__); nothing was kept."""


def upload_folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def store_bytes(data: bytes, ext: str) -> tuple[str, str]:
    """Write `data` as <sha256>.<ext>; returns (stored_name, sha256). Idempotent."""
    if ext not in EXTENSIONS:
        raise ValueError(f"unknown extension {ext!r}")
    digest = hashlib.sha256(data).hexdigest()
    name = f"{digest}.{ext}"
    folder = upload_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        if target.exists() and target.stat().st_size == len(data):
            return name, digest
        _write_durably(folder, target, data)
    except OSError as exc:
        raise StorageError(exc.errno, f"could not store {name}: {exc.strerror or exc}") from exc
    return name, digest


def _write_durably(folder: Path, target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o640)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Flush the folder's entry for the renamed file (without it, a power loss right after
    the commit could leave the receipt without its file)."""
    dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def path_of(stored_name: str) -> Path:
    """The path of a stored file; refuses anything that is not a generated name."""
    if not _STORED_NAME.match(stored_name or ""):
        raise ValueError("not a stored file name")
    return upload_folder() / stored_name


def read_bytes(stored_name: str) -> bytes:
    return path_of(stored_name).read_bytes()
