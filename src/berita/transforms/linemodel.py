"""The learned line classifier: is a line article text, and if not, what kind of furniture is it (pure).

Three logistic regressions over :mod:`linefeatures`: ``body`` scores every kept line (the probability that it is
body text or a subheading), ``stacked`` scores it again with its neighbours' first scores (so a related block runs
until running text resumes), and ``reason`` names the kind of a line they rejected (related, boilerplate, caption,
header). Weights are plain figures in a JSON file (``line_model.json`` in the package, or a user's own
from ``berita train``); :func:`read_model` turns its text into a :class:`LineModel`, which callers load once.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from berita.transforms.linefeatures import HTML_NAMES, HTML_STACKED_NAMES, NAMES, STACKED_NAMES

MODEL_FORMAT = 2
# What a rejected line is, by the reason model's class: (rule id, category in the removed_lines table).
REASONS = {
    "related": ("model.related", "related"),
    "boilerplate": ("model.boilerplate", "ui"),
    "caption": ("model.caption", "caption"),
    "header": ("model.header", "header"),
}


class ModelError(ValueError):
    """A weights file that berita cannot use (wrong format, other features)."""


@dataclass(frozen=True)
class Linear:
    """A logistic regression with the feature scaling folded into its weights."""

    weights: tuple[float, ...]
    bias: float

    @classmethod
    def from_fit(cls, mean: Sequence[float], scale: Sequence[float], coef: Sequence[float], intercept: float) -> Linear:
        weights = tuple(c / s for c, s in zip(coef, scale, strict=True))
        return cls(weights, intercept - sum(w * m for w, m in zip(weights, mean, strict=True)))

    @functools.cached_property
    def _weights(self) -> np.ndarray:
        return np.array(self.weights, dtype=float)

    def logits(self, rows: np.ndarray) -> np.ndarray:
        """The logit of each row of a feature matrix."""
        return rows @ self._weights + self.bias


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function; 0 below a logit of -50."""
    return np.where(z > -50, 1.0 / (1.0 + np.exp(-np.maximum(z, -50.0))), 0.0)


@dataclass(frozen=True)
class LineModel:
    """P(body) for a line, a threshold below which a kept line goes, and the reason it goes."""

    body: Linear
    stacked: Linear
    threshold: float
    reason_classes: tuple[str, ...]
    reasons: tuple[Linear, ...]
    name: str = "line_model"

    def first_pass(self, rows: np.ndarray) -> np.ndarray:
        """P(body) of each row of a page's first-pass feature matrix."""
        return _sigmoid(self.body.logits(rows))

    def body_probability(self, stacked_rows: np.ndarray) -> np.ndarray:
        """P(body) of each row of a page's stacked feature matrix."""
        return _sigmoid(self.stacked.logits(stacked_rows))

    @functools.cached_property
    def _reason_weights(self) -> tuple[np.ndarray, np.ndarray]:
        return np.array([m.weights for m in self.reasons], dtype=float), np.array([m.bias for m in self.reasons])

    def reasons_of(self, rows: np.ndarray, may_be_caption: np.ndarray) -> tuple[list[str], list[str]]:
        """The kind of each rejected line (a row of ``rows``): the reason model's most likely class, of the others
        where ``may_be_caption`` is false; and the most likely class of all. Ties go to the earlier class."""
        weights, bias = self._reason_weights
        scores = rows @ weights.T + bias
        first = scores.argmax(axis=1) if len(rows) else np.zeros(0, dtype=np.int64)
        if "caption" in self.reason_classes and len(self.reason_classes) > 1:
            scores[~may_be_caption, self.reason_classes.index("caption")] = -np.inf
        best = scores.argmax(axis=1) if len(rows) else first
        classes = self.reason_classes
        return [classes[i] for i in best.tolist()], [classes[i] for i in first.tolist()]


def _linear(spec: dict[str, object], index: int | None = None) -> Linear:
    coef = spec["coef"]
    intercept = spec["intercept"]
    if index is not None:
        coef, intercept = coef[index], intercept[index]  # type: ignore[index]  # JSON lists of lists
    return Linear.from_fit(spec["mean"], spec["scale"], coef, intercept)  # type: ignore[arg-type]


@dataclass(frozen=True)
class LineModels:
    """One model for text pages, one for HTML pages' blocks (which also see the DOM)."""

    text: LineModel
    html: LineModel | None
    name: str = "line_model"


_FEATURES = {"text": (NAMES, STACKED_NAMES), "html": (HTML_NAMES, HTML_STACKED_NAMES)}


def _section(spec: dict[str, Any], kind: str, name: str) -> LineModel:
    names, stacked_names = _FEATURES[kind]
    if tuple(spec["features"]) != names or tuple(spec["stacked_features"]) != stacked_names:
        raise ModelError(f"the {kind} model was trained on other features than this berita computes: retrain it")
    reason = spec["reason"]
    classes = tuple(reason["classes"])
    if not set(classes) <= set(REASONS):
        raise ModelError(f"unknown reason classes {sorted(set(classes) - set(REASONS))}")
    return LineModel(
        body=_linear(spec["body"]),
        stacked=_linear(spec["stacked"]),
        threshold=float(spec["stacked"]["threshold"]),
        reason_classes=classes,
        reasons=tuple(_linear(reason, i) for i in range(len(classes))),
        name=f"{name}:{kind}",
    )


def read_model(text: str, name: str = "line_model") -> LineModels:
    """The models of a weights file's text (raises :class:`ModelError` for one berita cannot use)."""
    try:
        spec = json.loads(text)
        if spec.get("format") != MODEL_FORMAT:
            raise ModelError(f"weights file format {spec.get('format')!r}, berita reads format {MODEL_FORMAT}")
        html = _section(spec["html"], "html", name) if spec.get("html") else None
        return LineModels(_section(spec["text"], "text", name), html, name)
    except (KeyError, TypeError, IndexError, ValueError, AttributeError) as exc:
        if isinstance(exc, ModelError):
            raise
        raise ModelError(f"not a berita weights file ({type(exc).__name__}: {exc})") from None


RULES_ONLY = "rules"  # what --model takes for "no line model: the rule table and the parser alone"
SHIPPED = "line_model.json"  # in the berita package: trained by `berita train` on the labelled pages


@functools.cache
def shipped_model() -> LineModels:
    """The model that ships with berita, read from the package once per process."""
    return read_model(resources.files("berita").joinpath(SHIPPED).read_text(encoding="utf-8"), name="shipped")
