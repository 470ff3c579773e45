"""One frozen settings object for a run; CLI flags and BERITA_* environment variables override it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from berita.expectations.limits import Thresholds, coerce_limit, limit_env, limit_flag, limit_names


def default_prefect_home(env: Mapping[str, str]) -> Path:
    """Where berita keeps Prefect's state when the user has not chosen: the XDG state directory."""
    state = env.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "berita" / "prefect"


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know. The defaults run the seeds into ./warehouse."""

    input_dir: Path = Path("seeds")
    warehouse_dir: Path = Path("warehouse")
    batch_size: int = 1000
    # What one document may be: larger files are refused unread; a text (an HTML page's: the text read from it)
    # past either bound is quarantined before it is cleaned; one still cleaning after max_document_seconds is
    # quarantined as "took too long". No article comes near them; they cap a document's time and memory.
    max_input_bytes: int = 16 * 1024 * 1024
    max_text_chars: int = 1_000_000
    max_text_lines: int = 20_000
    max_document_seconds: float = 10.0
    detect_language: bool = True
    prefect_home: Path | None = None  # None: $PREFECT_HOME if set, else default_prefect_home()
    server_startup_timeout: int = 120
    verbose: bool = False
    # The zone `berita serve` reads its cron in. UTC, as Prefect and `serve` always did: a default of
    # Asia/Jakarta would move every existing daily schedule by seven hours.
    schedule_timezone: str = "UTC"
    line_model: Path | None = None  # a weights file from `berita train`; None: the model berita ships
    strict: bool = False  # a distribution check past its limit fails the run instead of warning
    # Great Expectations' Data Docs beside the report: off unless asked for (they load scripts from CDNs and
    # render scraped values in pages berita does not control; the self-contained report escapes them).
    data_docs: bool = False
    # The checks' limits; each is also a BERITA_<LIMIT> variable, e.g. BERITA_MAX_FLAGGED_SHARE.
    limits: Thresholds = field(default_factory=Thresholds)

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, limits: Mapping[str, object] | None = None, **overrides: object
    ) -> Settings:
        """Defaults, then BERITA_<FIELD> variables, then explicit overrides (None means 'not given');
        ``limits`` are the limits given on the command line, by Thresholds field name."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"BERITA_{f.name.upper()}")
            if raw is not None and f.name != "limits":
                values[f.name] = _coerce(f.name, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        values["limits"] = _limits(env, limits or {})
        for name in _AT_LEAST_ONE:
            if name in values and not values[name] >= 1:
                raise ValueError(f"BERITA_{name.upper()} must be at least 1, not {values[name]}")
        if "max_document_seconds" in values and not values["max_document_seconds"] > 0:
            raise ValueError(f"BERITA_MAX_DOCUMENT_SECONDS must be more than 0, not {values['max_document_seconds']}")
        return replace(cls(), **values)


# Settings that are counts or sizes of at least one (a batch of 0 documents would never end).
_AT_LEAST_ONE = ("batch_size", "server_startup_timeout", "max_input_bytes", "max_text_chars", "max_text_lines")


def _limits(env: Mapping[str, str], given: Mapping[str, object]) -> Thresholds:
    """The limits from BERITA_<LIMIT> variables, then from the command line; a bad value is one
    line naming where it came from.

    >>> _limits({"BERITA_MAX_FLAGGED_SHARE": "0.9"}, {"min_sample": "5"}).max_flagged_share
    0.9
    >>> _limits({}, {"max_flagged_share": "2"})
    Traceback (most recent call last):
    ValueError: --max-flagged-share must be a share between 0 and 1, not 2
    """
    values: dict[str, Any] = {}  # parsed: int for counts, float for shares and rates
    for name in limit_names():
        for source, raw in ((limit_env(name), env.get(limit_env(name))), (limit_flag(name), given.get(name))):
            if raw is not None:
                try:
                    values[name] = coerce_limit(name, raw)
                except ValueError as exc:
                    raise ValueError(f"{source} {exc}") from None
    return Thresholds(**values)


def _coerce(name: str, raw: str) -> object:
    default = getattr(Settings(), name)
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"BERITA_{name.upper()} must be a whole number, not {raw!r}") from None
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError:
            raise ValueError(f"BERITA_{name.upper()} must be a number, not {raw!r}") from None
    if isinstance(default, str):
        return raw
    return Path(raw)
