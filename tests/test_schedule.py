"""`berita serve --timezone`: which zone the cron is read in, checked without a Prefect server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from berita import cli
from berita.flows import deploy, runtime
from tests.conftest import REPO


def _served(monkeypatch: pytest.MonkeyPatch, *args: str, **env: str) -> dict[str, Any]:
    """What `berita serve ARGS` hands to deploy.serve, with the server check and the serving stubbed out."""
    served: dict[str, Any] = {}
    monkeypatch.delenv("BERITA_SCHEDULE_TIMEZONE", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    monkeypatch.setattr(deploy, "check_server", lambda url: url)
    monkeypatch.setattr(runtime, "configure_prefect", lambda settings: None)

    def serve(settings: Any, schedule: Any, name: str) -> None:
        served.update(settings=settings, schedule=schedule, name=name)

    monkeypatch.setattr(deploy, "serve", serve)
    assert cli.main(["serve", "--input", str(REPO / "seeds"), *args]) == 0
    return served


def test_serve_reads_the_cron_in_utc_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    schedule = _served(monkeypatch, "--cron", "0 6 * * *")["schedule"]
    assert (schedule.cron, schedule.timezone) == ("0 6 * * *", "UTC")


def test_timezone_comes_from_the_flag_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from_env = _served(monkeypatch, BERITA_SCHEDULE_TIMEZONE="Asia/Makassar")["schedule"]
    assert from_env.timezone == "Asia/Makassar"
    from_flag = _served(monkeypatch, "--timezone", "Asia/Jakarta", BERITA_SCHEDULE_TIMEZONE="Asia/Makassar")
    assert from_flag["schedule"].timezone == "Asia/Jakarta"


@pytest.mark.parametrize(
    ("args", "env", "says"),
    [
        (["--timezone", "Mars/Olympus_Mons"], {}, "unknown time zone 'Mars/Olympus_Mons'"),
        (["--timezone", ""], {}, "unknown time zone ''"),
        ([], {"BERITA_SCHEDULE_TIMEZONE": "WIB"}, "BERITA_SCHEDULE_TIMEZONE"),
        (["--cron", "every hour"], {}, "'every hour' is not a cron schedule"),
    ],
)
def test_a_bad_timezone_or_cron_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], env: dict[str, str], says: str
) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)  # refused before any server is asked
    monkeypatch.delenv("BERITA_SCHEDULE_TIMEZONE", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert cli.main(["serve", "--input", str(REPO / "seeds"), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("berita: error: ") and err.count("\n") == 1 and says in err, err


def test_the_served_deployment_carries_the_timezone(tmp_path: Path) -> None:
    from berita.settings import Settings

    settings = Settings(input_dir=tmp_path / "in", warehouse_dir=tmp_path / "wh", batch_size=50)
    built = deploy.deployment(settings, deploy.cron_schedule("0 6 * * *", "Asia/Jakarta"))
    (schedule,) = built.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("0 6 * * *", "Asia/Jakarta")  # type: ignore[union-attr]
    assert f"{built.flow_name}/{built.name}" == "clean-news/berita"
    assert built.entrypoint == "berita.flows.clean_news.clean_news"
    folders = {"input_dir": str(tmp_path / "in"), "warehouse_dir": str(tmp_path / "wh")}
    assert built.parameters == {"settings": {**folders, "batch_size": 50}}
