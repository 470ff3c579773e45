"""The clean-news flow end to end, in temporary warehouses, under Prefect's test harness."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from berita.transforms.records import TABLES, arrow_schema
from tests.conftest import REPO

pytestmark = pytest.mark.slow
SEEDS = sorted((REPO / "seeds").glob("*.txt"))


def _read(warehouse: Path, table: str) -> pa.Table:
    return ds.dataset(warehouse / table, partitioning="hive").to_table()


def _run(inputs: Path, warehouse: Path, **kwargs):
    from berita.flows.clean_news import clean_news
    from berita.settings import Settings

    return clean_news(Settings(input_dir=str(inputs), warehouse_dir=str(warehouse), batch_size=3, **kwargs))


def assert_every_input_accounted_for(warehouse: Path) -> None:
    """Each ledger row is an article, a duplicate of known content, or a quarantine row; per run,
    the ledger rows add up to the run's new inputs."""
    ledger = _read(warehouse, "inputs").to_pylist()
    articles = set(_read(warehouse, "articles").column("article_id").to_pylist())
    quarantined = set(_read(warehouse, "quarantine").column("source_uri").to_pylist())
    for row in ledger:
        if row["outcome"] == "article":
            assert row["article_id"] in articles
        elif row["outcome"] == "quarantined":
            assert row["source_uri"] in quarantined
        else:
            assert row["outcome"] == "duplicate" and row["input_id"] is not None
    runs = _read(warehouse, "runs").to_pylist()
    per_run = {r["run_id"]: 0 for r in runs}
    for row in ledger:
        per_run[row["run_id"]] = per_run.get(row["run_id"], 0) + 1
    latest_replace = max((r["started_at"] for r in runs if r["mode"] == "reprocess"), default=None)
    for run in runs:
        if run["status"] == "succeeded" and (latest_replace is None or run["started_at"] >= latest_replace):
            assert per_run[run["run_id"]] == run["inputs_new"], run


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "inputs"
    folder.mkdir()
    for seed in SEEDS[:3]:
        shutil.copy(seed, folder / seed.name)
    return folder


def test_tables_have_the_declared_schemas_and_read_with_duckdb(
    prefect_harness: None, inputs: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "warehouse"
    _run(inputs, warehouse)
    for table in TABLES:
        schema = _read(warehouse, table).schema
        declared = arrow_schema(table)
        assert schema.names == declared.names, table
        assert [f.type for f in schema] == [f.type for f in declared], table
    rows = duckdb.sql(
        f"select outlet, count(*) from read_parquet('{warehouse}/articles/**/*.parquet', hive_partitioning=true) "
        "group by 1 order by 1"
    ).fetchall()
    assert rows == [("liputan6.com", 2), ("tempo.co", 1)]
    part = next((warehouse / "articles").rglob("*.parquet"))
    assert pq.ParquetFile(part).metadata.row_group(0).column(0).compression == "ZSTD"
    assert pq.ParquetFile(part).schema_arrow.field("title").metadata[b"description"]


def test_incremental_runs_add_only_what_is_new(prefect_harness: None, inputs: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    first = _run(inputs, warehouse)
    assert (first.inputs_new, first.stats.articles) == (3, 3)

    again = _run(inputs, warehouse)
    assert (again.inputs_seen, again.inputs_new, again.unchanged) == (3, 0, 3)
    # nothing new: no batch was cleaned or validated (only the run-level checks ran), so nothing was stored for one
    assert "clean" not in again.stage_seconds and "validate" not in again.stage_seconds
    assert not list((warehouse / "_gx").rglob(f"{again.run_id}-0*")), "a no-op run stored batch validations"
    for run in _read(warehouse, "runs").to_pylist():  # the runs table adds up by itself
        assert run["articles_written"] + run["quarantined"] + run["duplicates"] + run["unchanged"] == run["inputs_seen"]
    assert len(_read(warehouse, "articles")) == 3

    for seed in SEEDS[3:]:
        shutil.copy(seed, inputs / seed.name)
    shutil.copy(SEEDS[0], inputs / "renamed copy.txt")
    third = _run(inputs, warehouse)
    assert (third.inputs_new, third.stats.articles, third.unchanged) == (3, 2, 3)
    articles = _read(warehouse, "articles")
    assert len(articles) == 5 and len(set(articles.column("article_id").to_pylist())) == 5
    ledger = {row["source_uri"]: row for row in _read(warehouse, "inputs").to_pylist()}
    assert ledger["renamed copy.txt"]["outcome"] == "duplicate"
    assert ledger["renamed copy.txt"]["article_id"] == ledger[SEEDS[0].name]["article_id"]
    assert_every_input_accounted_for(warehouse)


def test_a_warehouse_written_before_source_file_existed_runs_on(
    prefect_harness: None, inputs: Path, tmp_path: Path
) -> None:
    """`inputs` and `quarantine` rows written before `source_file` existed read it as null; runs go on."""
    from berita.flows import reader, warehouse

    (inputs / "bad.jsonl").write_text('{"url": "https://x.id/a"}\n', encoding="utf-8")
    warehouse_dir = tmp_path / "warehouse"
    _run(inputs, warehouse_dir)
    for table in ("inputs", "quarantine"):  # as an older berita wrote them
        for part in (warehouse_dir / table).rglob("*.parquet"):
            pq.write_table(pq.read_table(part).drop_columns(["source_file"]), part)
    shutil.copy(SEEDS[3], inputs / SEEDS[3].name)
    first_line = '{"url": "https://x.id/a"}\n'
    (inputs / "bad.jsonl").write_text(first_line + '{"url": "https://x.id/b"}\n', encoding="utf-8")
    second = _run(inputs, warehouse_dir)
    assert second.inputs_new == 2 and second.unchanged == len(SEEDS[:3]) + 1
    db = reader.connect(warehouse_dir)
    query = f"select source_uri, source_file from {{}} where run_id = '{second.run_id}' order by source_uri"
    record = ("https://x.id/b", f"bad.jsonl#byte={len(first_line)}")
    assert db.sql(query.format("quarantine")).fetchall() == [record]
    assert db.sql(query.format("inputs")).fetchall() == [(SEEDS[3].name, SEEDS[3].name), record]
    older = warehouse.read_table(warehouse_dir, "inputs").filter(pa.compute.field("run_id") != second.run_id)
    assert older.num_rows == 4 and set(older["source_file"].to_pylist()) == {None}
    assert_every_input_accounted_for(warehouse_dir)


def test_reprocess_replaces_every_table_without_duplicates(prefect_harness: None, inputs: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    first = _run(inputs, warehouse)
    ids = sorted(_read(warehouse, "articles").column("article_id").to_pylist())
    second = _run(inputs, warehouse, reprocess=True)
    articles = _read(warehouse, "articles")
    assert sorted(articles.column("article_id").to_pylist()) == ids
    assert set(articles.column("run_id").to_pylist()) == {second.run_id}
    for table in ("paragraphs", "removed_lines", "inputs", "quarantine"):
        assert set(_read(warehouse, table).column("run_id").to_pylist()) <= {second.run_id}, table
    runs = _read(warehouse, "runs").to_pylist()
    assert [(r["run_id"], r["mode"]) for r in sorted(runs, key=lambda r: r["started_at"])] == [
        (first.run_id, "incremental"),
        (second.run_id, "reprocess"),
    ]
    assert not (warehouse / "_staging").exists()
    assert_every_input_accounted_for(warehouse)


def test_record_files_html_and_bad_inputs(prefect_harness: None, tmp_path: Path) -> None:
    folder = tmp_path / "inputs"
    folder.mkdir()
    seed_text = SEEDS[1].read_text(encoding="utf-8")
    records = [
        {
            "url": "https://www.tempo.co/internasional/kim-bertemu-lavrov",
            "fetched_at": "2024-01-01T00:00:00Z",
            "text": seed_text,
        },
        {"url": "https://example.org/no-body"},
        {"text": 42},
    ]
    lines = [json.dumps(r) for r in records] + ["{not json"]
    (folder / "scrape.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pq.write_table(
        pa.table(
            {
                "url": ["https://www.liputan6.com/global/read/1"],
                "text": [SEEDS[2].read_text(encoding="utf-8")],
                "fetched_at": pa.array([datetime(2024, 2, 3, 11, 5, 6, tzinfo=timezone(timedelta(hours=7)))]),
            }
        ),
        folder / "rows.parquet",
    )
    pq.write_table(pa.table({"headline": ["no text column"]}), folder / "odd.parquet")
    body = "".join(f"<p>{p}</p>" for p in SEEDS[4].read_text(encoding="utf-8").split("\n\n")[3:12])
    page = (
        '<html><head><meta property="og:title" content="Putin akan Bertemu Menlu Choe Son Hui">'
        '<meta property="article:published_time" content="2024-01-15T10:00:00+07:00">'
        '<meta property="og:url" content="https://www.orbitindonesia.com/read/1"></head>'
        f"<body><nav>Beranda</nav><article>{body}</article><footer>Copyright</footer></body></html>"
    )
    (folder / "page.html").write_text(page, encoding="utf-8")
    warehouse = tmp_path / "warehouse"
    result = _run(folder, warehouse)
    assert result.inputs_seen == 7
    articles = {a["source_uri"]: a for a in _read(warehouse, "articles").to_pylist()}
    tempo = articles["https://www.tempo.co/internasional/kim-bertemu-lavrov"]
    assert tempo["outlet"] == "tempo.co" and tempo["title"].startswith("Kim Jong Un Bertemu")
    assert articles["https://www.liputan6.com/global/read/1"]["outlet"] == "liputan6.com"
    # the scraper's fetch time is kept: an ISO 8601 string in JSONL, a timestamp in Parquet; none for a file
    assert tempo["fetched_at"].isoformat() == "2024-01-01T00:00:00+00:00"
    assert articles["https://www.liputan6.com/global/read/1"]["fetched_at"].isoformat() == "2024-02-03T04:05:06+00:00"
    assert articles["page.html"]["fetched_at"] is None
    html_article = articles["page.html"]
    assert html_article["title"] == "Putin akan Bertemu Menlu Choe Son Hui"
    assert html_article["outlet"] == "orbitindonesia.com"
    assert html_article["published_at"].isoformat() == "2024-01-15T03:00:00+00:00"
    quarantine = {q["source_uri"]: q["reason"] for q in _read(warehouse, "quarantine").to_pylist()}
    assert "neither text nor html" in quarantine["https://example.org/no-body"]
    assert any("text must be a string" in r for r in quarantine.values())
    assert any("not valid JSON" in r for r in quarantine.values())
    assert "not a readable PARQUET file" in quarantine["odd.parquet"]
    # Every quarantine and ledger row names its file and record, whether or not the record had a URL.
    offsets = [0]
    for line in lines[:-1]:
        offsets.append(offsets[-1] + len(line.encode("utf-8")) + 1)
    files = {q["source_uri"]: q["source_file"] for q in _read(warehouse, "quarantine").to_pylist()}
    assert files["https://example.org/no-body"] == f"scrape.jsonl#byte={offsets[1]}"
    assert sorted(files.values()) == sorted(["odd.parquet", *(f"scrape.jsonl#byte={offsets[n]}" for n in (1, 2, 3))])
    ledger = {row["source_file"]: row for row in _read(warehouse, "inputs").to_pylist()}
    assert (
        ledger[f"scrape.jsonl#byte={offsets[0]}"]["source_uri"]
        == "https://www.tempo.co/internasional/kim-bertemu-lavrov"
    )
    assert ledger["rows.parquet#row=0"]["source_uri"] == "https://www.liputan6.com/global/read/1"
    assert ledger["page.html"]["source_uri"] == "page.html" and len(ledger) == result.inputs_seen
    assert result.stats.articles + result.stats.quarantined == result.inputs_seen
    assert_every_input_accounted_for(warehouse)
    # Quarantined inputs are settled too: a second run adds nothing.
    assert _run(folder, warehouse).inputs_new == 0
