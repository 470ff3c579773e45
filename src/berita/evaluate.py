"""Score the cleaner against a golden file: body precision/recall per line, metadata accuracy.

A golden file is JSON: ``{"root": "../..", "cases": [...]}``. ``root`` is the folder, relative
to the golden file, that each case's ``input`` path starts from; a case names the exact metadata
fields expected and either ``body_lines`` (the 0-based input lines whose text belongs in body)
or, for HTML pages, ``body_texts`` (the body paragraphs' text, compared with spacing folded).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from berita.transforms.article import CleanOptions, clean_document
from berita.transforms.linemodel import RULES_ONLY, read_model
from berita.transforms.records import BODY_KINDS, Article

METADATA_FIELDS = ("title", "published_at", "outlet", "dateline_city")


@dataclass
class Score:
    """Line-level body precision/recall and per-field metadata accuracy over a golden corpus."""

    cases: int = 0
    body_true_positive: int = 0
    body_predicted: int = 0
    body_gold: int = 0
    metadata_right: int = 0
    field_right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METADATA_FIELDS, 0))
    failures: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.body_true_positive / self.body_predicted if self.body_predicted else 1.0

    @property
    def recall(self) -> float:
        return self.body_true_positive / self.body_gold if self.body_gold else 1.0

    @property
    def metadata_accuracy(self) -> float:
        return self.metadata_right / self.cases if self.cases else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "body_precision": round(self.precision, 4),
            "body_recall": round(self.recall, 4),
            "metadata_accuracy": round(self.metadata_accuracy, 4),
            "field_accuracy": {k: round(v / self.cases, 4) if self.cases else 1.0 for k, v in self.field_right.items()},
            "failures": self.failures,
        }


def _value(article: Article, name: str) -> Any:
    value = getattr(article, name)
    return value.isoformat() if isinstance(value, datetime) else value


def _fold(text: str) -> str:
    return " ".join(text.split())


def _gold_match(text: str, gold: set[str]) -> str:
    """The gold paragraph a kept paragraph stands for: itself, or the gold text it ends, when all
    that was cut is a dateline (the gold marks whole page elements; the dateline is metadata)."""
    if text in gold:
        return text
    for g in gold:
        if g.endswith(text) and len(g) - len(text) <= 60 and len(text) >= 20:
            return g
    return text


def score_case(case: dict[str, Any], article: Article | None, score: Score) -> None:
    """Add one case's outcome to ``score`` (a quarantined input scores as no body, no metadata)."""
    score.cases += 1
    body = [] if article is None else [p for p in article.paragraphs if p.kind in BODY_KINDS]
    gold_body: set[Any]
    if "body_texts" in case:
        gold_body = {_fold(t) for t in case["body_texts"]}
        predicted: set[Any] = {_gold_match(_fold(p.text), gold_body) for p in body}
    else:
        gold_body, predicted = set(case["body_lines"]), {p.line_no for p in body}
    score.body_gold += len(gold_body)
    score.body_predicted += len(predicted)
    score.body_true_positive += len(gold_body & predicted)
    for line in sorted(gold_body - predicted, key=str):
        score.failures.append(f"{case['input']}: body line {line!r} missing")
    for line in sorted(predicted - gold_body, key=str):
        score.failures.append(f"{case['input']}: line {line!r} is not body")
    all_right = article is not None
    for name in METADATA_FIELDS:
        got = None if article is None else _value(article, name)
        if got == case.get(name):
            score.field_right[name] += 1
        else:
            all_right = False
            score.failures.append(f"{case['input']}: {name} is {got!r}, expected {case.get(name)!r}")
    score.metadata_right += all_right


def evaluate(gold_path: Path, model: Path | None = None) -> Score:
    """Clean every case of a golden file (with the line model in ``model``, default the shipped one) and score
    the result."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    root = gold_path.resolve().parent / gold.get("root", ".")
    options = CleanOptions(run_id="evaluate", pipeline_version="evaluate", detect_language=False)
    if model is not None and str(model) == RULES_ONLY:
        options = replace(options, line_model=None)
    elif model is not None:
        options = replace(options, line_model=read_model(model.read_text(encoding="utf-8"), name=str(model)))
    score = Score()
    for case in gold["cases"]:
        source = root / case["input"]
        if not source.is_file():
            raise ValueError(f"{gold_path}: input {case['input']} not found under {root.resolve()}")
        kind = "html" if source.suffix.lower() in (".html", ".htm") else "text"
        result = clean_document(source.read_bytes(), case["input"], options, kind=kind)
        score_case(case, result if isinstance(result, Article) else None, score)
    return score
