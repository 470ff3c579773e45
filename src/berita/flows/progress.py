"""A hook through which a flow reports progress to whoever started it (the CLI's progress bar)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# Called with (documents done so far, documents in all); None when nobody listens.
Listener = Callable[[int, int], None]
_listener: ContextVar[Listener | None] = ContextVar("berita_progress", default=None)


def report(done: int, total: int) -> None:
    listener = _listener.get()
    if listener is not None:
        listener(done, total)


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)
