"""`berita` as a user runs it: a subprocess, its own Prefect home, a temporary warehouse."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from tests.conftest import run_berita


def _berita(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return run_berita(*args, env={"XDG_STATE_HOME": str(home / "state"), **env})


@pytest.mark.slow
def test_run_on_the_seeds_prints_a_summary_and_writes_the_tables(tmp_path: Path) -> None:
    warehouse, stats = tmp_path / "warehouse", tmp_path / "stats.json"
    done = _berita("run", "--input", "seeds", "--warehouse", str(warehouse), "--stats-json", str(stats), home=tmp_path)
    assert done.returncode == 0, done.stderr
    first = json.loads(stats.read_text(encoding="utf-8"))
    assert (first["status"], first["inputs_new"], first["articles"], first["quarantined"]) == ("succeeded", 5, 5, 0)
    assert first["run_id"] in done.stdout and first["stage_seconds"]["clean"] > 0 and first["peak_rss_bytes"] > 1e7
    assert done.stdout.startswith("run ")  # the progress bar goes to stderr
    assert "inputs seen         5" in done.stdout
    assert "articles written    5" in done.stdout
    assert "inputs quarantined  0" in done.stdout
    assert "related" in done.stdout and f"tables in {warehouse}/" in done.stdout
    assert "Traceback" not in done.stderr
    again = _berita("run", "--input", "seeds", "--warehouse", str(warehouse), "--stats-json", str(stats), home=tmp_path)
    assert again.returncode == 0 and "nothing new: all 5 inputs were processed by earlier runs" in again.stdout
    noop = json.loads(stats.read_text(encoding="utf-8"))  # written for a run with nothing to do too
    assert (noop["status"], noop["inputs_new"], noop["articles"]) == ("nothing new", 0, 0)
    assert noop["run_id"] != first["run_id"] and noop["run_id"] in again.stdout
    assert ds.dataset(warehouse / "articles", partitioning="hive").count_rows() == 5
    # Prefect's state went to the XDG state folder, not the user's ~/.prefect.
    assert (tmp_path / "state" / "berita" / "prefect").is_dir()


def test_missing_input_folder_is_one_clear_line_and_exit_2(tmp_path: Path) -> None:
    done = _berita("run", "--input", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "w"), home=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "does not exist" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "w").exists()


def test_bad_environment_setting_is_one_clear_line(tmp_path: Path) -> None:
    done = _berita("run", "--warehouse", str(tmp_path / "w"), home=tmp_path, BERITA_BATCH_SIZE="many")
    assert done.returncode == 2
    assert "BERITA_BATCH_SIZE must be a whole number" in done.stderr


def test_evaluate_reports_the_seed_scores(tmp_path: Path) -> None:
    done = _berita("evaluate", "tests/golden/seeds.json", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert '"body_recall": 1.0' in done.stdout


def test_debug_shows_the_traceback_of_an_expected_error(tmp_path: Path) -> None:
    done = _berita("--debug", "run", "--input", str(tmp_path / "nope"), home=tmp_path)
    assert done.returncode != 0 and "Traceback" in done.stderr and "UserError" in done.stderr


@pytest.mark.slow
def test_a_warning_is_printed_and_strict_makes_it_fatal(tmp_path: Path, shared_api: dict[str, str]) -> None:
    """The seeds (3 of 5 flagged) against a tight limit: the run publishes and says why it warned;
    with BERITA_STRICT it fails in one line that names the check, the figures and the flags. (On the
    session's Prefect API: a private server's boot is another test's subject.)"""
    tight = ("--max-flagged-share", "0.1", "--min-sample", "1")
    warehouse = tmp_path / "warehouse"
    done = _berita("run", "--input", "seeds", "--warehouse", str(warehouse), *tight, home=tmp_path, **shared_api)
    assert done.returncode == 0, done.stderr
    assert "  warned: summary.flagged_share 0.60 > 0.10 (--max-flagged-share)\n" in done.stdout
    assert "articles written    5" in done.stdout
    strict = tmp_path / "strict"
    env = {"BERITA_STRICT": "1", "BERITA_MAX_FLAGGED_SHARE": "0.1", "BERITA_MIN_SAMPLE": "1", **shared_api}
    stats = tmp_path / "failed.json"
    failed = _berita(
        "run", "--input", "seeds", "--warehouse", str(strict), "--stats-json", str(stats), home=tmp_path, **env
    )
    assert failed.returncode == 1, failed.stderr
    written = json.loads(stats.read_text(encoding="utf-8"))
    assert written["status"] == "failed" and "summary.flagged_share" in written["error"]
    error = [line for line in failed.stderr.splitlines() if line.startswith("berita: error:")]
    assert len(error) == 1 and "Traceback" not in failed.stderr
    assert "summary.flagged_share 0.60 > 0.10 (--max-flagged-share)" in error[0] and "--strict" in error[0]
    assert not (strict / "articles").exists()
    runs = ds.dataset(strict / "runs", partitioning="hive").to_table().to_pylist()
    assert [r["status"] for r in runs] == ["failed"]


def _exits(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from berita.cli import main

    try:
        code = main(argv)
    except SystemExit as stop:
        code = int(stop.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_version_and_help_with_examples_variables_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    from berita import __version__

    assert _exits(["--version"], capsys)[:2] == (0, f"berita {__version__}\n")
    code, out, _ = _exits(["run", "--help"], capsys)
    assert code == 0 and "examples:" in out and "BERITA_BATCH_SIZE" in out and "exit status:" in out
    for command in ("query", "report", "compact", "train", "bench", "serve", "show", "evaluate"):
        code, out, _ = _exits([command, "--help"], capsys)
        assert code == 0 and "examples:" in out and "exit status:" in out, command


@pytest.mark.parametrize(
    ("argv", "suggestion"),
    [
        (["rnu"], "did you mean run?"),
        (["qurey", "select 1"], "did you mean query?"),
        (["run", "--warehuose", "w"], "did you mean --warehouse?"),
        (["query", "select 1", "--fromat", "csv"], "did you mean --format?"),
    ],
)
def test_a_mistyped_command_or_flag_gets_a_suggestion(
    argv: list[str], suggestion: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _exits(argv, capsys)
    assert code == 2 and suggestion in err


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--batch-size", "0"], ["run", "--server-timeout", "0"], ["run", "--wait", "-1"],
        ["compact", "--keep-last", "-1"], ["compact", "--wait", "nan"], ["query", "select 1", "--max-rows", "0"],
        ["bench", "--docs", "0"], ["bench", "--repeat", "0"], ["evaluate", "x.json", "--show", "-2"],
    ],
)  # fmt: skip
def test_values_out_of_range_are_refused_before_anything_runs(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _exits(argv, capsys)
    assert code == 2 and ("at least 1" in err or "0 or more" in err), err


def test_debug_works_after_the_command_too(tmp_path: Path) -> None:
    done = _berita("run", "--input", str(tmp_path / "nope"), "--debug", home=tmp_path)
    assert done.returncode != 0 and "Traceback" in done.stderr and "UserError" in done.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [("BERITA_BATCH_SIZE", "0"), ("BERITA_MAX_TEXT_LINES", "-5"), ("BERITA_MAX_DOCUMENT_SECONDS", "0")],
)
def test_a_setting_out_of_range_in_the_environment_is_one_line(
    variable: str, value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    code, _, err = _exits(["run", "--warehouse", str(tmp_path / "w")], capsys)
    assert code == 2 and err.startswith(f"berita: error: {variable} must be") and not (tmp_path / "w").exists()


@pytest.mark.parametrize("command", [["run"], ["query", "select 1"], ["compact"], ["report"]])
def test_a_warehouse_that_is_a_file_is_one_line_saying_so(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "wh").write_text("not a folder", encoding="utf-8")
    code, _, err = _exits([*command, "--warehouse", str(tmp_path / "wh")], capsys)
    assert code == 2 and "is a file, not a folder" in err and "free some space" not in err


def test_what_ctrl_c_turns_into_inside_prefect_is_still_an_interruption(monkeypatch: pytest.MonkeyPatch) -> None:
    """Prefect's task engine can turn a KeyboardInterrupt into ValueError("Task run is not set") when it lands as
    a task run starts; after Ctrl-C the command still leaves as interrupted (exit 130), with the flow's notes."""
    from berita import cli, interrupts

    monkeypatch.setattr(interrupts, "_interrupts", 1)
    failure = ValueError("Task run is not set")
    failure.add_note("run r had committed when it stopped, so it is published in full")
    with pytest.raises(KeyboardInterrupt) as stopped, cli._interruptible():
        raise failure
    assert stopped.value.__cause__ is failure and stopped.value.__notes__ == failure.__notes__
    monkeypatch.setattr(interrupts, "_interrupts", 0)
    with pytest.raises(ValueError), cli._interruptible():  # no Ctrl-C: a failure stays a failure
        raise ValueError("boom")
