"""Learning repeated boilerplate at the end of a run, over the run's staged articles."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa

from berita.flows import state, warehouse
from berita.flows.memory import release_free_memory
from berita.transforms import dedupe, repeated, shapes
from berita.transforms.records import BODY_KINDS
from berita.transforms.tables import columns_to_table, rows_to_table


def _article_candidates(articles: pa.Table, paragraphs: pa.Table) -> dict[str, tuple[str, list[repeated.Candidate]]]:
    """article_id -> (outlet, candidates), for articles with a known outlet."""
    outlet_of = {
        a: o for a, o in zip(articles["article_id"].to_pylist(), articles["outlet"].to_pylist(), strict=True) if o
    }
    texts: dict[str, list[tuple[int, str, str]]] = {}
    for row in paragraphs.select(["article_id", "seq", "kind", "text"]).to_pylist():
        if row["article_id"] in outlet_of and row["kind"] in BODY_KINDS:
            texts.setdefault(row["article_id"], []).append((row["seq"], row["kind"], row["text"]))
    return {a: (outlet_of[a], repeated.candidates(a, sorted(ps))) for a, ps in texts.items()}


# The columns that find candidate lines (bodies and the rest are read only to rewrite a batch).
_ARTICLE_COLUMNS = ["article_id", "outlet"]
_PARAGRAPH_COLUMNS = ["article_id", "seq", "kind", "text"]

LINE_STATS_CHUNK = 25_000  # line_stats rows per staged part (and held in memory at once)


def learn_and_apply(
    root: Path, run_id: str, parts: list[str], min_articles: int, use_history: bool, db: sqlite3.Connection
) -> Counter[str]:
    """Count candidate lines in this run (plus earlier runs unless ``use_history`` is False), remove
    the learned ones from the staged batches, and stage this run's line_stats. Returns removals
    per rule id. The counts live in the run's state file (``db``), not in memory."""
    staging = warehouse.staging_dir(root, run_id)
    db.execute("DELETE FROM line")  # a retried task counts from scratch
    if use_history:
        for batch in warehouse.iter_table_rows(root, "line_stats", ["outlet", "line_hash", "articles"]):
            state.add_earlier_counts(db, batch)
    for part in parts:
        articles = warehouse.read_part(staging, run_id, "articles", part, _ARTICLE_COLUMNS)
        paragraphs = warehouse.read_part(staging, run_id, "paragraphs", part, _PARAGRAPH_COLUMNS)
        rows = [
            (outlet, c.hash, c.text)
            for outlet, found in _article_candidates(articles, paragraphs).values()
            for c in {c.hash: c for c in found}.values()  # an article counts once per line
        ]
        state.count_lines(db, rows)
        release_free_memory()
    learned = repeated.learned_boilerplate(state.frequent_lines(db, min_articles), min_articles) if min_articles else {}
    removed: Counter[str] = Counter()
    if learned:
        for part in parts:
            removed.update(_apply(staging, run_id, part, learned))
            release_free_memory()
    for n, chunk in enumerate(state.this_run_lines(db, LINE_STATS_CHUNK)):
        columns: dict[str, list[Any]] = {
            "outlet": [r[0] for r in chunk], "line_hash": [r[1] for r in chunk],
            "articles": [r[2] for r in chunk], "example": [r[3] for r in chunk],
        }  # fmt: skip
        warehouse.write_part(staging, run_id, "line_stats", f"{n:05d}", columns_to_table("line_stats", columns))
    db.commit()
    return removed


def _apply(staging: Path, run_id: str, part: str, learned: dict[str, set[str]]) -> Counter[str]:
    """Remove learned lines from one staged batch; bodies and word counts are rebuilt."""
    articles = warehouse.read_part(staging, run_id, "articles", part, _ARTICLE_COLUMNS)
    paragraphs = warehouse.read_part(staging, run_id, "paragraphs", part, _PARAGRAPH_COLUMNS)
    drop: dict[str, set[int]] = {}
    for article_id, (outlet, found) in _article_candidates(articles, paragraphs).items():
        seqs = {c.seq for c in found if c.hash in learned.get(outlet, set())}
        if seqs:
            drop[article_id] = seqs
    if not drop:  # most batches: read no more than the columns that tell
        return Counter()
    articles = warehouse.read_part(staging, run_id, "articles", part)
    paragraphs = warehouse.read_part(staging, run_id, "paragraphs", part)
    outlet_of = dict(zip(articles["article_id"].to_pylist(), articles["outlet"].to_pylist(), strict=True))
    kept_rows, removed_rows = [], []
    by_article: dict[str, list[dict[str, object]]] = {}
    for row in paragraphs.to_pylist():
        by_article.setdefault(row["article_id"], []).append(row)
    for article_id, rows in by_article.items():
        seqs = drop.get(article_id, set())
        body_left = [r for r in rows if r["kind"] in BODY_KINDS and r["seq"] not in seqs]
        if seqs and not body_left:
            seqs = set()  # never empty a body: then the lines are probably the article itself
            drop.pop(article_id, None)
        for r in rows:
            if r["seq"] in seqs:
                rule = repeated.rule_id(outlet_of[article_id])
                removed_rows.append(
                    {
                        "article_id": article_id,
                        "line_no": r["line_no"],
                        "text": r["text"],
                        "rule": rule,
                        "category": "repeated",
                        "score": None,
                    }
                )
            else:
                kept_rows.append(r)
    _renumber(kept_rows)
    new_paragraphs = rows_to_table("paragraphs", kept_rows)
    body_parts: dict[str, list[str]] = {}
    for r in kept_rows:
        if r["kind"] in BODY_KINDS:
            body_parts.setdefault(str(r["article_id"]), []).append(str(r["text"]))
    bodies = {article_id: "\n\n".join(parts) for article_id, parts in body_parts.items()}
    updated = articles.to_pylist()
    for a in updated:
        if a["article_id"] in drop:
            a["body"] = bodies[a["article_id"]]
            a["word_count"] = shapes.word_count(a["body"])
            a["body_hash"] = dedupe.body_key(a["body"])
    warehouse.replace_part(staging, run_id, "articles", part, rows_to_table("articles", updated))
    warehouse.replace_part(staging, run_id, "paragraphs", part, new_paragraphs)
    existing = warehouse.read_part(staging, run_id, "removed_lines", part)
    warehouse.replace_part(
        staging,
        run_id,
        "removed_lines",
        part,
        pa.concat_tables([existing, rows_to_table("removed_lines", removed_rows)]),
    )
    return Counter(str(r["rule"]) for r in removed_rows)


def _renumber(rows: list[dict[str, object]]) -> None:
    """Paragraph seq stays 0-based and gapless within each article after removals."""
    next_seq: Counter[str] = Counter()
    for r in rows:
        article = str(r["article_id"])
        r["seq"] = next_seq[article]
        next_seq[article] += 1
