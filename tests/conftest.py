"""Shared fixtures: the repository's seeds and golden cases, and a hermetic Prefect harness."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden" / "seeds.json"


def run_berita(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`berita ARGS` as a user runs it: a subprocess in the repository, with no PREFECT_* or
    BERITA_* settings inherited from the test process, plus ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "BERITA_"))}
    return subprocess.run(
        [sys.executable, "-m", "berita.cli", *args], cwd=REPO, env={**clean, **(env or {})},
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def a_run_over_three_seeds(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> tuple[Path, Path]:
    """A warehouse holding a `berita run` (with ``env``) over three of the seeds, and an input folder that now holds
    all five: the next run has two new inputs (the crash and Ctrl-C points' starting state)."""
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    inputs, warehouse = tmp_path_factory.mktemp("inputs"), tmp_path_factory.mktemp("wh") / "warehouse"
    for seed in seeds[:3]:
        shutil.copy(seed, inputs / seed.name)
    done = run_berita("run", "--input", str(inputs), "--warehouse", str(warehouse), env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    for seed in seeds[3:]:
        shutil.copy(seed, inputs / seed.name)
    return inputs, warehouse


def golden_cases() -> list[dict[str, Any]]:
    return list(json.loads(GOLDEN.read_text(encoding="utf-8"))["cases"])


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A throw-away Prefect API and database for the whole session, in its own PREFECT_HOME.

    The ephemeral server takes 20-35 s to start on a 2-core machine, so the harness gets a
    generous timeout and starts once per session.
    """
    home = tmp_path_factory.mktemp("prefect-home")
    saved = {k: os.environ.get(k) for k in ("PREFECT_HOME", "PREFECT_API_URL")}
    os.environ["PREFECT_HOME"] = str(home)
    os.environ.pop("PREFECT_API_URL", None)
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def shared_api(prefect_harness: None) -> dict[str, str]:
    """The environment for a `berita run` subprocess to use the session's Prefect API instead of starting a
    private server (20-35 s each on a 2-core machine): for tests whose subject is the warehouse, not the
    private server's life (those use their own PREFECT_HOME and no PREFECT_API_URL)."""
    from prefect.settings import PREFECT_API_URL

    return {"PREFECT_API_URL": str(PREFECT_API_URL.value())}
