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
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from berita.flows import progress
from trafilatura.meta import reset_caches

from berita.bench import write_corpus
from tests.conftest import REPO

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

    # Log records are kept by whoever captures them (pytest keeps a test's records to report them,
    # and an earlier test may have lowered a logger's level to DEBUG): not the flow's memory.
    logging.disable(logging.WARNING)
    try:
        with progress.listening(listener):
            result = clean_news(
                input_dir=str(folder / "inputs"), warehouse_dir=str(folder / "warehouse"),
                batch_size=batch_size, detect_language=False,
            )  # fmt: skip
    finally:
        logging.disable(logging.NOTSET)
    assert result.inputs_new == batch_size * BATCHES and len(blocks_after) == BATCHES
    # From the end of the second batch (caches warm, GX's suites stored) to the end of the last.
    return _slope(blocks_after), blocks_after


def measure(folder: str) -> dict[str, list[int]]:
    """Both runs' block counts after each batch (run in a fresh interpreter by the test)."""
    return {str(size): _blocks_per_batch(Path(folder) / str(size), size)[1] for size in (SMALL, LARGE)}


def _slope(blocks: list[int]) -> float:
    return (blocks[-1] - blocks[1]) / (len(blocks) - 2)


@pytest.mark.usefixtures("prefect_harness")
def test_the_heap_grows_with_batches_not_with_inputs(tmp_path: Path) -> None:
    """In a fresh interpreter, as `berita run` is: flows that earlier tests ran in this process
    leave state behind that has nothing to do with a run (measured: a one-off drop of 27,000
    blocks mid-run)."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    code = "import json, sys; from tests.test_memory import measure; print(json.dumps(measure(sys.argv[1])))"
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    blocks = json.loads(done.stdout.strip().splitlines()[-1])
    small, large = blocks[str(SMALL)], blocks[str(LARGE)]
    per_input = (_slope(large) - _slope(small)) / (LARGE - SMALL)
    detail = f"after each batch of {SMALL}: {small}; of {LARGE}: {large}"
    assert per_input < MAX_BLOCKS_PER_INPUT, f"{per_input:.2f} heap blocks kept an input; {detail}"
