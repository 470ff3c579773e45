"""The schema is declared once: record types, Parquet writer and README must agree with it."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

from berita.transforms import records
from berita.transforms.records import PARTITION_COLUMNS, TABLES, arrow_schema, column_table_markdown
from berita.transforms.tables import to_tables
from tests.conftest import REPO

NESTED = {"paragraphs", "related_links", "removed_lines"}


def _field_names(record: type) -> set[str]:
    return {f.name for f in dataclasses.fields(record)}


def test_record_types_match_their_tables() -> None:
    assert _field_names(records.Article) - NESTED == {c.name for c in TABLES["articles"]}
    owned = {"article_id", *PARTITION_COLUMNS}
    assert _field_names(records.Paragraph) == {c.name for c in TABLES["paragraphs"]} - owned
    assert _field_names(records.RelatedLink) == {c.name for c in TABLES["related_links"]} - owned
    assert _field_names(records.RemovedLine) == {c.name for c in TABLES["removed_lines"]} - owned
    assert _field_names(records.Quarantined) == {c.name for c in TABLES["quarantine"]}


def test_every_column_is_documented_and_partition_columns_come_last() -> None:
    for table, columns in TABLES.items():
        assert all(c.doc.strip() for c in columns), table
        names = [c.name for c in columns]
        assert names[-len(PARTITION_COLUMNS) :] == list(PARTITION_COLUMNS), table


def test_writer_tables_use_the_declared_schemas_with_descriptions() -> None:
    for name, table in to_tables([], []).items():
        assert table.schema.equals(arrow_schema(name, with_partition=False), check_metadata=True)
        assert all(f.metadata and f.metadata[b"description"] for f in table.schema)


def test_readme_column_table_is_generated_from_the_schema() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- columns:start -->\n", "<!-- columns:end -->"
    assert start in readme and end in readme, "README lost its generated column table markers"
    current = readme.split(start, 1)[1].split(end, 1)[0]
    assert current.strip() == column_table_markdown().strip(), "run `make readme` to regenerate the column table"


def test_readme_generated_sections_are_current() -> None:
    """Both generated sections (columns and rules) match the code; `make readme` rewrites them."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "scripts/update_readme.py", "--check"], cwd=REPO, check=False)
    assert done.returncode == 0, "README is out of date: run `make readme`"


def test_a_warehouse_written_before_runs_had_warnings_still_reads(tmp_path: Path) -> None:
    """`runs` is history: its older parts lack the newer, nullable `warnings` column, which reads as null there."""
    import pyarrow.parquet as pq

    from berita.flows import reader, warehouse
    from berita.transforms.tables import rows_to_table

    row = {c.name: None for c in TABLES["runs"]}
    row.update(started_at=datetime(2024, 1, 1, tzinfo=UTC), finished_at=datetime(2024, 1, 1, tzinfo=UTC),
               status="succeeded", inputs_seen=1, inputs_new=1, articles_written=1, quarantined=0, duplicates=0,
               unchanged=0, lines_removed=0, pipeline_version="0.1.0", mode="incremental")  # fmt: skip
    older = rows_to_table("runs", [row]).drop_columns(["warnings"])
    newer = rows_to_table("runs", [{**row, "warnings": ["summary.flagged_share 0.84 > 0.80 (--max-flagged-share)"]}])
    for run_id, table in (("20240101T000000Z-aaaaaa", older), ("20240102T000000Z-bbbbbb", newer)):
        folder = tmp_path / "runs" / f"run_id={run_id}"
        folder.mkdir(parents=True)
        pq.write_table(table, folder / "part-00000.parquet")
    query = "select run_id, warnings from runs order by run_id"
    assert reader.connect(tmp_path).sql(query).fetchall() == [
        ("20240101T000000Z-aaaaaa", None),
        ("20240102T000000Z-bbbbbb", ["summary.flagged_share 0.84 > 0.80 (--max-flagged-share)"]),
    ]
    runs = warehouse.read_table(tmp_path, "runs").sort_by("run_id")
    assert runs["warnings"].to_pylist() == [None, ["summary.flagged_share 0.84 > 0.80 (--max-flagged-share)"]]


def test_closed_vocabularies_are_the_schema_modules_enums() -> None:
    """Paragraph kinds, stages, outcomes, flags and run statuses are enums in the schema module: the checks take
    their value sets from them and each column's description (the README's table) names every member."""
    from berita.expectations import checks

    assert [str(k) for k in records.ParagraphKind] == checks.KINDS
    assert [str(s) for s in records.Stage] == checks.STAGES
    assert [str(o) for o in records.Outcome] == checks.OUTCOMES
    columns = {(table, c.name): c.doc for table, cols in TABLES.items() for c in cols}
    for (table, column), vocabulary in {
        ("paragraphs", "kind"): records.ParagraphKind,
        ("quarantine", "stage"): records.Stage,
        ("inputs", "outcome"): records.Outcome,
        ("articles", "flags"): records.Flag,
        ("runs", "status"): records.RunStatus,
    }.items():
        assert all(str(member) in columns[(table, column)] for member in vocabulary), (table, column)
    assert {records.ParagraphKind.BODY, records.ParagraphKind.SUBHEADING} == records.BODY_KINDS
