"""The installed environment is the locked one: every pin applies, pip check is clean, every import works."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from importlib import metadata

import pytest
from packaging.markers import Marker
from packaging.utils import canonicalize_name

from tests.conftest import REPO

PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;]+)\s*(?:;\s*(.+))?$")


def locked_pins() -> dict[str, str]:
    """Name -> version for every line of constraints.txt whose marker holds on this interpreter."""
    pins: dict[str, str] = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        found = PIN.match(line.strip())
        if found and (found[3] is None or Marker(found[3]).evaluate()):
            pins[canonicalize_name(found[1])] = found[2]
    return pins


def test_the_lock_pins_every_requirement_exactly() -> None:
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            assert PIN.match(line.strip()), f"constraints.txt: not an exact pin: {line!r}"
    assert len(locked_pins()) > 100


def test_every_installed_package_is_the_locked_version() -> None:
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    drift = {
        name: (version, installed.get(name, "missing"))
        for name, version in locked_pins().items()
        if installed.get(name) != version
    }
    assert not drift, f"installed environment differs from constraints.txt (locked, installed): {drift}"
    # Nothing outside the lock, but berita itself and the installers a venv brings.
    extra = set(installed) - set(locked_pins()) - {"berita", "pip", "setuptools", "wheel"}
    assert not extra, f"installed but not locked: {sorted(extra)}"


def test_pip_check_is_clean() -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    "module",
    [
        "trafilatura", "justext", "lxml.html.clean", "lxml_html_clean", "htmldate", "ftfy", "lingua",
        "tldextract", "datasketch", "duckdb", "pyarrow.parquet", "great_expectations", "prefect",
        "prefect_dask", "distributed", "sqlalchemy", "rich", "numpy",
        "berita.cli", "berita.flows.clean_news", "berita.transforms.html", "berita.expectations.checks",
    ],
)  # fmt: skip
def test_runtime_import_works(module: str) -> None:
    importlib.import_module(module)


def test_trafilatura_extracts_a_page() -> None:
    """justext's cleaner is imported lazily inside trafilatura: prove an HTML page really extracts."""
    import trafilatura

    page = "<html><body><article><p>" + "Warga Bekasi menanam pohon di tepi sungai pada Minggu pagi. " * 5
    assert "Bekasi" in (trafilatura.extract(page + "</p></article></body></html>") or "")


def test_the_scheduler_can_run_on_the_locked_sqlalchemy() -> None:
    """Prefect's scheduler cannot run on SQLAlchemy 2.1 ("Can't evaluate bulk DML statement")."""
    import sqlalchemy

    assert sqlalchemy.__version__.startswith("2.0."), sqlalchemy.__version__
