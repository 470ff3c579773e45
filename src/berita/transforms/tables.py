"""Turn cleaned records into Arrow tables with the declared schemas (built column by column)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa

from berita.transforms.records import Article, Quarantined, arrow_schema


def rows_to_table(name: str, rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Rows (dicts keyed by column name) as an Arrow table of ``name``'s schema, partition columns left out."""
    schema = arrow_schema(name, with_partition=False)
    columns = {f.name: pa.array([row[f.name] for row in rows], type=f.type) for f in schema}
    return pa.Table.from_pydict(columns, schema=schema)


def columns_to_table(name: str, columns: dict[str, list[Any]]) -> pa.Table:
    """Columns (lists keyed by column name) as an Arrow table of ``name``'s schema: for large
    tables, where a dict per row would cost several times the data.

    >>> columns = {"outlet": ["a.com"], "line_hash": ["h"], "articles": [3], "example": ["x"]}
    >>> columns_to_table("line_stats", columns).num_rows
    1
    """
    schema = arrow_schema(name, with_partition=False)
    return pa.Table.from_pydict({f.name: pa.array(columns[f.name], type=f.type) for f in schema}, schema=schema)


def _article_row(a: Article, names: list[str]) -> dict[str, Any]:
    return {name: getattr(a, name) for name in names}


def to_tables(articles: Iterable[Article], quarantined: Iterable[Quarantined]) -> dict[str, pa.Table]:
    """One Arrow table per warehouse table (partition columns left out: they live in the path).

    >>> to_tables([], [])["articles"].num_rows
    0
    """
    articles = list(articles)
    article_columns = arrow_schema("articles", with_partition=False).names
    paragraphs = [
        {"article_id": a.article_id, "seq": p.seq, "kind": p.kind, "text": p.text, "line_no": p.line_no}
        for a in articles
        for p in a.paragraphs
    ]
    links = [
        {
            "article_id": a.article_id,
            "seq": link.seq,
            "title": link.title,
            "teaser": link.teaser,
            "age_raw": link.age_raw,
        }
        for a in articles
        for link in a.related_links
    ]
    removed = [
        {
            "article_id": a.article_id,
            "line_no": r.line_no,
            "text": r.text,
            "rule": r.rule,
            "category": r.category,
            "score": r.score,
        }
        for a in articles
        for r in a.removed_lines
    ]
    quarantine = [
        {"source_uri": q.source_uri, "source_file": q.source_file, "stage": q.stage, "reason": q.reason}
        for q in quarantined
    ]
    return {
        "articles": rows_to_table("articles", [_article_row(a, article_columns) for a in articles]),
        "paragraphs": rows_to_table("paragraphs", paragraphs),
        "related_links": rows_to_table("related_links", links),
        "removed_lines": rows_to_table("removed_lines", removed),
        "quarantine": rows_to_table("quarantine", quarantine),
    }
