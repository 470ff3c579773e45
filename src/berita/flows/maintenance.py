"""Warehouse maintenance: compacting many small partitions into one, atomically, and pruning old reports."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import berita
from berita.flows import warehouse
from berita.flows.lock import warehouse_lock
from berita.transforms.records import DATA_TABLES, RunStatus
from berita.transforms.tables import rows_to_table


@dataclass
class Compaction:
    run_id: str
    merged_runs: list[str] = field(default_factory=list)
    files_before: int = 0
    files_after: int = 0
    rows: int = 0
    notes: list[str] = field(default_factory=list)
    pruned: Pruned | None = None  # what --keep-reports took out
    noop_runs_pruned: list[str] = field(default_factory=list)  # what --keep-noop-runs took out


@dataclass
class Pruned:
    """Reports and Great Expectations validation results deleted, and their bytes."""

    reports: int = 0
    results: int = 0
    bytes: int = 0


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def prune_reports(root: Path, run_ids: list[str], keep: int) -> Pruned:
    """Delete the HTML reports and the stored Great Expectations validation results of every run but the newest
    ``keep`` (``run_ids`` oldest first). Their ``runs`` rows and their data stay; only what a run left for
    reading about it goes (a scheduled pipeline adds both every run, whether or not it had anything new)."""
    return delete_run_files(root, set(run_ids[: max(len(run_ids) - keep, 0)]))


def delete_run_files(root: Path, gone: set[str]) -> Pruned:
    """Delete the HTML reports and the stored Great Expectations validation results of the runs in ``gone``."""
    from berita.flows import validation

    pruned = Pruned()
    reports = root / warehouse.REPORTS
    for report in sorted(reports.glob("*.html")) if reports.is_dir() else []:
        if report.stem in gone:
            pruned.bytes += _size(report)
            report.unlink()
            pruned.reports += 1
    # <gx>/gx/uncommitted/validations/<suite>/<table>/<run id>-<batch>-<table>/<time>/...: one folder a checkpoint
    results = validation.gx_root(root) / "gx" / "uncommitted" / "validations"
    for folder in sorted(results.glob("*/*/*")) if results.is_dir() else []:
        if folder.is_dir() and "-".join(folder.name.split("-")[:2]) in gone:  # a run id is "<time>-<suffix>"
            pruned.bytes += _size(folder)
            shutil.rmtree(folder)
            pruned.results += 1
    return pruned


def noop_runs(runs: list[dict[str, object]]) -> list[str]:
    """The runs (oldest first) that had nothing new: incremental runs that succeeded with no new input.

    >>> noop_runs([{"run_id": "a", "mode": "incremental", "status": "succeeded", "inputs_new": 0},
    ...            {"run_id": "b", "mode": "incremental", "status": "succeeded", "inputs_new": 3},
    ...            {"run_id": "c", "mode": "incremental", "status": "failed", "inputs_new": 0}])
    ['a']
    """
    return [
        str(r["run_id"])
        for r in runs
        if r["mode"] == "incremental" and r["status"] == RunStatus.SUCCEEDED and r["inputs_new"] == 0
    ]


def compact(
    root: Path,
    run_id: str,
    keep_last: int = 0,
    wait_seconds: float = 0.0,
    keep_reports: int | None = None,
    keep_noop_runs: int | None = None,
) -> Compaction:
    """Merge every run's partitions, except the newest ``keep_last`` runs, into one partition per
    table named ``run_id``; published like --reprocess, by one atomic exchange per table. With
    ``keep_reports``, then delete the reports and validation results of all but the newest that many runs.
    With ``keep_noop_runs``, the runs that had nothing new, but the newest that many, leave the ``runs`` table
    (in the same atomic publish) with their reports and validation results: a schedule adds one every run.

    Rows keep their content and ids; their ``run_id`` becomes the compaction's, and the ``runs``
    table records which runs were merged. The ``runs`` table itself is history and is not merged.
    """
    started = datetime.now(UTC)
    result = Compaction(run_id)
    with warehouse_lock(root, wait_seconds) as stale:
        result.notes = ([stale] if stale else []) + warehouse.recover(root)
        columns = ["run_id", "started_at", "mode", "status", "inputs_new"]
        runs = warehouse.read_table(root, "runs", columns).sort_by("started_at").to_pylist()
        if keep_noop_runs is not None:
            noop = noop_runs(runs)
            result.noop_runs_pruned = noop[: max(len(noop) - keep_noop_runs, 0)]
            dropped = set(result.noop_runs_pruned)
            runs = [r for r in runs if r["run_id"] not in dropped]
        # Only runs that brought data count as "the newest"; compacted partitions may always merge.
        order = [r["run_id"] for r in runs if r["mode"] != "compact"]
        kept = set(order[len(order) - keep_last :]) if keep_last > 0 else set()
        if keep_reports is not None:
            result.pruned = prune_reports(root, [r["run_id"] for r in runs], keep_reports)
        for table in DATA_TABLES:
            files = {p: len(list(p.glob("*.parquet"))) for p in warehouse.partitions(root, table)}
            merge = [p for p in files if p.name.removeprefix("run_id=") not in kept]
            keep = [p for p in files if p not in merge]
            result.files_before += sum(files.values())
            if sum(files[p] for p in merge) <= 1:
                result.files_after += sum(files.values())
                continue
            result.rows += warehouse.stage_compaction(root, run_id, table, merge, keep)
            result.files_after += 1 + sum(files[p] for p in keep)
            result.merged_runs = sorted({*result.merged_runs, *(p.name.removeprefix("run_id=") for p in merge)})
        if not result.merged_runs and not result.noop_runs_pruned:
            warehouse.discard(root, run_id)
            return result
        pruned_note = (
            f"; pruned {len(result.noop_runs_pruned)} runs with nothing new" if result.noop_runs_pruned else ""
        )
        row = {
            "started_at": started, "finished_at": datetime.now(UTC), "status": "succeeded", "inputs_seen": 0,
            "inputs_new": 0, "articles_written": 0, "quarantined": 0, "duplicates": 0, "unchanged": 0,
            "lines_removed": 0,
            "pipeline_version": berita.__version__, "mode": "compact",
            "message": f"merged {len(result.merged_runs)} runs: {', '.join(result.merged_runs)}{pruned_note}",
            "report_path": None,
            "warnings": None,  # a compaction runs no checks
        }  # fmt: skip
        staging = warehouse.staging_dir(root, run_id)
        warehouse.write_part(staging, run_id, "runs", "00000", rows_to_table("runs", [row]))
        if result.noop_runs_pruned:
            warehouse.stage_runs_without(root, run_id, set(result.noop_runs_pruned))
        warehouse.commit(root, run_id, "compact", replace_runs=bool(result.noop_runs_pruned))
        warehouse.publish(root, run_id)
        if result.noop_runs_pruned:  # after the publish: a report without its runs row is harmless, not the reverse
            result.pruned = _add(result.pruned, delete_run_files(root, set(result.noop_runs_pruned)))
    return result


def _add(a: Pruned | None, b: Pruned) -> Pruned:
    if a is None:
        return b
    return Pruned(a.reports + b.reports, a.results + b.results, a.bytes + b.bytes)
