"""Validation: suites built from the schema, row-level quarantine, batch-level failure, artifacts."""

from __future__ import annotations

import dataclasses
import json
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
    assert {c.level for c in all_checks(datetime.now(UTC), Thresholds(), 0, 0)} == {"row", "batch", "warn"}


# What a failing row-level check does is unchanged: the article moves to quarantine.
ROW_LEVEL = {
    "articles.body.min_length", "articles.body.min_words", "articles.title.length", "articles.published_at.range",
    "articles.outlet.domain", "articles.language.known",
    *(f"articles.{c}.{kind}" for c in ("title", "lede", "body") for kind in ("no_mojibake", "no_boilerplate")),
}  # fmt: skip
DISTRIBUTION = {"summary.removed_per_article", "summary.flagged_share", "summary.quarantined_share"}


def test_only_the_run_distribution_warns_and_structural_checks_keep_their_force() -> None:
    every = all_checks(datetime.now(UTC), Thresholds(min_sample=0), 50, 50)
    by_level = {level: {c.name for c in every if c.level == level} for level in ("row", "batch", "warn")}
    assert by_level["warn"] == DISTRIBUTION
    assert by_level["row"] == ROW_LEVEL
    assert {c.name for c in every} == by_level["row"] | by_level["batch"] | by_level["warn"]
    assert all(c.table != "summary" for c in every if c.level == "batch"), "schema, ids, references stay fatal"


def test_each_distribution_check_names_the_limit_that_sets_it() -> None:
    limits = Thresholds(max_flagged_share=0.7, max_quarantined_share=0.6, max_removed_per_article=99.0, min_sample=0)
    for check in checks.summary_checks(limits, 50, 50):
        assert check.limit in {f.name for f in dataclasses.fields(Thresholds)}
        assert check.kwargs["max_value"] == getattr(limits, check.limit)


def test_a_breach_says_the_measure_the_limit_and_the_flag() -> None:
    flagged, quarantined = checks.summary_checks(Thresholds(), 38, 38)[1:]
    removed = checks.summary_checks(Thresholds(), 0, 0)[0]
    assert checks.describe_breach(flagged, 32 / 38) == "summary.flagged_share 0.84 > 0.80 (--max-flagged-share)"
    assert checks.describe_breach(quarantined, 0.95) == (
        "summary.quarantined_share 0.95 > 0.90 (--max-quarantined-share)"
    )
    assert checks.describe_breach(removed, 512.25) == (
        "summary.removed_per_article 512.2 > 400.0 (--max-removed-per-article)"
    )
    assert checks.describe_breach(flagged, 0.8004).startswith("summary.flagged_share 0.8004 > 0.8000 ")


def test_shares_are_judged_only_on_large_enough_runs() -> None:
    assert [c.name for c in checks.summary_checks(Thresholds(), 19, 19)] == ["summary.removed_per_article"]
    assert len(checks.summary_checks(Thresholds(), 20, 20)) == 3


def test_a_warning_is_not_a_batch_failure() -> None:
    from berita.flows.validation import CheckResult, Validation

    result = Validation(
        [
            CheckResult("summary.flagged_share", "summary", "warn", "ExpectColumnValuesToBeBetween", False, 1),
            CheckResult("articles.article_id.unique", "articles", "batch", "ExpectColumnValuesToBeUnique", True),
        ]
    )
    assert [r.name for r in result.warnings] == ["summary.flagged_share"] and result.batch_failures == []
    result.results[1] = dataclasses.replace(result.results[1], success=False)
    assert [r.name for r in result.batch_failures] == ["articles.article_id.unique"]


REAL_PAGES = {"flagged_share": 32 / 38, "quarantined_share": 0.0, "removed_per_article": 6.0}  # the run


def test_validate_run_warns_past_a_limit_and_strict_makes_it_fatal(tmp_path: Path) -> None:
    """The issue's 38 real pages, 32 of them flagged: Great Expectations runs, no Prefect."""
    from berita.flows import quality

    tally = quality.validate_run(tmp_path, "r1", REAL_PAGES, Thresholds(), 38, 38)
    assert tally.warnings == ["summary.flagged_share 0.84 > 0.80 (--max-flagged-share)"]
    assert tally.checks["summary.flagged_share"]["failed"] == 1
    assert quality.validate_run(tmp_path, "r2", REAL_PAGES, Thresholds(max_flagged_share=0.9), 38, 38).warnings == []
    with pytest.raises(quality.ValidationFailed) as failed:
        quality.validate_run(tmp_path, "r3", REAL_PAGES, Thresholds(), 38, 38, strict=True)
    message = str(failed.value)
    for part in ("summary.flagged_share", "0.84 > 0.80", "--max-flagged-share", "--strict", "publishes nothing"):
        assert part in message


def test_the_report_says_which_checks_warned() -> None:
    from berita.expectations.report import ReportData, render_markdown, render_report

    warning = "summary.flagged_share 0.84 > 0.80 (--max-flagged-share)"
    data = ReportData(
        run_id="r1", mode="incremental", status="succeeded", started="s", finished="f", warnings=[warning],
        checks={
            "summary.flagged_share": {"table": "summary", "level": "warn", "expectation": "E", "batches": 1,
                                      "failed": 1, "unexpected": 1},
            "articles.article_id.unique": {"table": "articles", "level": "batch", "expectation": "E", "batches": 1,
                                           "failed": 0, "unexpected": 0},
        },
    )  # fmt: skip
    html = render_report(data)
    assert "warned: <code>summary.flagged_share 0.84 &gt; 0.80 (--max-flagged-share)</code>" in html
    assert "1 passed, 1 warned, 0 failed" in html and "<td>WARN</td>" in html and "--strict" in html
    markdown = render_markdown(data)
    assert f"- warned: `{warning}`" in markdown and "1 passed, 1 warned, 0 failed" in markdown


SHORT = (
    "Judul Berita yang Sangat Pendek\n\n"
    "Jakarta (ANTARA) - Kalimat ini terlalu pendek untuk menjadi sebuah artikel berita.\n"
)


@pytest.mark.slow
def test_a_row_that_breaks_a_row_level_check_is_quarantined(prefect_harness: None, tmp_path: Path) -> None:
    from berita.flows.clean_news import clean_news
    from berita.settings import Settings

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SEEDS[0], inputs / SEEDS[0].name)
    short = "https://example.id/short"  # a scraper's record: quarantined under its URL, naming its file and line
    (inputs / "short.jsonl").write_text(json.dumps({"url": short, "text": SHORT}) + "\n", encoding="utf-8")
    warehouse = tmp_path / "warehouse"
    result = clean_news(Settings(input_dir=str(inputs), warehouse_dir=str(warehouse)))
    quarantine = {
        q["source_uri"]: q for q in ds.dataset(warehouse / "quarantine", partitioning="hive").to_table().to_pylist()
    }
    assert quarantine[short]["stage"] == "validate" and quarantine[short]["source_file"] == "short.jsonl#byte=0"
    assert quarantine[short]["reason"] == "failed the check articles.body.min_length"
    articles = ds.dataset(warehouse / "articles", partitioning="hive").to_table()
    assert articles["source_uri"].to_pylist() == [SEEDS[0].name]
    ledger = {r["source_uri"]: r for r in ds.dataset(warehouse / "inputs", partitioning="hive").to_table().to_pylist()}
    assert ledger[short]["outcome"] == "quarantined" and ledger[short]["article_id"] is None
    assert ledger[short]["source_file"] == "short.jsonl#byte=0"
    children = ds.dataset(warehouse / "paragraphs", partitioning="hive").to_table()
    assert set(children["article_id"].to_pylist()) == set(articles["article_id"].to_pylist())
    assert (result.stats.articles, result.stats.quarantined) == (1, 1)
    report = Path(result.report_path).read_text(encoding="utf-8")
    assert "failed the check articles.body.min_length" in report and "short.jsonl#byte=0" in report
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
def test_a_run_past_a_distribution_limit_publishes_with_a_warning(prefect_harness: None, tmp_path: Path) -> None:
    from berita.flows.clean_news import clean_news
    from berita.settings import Settings

    inputs = tmp_path / "inputs"
    shutil.copytree(REPO / "seeds", inputs)
    warehouse = tmp_path / "warehouse"
    tight = {"max_flagged_share": 0.1, "min_sample": 1}  # the seeds: 3 of 5 flagged
    result = clean_news(Settings(input_dir=str(inputs), warehouse_dir=str(warehouse), limits=tight))
    warning = "summary.flagged_share 0.60 > 0.10 (--max-flagged-share)"
    assert result.quality.warnings == [warning] and result.stats.articles == 5
    assert ds.dataset(warehouse / "articles", partitioning="hive").count_rows() == 5
    runs = ds.dataset(warehouse / "runs", partitioning="hive").to_table().to_pylist()
    assert [(r["status"], r["warnings"], r["message"]) for r in runs] == [("succeeded", [warning], None)]
    report = Path(runs[0]["report_path"]).read_text(encoding="utf-8")
    assert "warned: <code>summary.flagged_share 0.60 &gt; 0.10 (--max-flagged-share)</code>" in report
    # Within the limits the same inputs warn of nothing.
    again = clean_news(Settings(input_dir=str(inputs), warehouse_dir=str(tmp_path / "w2")))
    assert again.quality.warnings == []
    runs = ds.dataset(tmp_path / "w2" / "runs", partitioning="hive").to_table().to_pylist()
    assert runs[0]["warnings"] == []


@pytest.mark.slow
def test_strict_makes_a_warning_fail_the_run_and_publish_nothing(prefect_harness: None, tmp_path: Path) -> None:
    from berita.flows.clean_news import clean_news
    from berita.flows.quality import ValidationFailed
    from berita.settings import Settings

    inputs = tmp_path / "inputs"
    shutil.copytree(REPO / "seeds", inputs)
    warehouse = tmp_path / "warehouse"
    tight = {"max_flagged_share": 0.1, "min_sample": 1}
    with pytest.raises(ValidationFailed, match=r"summary\.flagged_share 0\.60 > 0\.10 \(--max-flagged-share\)"):
        clean_news(Settings(input_dir=str(inputs), warehouse_dir=str(warehouse), limits=tight, strict=True))
    assert not (warehouse / "articles").exists(), "a failed run publishes no data"
    runs = ds.dataset(warehouse / "runs", partitioning="hive").to_table().to_pylist()
    assert [r["status"] for r in runs] == ["failed"]
    assert "summary.flagged_share 0.60 > 0.10 (--max-flagged-share)" in runs[0]["message"]
    assert "--strict" in runs[0]["message"]
    report = Path(runs[0]["report_path"]).read_text(encoding="utf-8")
    assert "failed" in report and "summary.flagged_share" in report
    assert not (warehouse / "_staging").exists()
    # The same inputs with the default limits then go through.
    assert clean_news(Settings(input_dir=str(inputs), warehouse_dir=str(warehouse), strict=True)).stats.articles == 5
    assert checks.Thresholds().max_flagged_share > 0.6  # the seeds: 3 of 5 flagged


@pytest.mark.slow
def test_a_structural_batch_failure_still_fails_the_run_without_strict(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from berita.flows.clean_news import clean_news
    from berita.flows.quality import ValidationFailed
    from berita.settings import Settings

    inputs = tmp_path / "inputs"
    shutil.copytree(REPO / "seeds", inputs)
    warehouse = tmp_path / "warehouse"
    monkeypatch.setattr(checks, "KINDS", ["subheading", "caption"])  # every body paragraph now breaks a batch check
    with pytest.raises(ValidationFailed, match=r"batch-level expectations failed.*paragraphs\.kind\.known"):
        clean_news(Settings(input_dir=str(inputs), warehouse_dir=str(warehouse)))
    assert not (warehouse / "articles").exists()
    assert [r["status"] for r in ds.dataset(warehouse / "runs", partitioning="hive").to_table().to_pylist()] == [
        "failed"
    ]


def _check(level: str, failed: int) -> dict[str, object]:
    return {
        "table": "articles",
        "level": level,
        "expectation": "E",
        "batches": 2,
        "failed": failed,
        "unexpected": failed,
    }


def test_the_report_puts_failures_first_folds_what_passed_and_draws_the_trend() -> None:
    from berita.expectations.report import ReportData, RunPoint, render_report

    history = [RunPoint(f"2026120{i}T100000Z-aaaaaa", "succeeded", 10 + i, i, {"related": 5 * i}, 0.1 * i, 0)
               for i in range(1, 5)]  # fmt: skip
    data = ReportData(
        run_id="r5", mode="incremental", status="failed", started="s", finished="f",
        counts={"inputs seen": 9, "new inputs": 3, "articles": 0},
        checks={"articles.body.min_length": _check("batch", 1), **{f"ok.{i}": _check("batch", 0) for i in range(30)}},
        history=history, removed_by_category={"related": 4}, outlets={"tempo.co": [2, 600, 1]},
    )  # fmt: skip
    html = render_report(data)
    assert html.index('<div class="problems bad"><p>1 check(s) failed.') < html.index("Across the last 4 runs")
    assert "failed: <code>articles.body.min_length</code>" in html
    assert "<details><summary>30 checks passed</summary>" in html and "FAIL in 1 of 2" in html
    assert html.count("<svg") == 5 + 3 and "<title>20261204T100000Z-aaaaaa: 14</title>" in html
    assert "2026-12-01 10:00" in html and "<th class=n>unexpected rows</th>" in html


def test_a_run_with_nothing_new_says_so_and_claims_no_checks() -> None:
    from berita.expectations.report import ReportData, render_report

    data = ReportData(
        run_id="r2", mode="incremental", status="succeeded", started="s", finished="f",
        counts={"inputs seen": 5, "new inputs": 0, "articles": 0},
        checks={f"ok.{i}": _check("batch", 0) for i in range(103)},
    )  # fmt: skip
    html = render_report(data)
    assert "Nothing to do: no new inputs (all 5 were processed by earlier runs)" in html
    assert "103 passed" not in html and "None ran: the run had no rows to check." in html
    assert "from the second run on" in html
