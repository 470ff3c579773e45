"""A run's memory does not grow with its number of inputs.

Peak RSS is too coarse to test here (imports alone weigh 0.5 GB, and the growth this guards
against was about 1.5 KB an input), so the test counts the Python heap's allocated blocks after
each batch of a run (after a full garbage collection): whatever the run keeps per input (a
string, a tuple, a dict entry) shows as blocks that grow batch by batch. The bookkeeping that must
not stay in memory (known inputs, ledger drafts, the duplicate index, line counts) lives in the
run's SQLite state file, whose page cache is bounded and outside the Python heap.

Two runs with the same number of batches of different sizes tell what grows per input from what
grows per batch: what grows per input makes the bigger batches' slope steeper. Per batch, the
heap still moves with bounded buffers (Prefect's events client keeps up to 700 unconfirmed events),
so the two things that used to grow with every batch are counted directly: the links Prefect
keeps from task results to their states (the flow releases them after each batch), and the
records Great Expectations' YAML loader kept of every parse (berita's GX context reads no config-
variables file). Libraries' bounded caches (trafilatura's LRU caches of text lines) are emptied
before each count, or their filling up would look like growth.
"""

from __future__ import annotations

import gc
import itertools
import json
import logging
import os
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
from trafilatura.meta import reset_caches

from berita.bench import write_corpus
from berita.flows import progress
from tests.conftest import REPO

pytestmark = pytest.mark.slow

BATCHES = 8
SMALL, LARGE = 40, 160
# Keeping an input's id and name in a set costs three blocks or more (two strings and a tuple);
# the flow before berita.flows.state kept about ten an input.
MAX_BLOCKS_PER_INPUT = 0.5
# Result links alive when a batch is done: those of the tasks run since the last release (the
# run's setup and the batch's own), never an earlier batch's. Without the release: 11 more a batch.
MAX_RESULT_LINKS = 4


def _after_each_batch(folder: Path, batch_size: int) -> dict[str, list[int]]:
    """Heap blocks, Prefect's result links and YAML parse records after each batch of a run."""
    from prefect.context import FlowRunContext
    from ruamel.yaml.docinfo import DocInfo

    from berita.flows.clean_news import clean_news
    from berita.settings import Settings

    write_corpus(folder / "inputs", batch_size * BATCHES, seed=11)
    counts: dict[str, list[int]] = {"blocks": [], "result_links": [], "yaml_records": []}

    def listener(done: int, total: int) -> None:
        if done:
            reset_caches()
            gc.collect()
            counts["blocks"].append(sys.getallocatedblocks())
            context = FlowRunContext.get()  # the listener runs inside the flow
            counts["result_links"].append(len(context.run_results) if context else -1)
            counts["yaml_records"].append(sum(isinstance(o, DocInfo) for o in gc.get_objects()))

    # Log records are kept by whoever captures them (pytest keeps a test's records to report them,
    # and an earlier test may have lowered a logger's level to DEBUG): not the flow's memory. Errors
    # too: reset_caches() logs one per call (htmldate's caches cannot be cleared), and its traceback
    # pins the listener's caller, the flow, with the batch's inputs: in a process whose pytest
    # captured it, that looked like the flow keeping its inputs.
    logging.disable(logging.CRITICAL)
    try:
        with progress.listening(listener):
            result = clean_news(Settings(
                input_dir=str(folder / "inputs"), warehouse_dir=str(folder / "warehouse"),
                batch_size=batch_size, detect_language=False,
            ))  # fmt: skip
    finally:
        logging.disable(logging.NOTSET)
    assert result.inputs_new == batch_size * BATCHES and len(counts["blocks"]) == BATCHES
    return counts


def measure(folder: str) -> dict[str, dict[str, list[int]]]:
    """Both runs' counts after each batch (run in a fresh interpreter by the test)."""
    return {str(size): _after_each_batch(Path(folder) / str(size), size) for size in (SMALL, LARGE)}


def _slope(blocks: list[int]) -> float:
    """Blocks a batch adds, from the second batch on: the median of the batch-to-batch steps, so that a one-off
    drop or jump (Prefect's events client sending its buffer at once; a busier machine, as with a second test
    worker, changes when) does not pass for a trend. Growth per input raises every step, and the median."""
    return statistics.median(b - a for a, b in itertools.pairwise(blocks[1:]))


@pytest.mark.usefixtures("prefect_harness")
def test_the_heap_grows_with_batches_not_with_inputs(tmp_path: Path) -> None:
    """In a fresh interpreter, as `berita run` is: flows that earlier tests ran in this process
    leave state behind that has nothing to do with a run (measured: a one-off drop of 30,000
    blocks mid-run, which would spoil a slope)."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    code = "import json, sys; from tests.test_memory import measure; print(json.dumps(measure(sys.argv[1])))"
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    small, large = counts[str(SMALL)]["blocks"], counts[str(LARGE)]["blocks"]
    per_input = (_slope(large) - _slope(small)) / (LARGE - SMALL)
    detail = f"after each batch of {SMALL}: {small}; of {LARGE}: {large}"
    assert per_input < MAX_BLOCKS_PER_INPUT, f"{per_input:.2f} heap blocks kept an input; {detail}"
    for size, run in counts.items():
        assert max(run["result_links"]) <= MAX_RESULT_LINKS, f"batches of {size}: {run['result_links']}"
        # From the end of the second batch (GX's suites stored, caches warm) to the end of the last.
        assert run["yaml_records"][-1] == run["yaml_records"][1], f"batches of {size}: {run['yaml_records']}"
