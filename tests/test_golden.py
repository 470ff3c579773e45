"""Golden cases: the five seed documents, field by field and line by line."""

from __future__ import annotations

from typing import Any

import pytest

from berita.transforms.article import CleanOptions, clean_document
from berita.transforms.records import Article
from tests.conftest import REPO, golden_cases

OPTIONS = CleanOptions(run_id="test", pipeline_version="test")
MOJIBAKE = ("\u00c2", "\u00c3", "\u00e2\u20ac", "\ufffd")
CASES = golden_cases()


def _clean(case: dict[str, Any]) -> Article:
    result = clean_document((REPO / case["input"]).read_bytes(), case["input"], OPTIONS)
    assert isinstance(result, Article), result
    return result


@pytest.fixture(scope="module", params=CASES, ids=[c["input"].split("/")[-1][:3] for c in CASES])
def case_and_article(request: pytest.FixtureRequest) -> tuple[dict[str, Any], Article]:
    return request.param, _clean(request.param)


@pytest.mark.parametrize(
    "name", ["title", "outlet", "dateline_city", "lede", "section", "wire_source", "authors", "flags"]
)
def test_fields_are_exact(case_and_article: tuple[dict[str, Any], Article], name: str) -> None:
    case, article = case_and_article
    assert getattr(article, name) == case[name]


def test_published_at(case_and_article: tuple[dict[str, Any], Article]) -> None:
    case, article = case_and_article
    got = article.published_at.isoformat() if article.published_at else None
    assert got == case["published_at"]


def test_body_snippets(case_and_article: tuple[dict[str, Any], Article]) -> None:
    case, article = case_and_article
    for snippet in case["must_contain"]:
        assert snippet in article.body
    for snippet in case["must_not_contain"]:
        assert snippet not in article.body


def test_body_lines_exactly(case_and_article: tuple[dict[str, Any], Article]) -> None:
    """Every body line of the seed is in body, and no other line is (line-level recall and precision)."""
    case, article = case_and_article
    body_lines = sorted({p.line_no for p in article.paragraphs if p.kind in ("body", "subheading")})
    assert body_lines == case["body_lines"]
    assert sorted({p.line_no for p in article.paragraphs if p.kind == "caption"}) == case["caption_lines"]


def test_subheadings_captions_and_links(case_and_article: tuple[dict[str, Any], Article]) -> None:
    case, article = case_and_article
    assert [p.text for p in article.paragraphs if p.kind == "subheading"] == case["subheadings"]
    if "captions" in case:
        assert sum(p.kind == "caption" for p in article.paragraphs) == case["captions"]
    assert len(article.related_links) == case["related_links"]


def test_no_mojibake_in_any_text_column(case_and_article: tuple[dict[str, Any], Article]) -> None:
    _, article = case_and_article
    texts = [article.title or "", article.lede or "", article.body]
    texts += [p.text for p in article.paragraphs] + [r.text for r in article.removed_lines]
    texts += [link.title + (link.teaser or "") for link in article.related_links]
    for text in texts:
        assert not any(bad in text for bad in MOJIBAKE), text


def test_seed_001_related_links_keep_title_teaser_and_age() -> None:
    article = _clean(next(c for c in CASES if c["input"].endswith("001_4548053b9a36059e.txt")))
    inline, block = article.related_links[:2], article.related_links[2:]
    assert inline[0].title == "Kim Yong Chol - Mike Pompeo Bahas Denuklirisasi Korut dan KTT"
    assert all(link.teaser is None and link.age_raw is None for link in inline)
    assert len(block) == 10
    assert block[0].title == "10 Negara Terdingin di Dunia, Ada yang Minus 50 Derajat Celcius"
    assert block[0].age_raw == "14 jam lalu"
    assert block[0].teaser and block[0].teaser.startswith("Berikut ini deretan negara terdingin")
    assert all(link.age_raw and link.teaser for link in block)


def test_lede_repeated_by_first_paragraph_appears_once_in_body() -> None:
    case = next(c for c in CASES if c["input"].endswith("000_12dd0d3774324706.txt"))
    article = _clean(case)
    assert article.body.count(case["lede"]) == 1


def test_same_input_gives_the_same_id() -> None:
    first, second = _clean(CASES[0]), _clean(CASES[0])
    assert first.article_id == second.article_id
    assert len({_clean(c).article_id for c in CASES}) == len(CASES)
