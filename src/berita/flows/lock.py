"""One run at a time per warehouse: an advisory lock file with the holder's pid and start time.

The lock is a kernel ``flock`` on ``<warehouse>/.berita.lock``. The kernel releases it when the
holding process dies, even by ``kill -9``, so a stale lock cannot block the next run; the file's
contents (pid, host, start time) only serve the messages. (``flock`` is reliable on local file
systems; on NFS use one scheduler per warehouse.)

The thread that holds a warehouse's lock may take it again: ``berita run`` takes it before it
starts Prefect, so that a busy warehouse is reported at once, and the flow then takes it as
every other caller of the flow does.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

LOCK_NAME = ".berita.lock"

# The locks this process holds: (device, inode) of the lock file -> (fd, holding thread, note).
_held: dict[tuple[int, int], tuple[int, int, str | None]] = {}


class WarehouseLocked(RuntimeError):
    """Another berita run holds the warehouse."""


def _holder(fd: int) -> dict[str, object]:
    os.lseek(fd, 0, os.SEEK_SET)
    try:
        return dict(json.loads(os.read(fd, 4096) or b"{}"))
    except (ValueError, TypeError):
        return {}


def _alive(pid: object, host: object) -> bool:
    if not isinstance(pid, int) or host != socket.gethostname():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def warehouse_lock(warehouse: Path, wait_seconds: float = 0.0) -> Iterator[str | None]:
    """Hold the warehouse's lock; yields a note when a dead holder's stale lock was taken over.

    Raises WarehouseLocked when another live run holds it for longer than ``wait_seconds``.
    Taken again by the thread that holds it, it yields the first taking's note and releases nothing.
    """
    warehouse.mkdir(parents=True, exist_ok=True)
    fd = os.open(warehouse / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    stat = os.fstat(fd)
    key = (stat.st_dev, stat.st_ino)
    held = _held.get(key)
    if held is not None and held[1] == threading.get_ident():
        os.close(fd)
        yield held[2]
        return
    try:
        _acquire(fd, warehouse, wait_seconds)
        previous = _holder(fd)
        note = None
        if previous.get("pid") and not _alive(previous.get("pid"), previous.get("host")):
            note = f"took over a stale lock left by pid {previous.get('pid')} (started {previous.get('started_at')})"
        record = {"pid": os.getpid(), "host": socket.gethostname(), "started_at": datetime.now(UTC).isoformat()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(record).encode(), 0)
        _held[key] = (fd, threading.get_ident(), note)
        try:
            yield note
        finally:
            del _held[key]  # before the fd is closed: abandon_held_locks must never see a closed fd
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, warehouse: Path, wait_seconds: float) -> None:
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = _holder(fd)
                raise WarehouseLocked(
                    f"warehouse {warehouse} is in use by another berita run (pid {holder.get('pid', '?')} "
                    f"on {holder.get('host', '?')}, started {holder.get('started_at', '?')}); wait for it to "
                    "finish, or pass --wait SECONDS to queue behind it"
                ) from None
            time.sleep(0.2)


def abandon_held_locks() -> None:
    """Clear and release every lock this process holds, for a process about to ``os._exit``.

    The kernel would release them at exit anyway; clearing the holder record spares the next run
    a note about a stale lock.
    """
    for fd, _, _ in list(_held.values()):
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
