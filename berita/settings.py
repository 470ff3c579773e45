"""One frozen settings object for a run; CLI flags and BERITA_* environment variables override it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any


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
    max_input_bytes: int = 16 * 1024 * 1024
    detect_language: bool = True
    prefect_home: Path | None = None  # None: $PREFECT_HOME if set, else default_prefect_home()
    server_startup_timeout: int = 120
    verbose: bool = False
    # The zone `berita serve` reads its cron in. UTC, as Prefect and `serve` always did: a default of
    # Asia/Jakarta would move every existing daily schedule by seven hours.
    schedule_timezone: str = "UTC"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults, then BERITA_<FIELD> variables, then explicit overrides (None means 'not given')."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"BERITA_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _coerce(f.name, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)


def _coerce(name: str, raw: str) -> object:
    default = getattr(Settings(), name)
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"BERITA_{name.upper()} must be a whole number, not {raw!r}") from None
    if isinstance(default, str):
        return raw
    return Path(raw)
