"""Reading inputs and writing the Parquet warehouse: all of berita's file IO lives here."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from berita.transforms.records import TABLES, arrow_schema

# File types berita reads today, by suffix (lower-cased).
SUPPORTED_SUFFIXES = frozenset({".txt"})
STAGING = "_staging"
PARQUET_OPTIONS = {"compression": "zstd", "row_group_size": 64 * 1024}


class InputError(ValueError):
    """The input location cannot be read at all (not a per-document problem)."""


def discover_inputs(root: Path) -> list[str]:
    """Every regular, non-hidden file under ``root``, as sorted POSIX paths relative to it.

    Symbolic links to directories are not followed (no loops); hidden files and folders
    (names starting with '.') are skipped.
    """
    if not root.exists():
        raise InputError(f"input folder {root} does not exist")
    if not root.is_dir():
        raise InputError(f"input {root} is not a folder")
    found: list[str] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.startswith("."):
                continue
            path = Path(folder) / name
            if path.is_file():
                found.append(path.relative_to(root).as_posix())
    return sorted(found)


def is_supported(relative: str) -> bool:
    return Path(relative).suffix.lower() in SUPPORTED_SUFFIXES


def read_input(root: Path, relative: str) -> bytes:
    return (root / relative).read_bytes()


def staging_dir(warehouse: Path, run_id: str) -> Path:
    """Where a run writes its files before publishing them (same file system as the tables)."""
    return warehouse / STAGING / run_id


def _partition(base: Path, table: str, run_id: str) -> Path:
    return base / table / f"run_id={run_id}"


def write_batch(staging: Path, run_id: str, batch_no: int, tables: dict[str, pa.Table]) -> None:
    """Write one batch's tables as part files of the run's partitions in the staging area."""
    for name, table in tables.items():
        if table.num_rows == 0:
            continue
        folder = _partition(staging, name, run_id)
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, folder / f"part-{batch_no:05d}.parquet", **PARQUET_OPTIONS)


def publish_run(warehouse: Path, run_id: str) -> dict[str, Path]:
    """Move the run's staged partitions into the tables, then drop the partitions they replace.

    Each partition arrives by one rename on the same file system, so a reader sees a table's
    new partition whole or not at all. Every table gets a partition, with an empty part file
    when the run had no rows for it, so that readers never meet a missing table.
    """
    staging = staging_dir(warehouse, run_id)
    published: dict[str, Path] = {}
    for name in TABLES:
        source = _partition(staging, name, run_id)
        if not source.exists():
            source.mkdir(parents=True)
            pq.write_table(arrow_schema(name, with_partition=False).empty_table(), source / "part-00000.parquet")
        target = _partition(warehouse, name, run_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
        for old in target.parent.iterdir():
            if old.name.startswith("run_id=") and old != target:
                shutil.rmtree(old)
        published[name] = target.parent
    shutil.rmtree(staging, ignore_errors=True)
    _remove_if_empty(warehouse / STAGING)
    return published


def discard_run(warehouse: Path, run_id: str) -> None:
    """Remove a failed run's staging area; the published tables are untouched."""
    shutil.rmtree(staging_dir(warehouse, run_id), ignore_errors=True)
    _remove_if_empty(warehouse / STAGING)


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty (another run is staging) or already gone
        folder.rmdir()
