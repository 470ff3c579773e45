"""One settings object for a run, and the flow's one parameter (pydantic-settings).

Each setting is read from, in rising order of precedence: its default; the config file (``berita.toml`` in the
current folder, else the ``[tool.berita]`` table of its ``pyproject.toml``, or the file ``--config`` names); its
``BERITA_<NAME>`` variable; its command-line flag; and, for a deployment, its parameter. The checks' limits are a
``[limits]`` table in the file (``[tool.berita.limits]``), ``BERITA_<LIMIT>`` variables (``BERITA_MAX_FLAGGED_SHARE``)
and ``--max-flagged-share`` flags. A bad value, or a name the file should not hold, is one line naming the setting.
"""

from __future__ import annotations

import contextvars
import os
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from berita.expectations.limits import Thresholds, limit_env, limit_flag, limit_names

CONFIG_FILE = "berita.toml"


def default_prefect_home(env: Mapping[str, str]) -> Path:
    """Where berita keeps Prefect's state when the user has not chosen: the XDG state directory."""
    state = env.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "berita" / "prefect"


# The config file a settings object is read with: berita.toml (else pyproject.toml) in the current folder, unless
# `--config` named one (set for the time of one load by :func:`config_file`).
_CONFIG: contextvars.ContextVar[Path | None] = contextvars.ContextVar("berita_config", default=None)


class ConfigError(ValueError):
    """A config file that cannot be read, or a setting with a bad value (one line says which)."""


class Settings(BaseSettings):
    """Everything a run needs to know. The defaults run the seeds into ./warehouse."""

    model_config = SettingsConfigDict(env_prefix="BERITA_", frozen=True, extra="forbid")

    input_dir: Path = Field(Path("seeds"), description="folder of raw documents, or one file")
    warehouse_dir: Path = Field(Path("warehouse"), description="output folder of tables")
    batch_size: int = Field(1000, ge=1, description="documents per batch (one Prefect task)")
    reprocess: bool = Field(False, description="rebuild every table from all inputs (after rule changes)")
    wait_seconds: float = Field(0.0, ge=0, description="wait this long for another run on the warehouse to finish")
    workers: int = Field(1, ge=1, description="worker processes of the local Dask cluster (1: no Dask)")
    dask_address: str | None = Field(None, description="clean batches on this existing Dask cluster")
    learn_min_articles: int = Field(
        3, ge=0, description="a line an outlet repeats in this many articles is boilerplate (0: off)"
    )
    detect_language: bool = Field(True, description="detect each article's language (others are flagged)")
    # What one document may be: larger files are refused unread; a text (an HTML page's: the text read from it)
    # past either bound is quarantined before it is cleaned; one still cleaning after max_document_seconds is
    # quarantined as "took too long". No article comes near them; they cap a document's time and memory.
    max_input_bytes: int = Field(16 * 1024 * 1024, ge=1, description="larger input files are quarantined unread")
    max_text_chars: int = Field(1_000_000, ge=1, description="longer texts are quarantined before cleaning")
    max_text_lines: int = Field(20_000, ge=1, description="texts of more lines are quarantined before cleaning")
    max_document_seconds: float = Field(10.0, gt=0, description="a document still cleaning after this is quarantined")
    line_model: Path | None = Field(None, description="weights from `berita train`, or 'rules' (default: shipped)")
    strict: bool = Field(False, description="a distribution check past its limit fails the run instead of warning")
    # Great Expectations' Data Docs beside the report: off unless asked for (they load scripts from CDNs and
    # render scraped values in pages berita does not control; the self-contained report escapes them).
    data_docs: bool = Field(False, description="also build Great Expectations' Data Docs beside the report")
    limits: Thresholds = Field(default_factory=Thresholds, description="the checks' limits")
    prefect_home: Path | None = Field(None, description="Prefect's state folder ($PREFECT_HOME, else XDG state)")
    server_startup_timeout: int = Field(120, ge=1, description="seconds to wait for the private Prefect server")
    verbose: bool = Field(False, description="show Prefect's logs")
    # The zone `berita serve` reads its cron in. UTC, as Prefect and `serve` always did: a default of
    # Asia/Jakarta would move every existing daily schedule by seven hours.
    schedule_timezone: str = Field("UTC", description="IANA time zone `berita serve` reads its cron in")

    @field_validator("limits", mode="before")
    @classmethod
    def _read_limits(cls, value: object) -> object:
        """Limits given by name (a flag's text, a variable's, a file's or a deployment's JSON), parsed and checked
        by :class:`Thresholds` itself, so that the error says what the limit wants."""
        return Thresholds.from_overrides(value) if isinstance(value, Mapping) else value

    @property
    def in_flight(self) -> int:
        """How many batches the flow keeps on its task runner at once: two per worker on a Dask cluster (so that
        none waits while the flow validates), one otherwise."""
        return 2 * self.workers if self.workers > 1 or self.dask_address else 1

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        chosen = _CONFIG.get()
        if chosen is not None:
            files: tuple[PydanticBaseSettingsSource, ...] = (_toml(settings_cls, chosen),)
        elif Path(CONFIG_FILE).is_file():
            files = (_toml(settings_cls, Path(CONFIG_FILE)),)
        elif _has_berita_table(Path("pyproject.toml")):
            files = (_toml(settings_cls, Path("pyproject.toml")),)
        else:
            files = ()
        return (init_settings, env_settings, _LimitVariables(settings_cls), *files)

    @classmethod
    def load(cls, flags: Mapping[str, object] | None = None, config: Path | None = None) -> Settings:
        """Defaults, then the config file, then BERITA_* variables, then ``flags`` (setting name to value, None
        meaning 'not given'; ``limits`` maps limit names to values). Raises :class:`ConfigError` with one line."""
        given: dict[str, Any] = {k: v for k, v in (flags or {}).items() if v is not None}
        if config is not None and not config.is_file():
            raise ConfigError(f"--config {config}: no such file")
        with config_file(config):
            try:
                return cls(**given)
            except ValidationError as exc:
                raise ConfigError(describe(exc, given, config)) from None
            except (OSError, ValueError) as exc:  # a config file that is no TOML
                raise ConfigError(f"{config or CONFIG_FILE}: {exc}") from None

    def flow_parameters(self) -> dict[str, Any]:
        """What differs from the defaults, as plain JSON: the flow's parameter in a deployment (paths absolute,
        so that a worker in another folder reads the same ones)."""
        shown = self.model_dump(mode="json", exclude_defaults=True, exclude=set(PROCESS_SETTINGS))
        for name in ("input_dir", "warehouse_dir"):
            shown[name] = str(getattr(self, name).resolve())
        if self.line_model is not None and str(self.line_model) != "rules":
            shown["line_model"] = str(self.line_model.resolve())
        limits = self.limits.overrides()
        shown.pop("limits", None)
        if limits:
            shown["limits"] = limits
        return shown


# Settings of the `berita` process itself (its private Prefect server, its logs, `serve`'s schedule), not of the
# flow: a deployment's parameters leave them out.
PROCESS_SETTINGS = ("prefect_home", "server_startup_timeout", "verbose", "schedule_timezone")


def _has_berita_table(pyproject: Path) -> bool:
    """Whether ``pyproject`` is a file with a ``[tool.berita]`` table (a project's own pyproject.toml mostly has
    none: then there is no config file). A file that is no TOML is the loader's error to report."""
    if not pyproject.is_file():
        return False
    try:
        return "berita" in tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True


def _toml(settings_cls: type[BaseSettings], path: Path) -> TomlConfigSettingsSource:
    """A config file: ``berita.toml`` holds the settings at its top level; a ``pyproject.toml`` in ``[tool.berita]``."""
    header = ("tool", "berita") if path.name == "pyproject.toml" else None
    return TomlConfigSettingsSource(settings_cls, path, toml_table_header=header)


class _LimitVariables(PydanticBaseSettingsSource):
    """The limits' BERITA_<LIMIT> variables (BERITA_MAX_FLAGGED_SHARE), as the ``limits`` setting."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        found = {name: os.environ[limit_env(name)] for name in limit_names() if limit_env(name) in os.environ}
        return {"limits": found} if found else {}


@contextmanager
def config_file(path: Path | None) -> Iterator[None]:
    """Read settings made in this block with the config file ``path`` (None: the one in the current folder)."""
    token = _CONFIG.set(path)
    try:
        yield
    finally:
        _CONFIG.reset(token)


def _source(name: str, given: Mapping[str, Any], config: Path | None) -> str:
    """Where the value of setting (or limit) ``name`` came from: its flag, its variable, or the config file."""
    file = str(config) if config is not None else CONFIG_FILE
    if name in limit_names():
        if name in given.get("limits", {}):
            return limit_flag(name)
        return limit_env(name) if limit_env(name) in os.environ else f"[limits] {name} in {file}"
    if name in given:
        return "--" + FLAG_DESTS.get(name, name).replace("_", "-")
    variable = f"BERITA_{name.upper()}"
    return variable if variable in os.environ else f"{name} in {file}"


# The command line's flags whose names are not the setting's (their argparse dests): `--input` sets input_dir.
FLAG_DESTS = {
    "input_dir": "input", "warehouse_dir": "warehouse", "line_model": "model", "wait_seconds": "wait",
    "server_startup_timeout": "server_timeout", "schedule_timezone": "timezone",
}  # fmt: skip


# Pydantic's messages for the errors a setting meets, in the words berita's other messages use.
_PLAIN = {
    "int_parsing": "must be a whole number", "int_from_float": "must be a whole number",
    "float_parsing": "must be a number", "bool_parsing": "must be true or false (1/0, yes/no, on/off)",
    "greater_than_equal": "must be at least {ge}", "greater_than": "must be more than {gt}",
}  # fmt: skip


def describe(exc: ValidationError, given: Mapping[str, Any] | None = None, config: Path | None = None) -> str:
    """A validation error as one line a person can act on, naming where the bad value came from.

    >>> try:
    ...     Settings(batch_size=0)
    ... except ValidationError as exc:
    ...     print(describe(exc, {"batch_size": 0}))
    --batch-size must be at least 1, not 0
    """
    given = given or {}
    parts = []
    for error in exc.errors():
        loc = [str(p) for p in error["loc"]]
        message = str(error["msg"]).removeprefix("Value error, ").removeprefix("Input should be ")
        message = message.split(", unable to")[0]
        if error["type"] == "extra_forbidden":
            parts.append(f"unknown setting {'.'.join(loc)!r} (known: {', '.join(Settings.model_fields)})")
            continue
        if message.startswith("unknown "):  # an unknown limit: the message names it and the known ones
            parts.append(message)
            continue
        name = loc[0] if loc else "settings"
        if name == "limits":  # a limit's own check ("max_flagged_share must be a share ..."): name the limit
            name = next((n for n in limit_names() if message.startswith(n + " ")), name)
            message = message.removeprefix(name + " ")
        shown = error.get("input")
        message = _PLAIN.get(error["type"], message).format(**error.get("ctx", {}))
        tail = "" if isinstance(shown, dict) or "not " in message else f", not {shown}"
        verb = message if message.startswith("must ") else f"must be {message}"
        parts.append(f"{_source(name, given, config)} {verb}{tail}")
    return "; ".join(parts)
