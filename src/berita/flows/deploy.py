"""Scheduled runs: serve the clean-news flow as a Prefect deployment on a real Prefect server."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from prefect.client.schemas.schedules import CronSchedule
    from prefect.deployments.runner import RunnerDeployment

    from berita.settings import Settings

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


def cron_schedule(cron: str, timezone: str) -> CronSchedule:
    """Prefect's schedule for ``cron`` read in ``timezone`` (an IANA name such as ``Asia/Jakarta``).

    Prefect's own model checks both, as its server would; a ValueError says which one it refused.
    """
    from prefect.client.schemas.schedules import CronSchedule
    from pydantic import ValidationError

    bad_zone = (
        f"unknown time zone {timezone!r}: --timezone (or BERITA_SCHEDULE_TIMEZONE) takes an IANA name, "
        "e.g. Asia/Jakarta or UTC"
    )
    if not timezone.strip():  # Prefect lets an empty name through and then reads the cron in UTC
        raise ValueError(bad_zone)
    try:
        return CronSchedule(cron=cron, timezone=timezone)
    except ValidationError as exc:
        if any(error["loc"][:1] == ("timezone",) for error in exc.errors()):
            raise ValueError(bad_zone) from None
        raise ValueError(f'{cron!r} is not a cron schedule for --cron (five fields, e.g. "0 * * * *")') from None


def deployment_parameters(settings: Settings) -> dict[str, Any]:
    """The clean-news flow's parameters for a deployment: its one parameter, ``settings``, with what differs from
    the defaults (paths absolute). The checks' ``limits`` and ``strict`` are in it too, so a deployment sets them,
    and a person can change any setting per run in Prefect's UI; what it leaves out is read where the flow runs.

    >>> from berita.settings import Settings
    >>> deployment_parameters(Settings(batch_size=10, limits={"max_flagged_share": 0.9}))["settings"]["limits"]
    {'max_flagged_share': 0.9}
    """
    return {"settings": settings.flow_parameters()}


def deployment(settings: Settings, schedule: CronSchedule, name: str = DEPLOYMENT) -> RunnerDeployment:
    """The deployment ``clean-news/<name>`` that `berita serve` creates: the flow with these
    settings, on ``schedule``. Building it needs no server."""
    from prefect.deployments.runner import EntrypointType

    from berita.flows.clean_news import clean_news

    # to_deployment is async-dispatched: called from sync code, as here, it returns the deployment.
    built = clean_news.to_deployment(
        name=name,
        schedules=[schedule],
        parameters=deployment_parameters(settings),
        description="Clean new inputs into the berita warehouse.",
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    return cast("RunnerDeployment", built)


def serve(settings: Settings, schedule: CronSchedule, name: str = DEPLOYMENT) -> None:
    """Create (or update) the deployment ``clean-news/<name>`` on ``schedule`` and run its flow runs
    in this process's children until interrupted. Blocks."""
    from prefect import serve as serve_deployments

    check_server(os.environ.get("PREFECT_API_URL"))
    built = deployment(settings, schedule, name)
    serve_deployments(built, print_starting_message=True)
