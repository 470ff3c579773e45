"""The Parquet warehouse on disk: staging, the commit journal, publishing and recovery.

A run writes everything under ``_staging/<run_id>/`` (same file system as the tables), then
writes ``COMMIT`` there, then publishes:

- incremental runs move each table's new partition ``run_id=<id>/`` into place with one rename;
- ``--reprocess`` runs swap each whole table folder for the staged one with one atomic exchange
  (``renameat2(RENAME_EXCHANGE)`` on Linux);
- the ``runs`` row is published last.

A reader therefore sees each table's partition whole or not at all. A run killed before
``COMMIT`` leaves the tables exactly as they were (its staging area is discarded by the next
run); a run killed after ``COMMIT`` is completed by the next run (roll forward).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from berita.flows.faults import crash_point
from berita.transforms.records import DATA_TABLES, arrow_schema

STAGING = "_staging"
REJECTED = "_rejected"  # committed staging areas recovery would not publish (see commit_damage)
REPORTS = "_reports"
COMMIT = "COMMIT"
PARQUET_OPTIONS = {"compression": "zstd", "row_group_size": 64 * 1024}
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def staging_dir(warehouse: Path, run_id: str) -> Path:
    """Where a run writes its files before publishing them (same file system as the tables)."""
    return warehouse / STAGING / run_id


def _partition(base: Path, table: str, run_id: str) -> Path:
    return base / table / f"run_id={run_id}"


def write_part(staging: Path, run_id: str, table: str, part: str, data: pa.Table) -> None:
    """Write one part file of a table's partition in the staging area (skipped when empty)."""
    if data.num_rows == 0:
        return
    folder = _partition(staging, table, run_id)
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(data, folder / f"part-{part}.parquet", **PARQUET_OPTIONS)


def _part_path(staging: Path, run_id: str, table: str, part: str) -> Path:
    return _partition(staging, table, run_id) / f"part-{part}.parquet"


def read_part(staging: Path, run_id: str, table: str, part: str, columns: list[str] | None = None) -> pa.Table:
    """One staged part file (only ``columns`` when given), or an empty table of the declared schema
    when the batch had no rows."""
    path = _part_path(staging, run_id, table, part)
    schema = arrow_schema(table, with_partition=False)
    if path.exists():
        return pq.read_table(path, schema=schema, columns=columns)
    return schema.empty_table().select(columns) if columns else schema.empty_table()


def replace_part(staging: Path, run_id: str, table: str, part: str, data: pa.Table) -> None:
    """Rewrite one staged part file atomically (removed when ``data`` is empty)."""
    path = _part_path(staging, run_id, table, part)
    if data.num_rows == 0:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    pq.write_table(data, tmp, **PARQUET_OPTIONS)
    os.replace(tmp, path)


def _run_dataset(staging: Path, run_id: str, table: str) -> ds.Dataset | None:
    folder = _partition(staging, table, run_id)
    files = sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []
    return ds.dataset(files, format="parquet", schema=arrow_schema(table, with_partition=False)) if files else None


# Arrow reads ahead 4 files and 16 batches by default: with a run's 25,000-row line_stats parts
# that held about 100,000 rows in memory, so a long run's peak rose with its number of parts.
_ONE_AT_A_TIME = {"fragment_readahead": 1, "batch_readahead": 1}


def iter_run_table(
    staging: Path, run_id: str, table: str, rows: int, columns: list[str] | None = None
) -> Iterator[pa.Table]:
    """One table of a run (only ``columns`` when given), ``rows`` rows at a time (one empty table
    when nothing is staged)."""
    dataset = _run_dataset(staging, run_id, table)
    if dataset is None:
        empty = arrow_schema(table, with_partition=False).empty_table()
        yield empty.select(columns) if columns else empty
        return
    schema = pa.schema([dataset.schema.field(c) for c in columns]) if columns else dataset.schema
    pending: list[pa.RecordBatch] = []
    count, yielded = 0, False
    for batch in dataset.to_batches(columns=columns, batch_size=rows, **_ONE_AT_A_TIME):
        pending.append(batch)  # a part's batches are small: gather them
        count += batch.num_rows
        if count >= rows:
            yield pa.Table.from_batches(pending, schema=schema)
            pending, count, yielded = [], 0, True
    if count or not yielded:
        yield pa.Table.from_batches(pending, schema=schema)


def count_run_rows(staging: Path, run_id: str, table: str) -> int:
    """Rows staged in one table of a run, from the Parquet footers (no data is read)."""
    dataset = _run_dataset(staging, run_id, table)
    return 0 if dataset is None else dataset.count_rows()


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def commit(warehouse: Path, run_id: str, mode: str, replace_runs: bool = False) -> None:
    """Make the staged run durable: after this, recovery completes it instead of discarding it.

    ``mode`` is ``append`` (an incremental run), ``replace`` (--reprocess), ``compact``, or
    ``record`` (only a failed run's ``runs`` row). ``replace_runs``: the staged ``runs`` table is the whole
    table (a compaction that prunes runs rows), exchanged like a data table; otherwise its row is appended.
    """
    staging = staging_dir(warehouse, run_id)
    staging.mkdir(parents=True, exist_ok=True)
    if mode == "replace":
        # A replacing run replaces every data table, including those it has no rows for.
        for table in DATA_TABLES:
            folder = _partition(staging, table, run_id)
            if not folder.exists():
                folder.mkdir(parents=True)
                pq.write_table(arrow_schema(table, with_partition=False).empty_table(), folder / "part-empty.parquet")
    marker = staging / COMMIT
    tmp = staging / f"{COMMIT}.tmp"
    tmp.write_text(json.dumps({"run_id": run_id, "mode": mode, "replace_runs": replace_runs}), encoding="utf-8")
    with tmp.open("rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, marker)
    _fsync_dir(staging)


def _exchange(a: Path, b: Path) -> None:
    """Atomically swap two directories (Linux renameat2); elsewhere, two renames."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
        if result == 0:
            return
        err = ctypes.get_errno()
        if err not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(err, os.strerror(err), str(a))
    aside = a.with_name(a.name + ".swap")
    os.rename(b, aside)
    os.rename(a, b)
    os.rename(aside, a)


def _ensure_table_exists(warehouse: Path, table: str, run_id: str) -> None:
    """A table that has never had rows still gets a folder with an empty part file, so readers
    (DuckDB globs, pyarrow datasets) find it."""
    if (warehouse / table).exists():
        return
    folder = _partition(warehouse / STAGING / run_id / "_empty", table, run_id)
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(arrow_schema(table, with_partition=False).empty_table(), folder / "part-empty.parquet")
    (warehouse / table).mkdir(parents=True)
    os.replace(folder, _partition(warehouse, table, run_id))


def _publish_table(warehouse: Path, run_id: str, table: str, mode: str, replace_runs: bool = False) -> None:
    staged_table = staging_dir(warehouse, run_id) / table
    if not staged_table.exists():
        return
    target = warehouse / table
    if mode in ("replace", "compact") and (table != "runs" or replace_runs):
        if not (staged_table / f"run_id={run_id}").exists():
            shutil.rmtree(staged_table)  # already exchanged: this is the old table, now retired
            return
        if target.exists():
            _exchange(staged_table, target)
            shutil.rmtree(staged_table)
        else:
            os.rename(staged_table, target)
        return
    source = staged_table / f"run_id={run_id}"
    if source.exists():
        target.mkdir(parents=True, exist_ok=True)
        destination = target / source.name
        if destination.exists():  # a finished earlier attempt at the same publish
            shutil.rmtree(source)
        else:
            os.rename(source, destination)
    shutil.rmtree(staged_table, ignore_errors=True)


def publish(warehouse: Path, run_id: str) -> None:
    """Move a committed run into the tables: data tables first, the runs row last. Idempotent."""
    staging = staging_dir(warehouse, run_id)
    spec = json.loads((staging / COMMIT).read_text(encoding="utf-8"))
    mode, replace_runs = spec["mode"], bool(spec.get("replace_runs", False))
    for i, table in enumerate((*DATA_TABLES, "runs")):
        if table == "runs":
            _publish_reports(warehouse, staging)
            crash_point("before-runs-row")
        _publish_table(warehouse, run_id, table, mode, replace_runs)
        if i == 0:
            crash_point("mid-publish")
        if table != "runs" and mode != "record":  # a failed run's record publishes no data tables
            _ensure_table_exists(warehouse, table, run_id)
    _ensure_table_exists(warehouse, "runs", run_id)
    shutil.rmtree(staging, ignore_errors=True)
    _remove_if_empty(warehouse / STAGING)


def _publish_reports(warehouse: Path, staging: Path) -> None:
    """Move the run's staged report(s) into ``_reports/`` (before the runs row that points at them)."""
    staged = staging / REPORTS
    if not staged.is_dir():
        return
    target = warehouse / REPORTS
    target.mkdir(exist_ok=True)
    for report in staged.glob("*.html"):
        os.replace(report, target / report.name)


def is_committed(warehouse: Path, run_id: str) -> bool:
    """Whether the run wrote its ``COMMIT`` and is not yet wholly published."""
    return (staging_dir(warehouse, run_id) / COMMIT).exists()


def discard(warehouse: Path, run_id: str) -> None:
    """Remove a run's staging area; the published tables are untouched."""
    shutil.rmtree(staging_dir(warehouse, run_id), ignore_errors=True)
    _remove_if_empty(warehouse / STAGING)


def recover(warehouse: Path) -> list[str]:
    """Finish or undo runs that were killed: roll forward what was committed, discard the rest.

    Call it while holding the warehouse lock. Returns one line per run it dealt with.
    """
    staging_root = warehouse / STAGING
    if not staging_root.is_dir():
        return []
    notes: list[str] = []
    for staged in sorted(p for p in staging_root.iterdir() if p.is_dir()):
        if (staged / COMMIT).exists():
            damage = commit_damage(staged)
            if damage is not None:  # never published: set aside whole, for a person to look at
                aside = warehouse / REJECTED / staged.name
                aside.parent.mkdir(exist_ok=True)
                shutil.rmtree(aside, ignore_errors=True)
                os.rename(staged, aside)
                notes.append(
                    f"set aside the staging area {staged.name} unpublished: {damage}; it is in {aside} "
                    "(delete it once you have looked; the tables are as they were)"
                )
                _remove_if_empty(staging_root)
                continue
            publish(warehouse, staged.name)
            notes.append(f"completed run {staged.name}, which was killed after it committed")
        else:
            discard(warehouse, staged.name)
            notes.append(f"discarded the unfinished run {staged.name} (killed before it committed)")
    return notes


MODES = frozenset({"append", "replace", "compact", "record"})


def commit_damage(staged: Path) -> str | None:
    """What makes a committed staging area unfit to publish, or None: a ``COMMIT`` that is not the journal berita
    writes (not JSON, another run's id, an unknown mode), no ``runs`` row of the run, a partition of another run
    where only compactions stage those, or a part whose columns are not the table's (a foreign file). Recovery
    publishes only what passes, so junk in ``_staging`` can neither break every later run nor reach a table.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     run = Path(tmp) / "20260101T000000Z-aaaaaa"
    ...     run.mkdir()
    ...     _ = (run / COMMIT).write_text("garbage{", encoding="utf-8")
    ...     commit_damage(run)
    'its COMMIT is not the journal berita writes (not JSON)'
    """
    try:
        spec = json.loads((staged / COMMIT).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return "its COMMIT is not the journal berita writes (not JSON)"
    if not isinstance(spec, dict) or spec.get("run_id") != staged.name or spec.get("mode") not in MODES:
        return "its COMMIT does not name this run and a mode berita writes"
    own = f"run_id={staged.name}"
    runs_part = staged / "runs" / own
    try:
        runs = pq.read_table(runs_part) if runs_part.is_dir() else None
    except (OSError, pa.ArrowException):
        runs = None
    if runs is None or runs.num_rows != 1:
        return "it holds no runs row of its run (every commit berita writes has one)"
    for table in (*DATA_TABLES, "runs"):
        folder = staged / table
        if not folder.is_dir():
            continue
        wanted = set(arrow_schema(table, with_partition=False).names)
        for partition in folder.iterdir():
            if partition.name != own and spec["mode"] != "compact":
                return f"{table} has a partition of another run ({partition.name})"
            for part in partition.glob("*.parquet"):
                try:
                    names = set(pq.read_schema(part).names)
                except (OSError, pa.ArrowException) as exc:
                    return f"{table}/{partition.name}/{part.name} is not a Parquet file berita can read ({exc})"
                if not names <= wanted or len(names) * 2 < len(wanted):
                    return f"{table}/{partition.name}/{part.name} has other columns than {table} (a foreign file)"
    return None


def partitions(warehouse: Path, table: str) -> list[Path]:
    folder = warehouse / table
    return sorted(p for p in folder.iterdir() if p.name.startswith("run_id=")) if folder.is_dir() else []


def stage_compaction(warehouse: Path, run_id: str, table: str, merge: list[Path], keep: list[Path]) -> int:
    """Stage ``table`` as one merged partition (named ``run_id``) plus the kept partitions
    (hard links, not copies). Streams record batches, so memory stays bounded. Returns rows merged."""
    staged = staging_dir(warehouse, run_id) / table
    merged = staged / f"run_id={run_id}"
    merged.mkdir(parents=True, exist_ok=True)
    schema = arrow_schema(table, with_partition=False)
    rows = 0
    files = [f for folder in merge for f in sorted(folder.glob("*.parquet"))]
    with pq.ParquetWriter(merged / "part-00000.parquet", schema, compression="zstd") as writer:
        for batch in ds.dataset(files, format="parquet", schema=schema).to_batches(batch_size=64 * 1024):
            writer.write_batch(batch)
            rows += batch.num_rows
    for folder in keep:
        (staged / folder.name).mkdir()
        for f in folder.glob("*.parquet"):
            os.link(f, staged / folder.name / f.name)
    return rows


def stage_runs_without(warehouse: Path, run_id: str, dropped: set[str]) -> int:
    """Stage the whole ``runs`` table without the rows of the runs in ``dropped`` (their partitions): hard links
    of the others, beside the compaction's own row already staged. Returns how many partitions were left out."""
    staged = staging_dir(warehouse, run_id) / "runs"
    left_out = 0
    for folder in partitions(warehouse, "runs"):
        if folder.name.removeprefix("run_id=") in dropped:
            left_out += 1
            continue
        (staged / folder.name).mkdir(parents=True)
        for f in folder.glob("*.parquet"):
            os.link(f, staged / folder.name / f.name)
    return left_out


def _published(warehouse: Path, table: str) -> ds.Dataset:
    """A published table with its declared schema: a column that older parts lack reads as null
    (inferred, the schema would be the first file's, whichever run wrote it)."""
    return ds.dataset(warehouse / table, format="parquet", partitioning="hive", schema=arrow_schema(table))


def read_table(warehouse: Path, table: str, columns: list[str] | None = None) -> pa.Table:
    """A published table (all partitions), or an empty one with the declared schema."""
    if not (warehouse / table).is_dir():
        schema = arrow_schema(table)
        return schema.empty_table() if columns is None else schema.empty_table().select(columns)
    return _published(warehouse, table).to_table(columns=columns)


def iter_table(warehouse: Path, table: str, columns: list[str], rows: int = 64 * 1024) -> Iterator[pa.RecordBatch]:
    """A published table's columns a batch of at most ``rows`` rows at a time (nothing when absent)."""
    if (warehouse / table).is_dir():
        yield from _published(warehouse, table).to_batches(columns=columns, batch_size=rows, **_ONE_AT_A_TIME)


def iter_table_rows(warehouse: Path, table: str, columns: list[str]) -> Iterator[list[tuple[Any, ...]]]:
    """A published table's ``columns`` as lists of row tuples, one list per batch of rows."""
    for batch in iter_table(warehouse, table, columns):
        yield list(zip(*(batch.column(name).to_pylist() for name in columns), strict=True))


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty (another run's leftovers) or already gone
        folder.rmdir()
