"""The clean-news flow: under the warehouse lock, clean what is new and publish it atomically."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from berita.flows import progress, warehouse
from berita.flows.lock import warehouse_lock
from berita.flows.plan import BatchPlan, KnownInputs, plan_batch
from berita.flows.tasks import (
    BatchStats,
    clean_batch,
    discover_inputs,
    fingerprint_batch,
    load_known_inputs,
    publish_run,
    recover_warehouse,
    stage_ledger,
)
from berita.transforms.article import CleanOptions
from prefect import flow, get_run_logger

import berita

T = TypeVar("T")


def batched(items: Sequence[T], size: int) -> Iterator[list[T]]:
    """Consecutive slices of at most ``size`` items (itertools.batched arrives only in 3.12)."""
    step = max(size, 1)
    for start in range(0, len(items), step):
        yield list(items[start : start + step])


def new_run_id() -> str:
    """Sortable and unique: UTC start time plus a random suffix."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


@dataclass
class RunResult:
    """What a run did, for the CLI's summary and the runs table."""

    run_id: str
    mode: str
    inputs_seen: int = 0
    inputs_new: int = 0
    unchanged: int = 0
    stats: BatchStats = field(default_factory=BatchStats)
    notes: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)


def _ledger_rows(plan: BatchPlan, stats: BatchStats, known: KnownInputs) -> list[dict[str, Any]]:
    """Inputs-ledger rows for a batch, once its new inputs have been cleaned."""
    rows = []
    groups = ((plan.to_clean, None), (plan.duplicates, "duplicate"), (plan.unreadable, "quarantined"))
    for fingerprints, fixed_outcome in groups:
        for fp in fingerprints:
            article = None
            if fp.input_id is not None:
                article = stats.article_of.get(fp.input_id, known.article_of.get(fp.input_id))
                known.record(fp.input_id, fp.source_uri, article)
            outcome = fixed_outcome or ("article" if article else "quarantined")
            rows.append(
                {"source_uri": fp.source_uri, "input_id": fp.input_id, "outcome": outcome, "article_id": article}
            )
    return rows


def _runs_row(result: RunResult, started: datetime, status: str, message: str | None) -> dict[str, Any]:
    s = result.stats
    return {
        "started_at": started, "finished_at": datetime.now(UTC), "status": status,
        "inputs_seen": result.inputs_seen, "inputs_new": result.inputs_new, "articles_written": s.articles,
        "quarantined": s.quarantined, "lines_removed": sum(s.removed_by_category.values()),
        "pipeline_version": berita.__version__, "mode": result.mode, "message": message, "report_path": None,
    }  # fmt: skip


@flow(name="clean-news")
def clean_news(
    input_dir: str = "seeds",
    warehouse_dir: str = "warehouse",
    batch_size: int = 500,
    detect_language: bool = True,
    reprocess: bool = False,
    wait_seconds: float = 0.0,
) -> RunResult:
    """Clean the inputs under ``input_dir`` that earlier runs have not seen (all with ``reprocess``)."""
    logger = get_run_logger()
    started = datetime.now(UTC)
    result = RunResult(new_run_id(), "reprocess" if reprocess else "incremental")
    options = CleanOptions(result.run_id, berita.__version__, detect_language=detect_language)
    staging = str(warehouse.staging_dir(Path(warehouse_dir), result.run_id))
    with warehouse_lock(Path(warehouse_dir), wait_seconds) as stale:
        result.notes = ([stale] if stale else []) + recover_warehouse(warehouse_dir)
        known = KnownInputs() if reprocess else load_known_inputs(warehouse_dir)
        refs = discover_inputs(input_dir)
        result.inputs_seen, pending = len(refs), set[str]()
        progress.report(0, len(refs))
        try:
            for n, batch in enumerate(batched(refs, batch_size)):
                plan = plan_batch(fingerprint_batch(input_dir, batch, options.max_input_bytes), known, pending)
                stats = clean_batch(input_dir, [f.ref for f in plan.to_clean], staging, f"{n:05d}", options)
                stats.quarantined += len(plan.unreadable)
                stats.quarantine_reasons += [(f.source_uri, "read", "cannot read it") for f in plan.unreadable]
                rows = _ledger_rows(plan, stats, known)
                stage_ledger(staging, result.run_id, f"{n:05d}", rows)
                result.stats.add(stats)
                result.inputs_new += len(rows)
                result.unchanged += plan.unchanged
                progress.report(min((n + 1) * batch_size, len(refs)), len(refs))
                logger.info("batch %d: %d new inputs, %d unchanged", n, len(rows), plan.unchanged)
            publish_run(
                warehouse_dir,
                result.run_id,
                "replace" if reprocess else "append",
                _runs_row(result, started, "succeeded", None),
            )
        except BaseException as exc:
            warehouse.discard(Path(warehouse_dir), result.run_id)
            _record_failure(warehouse_dir, result, started, exc)
            raise
    return result


def _record_failure(warehouse_dir: str, result: RunResult, started: datetime, exc: BaseException) -> None:
    """Publish a failed run's runs row (and nothing else), best effort: the original error wins."""
    failed = RunResult(result.run_id, result.mode, result.inputs_seen)
    try:
        publish_run.fn(
            warehouse_dir, result.run_id, "append", _runs_row(failed, started, "failed", f"{type(exc).__name__}: {exc}")
        )
    except Exception:
        warehouse.discard(Path(warehouse_dir), result.run_id)
