"""One settings object: defaults, then the config file, then BERITA_* variables, then flags; every setting
reachable from each, and the flow's one parameter."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from berita.cli import _DOCUMENT_SETTINGS, _FLAG_SETTINGS, UserError, build_parser
from berita.cli import _settings as cli_settings
from berita.settings import PROCESS_SETTINGS, Settings
from tests.conftest import REPO


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty current folder and no BERITA_* variables."""
    for name in [n for n in os.environ if n.startswith("BERITA_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def _run(*argv: str) -> Settings:
    return cli_settings(build_parser().parse_args(["run", *argv]))


def test_the_file_then_variables_then_flags(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "berita.toml").write_text(
        'input_dir = "scraped"\nbatch_size = 50\nworkers = 2\n[limits]\nmin_sample = 7\nmax_flagged_share = 0.6\n',
        encoding="utf-8",
    )
    settings = _run()
    assert (settings.input_dir, settings.batch_size, settings.workers, settings.in_flight) == (
        Path("scraped"),
        50,
        2,
        4,
    )
    assert settings.limits.overrides() == {"max_flagged_share": 0.6, "min_sample": 7}
    monkeypatch.setenv("BERITA_BATCH_SIZE", "60")
    monkeypatch.setenv("BERITA_MIN_SAMPLE", "8")
    assert (_run().batch_size, _run().limits.min_sample, _run().limits.max_flagged_share) == (60, 8, 0.6)
    flagged = _run("--batch-size", "70", "--min-sample", "9")
    assert (flagged.batch_size, flagged.limits.min_sample, flagged.input_dir) == (70, 9, Path("scraped"))


def test_pyproject_tool_berita_or_a_named_file(folder: Path) -> None:
    (folder / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert _run().batch_size == 1000  # a pyproject.toml without [tool.berita] is no config file
    (folder / "pyproject.toml").write_text("[tool.berita]\nbatch_size = 40\n[tool.berita.limits]\nmin_sample = 3\n")
    assert (_run().batch_size, _run().limits.min_sample) == (40, 3)
    (folder / "berita.toml").write_text("batch_size = 30\n", encoding="utf-8")
    assert _run().batch_size == 30  # berita.toml first
    (folder / "other.toml").write_text("batch_size = 20\ndetect_language = false\n", encoding="utf-8")
    named = _run("--config", str(folder / "other.toml"))
    assert (named.batch_size, named.detect_language) == (20, False)
    with pytest.raises(UserError, match=r"^--config .*nope\.toml: no such file$"):
        _run("--config", str(folder / "nope.toml"))


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("batchsize = 5\n", "unknown setting 'batchsize'"),
        ("batch_size = 0\n", "batch_size in berita.toml must be at least 1, not 0"),
        ("[limits]\nmax_flagged_share = 2\n", "[limits] max_flagged_share in berita.toml must be a share between 0"),
        ("[limits]\nmax_flaged_share = 0.5\n", "unknown limit(s) max_flaged_share"),
        ("batch_size = \n", "berita.toml: "),
    ],
)
def test_a_bad_file_is_one_line_naming_the_setting(folder: Path, text: str, says: str) -> None:
    (folder / "berita.toml").write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as raised:
        _run()
    assert says in str(raised.value) and "\n" not in str(raised.value), raised.value


def test_every_setting_has_a_flag_a_variable_and_a_file_key_and_is_read(folder: Path) -> None:
    """No dead settings: each is set by a flag of `berita run` (or `serve`), and read outside the settings module."""
    flags = set(_FLAG_SETTINGS) | set(_DOCUMENT_SETTINGS) | {"limits"}
    assert set(Settings.model_fields) == flags
    code = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "src" / "berita").rglob("*.py"))
    code = code.replace((REPO / "src" / "berita" / "settings.py").read_text(encoding="utf-8"), "")
    for name in Settings.model_fields:
        assert re.search(rf"\b(settings|options)\.{name}\b|\"{name}\"", code), f"setting {name} is never read"
    assert set(PROCESS_SETTINGS) < set(Settings.model_fields)


def test_the_flow_s_parameter_is_the_settings(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A deployment's JSON leaves settings out; the flow reads those where it runs (its variables, its file)."""
    from berita.flows.clean_news import clean_news

    shown = Settings(input_dir=Path("in"), verbose=True, workers=2).flow_parameters()  # the process's own: left out
    assert shown == {"input_dir": str(folder / "in"), "warehouse_dir": str(folder / "warehouse"), "workers": 2}
    monkeypatch.setenv("BERITA_LEARN_MIN_ARTICLES", "5")
    (folder / "berita.toml").write_text("max_text_lines = 300\n", encoding="utf-8")
    validated = clean_news.validate_parameters({"settings": {"input_dir": "/in", "batch_size": "10"}})["settings"]
    assert (validated.input_dir, validated.batch_size) == (Path("/in"), 10)
    assert (validated.learn_min_articles, validated.max_text_lines) == (5, 300)
