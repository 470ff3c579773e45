"""Scheduled runs against a real Prefect server: serve the deployment, trigger it, check the tables."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyarrow.dataset as ds
import pytest

from tests.conftest import REPO

pytestmark = [pytest.mark.slow, pytest.mark.prefect_server]


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


@pytest.fixture
def prefect_server(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "server-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
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


def test_served_deployment_runs_on_a_real_server(prefect_server: str, tmp_path: Path) -> None:
    inputs, warehouse = tmp_path / "inputs", tmp_path / "warehouse"
    shutil.copytree(REPO / "seeds", inputs)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "BERITA_"))}
    env.update(PREFECT_API_URL=prefect_server, PREFECT_HOME=str(tmp_path / "client-home"), DO_NOT_TRACK="1")
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen(
        [sys.executable, "-m", "berita.cli", "serve", "--cron", "0 0 1 1 *", "--input", str(inputs),
         "--warehouse", str(warehouse)],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    client = httpx.Client(base_url=prefect_server, timeout=30)

    def api(method: str, path: str, **kwargs: object) -> dict[str, object] | list[dict[str, object]]:
        """The server's JSON answer; transient errors (SQLite busy under load) are retried."""
        for _ in range(10):
            response = client.request(method, path, **kwargs)  # type: ignore[arg-type]
            if response.status_code < 500:
                response.raise_for_status()
                return response.json()  # type: ignore[no-any-return]
            time.sleep(1)
        raise AssertionError(f"{method} {path}: {response.status_code} {response.text[:500]}")

    try:

        def deployment_id() -> str | None:
            assert serve.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
            found = api("POST", "/deployments/filter", json={})
            assert isinstance(found, list)
            return next((str(d["id"]) for d in found if d["name"] == "berita"), None)

        deployment = _wait_for(deployment_id, 180, "the berita deployment")
        detail = api("GET", f"/deployments/{deployment}")
        assert isinstance(detail, dict)
        assert [s["schedule"]["cron"] for s in detail["schedules"]] == ["0 0 1 1 *"]  # type: ignore[attr-defined, index]
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
        log.close()
        client.close()
    assert ds.dataset(warehouse / "articles", partitioning="hive").count_rows() == 5
    runs = ds.dataset(warehouse / "runs", partitioning="hive").to_table().to_pylist()
    assert [r["status"] for r in runs] == ["succeeded"]


def test_prefect_yaml_declares_the_same_deployment() -> None:
    import inspect

    import yaml
    from berita.flows.clean_news import clean_news

    spec = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    (deployment,) = spec["deployments"]
    path, name = deployment["entrypoint"].split(":")
    assert (REPO / path).is_file() and name == "clean_news"
    assert set(deployment["parameters"]) <= set(inspect.signature(clean_news.fn).parameters)
    assert deployment["schedules"][0]["cron"] == "0 * * * *"
