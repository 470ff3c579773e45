"""Duplicate bodies: an exact twin is written once (the ledger points at the first), a near twin is
flagged with its twin's id, and both work across runs through the stored signatures."""

from __future__ import annotations

from pathlib import Path

import pyarrow.dataset as ds
import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

SEED = REPO / "seeds" / "000_12dd0d3774324706.txt"


def _rows(warehouse: Path, table: str) -> list[dict[str, object]]:
    return ds.dataset(warehouse / table, partitioning="hive").to_table().to_pylist()


def _variants(text: str) -> dict[str, bytes]:
    """The same story as other scrapers save it: other bytes, same cleaned body; and a light edit."""
    lines = text.split("\n")
    body_at = next(i for i, line in enumerate(lines) if line.startswith("Dialog antara"))
    edited = list(lines)
    edited[body_at] = "Dialog antara kedua menteri luar negeri itu diperkirakan membahas penguatan hubungan."
    return {
        "a_original.txt": text.encode("utf-8"),
        "b_crlf_copy.txt": text.replace("\n", "\r\n").encode("utf-8"),  # other bytes, same article
        "c_cp1252_copy.txt": ("Advertisement\n" + text).encode("cp1252", "replace"),
        "d_edited.txt": "\n".join(edited).encode("utf-8"),  # one paragraph rewritten: a near twin
    }


def test_exact_and_near_duplicate_bodies(prefect_harness: None, tmp_path: Path) -> None:
    from berita.flows.clean_news import clean_news
    from berita.settings import Settings

    inputs, warehouse = tmp_path / "inputs", tmp_path / "warehouse"
    inputs.mkdir()
    for name, data in _variants(SEED.read_text(encoding="utf-8")).items():
        (inputs / name).write_bytes(data)
    result = clean_news(Settings(input_dir=str(inputs), warehouse_dir=str(warehouse), batch_size=2))

    articles = {a["source_uri"]: a for a in _rows(warehouse, "articles")}
    assert sorted(articles) == ["a_original.txt", "d_edited.txt"], "exact twins are written once"
    original, edited = articles["a_original.txt"], articles["d_edited.txt"]
    assert edited["near_duplicate_of"] == original["article_id"]
    assert "near_duplicate" in edited["flags"]
    assert original["near_duplicate_of"] is None and "near_duplicate" not in original["flags"]

    ledger = {r["source_uri"]: r for r in _rows(warehouse, "inputs")}
    for copy in ("b_crlf_copy.txt", "c_cp1252_copy.txt"):
        assert ledger[copy]["outcome"] == "duplicate"
        assert ledger[copy]["article_id"] == original["article_id"], "the ledger points a twin at the kept article"
    kept_ids = {a["article_id"] for a in articles.values()}
    for table in ("paragraphs", "removed_lines", "signatures"):
        assert {r["article_id"] for r in _rows(warehouse, table)} <= kept_ids, f"{table} keeps no dropped twin"
    runs = _rows(warehouse, "runs")
    assert runs[0]["duplicates"] == 2 and runs[0]["articles_written"] == 2
    assert result.stats.near_duplicates == 1

    # A later run: a fresh copy of the published article is a duplicate of it, via the stored keys.
    (inputs / "later_copy.txt").write_bytes(SEED.read_bytes().replace(b"Sukses\n", b"Sukses\n\nBERITA\n"))
    clean_news(Settings(input_dir=str(inputs), warehouse_dir=str(warehouse)))
    ledger = {r["source_uri"]: r for r in _rows(warehouse, "inputs")}
    assert ledger["later_copy.txt"]["outcome"] == "duplicate"
    assert ledger["later_copy.txt"]["article_id"] == original["article_id"]
    assert len(_rows(warehouse, "articles")) == 2
