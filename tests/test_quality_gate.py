"""The quality gate: body precision/recall and metadata accuracy may not drop below pinned floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from berita.evaluate import evaluate
from tests.conftest import REPO

FLOORS = json.loads((REPO / "tests" / "golden" / "floors.json").read_text(encoding="utf-8"))
GOLD_FILES = [name for name in FLOORS if name.endswith(".json")]


@pytest.mark.parametrize("name", GOLD_FILES)
def test_scores_stay_above_the_pinned_floors(name: str) -> None:
    score = evaluate(REPO / "tests" / "golden" / name)
    floors = FLOORS[name]
    measured = {
        "body_precision": score.precision,
        "body_recall": score.recall,
        "metadata_accuracy": score.metadata_accuracy,
    }
    below = {k: (round(v, 4), floors[k]) for k, v in measured.items() if v < floors[k]}
    assert not below, f"{name}: below the floor (measured, floor): {below}; mismatches: {score.failures[:20]}"


def test_the_gate_can_fail() -> None:
    """A cleaner that loses a body line scores below 1.0: the gate is not vacuous."""
    from berita.evaluate import Score, score_case
    from berita.transforms.article import CleanOptions, clean_document
    from berita.transforms.records import Article
    from tests.conftest import golden_cases

    case = golden_cases()[0]
    article = clean_document((REPO / case["input"]).read_bytes(), case["input"], CleanOptions("t", "t"))
    assert isinstance(article, Article)
    damaged = Article(**{**article.__dict__, "paragraphs": article.paragraphs[1:]})
    score = Score()
    score_case(case, damaged, score)
    assert score.recall < 1.0 and score.precision == 1.0


def test_the_corpus_files_are_built_from_their_labelled_sources(tmp_path: Path) -> None:
    """The committed raw documents and corpus.json are exactly what scripts/build_corpus.py makes."""
    import subprocess
    import sys

    golden = REPO / "tests" / "golden"
    before = {p.name: p.read_bytes() for p in (golden / "corpus").iterdir()} | {
        "corpus.json": (golden / "corpus.json").read_bytes()
    }
    subprocess.run([sys.executable, "scripts/build_corpus.py"], cwd=REPO, check=True, capture_output=True)
    after = {p.name: p.read_bytes() for p in (golden / "corpus").iterdir()} | {
        "corpus.json": (golden / "corpus.json").read_bytes()
    }
    assert after == before, "run `python scripts/build_corpus.py` and commit the result"
