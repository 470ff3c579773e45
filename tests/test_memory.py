"""A run's memory does not grow with its number of inputs.

Peak RSS is too coarse to test here (imports alone weigh 0.5 GB, and the growth this guards
against was about 1.5 KB an input), so the test counts the Python heap's allocated blocks after
each batch of a run (after a full garbage collection): whatever the run keeps per input (a
string, a tuple, a dict entry) shows as blocks that grow batch by batch. The bookkeeping that must
not stay in memory (known inputs, ledger drafts, the duplicate index, line counts) lives in the
run's SQLite state file, whose page cache is bounded and outside the Python heap.

Two things grow per *batch*, not per input, and are left alone: Prefect links each task's result
to its state for the rest of the flow run, and Great Expectations' YAML loader keeps a note of
every config file it reads. Two runs with the same number of batches of different sizes tell
them apart: what grows per input makes the bigger batches' slope steeper. Libraries' bounded
caches (trafilatura's LRU caches of text lines) are emptied before each count, or their filling
up would look like growth.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest
from berita.flows import progress
from trafilatura.meta import reset_caches

from berita.bench import write_corpus

pytestmark = pytest.mark.slow

BATCHES = 8
SMALL, LARGE = 40, 160
# Keeping an input's id and name in a set costs three blocks or more (two strings and a tuple);
# the flow before berita.flows.state kept about ten an input.
MAX_BLOCKS_PER_INPUT = 0.5


def _blocks_per_batch(folder: Path, batch_size: int) -> tuple[float, list[int]]:
    from berita.flows.clean_news import clean_news

    write_corpus(folder / "inputs", batch_size * BATCHES, seed=11)
    blocks_after: list[int] = []

    def listener(done: int, total: int) -> None:
        if done:
            reset_caches()
            gc.collect()
            blocks_after.append(sys.getallocatedblocks())

    with progress.listening(listener):
        result = clean_news(
            input_dir=str(folder / "inputs"), warehouse_dir=str(folder / "warehouse"),
            batch_size=batch_size, detect_language=False,
        )  # fmt: skip
    assert result.inputs_new == batch_size * BATCHES and len(blocks_after) == BATCHES
    # From the end of the second batch (caches warm, GX's suites stored) to the end of the last.
    return (blocks_after[-1] - blocks_after[1]) / (BATCHES - 2), blocks_after


@pytest.mark.usefixtures("prefect_harness")
def test_the_heap_grows_with_batches_not_with_inputs(tmp_path: Path) -> None:
    small, small_blocks = _blocks_per_batch(tmp_path / "small", SMALL)
    large, large_blocks = _blocks_per_batch(tmp_path / "large", LARGE)
    per_input = (large - small) / (LARGE - SMALL)
    detail = f"after each batch of {SMALL}: {small_blocks}; of {LARGE}: {large_blocks}"
    assert per_input < MAX_BLOCKS_PER_INPUT, f"{per_input:.2f} heap blocks kept an input; {detail}"
