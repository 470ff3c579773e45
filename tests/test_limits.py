"""The checks' limits and --strict: parsed once, set from the command line, the environment or a
deployment's parameters, and refused in one line when out of range."""

from __future__ import annotations

import dataclasses
import os
import re
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest

from berita.cli import UserError, _print_summary, build_parser, main
from berita.expectations.limits import Thresholds, limit_env, limit_flag, limit_names
from berita.settings import Settings
from tests.conftest import run_berita


def test_one_flag_and_one_variable_per_limit_named_after_its_field() -> None:
    assert limit_names() == [f.name for f in dataclasses.fields(Thresholds)]
    run = build_parser()._subparsers._group_actions[0].choices["run"]  # type: ignore[union-attr]
    flags = {option for action in run._actions for option in action.option_strings}
    assert {limit_flag(name) for name in limit_names()} | {"--strict"} <= flags
    assert limit_flag("max_flagged_share") == "--max-flagged-share"
    assert limit_env("max_flagged_share") == "BERITA_MAX_FLAGGED_SHARE"


def _settings(argv: list[str], env: dict[str, str] | None = None) -> Settings:
    """The settings `berita run ARGV` reads with ``env`` as its only BERITA_* variables."""
    from berita.cli import _settings as cli_settings

    args = build_parser().parse_args(["run", *argv])
    with pytest.MonkeyPatch.context() as patch:
        for name in [n for n in os.environ if n.startswith("BERITA_")]:
            patch.delenv(name)
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        return cli_settings(args)


def test_flags_set_the_limits_and_strict() -> None:
    settings = _settings(["--max-flagged-share", "0.9", "--min-sample", "5", "--strict"])
    assert settings.strict is True
    assert settings.limits.overrides() == {"max_flagged_share": 0.9, "min_sample": 5}
    assert isinstance(settings.limits.min_sample, int)
    default = _settings([])
    assert default.strict is False and default.limits == Thresholds()


def test_the_environment_sets_them_and_flags_win() -> None:
    env = {"BERITA_STRICT": "1", "BERITA_MAX_FLAGGED_SHARE": "0.95", "BERITA_MAX_REMOVED_PER_ARTICLE": "900"}
    settings = _settings([], env)
    assert settings.strict is True
    assert settings.limits.overrides() == {"max_flagged_share": 0.95, "max_removed_per_article": 900.0}
    assert _settings(["--max-flagged-share", "0.5"], env).limits.max_flagged_share == 0.5
    assert _settings([], {"BERITA_STRICT": "0"}).strict is False


@pytest.mark.parametrize(
    ("argv", "env", "error"),
    [
        (["--max-flagged-share", "1.5"], {}, "--max-flagged-share must be a share between 0 and 1, not 1.5"),
        (["--max-quarantined-share", "-0.1"], {}, "--max-quarantined-share must be a share between 0 and 1"),
        (["--min-sample", "2.5"], {}, "--min-sample must be a whole number of 0 or more, not 2.5"),
        (["--max-removed-per-article", "lots"], {}, "--max-removed-per-article must be a number of 0 or more"),
        (["--max-removed-per-article", "nan"], {}, "--max-removed-per-article must be a number of 0 or more"),
        ([], {"BERITA_MAX_FLAGGED_SHARE": "80%"}, "BERITA_MAX_FLAGGED_SHARE must be a share between 0 and 1"),
    ],
)
def test_a_bad_limit_names_where_it_came_from(argv: list[str], env: dict[str, str], error: str) -> None:
    with pytest.raises(UserError, match="^" + re.escape(error)):
        _settings(argv, env)


def test_a_deployment_s_json_limits_are_parsed_and_checked() -> None:
    """Prefect hands a dict[str, float] parameter over as floats (min_sample 20.0), or text."""
    limits = Thresholds.from_overrides({"min_sample": 20.0, "max_flagged_share": "0.9"})
    assert limits.min_sample == 20 and isinstance(limits.min_sample, int) and limits.max_flagged_share == 0.9
    with pytest.raises(ValueError, match=r"unknown limit.*max_flaged_share"):
        Thresholds.from_overrides({"max_flaged_share": 0.9})
    with pytest.raises(ValueError, match="max_flagged_share must be a share between 0 and 1, not 2"):
        Thresholds.from_overrides({"max_flagged_share": 2})
    with pytest.raises(ValueError, match="min_sample must be a whole number"):
        Thresholds(min_sample=True)


def test_the_flow_takes_limits_and_strict_as_deployment_parameters() -> None:
    from prefect.utilities.callables import parameter_schema

    from berita.flows.clean_news import clean_news
    from berita.flows.deploy import deployment_parameters

    assert list(parameter_schema(clean_news).model_dump()["properties"]) == ["settings"]
    validated = clean_news.validate_parameters({"settings": {"limits": {"min_sample": 3}, "strict": "true"}})
    assert validated["settings"].strict is True and validated["settings"].limits.min_sample == 3
    params = deployment_parameters(Settings(batch_size=10, limits={"max_flagged_share": 0.9}, strict=True))
    assert params["settings"]["limits"] == {"max_flagged_share": 0.9} and params["settings"]["strict"] is True
    assert set(params["settings"]) <= set(Settings.model_fields)
    with pytest.raises(Exception, match="max_flagged_share must be a share between 0 and 1"):
        clean_news.validate_parameters({"settings": {"limits": {"max_flagged_share": 2}}})


def test_a_bad_limit_on_the_command_line_is_one_line_and_exit_2(tmp_path: Path) -> None:
    env = {"XDG_STATE_HOME": str(tmp_path / "state")}
    done = run_berita("run", "--warehouse", str(tmp_path / "w"), "--max-flagged-share", "1.5", env=env)
    assert done.returncode == 2 and done.stderr.strip().count("\n") == 0, done.stderr
    assert "--max-flagged-share must be a share between 0 and 1, not 1.5" in done.stderr
    done = run_berita("run", "--warehouse", str(tmp_path / "w"), env={**env, "BERITA_MIN_SAMPLE": "some"})
    assert done.returncode == 2 and "BERITA_MIN_SAMPLE must be a whole number" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "w").exists()


def test_a_bad_limit_is_refused_before_prefect_starts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--max-quarantined-share", "2"]) == 2
    assert capsys.readouterr().err == "berita: error: --max-quarantined-share must be a share between 0 and 1, not 2\n"


def test_the_summary_says_which_checks_warned(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    warning = "summary.flagged_share 0.84 > 0.80 (--max-flagged-share)"
    stats = SimpleNamespace(
        articles=38, quarantined=0, near_duplicates=0, removed_by_category=Counter(), quarantine_reasons=[]
    )
    result = SimpleNamespace(
        run_id="r1", mode="incremental", notes=[], inputs_new=38, inputs_seen=38, unchanged=0, stats=stats,
        quality=SimpleNamespace(warnings=[warning]), stage_seconds={},
    )  # fmt: skip
    _print_summary(result, tmp_path, 1.0)
    out = capsys.readouterr().out
    assert f"  warned: {warning}\n" in out and "--strict" in out
    result.quality.warnings = []
    _print_summary(result, tmp_path, 1.0)
    assert "warned" not in capsys.readouterr().out
