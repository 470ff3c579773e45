"""Validation: suites built from the schema, row-level quarantine, batch-level failure, artifacts."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pytest
from berita.expectations import checks
from berita.expectations.checks import Thresholds, all_checks, schema_checks
from berita.transforms import records

from tests.conftest import REPO

SEEDS = sorted((REPO / "seeds").glob("*.txt"))


def _columns_checked(table: str) -> set[str]:
    found: set[str] = set()
    for check in all_checks(datetime.now(UTC), Thresholds(), 0, 0):
        if check.table == table:
            found |= {v for k, v in check.kwargs.items() if k in ("column", "column_A")}
            found |= set(check.kwargs.get("column_list", []))
    return found


@pytest.mark.parametrize("table", [t for t in records.TABLES if t != "runs"])
def test_every_schema_column_has_an_expectation(table: str) -> None:
    declared = {c.name for c in records.TABLES[table]} - set(records.PARTITION_COLUMNS)
    assert declared <= _columns_checked(table)


def test_a_new_column_cannot_escape_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    extra = records.Column("sentiment", pa.float32(), True, "A column added later.")
    monkeypatch.setitem(records.TABLES, "articles", (*records.TABLES["articles"], extra))
    assert "articles.sentiment.exists" in {c.name for c in schema_checks("articles")}


def test_check_names_are_unique_and_levels_known() -> None:
    names = [c.name for c in all_checks(datetime.now(UTC), Thresholds(min_sample=0), 50, 50)]
    assert len(names) == len(set(names))
    assert {c.level for c in all_checks(datetime.now(UTC), Thresholds(), 0, 0)} == {"row", "batch"}


SHORT = (
    "Judul Berita yang Sangat Pendek\n\n"
    "Jakarta (ANTARA) - Kalimat ini terlalu pendek untuk menjadi sebuah artikel berita.\n"
)


@pytest.mark.slow
def test_a_row_that_breaks_a_row_level_check_is_quarantined(prefect_harness: None, tmp_path: Path) -> None:
    from berita.flows.clean_news import clean_news

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SEEDS[0], inputs / SEEDS[0].name)
    (inputs / "short.txt").write_text(SHORT, encoding="utf-8")
    warehouse = tmp_path / "warehouse"
    result = clean_news(input_dir=str(inputs), warehouse_dir=str(warehouse))
    quarantine = {
        q["source_uri"]: q for q in ds.dataset(warehouse / "quarantine", partitioning="hive").to_table().to_pylist()
    }
    assert quarantine["short.txt"]["stage"] == "validate"
    assert quarantine["short.txt"]["reason"] == "failed the check articles.body.min_length"
    articles = ds.dataset(warehouse / "articles", partitioning="hive").to_table()
    assert articles["source_uri"].to_pylist() == [SEEDS[0].name]
    ledger = {r["source_uri"]: r for r in ds.dataset(warehouse / "inputs", partitioning="hive").to_table().to_pylist()}
    assert ledger["short.txt"]["outcome"] == "quarantined" and ledger["short.txt"]["article_id"] is None
    children = ds.dataset(warehouse / "paragraphs", partitioning="hive").to_table()
    assert set(children["article_id"].to_pylist()) == set(articles["article_id"].to_pylist())
    assert (result.stats.articles, result.stats.quarantined) == (1, 1)
    report = Path(result.report_path).read_text(encoding="utf-8")
    assert "failed the check articles.body.min_length" in report
    run = ds.dataset(warehouse / "runs", partitioning="hive").to_table().to_pylist()[0]
    assert run["report_path"] == result.report_path and run["quarantined"] == 1

    import httpx
    from prefect.settings import PREFECT_API_URL

    wanted = ["berita-run-summary", "berita-expectations", "berita-report"]
    body = {"artifacts": {"key": {"any_": wanted}}, "limit": 50, "offset": 0, "sort": "CREATED_DESC"}
    found = httpx.post(f"{PREFECT_API_URL.value()}/artifacts/filter", json=body, timeout=30).json()
    assert {a["key"] for a in found} == set(wanted)
    summary = next(a for a in found if a["key"] == "berita-run-summary")
    assert "articles" in summary["data"] and result.run_id in summary["data"]


@pytest.mark.slow
def test_a_batch_level_failure_fails_the_run_and_publishes_nothing(prefect_harness: None, tmp_path: Path) -> None:
    from berita.flows.clean_news import clean_news
    from berita.flows.quality import ValidationFailed

    inputs = tmp_path / "inputs"
    shutil.copytree(REPO / "seeds", inputs)
    warehouse = tmp_path / "warehouse"
    strict = {"max_flagged_share": 0.1, "min_sample": 1}
    with pytest.raises(ValidationFailed, match=r"summary\.flagged_share"):
        clean_news(input_dir=str(inputs), warehouse_dir=str(warehouse), limits=strict)
    assert not (warehouse / "articles").exists(), "a failed run publishes no data"
    runs = ds.dataset(warehouse / "runs", partitioning="hive").to_table().to_pylist()
    assert [r["status"] for r in runs] == ["failed"]
    assert "summary.flagged_share" in runs[0]["message"]
    report = Path(runs[0]["report_path"]).read_text(encoding="utf-8")
    assert "failed" in report and "summary.flagged_share" in report
    assert not (warehouse / "_staging").exists()
    # The same inputs with the default limits then go through.
    assert clean_news(input_dir=str(inputs), warehouse_dir=str(warehouse)).stats.articles == 5
    assert checks.Thresholds().max_flagged_share > 0.6  # the seeds: 3 of 5 flagged
