"""Ctrl-C for the CLI: the first one unwinds the run in order, a second one exits at once."""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import sys
from collections.abc import Callable
from types import FrameType

EXIT_INTERRUPTED = 130  # 128 + SIGINT: what a shell reports for a command that Ctrl-C stopped

_cleanups: list[Callable[[], None]] = []
_interrupts = 0
_reported = False


def install(*cleanups: Callable[[], None]) -> None:
    """Handle SIGINT from now on: the first raises KeyboardInterrupt, so that every ``with`` and
    ``finally`` on the way out runs (the flow discards its staged files, the server is stopped);
    the second runs ``cleanups`` (each quick and safe at any instant) and exits with 130 at once.
    Call it from the main thread."""
    global _interrupts, _reported
    _cleanups[:] = cleanups
    _interrupts, _reported = 0, False
    signal.signal(signal.SIGINT, _on_sigint)
    atexit.unregister(_exit_once_reported)
    atexit.register(_exit_once_reported)  # before Prefect registers its own: so it runs after them


def interrupted() -> bool:
    """Whether Ctrl-C has been pressed since :func:`install`."""
    return _interrupts > 0


def report(line: str) -> None:
    """Print the one line that says the command was interrupted (a later call prints nothing)."""
    global _reported
    if not _reported:
        _reported = True  # first: a second Ctrl-C while this prints must not print it again
        print(line, file=sys.stderr, flush=True)


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    global _interrupts
    _interrupts += 1
    if _interrupts == 1:
        raise KeyboardInterrupt
    for cleanup in _cleanups:
        with contextlib.suppress(Exception):  # exiting regardless: the kernel releases what is left
            cleanup()
    if sys.stderr.isatty():
        sys.stderr.write("\x1b[?25h")  # the progress bar hides the cursor and has no chance to show it again
    report("berita: interrupted again; stopped at once (the next run discards or completes this one)")
    sys.stderr.flush()
    os._exit(EXIT_INTERRUPTED)


def _exit_once_reported() -> None:
    """At exit after a reported interrupt, once Python's own exit work is done (threading's exit
    hooks, where Prefect drains its workers, run before atexit; later-registered atexit callbacks
    before this one), exit 130 without CPython's teardown. That teardown only frees memory (about
    2 s after a run), and CPython first restores SIGINT's default action, so a Ctrl-C during it
    would kill berita by signal instead of exiting 130."""
    if _reported:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)
