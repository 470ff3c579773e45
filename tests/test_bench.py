"""The benchmark runs as a user runs it and reports what the README quotes."""

from __future__ import annotations

import json

import pytest

from berita.bench import generate
from tests.conftest import run_berita

pytestmark = pytest.mark.slow


def test_generated_corpus_is_deterministic_and_cleanable() -> None:
    from berita.transforms.article import CleanOptions, clean_document
    from berita.transforms.records import Article

    docs = list(generate(200, seed=3))
    assert docs == list(generate(200, seed=3))
    assert docs != list(generate(200, seed=4))
    options = CleanOptions("t", "t", detect_language=False)
    results = [
        clean_document(data, name, options, kind="html" if name.endswith(".html") else "text") for name, data in docs
    ]
    articles = [r for r in results if isinstance(r, Article)]
    assert len(articles) == len(docs), "every generated document is an article"
    assert sum(a.repairs > 0 for a in articles) >= 5, "a few percent carry mojibake"
    assert all(a.title and a.published_at for a in articles)


def test_berita_bench_reports_throughput_memory_and_stages() -> None:
    done = run_berita("bench", "--docs", "60", "--repeat", "1", "--flow-repeat", "1")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    transforms, flow = report["transforms"], report["flow"]
    assert transforms["berita_docs_per_s"] > 0 and transforms["ftfy_docs_per_s"] > 0
    assert transforms["ratio_berita_over_ftfy"] > 0 and transforms["peak_rss_mb"] > 0
    assert flow["docs"] == 60 and flow["docs_per_s"] > 0 and flow["peak_rss_mb"] > 0
    assert {"clean", "validate", "publish"} <= set(flow["stage_seconds"])
