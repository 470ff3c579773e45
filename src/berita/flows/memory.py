"""Handing freed memory back to the operating system between batches.

A run allocates and frees a batch's worth of objects again and again. Python returns what it frees
to the C allocator, and the allocators keep it: glibc's malloc keeps freed pages in its arenas
(Prefect's threads each get one), and Arrow's mimalloc pool keeps freed segments for reuse. Their
share of the resident set creeps up batch by batch with fragmentation, so a long run's peak
drifts above a short one's. Releasing that memory once a batch is done keeps the peak flat; it
costs a few milliseconds a batch.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _libc() -> Any | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None  # glibc has it; musl does not
    except OSError:
        return None


def release_free_memory() -> None:
    """Return the allocators' free pages to the OS (glibc's ``malloc_trim``, Arrow's pool)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
