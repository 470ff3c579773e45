"""Scheduled runs: serve the clean-news flow as a Prefect deployment on a real Prefect server."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from pathlib import Path

DEPLOYMENT = "berita"
START_SERVER = (
    "start one with `prefect server start` (in another terminal), then "
    "`export PREFECT_API_URL=http://127.0.0.1:4200/api` and run berita serve again"
)


class ServerMissing(RuntimeError):
    """No reachable Prefect server to schedule on."""


def check_server(api_url: str | None, what_to_do: str = START_SERVER) -> str:
    """The API URL when a Prefect server answers there; otherwise a ServerMissing saying what to do.

    Prefect cannot schedule runs on its ephemeral server, so berita serve needs a real one;
    berita run asks too when PREFECT_API_URL is set (with its own ``what_to_do``), so that a
    stopped server is one line, not minutes of retries and a traceback.
    """
    if not api_url:
        raise ServerMissing(f"berita serve needs a Prefect server (PREFECT_API_URL is not set): {what_to_do}")
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=10) as response:
            if response.status == 200:
                return api_url
    except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError) as exc:
        raise ServerMissing(f"no Prefect server answers at PREFECT_API_URL={api_url} ({exc}): {what_to_do}") from exc
    raise ServerMissing(f"the Prefect server at {api_url} is not healthy: {what_to_do}")


def serve(input_dir: Path, warehouse_dir: Path, cron: str, batch_size: int, name: str = DEPLOYMENT) -> None:
    """Create (or update) the deployment ``clean-news/<name>`` with a cron schedule and run its
    flow runs in this process's children until interrupted. Blocks."""
    from berita.flows.clean_news import clean_news
    from prefect.deployments.runner import EntrypointType

    check_server(os.environ.get("PREFECT_API_URL"))
    clean_news.serve(
        name=name,
        cron=cron,
        parameters={
            "input_dir": str(input_dir.resolve()),
            "warehouse_dir": str(warehouse_dir.resolve()),
            "batch_size": batch_size,
        },
        description="Clean new inputs into the berita warehouse.",
        entrypoint_type=EntrypointType.MODULE_PATH,
        print_starting_message=True,
    )
