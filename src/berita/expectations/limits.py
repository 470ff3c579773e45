"""The limits a run's checks are held to: one frozen object, each field with its doc and its range.

Kept apart from the checks (and free of pyarrow) so that the command line and the settings can
name, parse and validate limits without importing the rest of berita.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

SHARE = "share"  # a fraction of a run's articles or inputs, from 0 to 1
COUNT = "count"  # a whole number, 0 or more
RATE = "rate"  # a mean per article, 0 or more


def _limit(default: float, kind: str, doc: str) -> Any:
    return field(default=default, metadata={"kind": kind, "doc": doc})


@dataclass(frozen=True)
class Thresholds:
    """Run-level limits; the defaults suit small and large corpora alike."""

    min_body_chars: int = _limit(200, COUNT, "quarantine an article whose body has fewer characters")
    min_body_words: int = _limit(30, COUNT, "quarantine an article whose body has fewer words")
    max_flagged_share: float = _limit(0.8, SHARE, "warn when a larger share of the run's articles carry a flag")
    max_quarantined_share: float = _limit(0.9, SHARE, "warn when a larger share of the new inputs is quarantined")
    max_removed_per_article: float = _limit(400.0, RATE, "warn when more lines per article are removed")
    # Shares are judged only on samples at least this large (5 articles say little).
    min_sample: int = _limit(20, COUNT, "judge the shares only on at least this many articles (inputs)")

    def __post_init__(self) -> None:
        """Each value parsed and checked: a deployment's JSON may carry 20.0 for a count, or text."""
        for f in fields(self):
            try:
                object.__setattr__(self, f.name, coerce_limit(f.name, getattr(self, f.name)))
            except ValueError as exc:
                raise ValueError(f"{f.name} {exc}") from None

    @classmethod
    def from_overrides(cls, overrides: Mapping[str, object]) -> Thresholds:
        """Defaults with some fields replaced; an unknown name or a bad value is a clear error.

        >>> Thresholds.from_overrides({"max_flagged_share": 0.5, "min_sample": 5.0}).min_sample
        5
        >>> Thresholds.from_overrides({"max_flagged_share": 1.5})
        Traceback (most recent call last):
        ValueError: max_flagged_share must be a share between 0 and 1, not 1.5
        """
        known = limit_names()
        unknown = sorted(set(overrides) - set(known))
        if unknown:
            raise ValueError(f"unknown limit(s) {', '.join(unknown)}; known limits: {', '.join(sorted(known))}")
        return replace(cls(), **overrides)  # type: ignore[arg-type]  # __post_init__ parses the values

    def overrides(self) -> dict[str, float]:
        """The fields that differ from the defaults (what a run was told), as plain JSON.

        >>> Thresholds(max_flagged_share=0.9).overrides()
        {'max_flagged_share': 0.9}
        """
        default = Thresholds()
        return {name: getattr(self, name) for name in limit_names() if getattr(self, name) != getattr(default, name)}


def limit_names() -> list[str]:
    """Every limit, in declaration order."""
    return [f.name for f in fields(Thresholds)]


def limit_doc(name: str) -> str:
    return str(_field(name).metadata["doc"])


def limit_flag(name: str) -> str:
    """The command-line flag that sets a limit.

    >>> limit_flag("max_flagged_share")
    '--max-flagged-share'
    """
    return "--" + name.replace("_", "-")


def limit_env(name: str) -> str:
    """The environment variable that sets a limit.

    >>> limit_env("max_flagged_share")
    'BERITA_MAX_FLAGGED_SHARE'
    """
    return f"BERITA_{name.upper()}"


def is_share(name: str) -> bool:
    return _field(name).metadata["kind"] == SHARE


def _field(name: str) -> Any:
    return next(f for f in fields(Thresholds) if f.name == name)


def coerce_limit(name: str, raw: object) -> int | float:
    """A limit's value from text or JSON, checked against its range; the error says what is wanted.

    >>> coerce_limit("max_flagged_share", "0.9"), coerce_limit("min_sample", "20")
    (0.9, 20)
    >>> coerce_limit("min_sample", 2.5)
    Traceback (most recent call last):
    ValueError: must be a whole number of 0 or more, not 2.5
    """
    kind = _field(name).metadata["kind"]
    wanted = {
        SHARE: "must be a share between 0 and 1",
        COUNT: "must be a whole number of 0 or more",
        RATE: "must be a number of 0 or more",
    }[kind]
    shown = raw if isinstance(raw, str) else repr(raw)
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise ValueError(f"{wanted}, not {shown}")
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{wanted}, not {shown!r}") from None
    if not math.isfinite(value) or value < 0 or (kind == SHARE and value > 1):
        raise ValueError(f"{wanted}, not {shown}")
    if kind == COUNT:
        if not value.is_integer():
            raise ValueError(f"{wanted}, not {shown}")
        return int(value)
    return value
