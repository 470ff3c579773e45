"""Crash safety and locking: runs killed with SIGKILL at each stage, and concurrent runs."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from berita.flows.faults import POINTS
from berita.flows.lock import LOCK_NAME, WarehouseLocked, warehouse_lock
from berita.transforms.records import TABLES
from tests.conftest import REPO, a_run_over_three_seeds, run_berita

SEEDS = sorted((REPO / "seeds").glob("*.txt"))
PRE_COMMIT = ("staged-batch", "before-commit")


def _berita(
    *args: str, prefect_home: Path, crash_at: str | None = None, api: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {"PREFECT_HOME": str(prefect_home), **({"BERITA_CRASH_AT": crash_at} if crash_at else {}), **(api or {})}
    return run_berita(*args, env=env)


def snapshot(warehouse: Path) -> dict[str, str]:
    """Every published file (tables and reports) with its content hash. GX's own store under
    _gx/ is not the warehouse's content: validating a batch may add to its history."""
    files = {}
    for path in sorted(warehouse.rglob("*")):
        relative = path.relative_to(warehouse)
        if path.is_file() and (relative.parts[0] in TABLES or relative.parts[0] == "_reports"):
            files[relative.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def _count(warehouse: Path, table: str) -> int:
    return ds.dataset(warehouse / table, partitioning="hive").count_rows()


@pytest.fixture(scope="module")
def prefect_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("prefect")


@pytest.fixture(scope="module")
def first_run(
    tmp_path_factory: pytest.TempPathFactory, prefect_home: Path, shared_api: dict[str, str]
) -> tuple[Path, Path]:
    return a_run_over_three_seeds(tmp_path_factory, {"PREFECT_HOME": str(prefect_home), **shared_api})


@pytest.mark.slow
@pytest.mark.parametrize("point", POINTS)
def test_a_run_killed_at_any_point_is_undone_or_completed(
    point: str, first_run: tuple[Path, Path], prefect_home: Path, tmp_path: Path, shared_api: dict[str, str]
) -> None:
    """(The runs use the session's Prefect API: the subject is the warehouse, and a private server's boot
    took most of each run's time.)"""
    inputs, template = first_run
    warehouse = tmp_path / "warehouse"
    shutil.copytree(template, warehouse)
    before = snapshot(warehouse)
    where = ("--input", str(inputs), "--warehouse", str(warehouse))

    killed = _berita("run", *where, prefect_home=prefect_home, crash_at=point, api=shared_api)
    assert killed.returncode == -9, (point, killed.stderr[-2000:])
    if point in PRE_COMMIT:
        assert snapshot(warehouse) == before, "a run killed before it committed must leave the tables untouched"

    done = _berita("run", *where, prefect_home=prefect_home, api=shared_api)
    assert done.returncode == 0, done.stderr
    expected_note = "discarded the unfinished run" if point in PRE_COMMIT else "which was killed after it committed"
    assert expected_note in done.stdout
    # Nothing missing, nothing twice: five articles, five ledger rows, no staging left.
    articles = ds.dataset(warehouse / "articles", partitioning="hive").to_table().column("article_id").to_pylist()
    assert sorted(articles) == sorted(set(articles)) and len(articles) == 5
    assert _count(warehouse, "inputs") == 5
    assert not (warehouse / "_staging").exists()
    statuses = ds.dataset(warehouse / "runs", partitioning="hive").to_table().column("status").to_pylist()
    assert set(statuses) == {"succeeded"}


def test_a_second_run_on_a_locked_warehouse_exits_with_a_clear_message(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    refused: list[str] = []

    def second_run() -> None:  # another thread: the holding thread itself may take the lock again
        try:
            with warehouse_lock(warehouse):
                pass
        except WarehouseLocked as exc:
            refused.append(str(exc))

    with warehouse_lock(warehouse):
        other = threading.Thread(target=second_run)
        other.start()
        other.join()
    assert len(refused) == 1 and f"pid {os.getpid()}" in refused[0]


def test_waiting_for_the_lock_queues_behind_the_holder(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    released = threading.Event()

    def hold() -> None:
        with warehouse_lock(warehouse):
            time.sleep(1.0)
        released.set()

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.2)
    with warehouse_lock(warehouse, wait_seconds=30):
        assert released.is_set()
    holder.join()


def test_a_stale_lock_from_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    warehouse.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (warehouse / LOCK_NAME).write_text(
        f'{{"pid": {dead.pid}, "host": "{os.uname().nodename}", "started_at": "2026-01-01T00:00:00+00:00"}}'
    )
    with warehouse_lock(warehouse) as note:
        assert note is not None and f"pid {dead.pid}" in note


@pytest.mark.slow
def test_cli_reports_a_busy_warehouse_with_exit_75(tmp_path: Path, prefect_home: Path) -> None:
    warehouse = tmp_path / "warehouse"
    with warehouse_lock(warehouse):
        done = _berita("run", "--warehouse", str(warehouse), prefect_home=prefect_home)
    assert done.returncode == 75
    assert "in use by another berita run" in done.stderr and "--wait" in done.stderr
    assert "Traceback" not in done.stderr


def _staged_run(root: Path, run_id: str, mode: str = "append", runs_row: bool = True) -> Path:
    """A committed staging area as a run writes it: one article part and its runs row."""
    from datetime import UTC, datetime

    import pyarrow as pa

    from berita.flows import warehouse
    from berita.transforms.tables import rows_to_table

    staging = warehouse.staging_dir(root, run_id)
    articles = pa.table({"article_id": ["a" * 16], "title": ["Judul"]})
    (staging / "articles" / f"run_id={run_id}").mkdir(parents=True)
    schema = warehouse.arrow_schema("articles", with_partition=False)
    full = pa.table({name: pa.nulls(1, field.type) for name, field in zip(schema.names, schema, strict=True)})
    full = full.set_column(schema.names.index("article_id"), "article_id", articles["article_id"])
    import pyarrow.parquet as pq

    pq.write_table(full, staging / "articles" / f"run_id={run_id}" / "part-00000.parquet")
    if runs_row:
        now = datetime.now(UTC)
        row = {"started_at": now, "finished_at": now, "status": "succeeded", "inputs_seen": 1, "inputs_new": 1,
               "articles_written": 1, "quarantined": 0, "duplicates": 0, "unchanged": 0, "lines_removed": 0,
               "pipeline_version": "t", "mode": "incremental", "message": None, "report_path": None,
               "warnings": None}  # fmt: skip
        warehouse.write_part(staging, run_id, "runs", "00000", rows_to_table("runs", [row]))
    warehouse.commit(root, run_id, mode)
    return staging


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        ("garbage", "not JSON"),
        ("other run", "does not name this run"),
        ("foreign part", "a foreign file"),
        ("no runs row", "no runs row"),
    ],
)
def test_junk_in_staging_is_set_aside_not_published_and_not_fatal(tmp_path: Path, damage: str, says: str) -> None:
    """Recovery publishes only a commit berita wrote: junk there can neither break every later run nor reach a
    table (a foreign part, or a "replace" commit with nothing in it, once published a schema or wiped articles)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from berita.flows import warehouse

    root = tmp_path / "warehouse"
    _staged_run(root, "20260101T000000Z-good00")
    warehouse.publish(root, "20260101T000000Z-good00")
    before = snapshot(root)
    run_id = "20260101T000001Z-junk00"
    staging = _staged_run(root, run_id, mode="replace", runs_row=damage != "no runs row")
    if damage == "garbage":
        (staging / "COMMIT").write_text("garbage{", encoding="utf-8")
    elif damage == "other run":
        (staging / "COMMIT").write_text('{"run_id": "x", "mode": "replace"}', encoding="utf-8")
    elif damage == "foreign part":
        pq.write_table(pa.table({"x": [1]}), staging / "articles" / f"run_id={run_id}" / "part-99999.parquet")
    (note,) = warehouse.recover(root)
    assert note.startswith(f"set aside the staging area {run_id} unpublished") and says in note, note
    assert snapshot(root) == before and (root / "_rejected" / run_id / "COMMIT").exists()
    assert not (root / "_staging").exists() and warehouse.recover(root) == []  # and the next run is not stopped


def test_a_commit_berita_wrote_is_still_rolled_forward(tmp_path: Path) -> None:
    from berita.flows import warehouse

    root = tmp_path / "warehouse"
    _staged_run(root, "20260101T000000Z-good00")
    assert warehouse.recover(root) == ["completed run 20260101T000000Z-good00, which was killed after it committed"]
    assert _count(root, "articles") == 1 and _count(root, "runs") == 1
