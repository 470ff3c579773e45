"""Scaling out: the flow on a real Dask cluster (a scheduler and two workers, each its own process)
writes the same rows, with the same ids, as a single-process run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest

from berita.bench import write_corpus
from berita.transforms.records import DATA_TABLES
from tests.conftest import run_berita

pytestmark = pytest.mark.slow

DASK = Path(sys.executable).with_name("dask")


def _table_rows(warehouse: Path, table: str) -> list[str]:
    """A table's rows without run_id, as sorted JSON strings: comparable across runs."""
    data = ds.dataset(warehouse / table, partitioning="hive").to_table()
    data = data.drop_columns([c for c in ("run_id",) if c in data.column_names])
    return sorted(json.dumps(row, sort_keys=True, default=str) for row in data.to_pylist())


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "BERITA_"))}
    out = log.open("wb")
    return subprocess.Popen([str(DASK), *args], stdout=out, stderr=subprocess.STDOUT, env=clean, start_new_session=True)


def _wait_for_workers(scheduler_file: Path, n: int, timeout: float) -> str:
    from distributed import Client

    deadline = time.monotonic() + timeout
    while not scheduler_file.exists():
        if time.monotonic() > deadline:
            raise TimeoutError("the Dask scheduler did not write its scheduler file")
        time.sleep(0.2)
    with Client(scheduler_file=str(scheduler_file), timeout=timeout) as client:
        client.wait_for_workers(n, timeout=max(deadline - time.monotonic(), 1))
        return str(client.scheduler.address)


def _task_prefixes(scheduler_file: Path) -> dict[str, Any]:
    """What the scheduler ran: task name prefix -> count of tasks per state."""
    from distributed import Client

    def prefixes(dask_scheduler: Any) -> dict[str, Any]:
        return {name: dict(prefix.state_counts) for name, prefix in dask_scheduler.task_prefixes.items()}

    with Client(scheduler_file=str(scheduler_file), timeout=30) as client:
        return dict(client.run_on_scheduler(prefixes))


def _stop(processes: list[subprocess.Popen[Any]]) -> None:
    """Stop by process id (the whole session, so that a worker's nanny child goes too)."""
    for p in processes:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
    for p in processes:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout=10)


def test_a_real_dask_cluster_writes_what_one_process_writes(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    write_corpus(inputs, 120, seed=5)
    (inputs / "copy").mkdir()
    (inputs / "copy" / "again.txt").write_bytes((inputs / "0000" / "0000003.txt").read_bytes())  # a duplicate

    single = run_berita("run", "--input", str(inputs), "--warehouse", str(tmp_path / "single"), "--batch-size", "25")
    assert single.returncode == 0, single.stderr

    scheduler_file = tmp_path / "scheduler.json"
    processes = [
        _start(["scheduler", "--scheduler-file", str(scheduler_file), "--port", "0", "--no-dashboard"],
               tmp_path / "scheduler.log"),
    ]  # fmt: skip
    try:
        for i in range(2):
            processes.append(
                _start(
                    ["worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1", "--no-dashboard"],
                    tmp_path / f"worker{i}.log",
                )
            )
        address = _wait_for_workers(scheduler_file, 2, timeout=120)
        assert address.startswith("tcp://")
        on_dask = run_berita(
            "run", "--input", str(inputs), "--warehouse", str(tmp_path / "dask"), "--batch-size", "25",
            "--dask-address", address, "--workers", "2",
        )  # fmt: skip
        assert on_dask.returncode == 0, on_dask.stderr
        ran = _task_prefixes(scheduler_file)
        assert ran.get("clean_batch", {}).get("memory") == 5, f"all 5 batches ran on the cluster: {ran}"
    finally:
        _stop(processes)
    assert all(p.returncode is not None for p in processes), "every Dask process was stopped"

    for table in DATA_TABLES:
        assert _table_rows(tmp_path / "dask", table) == _table_rows(tmp_path / "single", table), table
    articles = _table_rows(tmp_path / "single", "articles")
    assert len(articles) >= 100


def test_a_failed_run_cancels_the_batches_still_queued() -> None:
    """When the flow fails, batches waiting on the task runner are cancelled, not left to run."""
    import threading
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor
    from types import SimpleNamespace

    from berita.flows.clean_news import _cancel_in_flight

    release = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(release.wait)
        queued = [pool.submit(lambda: "cleaned") for _ in range(2)]
        window = deque(("part", None, SimpleNamespace(wrapped_future=f)) for f in [running, *queued])
        _cancel_in_flight(window)  # type: ignore[arg-type]
        release.set()
    assert all(f.cancelled() for f in queued)
    assert running.result() is True  # a batch already running finishes
