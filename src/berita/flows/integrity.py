"""`berita check`: the tables verified against each other, as queries over what was published.

Each check is one SQL query over the warehouse's DuckDB views that counts the rows breaking one invariant
(every input's article exists, every article has its input, ids are unique, every partition has its run). A
deleted partition, a half-restored backup or a file copied in by hand shows up here as a count and a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from berita.transforms.records import TABLES


@dataclass(frozen=True)
class Check:
    name: str
    holds: str  # what is true when the count is 0
    sql: str  # counts the rows that break it
    tables: tuple[str, ...]  # the tables it reads


@dataclass(frozen=True)
class Finding:
    check: Check
    broken: int | None  # None: a table it reads is missing


_CHILDREN = ("paragraphs", "removed_lines", "related_links")
_DATA = ("articles", "paragraphs", "removed_lines", "related_links", "inputs", "quarantine")

CHECKS: tuple[Check, ...] = (
    Check(
        "articles.unique",
        "every article_id is in articles once",
        "select count(*) - count(distinct article_id) from articles",
        ("articles",),
    ),
    Check(
        "inputs.unique",
        "every input (file and bytes) has one row in the inputs ledger",
        "select count(*) - count(distinct (source_uri, source_file, input_id)) from inputs",
        ("inputs",),
    ),
    Check(
        "inputs.article_exists",
        "every input that became an article, or duplicates one, points at an article that exists",
        "select count(*) from inputs where outcome in ('article', 'duplicate') and article_id is not null "
        "and article_id not in (select article_id from articles)",
        ("inputs", "articles"),
    ),
    Check(
        "articles.input_exists",
        "every article has the input it came from in the inputs ledger",
        "select count(*) from articles where article_id not in "
        "(select article_id from inputs where outcome = 'article' and article_id is not null)",
        ("articles", "inputs"),
    ),
    *(
        Check(
            f"{child}.article_exists",
            f"every {child} row belongs to an article that exists",
            f"select count(*) from {child} where article_id not in (select article_id from articles)",
            (child, "articles"),
        )
        for child in _CHILDREN
    ),
    Check(
        "runs.cover_partitions",
        "every partition of a data table was published by a run in the runs table",
        "select count(distinct run_id) from ("
        + " union all ".join(f"select run_id from {t}" for t in _DATA)
        + ") where run_id not in (select run_id from runs)",
        (*_DATA, "runs"),
    ),
)


def check_warehouse(root: Path) -> list[Finding]:
    """Every check's count of broken rows over the published tables (None where a table is missing)."""
    from berita.flows import reader

    con = reader.connect(root)
    present = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
    out = []
    for check in CHECKS:
        if not set(check.tables) <= present:
            out.append(Finding(check, None))
            continue
        out.append(Finding(check, int(con.execute(check.sql).fetchone()[0])))
    return out


def missing_tables(root: Path) -> list[str]:
    """The tables with no Parquet file in the warehouse (each published run leaves at least an empty part)."""
    return [t for t in TABLES if not any((root / t).glob("run_id=*/*.parquet"))]
