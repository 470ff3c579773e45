"""Reading the warehouse: berita query, berita show and berita compact."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from berita.cli import main
from berita.flows.maintenance import compact
from tests.conftest import REPO

pytestmark = pytest.mark.slow
SEEDS = sorted((REPO / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def warehouse(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse filled by three runs (two seeds, two more, the last one)."""
    from berita.flows.clean_news import clean_news
    from berita.settings import Settings

    inputs = tmp_path_factory.mktemp("inputs")
    root = tmp_path_factory.mktemp("wh") / "warehouse"
    for group in (SEEDS[:2], SEEDS[2:4], SEEDS[4:]):
        for seed in group:
            shutil.copy(seed, inputs / seed.name)
        clean_news(Settings(input_dir=str(inputs), warehouse_dir=str(root), batch_size=1))
    return root


def test_query_prints_sql_results(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = "select outlet, count(*) as n from articles group by 1 order by 1 nulls last"
    assert main(["query", sql, "--warehouse", str(warehouse), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [
        {"outlet": "liputan6.com", "n": 2},
        {"outlet": "orbitindonesia.com", "n": 1},
        {"outlet": "tempo.co", "n": 1},
        {"outlet": None, "n": 1},
    ]


def test_query_errors_name_the_fault_and_keep_duckdbs_hints(
    warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["query", "select nope from articles", "--warehouse", str(warehouse)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("berita: error: Binder Error") and "Candidate bindings" in err and "Traceback" not in err
    assert main(["query", "select * from article", "--warehouse", str(warehouse)]) == 2
    assert 'Did you mean "articles"' in capsys.readouterr().err


ESCAPES = [
    "select * from read_text('/etc/passwd')",
    "select * from read_csv('/etc/hostname')",
    "copy (select 1) to '{outside}/evil.csv'",
    "copy articles to '{warehouse}/articles/evil.parquet'",
    "copy (select 1) to '{warehouse}/articles' (format parquet, partition_by (a), overwrite true)",
    "attach '{outside}/evil.db' as evil",
    "select 1; select 2",
    "install httpfs",
    "set enable_external_access = true",
    "create table t as select 1",
    "pragma enable_profiling",
]


@pytest.mark.parametrize("sql", ESCAPES)
def test_query_reads_only_the_warehouse(
    sql: str, warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --unsafe, no statement reads a file outside the warehouse, writes anything or runs twice."""
    before = sorted(p.relative_to(warehouse) for p in warehouse.rglob("*"))
    statement = sql.format(outside=tmp_path, warehouse=warehouse)
    assert main(["query", statement, "--warehouse", str(warehouse)]) == 2
    captured = capsys.readouterr()
    assert "root:" not in captured.out and captured.err.startswith("berita: error:"), captured
    assert not any(tmp_path.iterdir()), "a file was written outside the warehouse"
    assert sorted(p.relative_to(warehouse) for p in warehouse.rglob("*")) == before


def test_query_unsafe_lifts_the_sandbox(warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "n.csv"
    sql = f"copy (select count(*) as n from articles) to '{out}'"
    assert main(["query", sql, "--warehouse", str(warehouse), "--unsafe"]) == 0
    assert out.read_text(encoding="utf-8").split() == ["n", "5"]


def test_show_marks_removed_lines_in_place(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article_id = (
        ds.dataset(warehouse / "articles", partitioning="hive")
        .to_table(filter=ds.field("source_uri") == SEEDS[4].name)["article_id"][0]
        .as_py()
    )
    assert main(["show", article_id, "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Rusia dan Korea Utara Semakin Akrab")
    assert "- [meta.wire_source] Sumber: Antara" in out
    assert out.index("- [ui.widget_word] image") < out.index("~ Arsip - Pemimpin Korea Utara")
    assert out.index("Hubungan Rusia - Korea Utara") < out.index("- [related.baca_juga] Baca Juga: Presiden Belarusia")
    assert main(["show", "0000000000000000", "--warehouse", str(warehouse)]) == 2


def test_compact_merges_runs_atomically_and_keeps_every_row(warehouse: Path, tmp_path: Path) -> None:
    root = tmp_path / "warehouse"
    shutil.copytree(warehouse, root)
    before = {t: sorted(map(str, ds.dataset(root / t, partitioning="hive").to_table().drop(["run_id"]).to_pylist()))
              for t in ("articles", "paragraphs", "removed_lines", "inputs")}  # fmt: skip
    parts_before = len(list((root / "paragraphs").rglob("*.parquet")))
    result = compact(root, "20990101T000000Z-compac", keep_last=1)
    assert len(result.merged_runs) == 2 and result.files_after < result.files_before
    for table, rows in before.items():
        after = ds.dataset(root / table, partitioning="hive").to_table()
        assert sorted(map(str, after.drop(["run_id"]).to_pylist())) == rows, table
    assert len(list((root / "paragraphs").rglob("*.parquet"))) < parts_before
    runs = ds.dataset(root / "runs", partitioning="hive").to_table().to_pylist()
    assert [r["mode"] for r in runs].count("compact") == 1 and len(runs) == 4
    assert not (root / "_staging").exists()
    # Compacting again has nothing left to merge outside the kept run.
    assert compact(root, "20990101T000001Z-compac", keep_last=1).merged_runs == []


def test_compact_keep_reports_prunes_old_reports_and_validations_only(
    warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "warehouse"
    shutil.copytree(warehouse, root)
    runs = sorted(ds.dataset(root / "runs", partitioning="hive").to_table().to_pylist(), key=lambda r: r["started_at"])
    oldest, newest = runs[0]["run_id"], runs[-1]["run_id"]
    results = root / "_gx" / "gx" / "uncommitted" / "validations"
    stored = {p.name for p in results.glob("*/*/*")}
    assert any(n.startswith(f"{oldest}-") for n in stored) and any(n.startswith(f"{newest}-") for n in stored)
    articles = ds.dataset(root / "articles", partitioning="hive").to_table().num_rows
    assert main(["compact", "--warehouse", str(root), "--keep-reports", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"pruned {len(runs) - 1} reports and ") and "of runs older than the newest 1" in out
    assert sorted(p.stem for p in (root / "_reports").glob("*.html")) == [newest]
    left = {p.name for p in results.glob("*/*/*")}
    assert left and all(n.startswith(f"{newest}-") for n in left)
    assert ds.dataset(root / "articles", partitioning="hive").to_table().num_rows == articles  # the data stays
    assert main(["report", oldest, "--warehouse", str(root)]) == 2
    assert "--keep-reports" in capsys.readouterr().err


def _copy_with_every_seed(warehouse: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the fixture's warehouse and an input folder holding every seed it has seen: the next run on them
    has nothing new."""
    root, inputs = tmp_path / "warehouse", tmp_path / "inputs"
    shutil.copytree(warehouse, root)
    inputs.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, inputs / seed.name)
    return root, inputs


def test_compact_keep_noop_runs_prunes_the_runs_that_had_nothing_new(
    warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A schedule adds a runs row, a report and validation results every run; --keep-noop-runs bounds them."""
    from berita.flows.clean_news import clean_news
    from berita.settings import Settings

    root, inputs = _copy_with_every_seed(warehouse, tmp_path)
    noop = [clean_news(Settings(input_dir=inputs, warehouse_dir=root)).run_id for _ in range(2)]  # nothing new
    data_runs = {r["run_id"] for r in ds.dataset(warehouse / "runs", partitioning="hive").to_table().to_pylist()}
    articles = ds.dataset(root / "articles", partitioning="hive").to_table().num_rows
    capsys.readouterr()
    assert main(["compact", "--warehouse", str(root), "--keep-noop-runs", "1", "--keep-last", "3"]) == 0
    out = capsys.readouterr().out
    assert "pruned 1 runs that had nothing new" in out, out
    runs = ds.dataset(root / "runs", partitioning="hive").to_table().to_pylist()
    left = {r["run_id"] for r in runs if r["mode"] != "compact"}
    assert left == data_runs | {noop[1]}  # the older no-op run went, the newest stayed, every data run stayed
    (compaction,) = [r for r in runs if r["mode"] == "compact"]
    assert "pruned 1 runs with nothing new" in compaction["message"]
    assert not (root / "_reports" / f"{noop[0]}.html").exists() and (root / "_reports" / f"{noop[1]}.html").exists()
    results = root / "_gx" / "gx" / "uncommitted" / "validations"
    assert not any(p.name.startswith(f"{noop[0]}-") for p in results.glob("*/*/*"))
    assert ds.dataset(root / "articles", partitioning="hive").to_table().num_rows == articles
    assert not (root / "_staging").exists()
    assert main(["query", "select count(*) from runs", "--warehouse", str(root), "--format", "csv"]) == 0


def test_check_verifies_the_tables_against_each_other(
    warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A deleted partition goes unnoticed by the tables themselves; `berita check` names what broke."""
    root = tmp_path / "warehouse"
    shutil.copytree(warehouse, root)
    assert main(["check", "--warehouse", str(root)]) == 0
    assert capsys.readouterr().out.strip().endswith("all 8 checks hold")
    (first_articles, *_) = sorted((root / "articles").glob("run_id=*"))
    shutil.rmtree(first_articles)
    assert main(["check", "--warehouse", str(root)]) == 1
    out = capsys.readouterr().out
    assert "FAIL inputs.article_exists" in out and "FAIL paragraphs.article_exists" in out
    assert "ok   articles.unique" in out and "--reprocess" in out
    shutil.rmtree(root / "runs")
    assert main(["check", "--warehouse", str(root)]) == 1
    assert (
        "FAIL runs.cover_partitions: cannot be checked, a table it reads is missing (runs)" in capsys.readouterr().out
    )


def test_the_readme_snippet_reads_the_warehouse_without_berita(warehouse: Path, tmp_path: Path) -> None:
    """The README's DuckDB, pyarrow, pandas and polars example runs as written."""
    import os
    import re

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Reading the tables without berita", 1)[1]
    snippet = re.search(r"```python\n(.*?)```", section, re.S)
    assert snippet is not None
    os.symlink(warehouse, tmp_path / "warehouse")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        namespace: dict[str, object] = {}
        exec(compile(snippet.group(1), "README.md", "exec"), namespace)
    finally:
        os.chdir(cwd)

    def rows(table: str) -> int:
        return ds.dataset(warehouse / table, partitioning="hive").count_rows()

    assert len(namespace["articles"]) == 5  # type: ignore[arg-type]
    assert len(namespace["paragraphs"]) == rows("paragraphs") > 0  # type: ignore[arg-type]
    assert len(namespace["removed"]) == rows("removed_lines") > 0  # type: ignore[arg-type]


def test_report_finds_a_run_by_id_the_latest_and_the_latest_with_new_inputs(
    warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scheduled pipeline's newest report is usually a no-op run's: --latest-nonempty skips those."""
    from berita.flows.clean_news import clean_news
    from berita.settings import Settings

    copy, inputs = _copy_with_every_seed(warehouse, tmp_path)
    clean_news(Settings(input_dir=str(inputs), warehouse_dir=str(copy), batch_size=1))  # nothing new: a no-op run
    reports = sorted((copy / "_reports").glob("*.html"))
    assert len(reports) == 4
    capsys.readouterr()
    noop = reports[-1].read_text(encoding="utf-8")  # says plainly that it had nothing to do, and draws the trend
    assert "Nothing to do: no new inputs (all 5 were processed by earlier runs)" in noop and "passed" not in noop
    assert "Across the last 4 runs" in noop and noop.count("<svg") == 5

    def report(*args: str) -> tuple[int, str, str]:
        code = main(["report", *args, "--warehouse", str(copy)])
        out = capsys.readouterr()
        return code, out.out.strip(), out.err.strip()

    assert report() == (0, str(reports[-1]), "")
    assert report("--latest-nonempty") == (0, str(reports[-2]), "")
    assert report(reports[0].stem) == (0, str(reports[0]), "")
    assert report(reports[0].stem[:17]) == (0, str(reports[0]), "")  # an unambiguous start of a run id
    code, _, err = report("20000101T000000Z-000000")
    assert code == 2 and "no report for run 20000101T000000Z-000000" in err
    monkeypatch.setenv("BROWSER", "false")  # a browser that cannot open anything
    code, out, err = report("--open")
    assert code == 2 and out == str(reports[-1]) and reports[-1].resolve().as_uri() in err


def test_run_history_reads_each_runs_own_partitions(warehouse: Path) -> None:
    from berita.flows.reporting import run_history

    points = run_history(warehouse)
    assert [p.articles for p in points] == [2, 2, 1] and all(p.status == "succeeded" for p in points)
    assert all(sum(p.removed_by_category.values()) > 0 for p in points)
    assert all(p.flagged_share is not None and 0 <= p.flagged_share <= 1 for p in points)
    assert run_history(warehouse, limit=2) == points[1:]
