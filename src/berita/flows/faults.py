"""Fault injection for the crash-safety tests: ``BERITA_CRASH_AT=<point>`` makes the process
kill itself with SIGKILL (as ``kill -9`` would) when it reaches that point, and
``BERITA_INTERRUPT_AT=<point>`` sends it SIGINT (as Ctrl-C would). Unset, they do nothing."""

from __future__ import annotations

import os
import signal

POINTS = ("staged-batch", "before-commit", "after-commit", "mid-publish", "before-runs-row")
_interrupted: set[str] = set()


def crash_point(name: str) -> None:
    assert name in POINTS, name
    if os.environ.get("BERITA_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get("BERITA_INTERRUPT_AT") == name and name not in _interrupted:
        _interrupted.add(name)  # once: the failure path passes the same points, and a second is "Ctrl-C twice"
        os.kill(os.getpid(), signal.SIGINT)
