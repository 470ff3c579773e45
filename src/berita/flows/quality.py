"""Validating a staged batch: failing articles go to quarantine, broken batches fail the run, and
a run whose distribution is past a limit warns (or, when strict, fails)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from berita.expectations import checks
from berita.flows import sources, validation, warehouse
from berita.flows.memory import release_free_memory
from berita.transforms.records import Stage
from berita.transforms.tables import rows_to_table

CONTENT_TABLES = ("articles", "paragraphs", "related_links", "removed_lines", "quarantine")
CHILD_TABLES = ("paragraphs", "related_links", "removed_lines")


REPORTED_MOVES = 200  # articles moved to quarantine that a run's tally names (the quarantine table has all)


class ValidationFailed(RuntimeError):
    """Batch-level expectations failed (or, in a strict run, distribution checks): the run publishes nothing."""


@dataclass
class QualityTally:
    """What validation saw, summed over a run's batches: the report's raw material."""

    checks: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> table, level, runs, failed, unexpected
    moved: list[tuple[str, str, str]] = field(default_factory=list)  # article_id, name shown, check
    outlets: dict[str, list[int]] = field(default_factory=dict)  # outlet -> [articles, words, flagged]
    removed_by_rule: Counter[str] = field(default_factory=Counter)
    removed_by_category: Counter[str] = field(default_factory=Counter)
    flagged: int = 0
    # Distribution checks that warned, one line each: 'summary.flagged_share 0.84 > 0.80 (--max-flagged-share)'.
    warnings: list[str] = field(default_factory=list)

    def add(self, other: QualityTally) -> None:
        for name, c in other.checks.items():
            mine = self.checks.setdefault(name, {**c, "batches": 0, "failed": 0, "unexpected": 0})
            mine["batches"] += c["batches"]
            mine["failed"] += c["failed"]
            mine["unexpected"] += c["unexpected"]
        self.moved += other.moved[: max(REPORTED_MOVES - len(self.moved), 0)]  # a run keeps a few; batches all
        for outlet, (n, words, flagged) in other.outlets.items():
            mine_o = self.outlets.setdefault(outlet, [0, 0, 0])
            mine_o[0] += n
            mine_o[1] += words
            mine_o[2] += flagged
        self.removed_by_rule.update(other.removed_by_rule)
        self.removed_by_category.update(other.removed_by_category)
        self.flagged += other.flagged
        self.warnings += other.warnings

    def forget(self, articles: list[dict[str, Any]], removals: list[tuple[str, str]]) -> None:
        """Take back articles (outlet, word_count, flags) that left after validation, and their removals."""
        for a in articles:
            entry = self.outlets.setdefault(a["outlet"] or "(unknown)", [0, 0, 0])
            entry[0] -= 1
            entry[1] -= a["word_count"]
            entry[2] -= bool(a["flags"])
            self.flagged -= bool(a["flags"])
        self.removed_by_rule.subtract(rule for rule, _ in removals)
        self.removed_by_category.subtract(category for _, category in removals)
        self.removed_by_rule += Counter()  # drop the zero counts
        self.removed_by_category += Counter()

    def flag(self, outlets: list[str | None]) -> None:
        """Count articles that gained their first flag after validation."""
        for outlet in outlets:
            self.outlets.setdefault(outlet or "(unknown)", [0, 0, 0])[2] += 1
            self.flagged += 1

    def record(self, result: validation.Validation) -> None:
        for r in result.results:
            entry = self.checks.setdefault(
                r.name,
                {
                    "table": r.table,
                    "level": r.level,
                    "expectation": r.expectation,
                    "batches": 0,
                    "failed": 0,
                    "unexpected": 0,
                },
            )
            entry["batches"] += 1
            entry["failed"] += 0 if r.success else 1
            entry["unexpected"] += r.unexpected


def _frame(table: pa.Table) -> Any:
    frame = table.to_pandas()
    frame[checks.ROW_KEY] = range(len(frame))
    if "body" in frame.columns:
        frame[checks.BODY_WORDS] = frame["body"].str.split().str.len().fillna(0).astype("int64")
    return frame


def _move_to_quarantine(
    staging: Path, run_id: str, part: str, tables: dict[str, pa.Table], failed: dict[int, str], files: dict[str, str]
) -> list[tuple[str, str, str]]:
    """Rewrite the batch's staged parts without the failing articles, which become quarantine rows."""
    articles = tables["articles"]
    keep = pa.array([i not in failed for i in range(articles.num_rows)])
    moved = [
        (articles["article_id"][i].as_py(), articles["source_uri"][i].as_py(), name)
        for i, name in sorted(failed.items())
    ]
    named = [(article, sources.shown_name(uri, files.get(article)), name) for article, uri, name in moved]
    gone = pa.array([m[0] for m in moved])
    warehouse.replace_part(staging, run_id, "articles", part, articles.filter(keep))
    for child in CHILD_TABLES:
        data = tables[child]
        warehouse.replace_part(staging, run_id, child, part, data.filter(pc.invert(pc.is_in(data["article_id"], gone))))
    rows = [
        {
            "source_uri": uri,
            "source_file": files.get(article),
            "stage": Stage.VALIDATE,
            "reason": f"failed the check {name}",
        }
        for article, uri, name in moved
    ]
    quarantine = pa.concat_tables([tables["quarantine"], rows_to_table("quarantine", rows)])
    warehouse.replace_part(staging, run_id, "quarantine", part, quarantine)
    return named


def validate_staged_batch(
    root: Path,
    run_id: str,
    part: str,
    run_time: datetime,
    limits: checks.Thresholds,
    files: dict[str, str] | None = None,
) -> QualityTally:
    """Validate one staged batch; move row-level failures to quarantine (``files``: article id -> the input's
    file and record, for their quarantine rows); raise on batch failures."""
    staging = warehouse.staging_dir(root, run_id)
    tables = {t: warehouse.read_part(staging, run_id, t, part) for t in CONTENT_TABLES}
    frames = {t: _frame(data) for t, data in tables.items()}
    ids = frames["articles"]["article_id"]
    for child in CHILD_TABLES:
        frames[child][checks.IN_BATCH] = frames[child]["article_id"].isin(ids)
    wanted = checks.all_checks(run_time, limits, len(ids), 0)
    result = validation.validate(root, f"{run_id}-{part}", frames, [c for c in wanted if c.table in frames])
    tally = QualityTally()
    tally.record(result)
    if result.batch_failures:
        raise ValidationFailed(_describe(result.batch_failures))
    failed = result.failed_rows("articles")
    if failed:
        tally.moved = _move_to_quarantine(staging, run_id, part, tables, failed, files or {})
    _tally_content(tables, set(m[0] for m in tally.moved), tally)
    return tally


def _tally_content(tables: dict[str, pa.Table], moved: set[str], tally: QualityTally) -> None:
    for row in tables["articles"].select(["article_id", "outlet", "word_count", "flags"]).to_pylist():
        if row["article_id"] in moved:
            continue
        entry = tally.outlets.setdefault(row["outlet"] or "(unknown)", [0, 0, 0])
        entry[0] += 1
        entry[1] += row["word_count"]
        entry[2] += bool(row["flags"])
        tally.flagged += bool(row["flags"])
    removed = tables["removed_lines"]
    keep = pc.invert(pc.is_in(removed["article_id"], pa.array(sorted(moved), pa.string())))
    kept = removed.filter(keep)
    tally.removed_by_rule.update(kept["rule"].to_pylist())
    tally.removed_by_category.update(kept["category"].to_pylist())


RUN_CHUNK_ROWS = 25_000  # the run-level tables are validated this many rows at a time


def validate_run(
    root: Path,
    run_id: str,
    summary: dict[str, float],
    limits: checks.Thresholds,
    articles: int,
    inputs: int,
    strict: bool = False,
) -> QualityTally:
    """Run-level checks: the inputs ledger and line_stats of the whole run (row checks, taken in
    chunks so that memory does not grow with the run), and the run's summary figures, whose
    checks warn (``strict``: fail the run)."""
    staging = warehouse.staging_dir(root, run_id)
    tally = QualityTally()
    for table in ("inputs", "line_stats"):
        wanted = checks.schema_checks(table) + [c for c in checks.other_checks() if c.table == table]
        for n, chunk in enumerate(warehouse.iter_run_table(staging, run_id, table, RUN_CHUNK_ROWS)):
            result = validation.validate(root, f"{run_id}-run-{n}", {table: _frame(chunk)}, wanted)
            tally.record(result)
            if result.batch_failures:
                raise ValidationFailed(_describe(result.batch_failures))
            release_free_memory()
    summary_frame = _frame(pa.Table.from_pylist([summary]))
    wanted = checks.summary_checks(limits, articles, inputs)
    result = validation.validate(root, f"{run_id}-run", {"summary": summary_frame}, wanted)
    tally.record(result)
    if result.batch_failures:
        raise ValidationFailed(_describe(result.batch_failures))
    by_name = {c.name: c for c in wanted}
    warned = [by_name[r.name] for r in result.warnings]
    breaches = [checks.describe_breach(c, summary[c.kwargs["column"]]) for c in warned]
    if breaches and strict:
        raise ValidationFailed(
            "the run's distribution is past its limits and --strict (BERITA_STRICT) makes that fatal, so the "
            f"run publishes nothing: {'; '.join(breaches)}; raise the limit with the flag named, or run without "
            "--strict to publish with a warning"
        )
    tally.warnings += breaches
    return tally


class AccountingError(RuntimeError):
    """A run's inputs do not add up: something was lost or written twice. The run publishes nothing."""


def check_accounting(root: Path, run_id: str, inputs_new: int, articles: int, quarantined: int) -> None:
    """Every new input of the run is in exactly one place: an article, a duplicate reference, or a
    quarantine row; and the staged tables hold exactly the counted rows."""
    staging = warehouse.staging_dir(root, run_id)
    # Row counts come from the Parquet footers and outcomes from one column, a chunk at a time: a
    # 200k-document run must not load its articles (bodies and all) to count them.
    outcomes: Counter[str] = Counter()
    ledger_rows = 0
    for chunk in warehouse.iter_run_table(staging, run_id, "inputs", RUN_CHUNK_ROWS, ["outcome"]):
        ledger_rows += chunk.num_rows
        outcomes.update({row["values"]: row["counts"] for row in pc.value_counts(chunk["outcome"]).to_pylist()})
    staged_articles = warehouse.count_run_rows(staging, run_id, "articles")
    staged_quarantine = warehouse.count_run_rows(staging, run_id, "quarantine")
    problems = []
    if ledger_rows != inputs_new:
        problems.append(f"{ledger_rows} ledger rows for {inputs_new} new inputs")
    if outcomes["article"] != articles or staged_articles != articles:
        problems.append(f"{articles} articles counted, {outcomes['article']} in the ledger, {staged_articles} staged")
    if outcomes["quarantined"] != quarantined or staged_quarantine != quarantined:
        problems.append(
            f"{quarantined} quarantined, {outcomes['quarantined']} in the ledger, {staged_quarantine} staged"
        )
    if sum(outcomes.values()) != outcomes["article"] + outcomes["duplicate"] + outcomes["quarantined"]:
        problems.append(f"unknown outcomes {sorted(set(outcomes) - {'article', 'duplicate', 'quarantined'})}")
    if problems:
        raise AccountingError("the run's inputs do not add up, so it publishes nothing: " + "; ".join(problems))


def _describe(failures: list[validation.CheckResult]) -> str:
    parts = [
        f"{f.name} ({f.expectation}, {f.unexpected} unexpected{f', observed {f.observed}' if f.observed else ''})"
        for f in failures
    ]
    return "batch-level expectations failed, so the run publishes nothing: " + "; ".join(parts)
