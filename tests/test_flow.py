"""The clean-news flow end to end, on the seeds, in a temporary warehouse and Prefect database."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest
from berita.transforms.records import TABLES, arrow_schema

from tests.conftest import REPO

pytestmark = pytest.mark.slow


def _read(warehouse: Path, table: str):
    return ds.dataset(warehouse / table, partitioning="hive").to_table()


@pytest.fixture(scope="module")
def two_runs(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory):
    from berita.flows.clean_news import clean_news

    inputs = tmp_path_factory.mktemp("inputs")
    shutil.copytree(REPO / "seeds", inputs, dirs_exist_ok=True)
    (inputs / "nested").mkdir()
    (inputs / "nested" / "copy of 000.txt").write_bytes((REPO / "seeds" / "000_12dd0d3774324706.txt").read_bytes())
    (inputs / "nested" / "empty.txt").write_bytes(b"")
    (inputs / "notes.pdf").write_bytes(b"%PDF-1.4")
    warehouse = tmp_path_factory.mktemp("warehouse")
    first = clean_news(input_dir=str(inputs), warehouse_dir=str(warehouse), batch_size=3)
    first_ids = sorted(_read(warehouse, "articles").column("article_id").to_pylist())
    second = clean_news(input_dir=str(inputs), warehouse_dir=str(warehouse), batch_size=3)
    return warehouse, first, first_ids, second


def test_tables_have_the_declared_schemas(two_runs) -> None:
    warehouse = two_runs[0]
    for table in TABLES:
        schema = _read(warehouse, table).schema
        declared = arrow_schema(table)
        assert schema.names == declared.names, table
        assert [f.type for f in schema] == [f.type for f in declared], table


def test_every_input_is_an_article_or_quarantined_with_a_reason(two_runs) -> None:
    warehouse, _, _, second = two_runs
    stats = second["stats"]
    assert stats.inputs == 8
    assert stats.articles == 5 and stats.quarantined == 3
    assert stats.articles + stats.quarantined == stats.inputs
    quarantine = {row["source_uri"]: row for row in _read(warehouse, "quarantine").to_pylist()}
    assert quarantine["nested/copy of 000.txt"]["stage"] == "dedupe"
    assert quarantine["nested/empty.txt"]["stage"] == "read"
    assert "unsupported file type .pdf" in quarantine["notes.pdf"]["reason"]
    assert len(_read(warehouse, "articles")) == 5


def test_second_run_gives_the_same_ids_and_replaces_the_first(two_runs) -> None:
    warehouse, first, first_ids, second = two_runs
    assert first["run_id"] != second["run_id"]
    articles = _read(warehouse, "articles")
    assert sorted(articles.column("article_id").to_pylist()) == first_ids
    assert set(articles.column("run_id").to_pylist()) == {second["run_id"]}
    assert not (warehouse / "_staging").exists()


def test_duckdb_reads_the_warehouse_with_hive_partitioning(two_runs) -> None:
    warehouse = two_runs[0]
    rows = duckdb.sql(
        f"select outlet, count(*) from read_parquet('{warehouse}/articles/**/*.parquet', hive_partitioning=true) "
        "group by 1 order by 1 nulls last"
    ).fetchall()
    assert rows == [("liputan6.com", 2), ("orbitindonesia.com", 1), ("tempo.co", 1), (None, 1)]
    removed = duckdb.sql(
        f"select count(*) from read_parquet('{warehouse}/removed_lines/**/*.parquet', hive_partitioning=true) "
        "where rule = 'related.block'"
    ).fetchall()
    assert removed == [(50,)]  # seed 001: 10 items of title, age, title again, teaser, read-more


def test_parquet_files_are_zstd_and_carry_column_descriptions(two_runs) -> None:
    import pyarrow.parquet as pq

    warehouse = two_runs[0]
    part = next((warehouse / "articles").rglob("*.parquet"))
    meta = pq.ParquetFile(part)
    assert meta.metadata.row_group(0).column(0).compression == "ZSTD"
    assert meta.schema_arrow.field("title").metadata[b"description"]
