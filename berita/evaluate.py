"""Score the cleaner against a golden file: body precision/recall per line, metadata accuracy.

A golden file is JSON: ``{"root": "../..", "cases": [...]}``. ``root`` is the folder, relative
to the golden file, that each case's ``input`` path starts from; a case names the exact metadata
fields expected and ``body_lines``: the 0-based input lines whose text belongs in body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from berita.transforms.article import CleanOptions, clean_document
from berita.transforms.records import Article

METADATA_FIELDS = ("title", "published_at", "outlet", "dateline_city")
BODY_KINDS = ("body", "subheading")


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


def score_case(case: dict[str, Any], article: Article | None, score: Score) -> None:
    """Add one case's outcome to ``score`` (a quarantined input scores as no body, no metadata)."""
    score.cases += 1
    gold_body = set(case["body_lines"])
    predicted = set() if article is None else {p.line_no for p in article.paragraphs if p.kind in BODY_KINDS}
    score.body_gold += len(gold_body)
    score.body_predicted += len(predicted)
    score.body_true_positive += len(gold_body & predicted)
    for line in sorted(gold_body - predicted):
        score.failures.append(f"{case['input']}: body line {line} missing")
    for line in sorted(predicted - gold_body):
        score.failures.append(f"{case['input']}: line {line} is not body")
    all_right = article is not None
    for name in METADATA_FIELDS:
        got = None if article is None else _value(article, name)
        if got == case.get(name):
            score.field_right[name] += 1
        else:
            all_right = False
            score.failures.append(f"{case['input']}: {name} is {got!r}, expected {case.get(name)!r}")
    score.metadata_right += all_right


def evaluate(gold_path: Path) -> Score:
    """Clean every case of a golden file and score the result."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    root = gold_path.resolve().parent / gold.get("root", ".")
    options = CleanOptions(run_id="evaluate", pipeline_version="evaluate", detect_language=False)
    score = Score()
    for case in gold["cases"]:
        source = root / case["input"]
        if not source.is_file():
            raise ValueError(f"{gold_path}: input {case['input']} not found under {root.resolve()}")
        result = clean_document(source.read_bytes(), case["input"], options)
        score_case(case, result if isinstance(result, Article) else None, score)
    return score
