"""Scheduled runs against a real Prefect server: serve the deployment, trigger it, check the tables."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pyarrow.dataset as ds
import pytest

from tests.conftest import REPO

pytestmark = [pytest.mark.slow, pytest.mark.prefect_server]

Prefect = Callable[..., subprocess.CompletedProcess[str]]  # `prefect ARGS` run as a user runs it


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a child by its process id: SIGTERM, then SIGKILL if it does not go."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for(check, timeout: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One real `prefect server start` for this module's tests (each serves its own deployment name).
    Its scheduler looks for deployments to schedule every 5 s, not every 60 s."""
    tmp_path = tmp_path_factory.mktemp("prefect-server")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "server-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
    env.update(PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="5")
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    api = f"http://127.0.0.1:{port}/api"

    def healthy() -> bool:
        assert server.poll() is None, (tmp_path / "server.log").read_text()[-3000:]
        try:
            return httpx.get(f"{api}/health", timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        _wait_for(healthy, 240, "prefect server start")
        yield api
    finally:
        _stop(server)
        log.close()


def _client_env(api: str, home: Path) -> dict[str, str]:
    """A user's shell pointed at the server: no PREFECT_* or BERITA_* from the test process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "BERITA_"))}
    env.update(PREFECT_API_URL=api, PREFECT_HOME=str(home), DO_NOT_TRACK="1")
    return env


def _api_caller(client: httpx.Client) -> Callable[..., Any]:
    def api(method: str, path: str, **kwargs: object) -> Any:
        """The server's JSON answer; transient errors (SQLite busy under load) are retried."""
        for _ in range(10):
            response = client.request(method, path, **kwargs)  # type: ignore[arg-type]
            if response.status_code < 500:
                response.raise_for_status()
                return response.json()
            time.sleep(1)
        raise AssertionError(f"{method} {path}: {response.status_code} {response.text[:500]}")

    return api


def _start_serve(tmp_path: Path, api: str, *args: str, **env: str) -> subprocess.Popen[bytes]:
    """`berita serve ARGS` on a copy of the seeds into tmp_path/warehouse, logging to tmp_path/serve.log."""
    inputs = tmp_path / "inputs"
    shutil.copytree(REPO / "seeds", inputs)
    with (tmp_path / "serve.log").open("wb") as log:  # the child keeps its own copy of the handle
        return subprocess.Popen(
            [sys.executable, "-m", "berita.cli", "serve", *args, "--input", str(inputs),
             "--warehouse", str(tmp_path / "warehouse")],
            cwd=tmp_path, env={**_client_env(api, tmp_path / "client-home"), **env},
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )  # fmt: skip


def _deployment_id(api: Any, serve: subprocess.Popen[bytes], log: Path, name: str) -> str:
    def found() -> str | None:
        assert serve.poll() is None, log.read_text()[-3000:]
        deployments = api("POST", "/deployments/filter", json={"limit": 200})
        return next((str(d["id"]) for d in deployments if d["name"] == name), None)

    return str(_wait_for(found, 180, f"the {name} deployment"))


def test_served_deployment_runs_on_a_real_server(prefect_server: str, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    serve = _start_serve(tmp_path, prefect_server, "--cron", "0 0 1 1 *")
    client = httpx.Client(base_url=prefect_server, timeout=30)
    api = _api_caller(client)
    try:
        deployment = _deployment_id(api, serve, tmp_path / "serve.log", "berita")
        detail = api("GET", f"/deployments/{deployment}")
        assert isinstance(detail, dict)
        assert [s["schedule"]["cron"] for s in detail["schedules"]] == ["0 0 1 1 *"]
        created = api("POST", f"/deployments/{deployment}/create_flow_run", json={})
        assert isinstance(created, dict)
        flow_run = created["id"]

        def finished() -> str | None:
            run = api("GET", f"/flow_runs/{flow_run}")
            assert isinstance(run, dict)
            state = run.get("state")
            done = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")
            return str(state["type"]) if isinstance(state, dict) and state["type"] in done else None

        assert _wait_for(finished, 300, "the flow run") == "COMPLETED", (tmp_path / "serve.log").read_text()[-3000:]
    finally:
        _stop(serve)
        client.close()
    assert ds.dataset(warehouse / "articles", partitioning="hive").count_rows() == 5
    runs = ds.dataset(warehouse / "runs", partitioning="hive").to_table().to_pylist()
    assert [r["status"] for r in runs] == ["succeeded"]


def test_cron_schedule_fires_on_a_real_server(prefect_server: str, tmp_path: Path) -> None:
    """Prefect's scheduler, not the test, starts the run: `* * * * *` fires within about a minute.

    It did not on SQLAlchemy 2.1, where the scheduler failed ("Can't evaluate bulk DML statement")
    and a cron deployment never got a run.
    """
    warehouse, log = tmp_path / "warehouse", tmp_path / "serve.log"
    # The runner asks for due runs every 2 s instead of 10 s.
    serve = _start_serve(
        tmp_path, prefect_server, "--cron", "* * * * *", "--timezone", "Asia/Jakarta", "--name", "every-minute",
        PREFECT_RUNNER_POLL_FREQUENCY="2",
    )  # fmt: skip
    client = httpx.Client(base_url=prefect_server, timeout=30)
    api = _api_caller(client)
    try:
        deployment = _deployment_id(api, serve, log, "every-minute")
        (schedule,) = api("GET", f"/deployments/{deployment}")["schedules"]
        assert (schedule["schedule"]["cron"], schedule["schedule"]["timezone"]) == ("* * * * *", "Asia/Jakarta")

        # The scheduler makes about a hundred future runs; only the ones that ran have finished.
        finished_runs = {
            "flow_runs": {
                "deployment_id": {"any_": [deployment]},
                "state": {"type": {"any_": ["COMPLETED", "FAILED", "CRASHED", "CANCELLED"]}},
            },
            "limit": 50,
        }

        def finished() -> list[dict[str, Any]]:
            assert serve.poll() is None, log.read_text()[-3000:]
            return list(api("POST", "/flow_runs/filter", json=finished_runs))

        run, *_ = _wait_for(finished, 240, "a scheduled run to finish")
        assert run["state_type"] == "COMPLETED", log.read_text()[-3000:]
        # The runs that ran came from the scheduler: the test created none.
        assert all(r["auto_scheduled"] for r in finished())
    finally:
        _stop(serve)
        client.close()
    assert ds.dataset(warehouse / "articles", partitioning="hive").count_rows() == 5
    runs_table = ds.dataset(warehouse / "runs", partitioning="hive").to_table().to_pylist()
    assert "succeeded" in [r["status"] for r in runs_table]


# fastapi 0.151 began to validate an explicit JSON null against a body field's type instead of using
# the field's default. Prefect 3.8.8's client sends `"limit": null` (and `offset`, `sort`) to the
# filter endpoints, whose fields are `limit: int = Body(None)`, so every `ls` answers 422 and
# `prefect deploy` exits 1 after it created the deployment, when it looks for the pool's workers.
# fastapi 0.150.0 still uses the default: the lock pins it, and these tests fail if that pin moves.


@pytest.fixture(scope="module")
def cli(prefect_server: str, tmp_path_factory: pytest.TempPathFactory) -> Prefect:
    """`prefect ARGS` as a user types it, from a copy of this repository's prefect.yaml and the flow's package
    (so that `prefect deploy` writes nothing here), against the module's server."""
    folder = tmp_path_factory.mktemp("repo-copy")
    shutil.copy(REPO / "prefect.yaml", folder)
    flows = Path("src") / "berita" / "flows"
    shutil.copytree(REPO / flows, folder / flows, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**_client_env(prefect_server, folder / ".prefect-home"), "PREFECT_CLI_PROMPT": "false"}

    def prefect(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "prefect", *args]
        return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=300)

    return prefect


@pytest.fixture(scope="module")
def deployed(cli: Prefect) -> subprocess.CompletedProcess[str]:
    """The README's steps for workers: create the work pool, then `prefect deploy --all`."""
    created = cli("work-pool", "create", "berita", "--type", "process")
    assert created.returncode == 0, created.stdout + created.stderr
    return cli("--no-prompt", "deploy", "--all")


def test_prefect_deploy_all_creates_the_yaml_deployment(
    deployed: subprocess.CompletedProcess[str], prefect_server: str
) -> None:
    with httpx.Client(base_url=prefect_server, timeout=30) as client:
        found = _api_caller(client)("POST", "/deployments/filter", json={"limit": 200})
    (deployment,) = [d for d in found if d["name"] == "berita" and d["work_pool_name"] == "berita"]
    (schedule,) = deployment["schedules"]
    assert schedule["schedule"]["cron"] == "0 * * * *" and schedule["schedule"]["timezone"] == "Asia/Jakarta"


def test_prefect_deploy_all_exits_0(deployed: subprocess.CompletedProcess[str]) -> None:
    assert deployed.returncode == 0, deployed.stdout[-3000:] + deployed.stderr[-3000:]


@pytest.mark.parametrize("command", [("deployment", "ls"), ("flow-run", "ls")], ids=" ".join)
def test_prefect_ls_commands_exit_0(cli: Prefect, command: tuple[str, ...]) -> None:
    done = cli(*command)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_prefect_yaml_declares_the_same_deployment() -> None:
    import inspect

    import yaml

    from berita.flows.clean_news import clean_news

    spec = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    (deployment,) = spec["deployments"]
    path, name = deployment["entrypoint"].split(":")
    assert (REPO / path).is_file() and name == "clean_news"
    assert set(deployment["parameters"]) == set(inspect.signature(clean_news.fn).parameters) == {"settings"}
    clean_news.validate_parameters(deployment["parameters"])  # every key a setting, every value valid
    assert deployment["schedules"][0]["cron"] == "0 * * * *"
