"""The clean-news flow: discover inputs, clean them in batches, publish the run's tables."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from berita.flows import progress, warehouse
from berita.flows.tasks import BatchStats, clean_batch, discover_inputs, publish_run
from berita.transforms.article import CleanOptions
from prefect import flow, get_run_logger

import berita


def batched(items: Sequence[str], size: int) -> Iterator[list[str]]:
    """Consecutive slices of at most ``size`` items (itertools.batched arrives only in 3.12)."""
    for start in range(0, len(items), max(size, 1)):
        yield list(items[start : start + max(size, 1)])


def new_run_id() -> str:
    """Sortable and unique: UTC start time plus a random suffix."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


@flow(name="clean-news", log_prints=True)
def clean_news(
    input_dir: str = "seeds", warehouse_dir: str = "warehouse", batch_size: int = 500, detect_language: bool = True
) -> dict[str, object]:
    """Clean every input under ``input_dir`` into the Parquet tables under ``warehouse_dir``."""
    logger = get_run_logger()
    run_id = new_run_id()
    options = CleanOptions(run_id, berita.__version__, detect_language=detect_language)
    paths = discover_inputs(input_dir)
    staging = str(warehouse.staging_dir(Path(warehouse_dir), run_id))
    totals = BatchStats()
    progress.report(0, len(paths))
    try:
        for batch_no, batch in enumerate(batched(paths, batch_size)):
            totals.add(clean_batch(input_dir, batch, staging, batch_no, options, totals.article_ids))
            progress.report(totals.inputs, len(paths))
            logger.info("batch %d: %d/%d inputs done", batch_no, totals.inputs, len(paths))
        tables = publish_run(warehouse_dir, run_id)
    except BaseException:
        warehouse.discard_run(Path(warehouse_dir), run_id)
        raise
    return {"run_id": run_id, "stats": totals, "tables": tables}
