"""Prefect tasks: each wraps IO or a batch of pure cleaning work (never one task per document)."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from prefect import Task, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from berita.expectations.checks import Thresholds
from berita.flows import dedupe, faults, learning, quality, reporting, sources, state, validation, warehouse
from berita.flows.plan import Fingerprint
from berita.transforms.article import CleanOptions, clean_document
from berita.transforms.dedupe import DuplicateIndex
from berita.transforms.records import Article, Quarantined, Stage
from berita.transforms.tables import rows_to_table, to_tables

P = ParamSpec("P")
R = TypeVar("R")


def io_task(name: str) -> Callable[[Callable[P, R]], Task[P, R]]:
    """A task that does file IO: retried twice (a busy disk or a network mount), never cached."""
    return task(name=name, retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)


@dataclass
class BatchStats:
    """What one batch (or, summed, one run) did: the counts the summary and the runs table read."""

    articles: int = 0
    quarantined: int = 0
    duplicates: int = 0  # inputs whose cleaned body repeats an earlier article
    near_duplicates: int = 0
    removed_by_category: Counter[str] = field(default_factory=Counter)
    quarantine_reasons: list[tuple[str, str, str]] = field(default_factory=list)
    article_of: dict[str, str | None] = field(default_factory=dict)  # input_id -> article_id or None
    # Inputs whose bytes changed between fingerprinting and cleaning: quarantined, and retried by the next run.
    changed: set[str] = field(default_factory=set)

    def add(self, other: BatchStats) -> None:
        """Add a batch's counts to a run's. Per-input details stay with the batch (a run's memory
        must not grow with its inputs); the run keeps the first REPORTED_REASONS reasons."""
        self.articles += other.articles
        self.quarantined += other.quarantined
        self.duplicates += other.duplicates
        self.near_duplicates += other.near_duplicates
        self.removed_by_category.update(other.removed_by_category)
        room = REPORTED_REASONS - len(self.quarantine_reasons)
        self.quarantine_reasons.extend(other.quarantine_reasons[: max(room, 0)])


REPORTED_REASONS = 200  # quarantine reasons a run keeps for its report (all are in the quarantine table)


@io_task("recover-warehouse")
def recover_warehouse(warehouse_dir: str) -> list[str]:
    return warehouse.recover(Path(warehouse_dir))


@io_task("load-known-inputs")
def load_known_inputs(warehouse_dir: str, db: sqlite3.Connection) -> int:
    """Put the published inputs ledger into the run's state file (a batch of rows at a time);
    returns its rows. Idempotent, so a retry is safe."""
    rows = 0
    for batch in warehouse.iter_table_rows(Path(warehouse_dir), "inputs", ["input_id", "source_uri", "article_id"]):
        state.load_ledger(db, batch)
        rows += len(batch)
    db.commit()
    return rows


@io_task("count-inputs")
def count_inputs(input_dir: str) -> int:
    """How many inputs the folder holds (the run then streams them, batch by batch)."""
    return sources.count_inputs(Path(input_dir))


@dataclass
class Fingerprints:
    """A batch's fingerprints. Wrapped, not a bare list: Prefect links each item of a task's
    returned collection to the task's state for the rest of the flow run (a dict entry an input,
    which a 200,000-input run would keep to its end); it goes one level deep only."""

    items: list[Fingerprint]


@io_task("fingerprint-batch")
def fingerprint_batch(input_dir: str, refs: list[sources.InputRef], max_bytes: int) -> Fingerprints:
    """Name and content hash of each input (the bytes are read, hashed and dropped)."""
    batch = sources.read_batch(Path(input_dir), refs, max_bytes)
    return Fingerprints([Fingerprint(r.ref, r.source_uri, r.input_id) for r in batch])


def _clean(raw: sources.RawInput, expected: Fingerprint, options: CleanOptions) -> Article | Quarantined:
    """One input as an article or a quarantine row (which names the input's file and record as well as its
    URL). Bytes other than those its fingerprint read mean the file was rewritten meanwhile: quarantined under
    the fingerprint's name, and the next run cleans what it then finds."""
    where = expected.ref.label
    if raw.input_id != expected.input_id or raw.error == sources.CHANGED_WHILE_READ:
        return Quarantined(expected.source_uri, Stage.READ, sources.CHANGED_WHILE_READ, options.run_id, where)
    if raw.data is None:
        return Quarantined(raw.source_uri, Stage.READ, raw.error or "cannot read it", options.run_id, where)
    try:
        result = clean_document(
            raw.data, raw.source_uri, options, kind=raw.kind, url=raw.url, fetched_at=raw.fetched_at
        )
    except Exception as exc:
        get_run_logger().warning("cleaning %s failed", where, exc_info=True)
        reason = f"berita failed on this input ({type(exc).__name__}: {exc}); please report it with the file"
        return Quarantined(raw.source_uri, Stage.CLEAN, reason[:500], options.run_id, where)
    return replace(result, source_file=where) if isinstance(result, Quarantined) else result


@task(name="clean-batch", cache_policy=NO_CACHE)
def clean_batch(
    input_dir: str, inputs: list[Fingerprint], staging: str, part: str, options: CleanOptions
) -> BatchStats:
    """Read, clean and stage one batch of new inputs (as their fingerprints named them)."""
    stats = BatchStats()
    articles: list[Article] = []
    quarantined: list[Quarantined] = []
    raws = sources.read_batch(Path(input_dir), [fp.ref for fp in inputs], options.max_input_bytes)
    for raw, expected in zip(raws, inputs, strict=True):
        result = _clean(raw, expected, options)
        if isinstance(result, Article):
            articles.append(result)
            stats.removed_by_category.update(r.category for r in result.removed_lines)
        else:
            quarantined.append(result)
            stats.quarantine_reasons.append(
                (sources.shown_name(result.source_uri, result.source_file), result.stage, result.reason)
            )
        if expected.input_id is None:
            continue
        if isinstance(result, Quarantined) and result.reason == sources.CHANGED_WHILE_READ:
            stats.changed.add(expected.input_id)
        else:
            stats.article_of[expected.input_id] = result.article_id if isinstance(result, Article) else None
    stats.articles, stats.quarantined = len(articles), len(quarantined)
    for table, data in to_tables(articles, quarantined).items():
        warehouse.write_part(Path(staging), options.run_id, table, part, data)
    faults.crash_point("staged-batch")
    return stats


@io_task("stage-ledger")
def stage_ledger(
    staging: str, run_id: str, part: str, rows: list[dict[str, Any]], copies: list[dict[str, Any]] | None = None
) -> None:
    """A batch's ledger rows, and the quarantine rows of its copies of quarantined bytes (a part of their own)."""
    warehouse.write_part(Path(staging), run_id, "inputs", part, rows_to_table("inputs", rows))
    copies_table = rows_to_table("quarantine", copies or [])
    warehouse.write_part(Path(staging), run_id, "quarantine", f"{part}-copies", copies_table)


@io_task("publish-run")
def publish_run(warehouse_dir: str, run_id: str, mode: str, runs_row: dict[str, Any]) -> None:
    """Stage the runs row, commit, and publish: after the commit the run is durable."""
    root = Path(warehouse_dir)
    staging = warehouse.staging_dir(root, run_id)
    warehouse.write_part(staging, run_id, "runs", "00000", rows_to_table("runs", [runs_row]))
    faults.crash_point("before-commit")
    warehouse.commit(root, run_id, mode)
    faults.crash_point("after-commit")
    warehouse.publish(root, run_id)


@task(name="validate-batch", cache_policy=NO_CACHE)
def validate_batch(
    warehouse_dir: str, run_id: str, part: str, run_time: datetime, limits: Thresholds, files: dict[str, str]
) -> quality.QualityTally:
    """GX checkpoints over one staged batch: failing articles move to quarantine (named by their input's file,
    ``files``: article id -> file and record); a failing batch fails the run."""
    return quality.validate_staged_batch(Path(warehouse_dir), run_id, part, run_time, limits, files)


@task(name="validate-run", cache_policy=NO_CACHE)
def validate_run(
    warehouse_dir: str,
    run_id: str,
    summary: dict[str, float],
    limits: Thresholds,
    articles: int,
    inputs: int,
    strict: bool = False,
) -> quality.QualityTally:
    """The run's ledger and line_stats, then its distribution: past a limit it warns (``strict``: fails)."""
    return quality.validate_run(Path(warehouse_dir), run_id, summary, limits, articles, inputs, strict)


@io_task("write-report")
def write_report(
    warehouse_dir: str, result: Any, status: str, started: datetime, message: str | None, data_docs: bool = False
) -> str:
    """The self-contained HTML report, GX's Data Docs beside it when ``data_docs`` (they are rebuilt from
    every stored validation, seconds on a warehouse with history), then Prefect artifacts."""
    root = Path(warehouse_dir)
    docs = validation.build_data_docs(root) if data_docs and result.quality.checks else None
    data = reporting.build_report(result, status, started, message, docs, reporting.run_history(root))
    path = reporting.write_report(root, data)
    reporting.publish_artifacts(data, path)
    return str(path)


@io_task("load-duplicate-index")
def load_duplicate_index(warehouse_dir: str, reprocess: bool, db: sqlite3.Connection) -> DuplicateIndex:
    """An index in the run's state file, holding the published bodies' keys and MinHash signatures
    (none when reprocessing: every table is replaced)."""
    db.execute("DELETE FROM body")  # a retry starts over
    db.execute("DELETE FROM sig")
    db.execute("DELETE FROM band")
    index = DuplicateIndex(state.SqliteIndexStore(db))
    if not reprocess:
        dedupe.load_index(Path(warehouse_dir), index)
    db.commit()
    return index


@task(name="dedupe-batch", cache_policy=NO_CACHE)
def dedupe_batch(warehouse_dir: str, run_id: str, part: str, index: DuplicateIndex) -> dedupe.PartDuplicates:
    """Drop exact body twins from one staged batch and flag near twins (the index grows as it goes)."""
    return dedupe.dedupe_part(Path(warehouse_dir), run_id, part, index)


@io_task("learn-repeated-lines")
def learn_repeated_lines(
    warehouse_dir: str, run_id: str, parts: list[str], min_articles: int, use_history: bool, db: sqlite3.Connection
) -> Counter[str]:
    """Remove lines the run's outlets repeat across many articles; stage the run's line_stats."""
    return learning.learn_and_apply(Path(warehouse_dir), run_id, parts, min_articles, use_history, db)


@task(name="check-accounting", cache_policy=NO_CACHE)
def check_accounting(warehouse_dir: str, run_id: str, inputs_new: int, articles: int, quarantined: int) -> None:
    """Every new input is an article, a duplicate reference or a quarantine row; counts match."""
    quality.check_accounting(Path(warehouse_dir), run_id, inputs_new, articles, quarantined)
