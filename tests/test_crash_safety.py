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
