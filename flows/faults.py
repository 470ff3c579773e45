"""Fault injection for the crash-safety tests: ``BERITA_CRASH_AT=<point>`` makes the process
kill itself with SIGKILL (as ``kill -9`` would) when it reaches that point. Unset, it does nothing."""

from __future__ import annotations

import os
import signal

POINTS = ("staged-batch", "before-commit", "after-commit", "mid-publish", "before-runs-row")


def crash_point(name: str) -> None:
    assert name in POINTS, name
    if os.environ.get("BERITA_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
