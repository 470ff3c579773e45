"""Publishing what a run did: the self-contained HTML report, GX Data Docs, Prefect artifacts."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from berita.expectations.report import ReportData, RunPoint, render_markdown, render_report, verdict
from berita.flows.warehouse import REPORTS


def report_path(warehouse: Path, run_id: str) -> Path:
    return warehouse / REPORTS / f"{run_id}.html"


def build_report(
    result: Any,
    status: str,
    started: datetime,
    message: str | None,
    data_docs: Path | None,
    history: list[RunPoint] | None = None,
) -> ReportData:
    """The report's figures, from a run's result (berita.flows.clean_news.RunResult)."""
    s, q = result.stats, result.quality
    return ReportData(
        run_id=result.run_id,
        mode=result.mode,
        status=status,
        started=f"{started:%Y-%m-%d %H:%M:%S} UTC",
        finished=f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC",
        message=message,
        counts={
            "inputs seen": result.inputs_seen,
            "new inputs": result.inputs_new,
            "articles": s.articles,
            "quarantined": s.quarantined,
            "lines removed": sum(s.removed_by_category.values()),
        },
        checks=q.checks,
        warnings=list(q.warnings),
        removed_by_rule=dict(q.removed_by_rule),
        removed_by_category=dict(s.removed_by_category),
        outlets=q.outlets,
        quarantined=list(s.quarantine_reasons),
        quarantined_total=s.quarantined,
        data_docs=str(data_docs) if data_docs else None,
        history=[*(history or []), _this_run(result, status)],
    )


def _this_run(result: Any, status: str) -> RunPoint:
    flagged = sum(v[2] for v in result.quality.outlets.values())
    articles = result.stats.articles
    failed = sum(1 for c in result.quality.checks.values() if verdict(c) != "pass")
    return RunPoint(
        result.run_id, status, articles, result.stats.quarantined, dict(result.stats.removed_by_category),
        flagged / articles if articles else None, failed,
    )  # fmt: skip


# Runs the report's trend charts go back over: enough to see a schedule drift, and a cost that does not grow with
# the warehouse's history (each earlier run's figures are read from its own partitions only).
HISTORY_RUNS = 30


def run_history(warehouse: Path, limit: int = HISTORY_RUNS - 1) -> list[RunPoint]:
    """The last ``limit`` published runs (compactions left out), oldest first, from the runs table and each run's
    own partitions of removed_lines and articles. Empty when there is none or it cannot be read: the report is
    written all the same."""
    import duckdb

    def files(table: str, run_id: str | None = None) -> str:
        part = f"run_id={run_id}" if run_id else "run_id=*"
        return str(warehouse / table / part / "*.parquet").replace("'", "''")

    try:
        con = duckdb.connect()
        runs = con.sql(
            f"select run_id, status, articles_written, quarantined, warnings from read_parquet('{files('runs')}', "
            f"hive_partitioning = true, union_by_name = true) where mode != 'compact' "
            f"order by started_at desc limit {int(limit)}"
        ).fetchall()
        points = []
        for run_id, status, articles, quarantined, warnings in reversed(runs):
            removed: dict[str, int] = {}
            if any((warehouse / "removed_lines" / f"run_id={run_id}").glob("*.parquet")):
                removed = dict(con.sql(
                    f"select category, count(*) from read_parquet('{files('removed_lines', run_id)}') group by 1"
                ).fetchall())  # fmt: skip
            share = None
            if articles and any((warehouse / "articles" / f"run_id={run_id}").glob("*.parquet")):
                share = con.sql(
                    f"select avg((len(flags) > 0)::int) from read_parquet('{files('articles', run_id)}')"
                ).fetchall()[0][0]
            failed = len(warnings or []) + (status == "failed")
            points.append(RunPoint(run_id, status, articles, quarantined, removed, share, failed))
        return points
    except (duckdb.Error, OSError):
        return []


def write_report(warehouse: Path, data: ReportData) -> Path:
    """Stage the report with the run (it is published with the run's data, so a run killed before
    it commits leaves no report behind); returns the path it will have once published."""
    from berita.flows.warehouse import staging_dir

    staged = staging_dir(warehouse, data.run_id) / REPORTS / f"{data.run_id}.html"
    staged.parent.mkdir(parents=True, exist_ok=True)
    tmp = staged.with_suffix(".tmp")
    tmp.write_text(render_report(data), encoding="utf-8")
    os.replace(tmp, staged)
    return report_path(warehouse, data.run_id)


def publish_artifacts(data: ReportData, path: Path) -> None:
    """The same summary where Prefect users look: a markdown summary, a table, a link."""
    from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

    create_markdown_artifact(render_markdown(data), key="berita-run-summary", description="What the run did")
    table = [
        {
            "check": name,
            "level": c["level"],
            "result": verdict(c),
            "unexpected": c["unexpected"],
        }
        for name, c in sorted(data.checks.items())
    ]
    create_table_artifact(table, key="berita-expectations", description="Expectation results")
    create_link_artifact(path.absolute().as_uri(), link_text=f"report {data.run_id}", key="berita-report")


def latest_report(warehouse: Path) -> Path | None:
    """The newest report file in the warehouse."""
    folder = warehouse / REPORTS
    reports = sorted(folder.glob("*.html")) if folder.is_dir() else []
    return reports[-1] if reports else None


def run_report(warehouse: Path, run_id: str) -> Path | None:
    """The report of run ``run_id`` (a run id, or an unambiguous start of one), None when there is none."""
    folder = warehouse / REPORTS
    if not folder.is_dir() or "/" in run_id or run_id.startswith("."):
        return None
    exact = folder / f"{run_id}.html"
    if exact.is_file():
        return exact
    found = sorted(folder.glob(f"{run_id}*.html"))
    return found[0] if len(found) == 1 else None


def latest_nonempty_report(warehouse: Path) -> Path | None:
    """The report of the newest run that had new inputs (scheduled runs with nothing new are skipped)."""
    from berita.flows import reader

    try:
        con = reader.connect(warehouse)
        rows = con.sql(
            "select run_id from runs where inputs_new > 0 and report_path is not null order by started_at desc"
        ).fetchall()
    except Exception:  # no runs table yet, or one that cannot be read: no such report
        return None
    for (run_id,) in rows:
        if (path := run_report(warehouse, run_id)) is not None:
            return path
    return None
