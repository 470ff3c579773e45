"""The clean-news flow: under the warehouse lock, clean what is new and publish it atomically."""

from __future__ import annotations

import resource
import time
import uuid
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from prefect import flow, get_run_logger
from prefect.context import FlowRunContext
from prefect.utilities.annotations import quote

import berita
from berita.flows import progress, sources, state, warehouse
from berita.flows.dedupe import PartDuplicates
from berita.flows.lock import warehouse_lock
from berita.flows.memory import release_free_memory
from berita.flows.plan import BatchPlan, plan_batch
from berita.flows.quality import QualityTally
from berita.flows.tasks import (
    BatchStats,
    check_accounting,
    clean_batch,
    count_inputs,
    dedupe_batch,
    fingerprint_batch,
    learn_repeated_lines,
    load_duplicate_index,
    load_known_inputs,
    publish_run,
    recover_warehouse,
    stage_ledger,
    validate_batch,
    validate_run,
    write_report,
)
from berita.settings import Settings
from berita.transforms.article import CleanOptions
from berita.transforms.linemodel import RULES_ONLY, read_model
from berita.transforms.records import Outcome, RunStatus, Stage

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most ``size`` items, drawn from any iterable as needed
    (itertools.batched arrives only in 3.12)."""
    step, batch = max(size, 1), []
    for item in items:
        batch.append(item)
        if len(batch) == step:
            yield batch
            batch = []
    if batch:
        yield batch


def release_task_links() -> None:
    """Drop the links Prefect keeps from each task result to its task run's state.

    A flow run keeps them in ``FlowRunContext.run_results`` until it ends, only to name a task
    run as the upstream of a later task that is passed the same object. The flow calls this once a
    batch is done with: no result of a finished batch is passed to a later task, and the links
    were a state object and more per task call, memory that grew with every batch.
    """
    context = FlowRunContext.get()
    if context is not None:
        context.run_results.clear()


def _release_batch_memory() -> None:
    """What a finished batch leaves behind: Prefect's result links, the allocators' free pages."""
    release_task_links()
    release_free_memory()


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
    quality: QualityTally = field(default_factory=QualityTally)
    notes: list[str] = field(default_factory=list)
    report_path: str | None = None
    stage_seconds: dict[str, float] = field(default_factory=dict)  # wall time by stage, for the summary
    peak_rss_after: dict[str, int] = field(default_factory=dict)  # process peak RSS (bytes) after each stage

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + time.perf_counter() - start
            self.peak_rss_after[stage] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _draft_rows(plan: BatchPlan, stats: BatchStats) -> list[state.DraftRow]:
    """A validated batch's inputs, in ledger order, for the state file (their outcome waits for
    deduplication): cleaned inputs with their article (None: quarantined), then copies of known
    bytes, then inputs that could not be read."""
    return (
        [
            (fp.source_uri, fp.ref.label, None, "unreadable", None)  # changed while read: no id, so retried
            if fp.input_id in stats.changed
            else (fp.source_uri, fp.ref.label, fp.input_id, "clean", stats.article_of.get(fp.input_id or ""))
            for fp in plan.to_clean
        ]
        + [(fp.source_uri, fp.ref.label, fp.input_id, "duplicate", None) for fp in plan.duplicates]
        + [(fp.source_uri, fp.ref.label, fp.input_id, "unreadable", None) for fp in plan.unreadable]
    )


def _ledger_rows(
    draft: list[state.DraftRow], twins: dict[str, str], db: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Inputs-ledger rows for a batch once deduplication is done (``twins``: input id -> the earlier
    article its cleaned body repeats); each row is recorded in the state as it is settled, so a
    later copy of the same bytes finds its article. Second, the quarantine rows of copies of bytes
    that were quarantined: such a copy is quarantined too, not a duplicate of no article."""
    rows, copies = [], []
    for source_uri, source_file, input_id, group, article in draft:
        if group == "unreadable":
            outcome = Outcome.QUARANTINED
        elif group == "duplicate":  # the same bytes as an input settled earlier (this run or before)
            article, outcome = state.article_of(db, input_id or ""), Outcome.DUPLICATE
            if article is None:
                outcome = Outcome.QUARANTINED
                first = state.first_name(db, input_id or "")
                reason = f"the same bytes as {first or 'an input'}, which is quarantined (its quarantine row says why)"
                copies.append(
                    {"source_uri": source_uri, "source_file": source_file, "stage": Stage.READ, "reason": reason}
                )
        elif input_id in twins:  # the same cleaned body as an earlier article
            article, outcome = twins[input_id], Outcome.DUPLICATE
        else:
            outcome = Outcome.ARTICLE if article else Outcome.QUARANTINED
        if input_id is not None:
            state.record(db, input_id, source_uri, article)
        rows.append(
            {"source_uri": source_uri, "source_file": source_file, "input_id": input_id, "outcome": outcome,
             "article_id": article}
        )  # fmt: skip
    return rows, copies


def _apply_quality(stats: BatchStats, tally: QualityTally) -> None:
    """Articles that failed a row-level check are quarantined, not articles."""
    for article_id, shown, check in tally.moved:
        stats.article_of[article_id] = None  # an article's id is its input's id
        stats.articles -= 1
        stats.quarantined += 1
        stats.quarantine_reasons.append((shown, Stage.VALIDATE, f"failed the check {check}"))
    # Removal counts of the articles that remain (the tally leaves out the quarantined ones).
    stats.removed_by_category = Counter(tally.removed_by_category)


def _apply_duplicates(stats: BatchStats, tally: QualityTally, found: PartDuplicates) -> None:
    """Inputs whose cleaned body repeats an earlier article become duplicate references to it."""
    stats.articles -= len(found.exact_of)
    stats.duplicates += len(found.exact_of)
    stats.near_duplicates += found.near
    stats.removed_by_category.subtract(category for _, category in found.dropped_removals)
    stats.removed_by_category += Counter()
    tally.forget(found.dropped, found.dropped_removals)
    tally.flag(found.newly_flagged)


def _summary(result: RunResult) -> dict[str, float]:
    s = result.stats
    articles = max(s.articles, 1)
    return {
        "flagged_share": result.quality.flagged / articles,
        "quarantined_share": s.quarantined / max(result.inputs_new, 1),
        "removed_per_article": sum(result.quality.removed_by_rule.values()) / articles,
    }


def _runs_row(result: RunResult, started: datetime, status: RunStatus, message: str | None) -> dict[str, Any]:
    s = result.stats
    return {
        "started_at": started, "finished_at": datetime.now(UTC), "status": status,
        "inputs_seen": result.inputs_seen, "inputs_new": result.inputs_new, "articles_written": s.articles,
        "quarantined": s.quarantined, "duplicates": result.inputs_new - s.articles - s.quarantined,
        "unchanged": result.unchanged, "lines_removed": sum(s.removed_by_category.values()),
        "pipeline_version": berita.__version__, "mode": result.mode, "message": message,
        "report_path": result.report_path, "warnings": list(result.quality.warnings),
    }  # fmt: skip


@flow(name="clean-news")
def clean_news(settings: Settings | None = None) -> RunResult:
    """Clean the inputs under ``settings.input_dir`` that earlier runs have not seen (all with ``reprocess``).

    ``settings`` (:class:`~berita.settings.Settings`; None: read from the config file and the ``BERITA_*``
    variables) is the flow's one parameter; a deployment gives it as JSON, e.g. ``{"input_dir": "/data/in",
    "limits": {"max_flagged_share": 0.5}}``, and what it leaves out is read where the flow runs. A line an outlet
    repeats in ``learn_min_articles`` articles is learned boilerplate (0: off). With ``workers`` > 1 (or a
    ``dask_address``) the flow keeps two batches per worker on its task runner (``berita run --workers N`` runs it
    on a Dask cluster); memory then holds that many batches. A run past a limit on its distribution (shares of
    flagged or quarantined articles, removals per article) publishes with a warning; ``strict`` makes that fail
    the run instead. ``line_model``: a weights file from `berita train` (default: the line model berita ships), or
    "rules" for the rule table alone. ``data_docs``: also rebuild Great Expectations' Data Docs beside the report.
    ``max_input_bytes``, ``max_text_chars``, ``max_text_lines``, ``max_document_seconds``: what one document may
    be; past them it is quarantined with the reason.
    """
    settings = Settings.load() if settings is None else settings
    input_dir, warehouse_dir = str(settings.input_dir), str(settings.warehouse_dir)
    batch_size, reprocess, in_flight = settings.batch_size, settings.reprocess, settings.in_flight
    strict, data_docs, thresholds = settings.strict, settings.data_docs, settings.limits
    logger = get_run_logger()
    started = datetime.now(UTC)
    result = RunResult(new_run_id(), "reprocess" if reprocess else "incremental")
    options = CleanOptions(
        result.run_id, berita.__version__, max_input_bytes=settings.max_input_bytes,
        max_text_chars=settings.max_text_chars, max_text_lines=settings.max_text_lines,
        max_seconds=settings.max_document_seconds, detect_language=settings.detect_language,
    )  # fmt: skip
    line_model = None if settings.line_model is None else str(settings.line_model)
    if line_model == RULES_ONLY:
        options = replace(options, line_model=None)
    elif line_model is not None:
        options = replace(options, line_model=read_model(Path(line_model).read_text(encoding="utf-8"), line_model))
    staging = str(warehouse.staging_dir(Path(warehouse_dir), result.run_id))
    with warehouse_lock(Path(warehouse_dir), settings.wait_seconds) as stale:
        result.notes = ([stale] if stale else []) + recover_warehouse(warehouse_dir)
        # Per-input bookkeeping lives in a SQLite file in the staging area, not in memory.
        db = state.connect(state.state_path(Path(staging)))
        window: deque[tuple[str, BatchPlan, Any]] = deque()  # batches being cleaned, in input order
        published = False
        try:
            if not reprocess:
                load_known_inputs(warehouse_dir, quote(db))  # type: ignore[call-overload]
            total = count_inputs(input_dir)
            progress.report(0, total)
            parts: list[str] = []  # the batches cleaned, in order (a run keeps no batch's details)

            def finish_oldest() -> None:
                """Wait for the oldest batch in flight, then validate it (validation runs here, in order)."""
                part, plan, pending_stats = window.popleft()
                if pending_stats is None:  # nothing new in the batch: nothing was staged, nothing to validate
                    stats, tally = BatchStats(), QualityTally()
                else:
                    with result.timed("clean"):
                        stats = pending_stats.result() if in_flight > 1 else pending_stats
                    with result.timed("validate"):
                        files = {fp.input_id: fp.ref.label for fp in plan.to_clean if fp.input_id is not None}
                        tally = validate_batch(warehouse_dir, result.run_id, part, started, thresholds, files)
                _apply_quality(stats, tally)
                result.quality.add(tally)
                state.stage_draft(db, part, _draft_rows(plan, stats))
                db.commit()
                stats.article_of.clear()  # now in the state file
                result.stats.add(stats)  # its counts; its first reasons for the report (all are in the table)
                parts.append(part)
                _release_batch_memory()
                progress.report(min(len(parts) * batch_size, total), total)
                logger.info("batch %s: %d new inputs, %d unchanged", part, len(plan.to_clean), plan.unchanged)

            for n, batch in enumerate(batched(sources.iter_inputs(Path(input_dir)), batch_size)):
                part = f"{n:05d}"
                result.inputs_seen += len(batch)
                with result.timed("fingerprint"):
                    fingerprints = fingerprint_batch(input_dir, batch, options.max_input_bytes).items
                    plan = plan_batch(fingerprints, state.known_for(db, [f.input_id for f in fingerprints]), set())
                    state.mark_pending(db, [f.input_id for f in plan.to_clean if f.input_id is not None])
                result.unchanged += plan.unchanged
                # Unreadable inputs go through too: the batch records why, in the quarantine table.
                to_clean = plan.to_clean + plan.unreadable
                if not to_clean:  # every input unchanged or a copy of known bytes: the ledger alone records them
                    window.append((part, plan, None))
                elif in_flight > 1:  # on the flow's task runner (a Dask cluster): several batches at once
                    window.append((part, plan, clean_batch.submit(input_dir, to_clean, staging, part, options)))
                else:
                    with result.timed("clean"):
                        window.append((part, plan, clean_batch(input_dir, to_clean, staging, part, options)))
                while len(window) >= max(in_flight, 1):
                    finish_oldest()
            while window:
                finish_oldest()
            with result.timed("learn"):
                learned = learn_repeated_lines(
                    warehouse_dir, result.run_id, parts, settings.learn_min_articles, not reprocess, quote(db)
                )  # type: ignore[call-overload]
            if learned:
                result.stats.removed_by_category["repeated"] += sum(learned.values())
                result.quality.removed_by_rule.update(learned)
                result.quality.removed_by_category["repeated"] += sum(learned.values())
            with result.timed("dedupe"):
                index = load_duplicate_index(warehouse_dir, reprocess, quote(db))  # type: ignore[call-overload]
            for part in parts:
                with result.timed("dedupe"):
                    found = dedupe_batch(warehouse_dir, result.run_id, part, quote(index))  # type: ignore[call-overload]
                _apply_duplicates(result.stats, result.quality, found)
                with result.timed("ledger"):
                    rows, copies = _ledger_rows(state.take_draft(db, part), found.exact_of, db)
                    stage_ledger(staging, result.run_id, part, rows, copies)
                result.inputs_new += len(rows)
                reasons = [
                    (sources.shown_name(q["source_uri"], q["source_file"]), q["stage"], q["reason"]) for q in copies
                ]
                result.stats.add(BatchStats(quarantined=len(copies), quarantine_reasons=reasons))
                _release_batch_memory()
            db.commit()
            db.close()
            with result.timed("accounting"):
                check_accounting(
                    warehouse_dir, result.run_id, result.inputs_new, result.stats.articles, result.stats.quarantined
                )
            with result.timed("validate_run"):
                result.quality.add(
                    validate_run(
                        warehouse_dir, result.run_id, _summary(result), thresholds, result.stats.articles,
                        result.inputs_new, strict,
                    )
                )  # fmt: skip
            for warning in result.quality.warnings:
                logger.warning("warned: %s", warning)
            with result.timed("report"):
                result.report_path = write_report(warehouse_dir, result, "succeeded", started, None, data_docs)
            mode = "replace" if reprocess else "append"
            with result.timed("publish"):
                state.state_path(Path(staging)).unlink(missing_ok=True)  # scratch: never published
                publish_run(warehouse_dir, result.run_id, mode, _runs_row(result, started, RunStatus.SUCCEEDED, None))
                published = True
        except BaseException as exc:  # a failure, or Ctrl-C (KeyboardInterrupt) anywhere in the run
            _cancel_in_flight(window)
            db.close()
            if published or warehouse.is_committed(Path(warehouse_dir), result.run_id):
                _roll_forward(warehouse_dir, result.run_id, exc)
                raise
            warehouse.discard(Path(warehouse_dir), result.run_id)
            _record_failure(warehouse_dir, result, started, exc)
            raise
    return result


def _roll_forward(warehouse_dir: str, run_id: str, exc: BaseException) -> None:
    """A run stopped after its commit is durable: finish publishing it rather than discard it
    (which would leave the tables half-published). Says what happened in a note on ``exc``."""
    try:
        if warehouse.is_committed(Path(warehouse_dir), run_id):  # else publishing had finished
            warehouse.publish(Path(warehouse_dir), run_id)
    except Exception:
        exc.add_note(f"run {run_id} had committed when it stopped; the next run finishes publishing it")
        return
    exc.add_note(f"run {run_id} had committed when it stopped, so it is published in full")


def _cancel_in_flight(window: deque[tuple[str, BatchPlan, Any]]) -> None:
    """Cancel the batches still queued on the task runner when the run fails (best effort: a
    batch already running finishes, and what it stages is removed by the next run's recovery)."""
    for _, _, pending in window:
        wrapped = getattr(pending, "wrapped_future", None)
        if wrapped is not None:
            wrapped.cancel()


def _interrupted(exc: BaseException | None) -> bool:
    """Whether Ctrl-C stopped the run: a KeyboardInterrupt, or an error raised while one was being handled
    (Prefect's task engine raises ValueError("Task run is not set") when one lands as a task run starts).

    >>> try:
    ...     try:
    ...         raise KeyboardInterrupt
    ...     except KeyboardInterrupt:
    ...         raise ValueError("Task run is not set")
    ... except ValueError as exc:
    ...     _interrupted(exc), _interrupted(ValueError("x"))
    (True, False)
    """
    seen = 0
    while exc is not None and seen < 20:  # a chain is short; a cycle must not loop
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _record_failure(warehouse_dir: str, result: RunResult, started: datetime, exc: BaseException) -> None:
    """Publish a failed run's runs row (and nothing else), best effort: the original error wins."""
    failed = RunResult(result.run_id, result.mode, result.inputs_seen, quality=result.quality)
    message = "interrupted (SIGINT)" if _interrupted(exc) else f"{type(exc).__name__}: {exc}"
    try:
        failed.report_path = write_report.fn(warehouse_dir, failed, "failed", started, message)
    except Exception:
        failed.report_path = None
    try:
        publish_run.fn(warehouse_dir, result.run_id, "record", _runs_row(failed, started, RunStatus.FAILED, message))
    except Exception:
        warehouse.discard(Path(warehouse_dir), result.run_id)
