"""Signals and contention: Ctrl-C during a run, a busy warehouse, an unreachable Prefect API."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pyarrow.dataset as ds
import pytest

from berita.bench import write_corpus
from berita.flows.faults import POINTS
from berita.flows.lock import WarehouseLocked, abandon_held_locks, warehouse_lock
from berita.transforms.records import DATA_TABLES
from tests.conftest import REPO, a_run_over_three_seeds, run_berita

SEEDS = sorted((REPO / "seeds").glob("*.txt"))
PRE_COMMIT = ("staged-batch", "before-commit")
EXIT_INTERRUPTED = 130
EXIT_LOCKED = 75
T = TypeVar("T")


def _env(prefect_home: Path, **extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "BERITA_"))}
    return {**clean, "PREFECT_HOME": str(prefect_home), **extra}


def _start_run(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """`berita run ARGS` as a terminal starts it: the leader of its own process group, so that
    a signal sent to that group is what Ctrl-C sends."""
    return subprocess.Popen(
        [sys.executable, "-m", "berita.cli", "run", *args], cwd=REPO, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip


def _ctrl_c(process: subprocess.Popen[str]) -> float:
    os.killpg(process.pid, signal.SIGINT)
    return time.monotonic()


def _wait_until(check: Callable[[], T | None], what: str, process: subprocess.Popen[str], timeout: float = 300) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        if process.poll() is not None:
            _, err = process.communicate()
            raise AssertionError(f"berita exited ({process.returncode}) before {what}: {err[-3000:]}")
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"timed out waiting for {what}")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _server_of(process: subprocess.Popen[str]) -> int:
    """The pid of the private Prefect server berita started (a uvicorn child)."""

    def server() -> int | None:
        for child in _children(process.pid):
            try:
                if b"uvicorn" in Path(f"/proc/{child}/cmdline").read_bytes():
                    return child
            except FileNotFoundError:
                continue
        return None

    return _wait_until(server, "the Prefect server started", process)


def _gone(pid: int) -> bool:
    """No such process, or only a zombie waiting for init to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def _gone_soon(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while not _gone(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _staged_batch(warehouse: Path) -> bool:
    return any((warehouse / "_staging").glob("*/articles/*/part-*.parquet"))


def _tables(warehouse: Path) -> dict[str, str]:
    """Every published data-table file with its content hash."""
    return {
        path.relative_to(warehouse).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for table in DATA_TABLES
        for path in sorted((warehouse / table).rglob("*"))
        if path.is_file()
    }


def _runs(warehouse: Path) -> list[dict[str, object]]:
    return ds.dataset(warehouse / "runs", partitioning="hive").to_table(columns=["run_id", "status"]).to_pylist()


def _lock_is_free(warehouse: Path) -> bool:
    try:
        with warehouse_lock(warehouse):
            return True
    except WarehouseLocked:
        return False


def _interrupted_lines(done: subprocess.CompletedProcess[str] | tuple[str, str]) -> list[str]:
    out, err = (done.stdout, done.stderr) if isinstance(done, subprocess.CompletedProcess) else done
    return [line for line in (out + err).splitlines() if "interrupted" in line]


@pytest.fixture(scope="module")
def prefect_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("prefect")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,500 generated documents: in batches of 100, a run is mid-way for about 15 s."""
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, 1500, 1)
    return folder


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, prefect_home: Path) -> Path:
    """A warehouse holding one successful run over the seeds."""
    warehouse = tmp_path_factory.mktemp("wh") / "warehouse"
    done = run_berita("run", "--input", "seeds", "--warehouse", str(warehouse), env={"PREFECT_HOME": str(prefect_home)})
    assert done.returncode == 0, done.stderr
    return warehouse


@pytest.fixture
def warehouse(template: Path, tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "warehouse"
    shutil.copytree(template, copy)
    yield copy


def _assert_as_before_or_failed_row(
    warehouse: Path, tables_before: dict[str, str], runs_before: list[dict[str, object]]
) -> None:
    """The data tables as they were; the runs table as it was, plus at most this run's failed row."""
    assert _tables(warehouse) == tables_before
    runs = _runs(warehouse)
    assert [r for r in runs if r in runs_before] == runs_before
    assert all(r["status"] == "failed" for r in runs if r not in runs_before)
    assert len(runs) - len(runs_before) <= 1


@pytest.mark.slow
def test_ctrl_c_mid_run_exits_130_at_once_and_leaves_everything_as_it_was(
    corpus: Path, warehouse: Path, prefect_home: Path
) -> None:
    tables_before, runs_before = _tables(warehouse), _runs(warehouse)
    run = _start_run(
        "--input", str(corpus), "--warehouse", str(warehouse), "--batch-size", "100", env=_env(prefect_home)
    )
    server = _server_of(run)
    _wait_until(lambda: _staged_batch(warehouse) or None, "a batch staged", run)
    sent = _ctrl_c(run)
    out, err = run.communicate(timeout=60)
    seconds = time.monotonic() - sent
    print(f"exit {seconds:.2f} s after Ctrl-C")

    assert run.returncode == EXIT_INTERRUPTED, err[-3000:]
    assert seconds < 10, f"took {seconds:.1f} s to exit after Ctrl-C"
    assert _interrupted_lines((out, err)) == ["berita: interrupted; the warehouse is as it was before this run"]
    assert "Traceback" not in out + err and "Error" not in out + err, err[-3000:]
    assert _gone_soon(server), "the private Prefect server outlived berita"
    assert _lock_is_free(warehouse)
    assert not (warehouse / "_staging").exists(), "an interrupted run removes what it staged"
    _assert_as_before_or_failed_row(warehouse, tables_before, runs_before)
    assert {r["status"] for r in _runs(warehouse)} <= {"succeeded", "failed"}


@pytest.mark.slow
def test_ctrl_c_with_dask_workers_is_one_line_too(corpus: Path, warehouse: Path, prefect_home: Path) -> None:
    """The local cluster's processes share berita's process group: the terminal's SIGINT reaches them too, and
    each printed a KeyboardInterrupt traceback. They are started ignoring it; berita stops them."""
    run = _start_run(
        "--input", str(corpus), "--warehouse", str(warehouse), "--batch-size", "100", "--workers", "2",
        env=_env(prefect_home),
    )  # fmt: skip
    _wait_until(lambda: _staged_batch(warehouse) or None, "a batch staged", run)
    sent = _ctrl_c(run)
    out, err = run.communicate(timeout=60)
    seconds = time.monotonic() - sent
    print(f"exit {seconds:.2f} s after Ctrl-C with --workers 2")
    assert run.returncode == EXIT_INTERRUPTED, err[-3000:]
    assert seconds < 15, f"took {seconds:.1f} s to exit after Ctrl-C"
    assert _interrupted_lines((out, err)) == ["berita: interrupted; the warehouse is as it was before this run"]
    assert "Traceback" not in out + err and "KeyboardInterrupt" not in out + err, err[-3000:]
    assert _lock_is_free(warehouse)
    # Not asserted here: that the data tables are as before. Once in a few runs the run had already
    # committed when Ctrl-C came, published in full, and still said "as it was" (see the CHANGELOG).


@pytest.mark.slow
def test_a_second_ctrl_c_exits_130_at_once(corpus: Path, warehouse: Path, prefect_home: Path) -> None:
    tables_before, runs_before = _tables(warehouse), _runs(warehouse)
    run = _start_run(
        "--input", str(corpus), "--warehouse", str(warehouse), "--batch-size", "100", env=_env(prefect_home)
    )
    server = _server_of(run)
    _wait_until(lambda: _staged_batch(warehouse) or None, "a batch staged", run)
    _ctrl_c(run)
    time.sleep(0.1)
    sent = _ctrl_c(run)
    out, err = run.communicate(timeout=60)
    seconds = time.monotonic() - sent
    print(f"exit {seconds:.2f} s after the second Ctrl-C")

    assert run.returncode == EXIT_INTERRUPTED, err[-3000:]
    assert seconds < 2, f"took {seconds:.1f} s to exit after the second Ctrl-C"
    assert len(_interrupted_lines((out, err))) == 1, err
    assert "Traceback" not in out + err, err[-3000:]
    assert _gone_soon(server), "the private Prefect server outlived berita"
    assert _lock_is_free(warehouse)
    assert (warehouse / ".berita.lock").read_text() == "", "the lock's holder record is cleared"
    _assert_as_before_or_failed_row(warehouse, tables_before, runs_before)

    # What the stopped run staged is discarded by the next run, which finds the warehouse intact.
    again = run_berita(
        "run", "--input", "seeds", "--warehouse", str(warehouse), env={"PREFECT_HOME": str(prefect_home)}
    )
    assert again.returncode == 0, again.stderr
    assert not (warehouse / "_staging").exists()
    assert _tables(warehouse) == tables_before


@pytest.fixture(scope="module")
def three_seeds(
    tmp_path_factory: pytest.TempPathFactory, prefect_home: Path, shared_api: dict[str, str]
) -> tuple[Path, Path]:
    return a_run_over_three_seeds(tmp_path_factory, {"PREFECT_HOME": str(prefect_home), **shared_api})


@pytest.mark.slow
@pytest.mark.parametrize("point", POINTS)
def test_ctrl_c_at_any_point_leaves_the_run_undone_or_complete(
    point: str, three_seeds: tuple[Path, Path], prefect_home: Path, tmp_path: Path, shared_api: dict[str, str]
) -> None:
    """Ctrl-C at each crash point (delivered by the process to itself, as the terminal would):
    before the commit the run is undone; after it, even mid-publish, the run is published whole.
    (The runs use the session's Prefect API: the private server's end is the other tests' subject.)"""
    template_inputs, template = three_seeds
    inputs, warehouse = tmp_path / "inputs", tmp_path / "warehouse"
    shutil.copytree(template_inputs, inputs)
    shutil.copytree(template, warehouse)
    tables_before, runs_before = _tables(warehouse), _runs(warehouse)

    env = {"PREFECT_HOME": str(prefect_home), "BERITA_INTERRUPT_AT": point, **shared_api}
    done = run_berita("run", "--input", str(inputs), "--warehouse", str(warehouse), env=env)

    assert done.returncode == EXIT_INTERRUPTED, (point, done.stderr[-3000:])
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert _lock_is_free(warehouse)
    assert not (warehouse / "_staging").exists()
    [line] = _interrupted_lines(done)
    if point in PRE_COMMIT:
        assert line == "berita: interrupted; the warehouse is as it was before this run"
        _assert_as_before_or_failed_row(warehouse, tables_before, runs_before)
    else:
        assert line.endswith("had committed when it stopped, so it is published in full"), line
        articles = ds.dataset(warehouse / "articles", partitioning="hive").to_table().column("article_id").to_pylist()
        assert len(articles) == len(set(articles)) == 5
        assert ds.dataset(warehouse / "inputs", partitioning="hive").count_rows() == 5
        assert [r["status"] for r in _runs(warehouse)] == ["succeeded", "succeeded"]


@pytest.mark.slow
def test_the_private_server_dies_with_berita_even_by_kill_9(prefect_home: Path, tmp_path: Path) -> None:
    run = _start_run("--input", "seeds", "--warehouse", str(tmp_path / "warehouse"), env=_env(prefect_home))
    server = _server_of(run)
    assert os.getpgid(server) != run.pid, "the server must not be in berita's process group (Ctrl-C)"
    run.kill()
    run.communicate()
    assert _gone_soon(server), "the private Prefect server outlived a killed berita"


def test_a_busy_warehouse_is_refused_at_once_in_one_line_before_prefect_starts(tmp_path: Path) -> None:
    warehouse, home = tmp_path / "warehouse", tmp_path / "prefect"
    with warehouse_lock(warehouse):
        started = time.monotonic()
        done = run_berita("run", "--input", "seeds", "--warehouse", str(warehouse), env={"PREFECT_HOME": str(home)})
        seconds = time.monotonic() - started
    print(f"refused in {seconds:.2f} s")
    assert done.returncode == EXIT_LOCKED, done.stderr
    # Refused before Prefect is even configured (the last line checks it); a private server takes 10 s and more to
    # start, so 2 s (room for a second test worker busy beside this one) still means "at once".
    assert seconds < 2, f"took {seconds:.2f} s to refuse"
    assert done.stdout == "" and done.stderr.count("\n") == 1, done.stderr
    holder = f"pid {os.getpid()} on {socket.gethostname()}, started 20"
    assert done.stderr.startswith(f"berita: error: warehouse {warehouse} is in use by another berita run ({holder}")
    assert "--wait SECONDS" in done.stderr
    assert not home.exists(), "Prefect was configured before the lock was checked"


def test_wait_queues_for_the_lock_for_as_long_as_asked(tmp_path: Path) -> None:
    warehouse, home = tmp_path / "warehouse", tmp_path / "prefect"
    with warehouse_lock(warehouse):
        started = time.monotonic()
        done = run_berita("run", "--warehouse", str(warehouse), "--wait", "1.5", env={"PREFECT_HOME": str(home)})
        seconds = time.monotonic() - started
    assert done.returncode == EXIT_LOCKED, done.stderr
    assert 1.5 <= seconds < 3, seconds
    assert not home.exists()


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api"  # nothing listens there once the socket is closed


@pytest.mark.parametrize("command", ["run", "serve"])
def test_an_unreachable_prefect_api_url_is_one_line_and_exit_2(command: str, tmp_path: Path) -> None:
    url = _closed_port_url()
    env = {"PREFECT_API_URL": url, "PREFECT_HOME": str(tmp_path / "prefect")}
    started = time.monotonic()
    done = run_berita(command, "--input", "seeds", "--warehouse", str(tmp_path / "warehouse"), env=env)
    seconds = time.monotonic() - started
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith(f"berita: error: no Prefect server answers at PREFECT_API_URL={url} ")
    assert seconds < 10, seconds  # at once: not after a connection timeout (with room for a busy second worker)
    assert not (tmp_path / "warehouse").exists()


def test_the_thread_holding_a_lock_may_take_it_again(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    others: list[bool] = []

    def other_thread_gets_it() -> None:
        others.append(_lock_is_free(warehouse))

    with warehouse_lock(warehouse) as note, warehouse_lock(warehouse) as again:
        assert again == note
    with warehouse_lock(warehouse):
        with warehouse_lock(warehouse):
            pass
        thread = threading.Thread(target=other_thread_gets_it)  # still held: the inner one released nothing
        thread.start()
        thread.join()
    assert others == [False]
    assert _lock_is_free(warehouse)


def test_abandoning_held_locks_releases_them_and_clears_the_holder(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    take = f"import pathlib, berita.flows.lock as k\nwith k.warehouse_lock(pathlib.Path({str(warehouse)!r})): pass"
    with warehouse_lock(warehouse):
        abandon_held_locks()
        assert (warehouse / ".berita.lock").read_text() == ""
        other = subprocess.run([sys.executable, "-c", take], capture_output=True, text=True)
        assert other.returncode == 0, other.stderr
