"""Reading the warehouse for people: DuckDB views over the tables, and one article as a page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from berita.transforms.records import TABLES


def connect(warehouse: Path, sandbox: bool = True) -> Any:
    """An in-memory DuckDB connection with one view per table over the warehouse's Parquet files.

    ``sandbox`` (the default): the connection reaches no file outside the warehouse (DuckDB's
    ``enable_external_access`` off, the warehouse its one allowed directory, the configuration locked), so a
    query cannot read ``/etc/passwd``, write elsewhere, attach a database or install an extension."""
    import duckdb

    if not warehouse.is_dir():
        raise FileNotFoundError(f"warehouse {warehouse} does not exist (run `berita run` first)")
    con = duckdb.connect()
    if sandbox:
        allowed = str(warehouse.resolve()).replace("'", "''").rstrip("/") + "/"
        con.execute(f"set allowed_directories = ['{allowed}']")
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
    for table in TABLES:
        if any((warehouse / table).glob("run_id=*/*.parquet")):
            glob = str(warehouse / table / "**" / "*.parquet").replace("'", "''")
            # Parts keep the columns they were written with (runs is never rewritten; an incremental run
            # adds parts beside older ones). By name, a newer column (runs.warnings, removed_lines.score)
            # reads as null in older parts; otherwise DuckDB takes the first file's columns and drops the rest.
            con.execute(
                f"create view {table} as select * from "
                f"read_parquet('{glob}', hive_partitioning = true, union_by_name = true)"
            )
    return con


def render_article(warehouse: Path, article_id: str) -> str:
    """An article as a person wants to read it: metadata, then the source in order, with each
    removed line shown in place and marked with the rule that removed it."""
    con = connect(warehouse)
    found = con.execute("select * from articles where article_id = ?", [article_id]).fetchall()
    if not found:
        hint = 'list some with: berita query "select article_id, title from articles"'
        raise LookupError(f"no article {article_id} in {warehouse} ({hint})")
    names = [d[0] for d in con.execute("select * from articles limit 0").description]
    article = dict(zip(names, found[0], strict=True))
    out = [f"# {article['title'] or '(no title)'}", ""]
    shown = ("article_id", "source_uri", "outlet", "published_at", "published_raw", "fetched_at", "dateline_city",
             "section", "authors", "wire_source", "language", "encoding", "word_count", "flags", "run_id")  # fmt: skip
    for key in shown:
        value = article.get(key)  # a warehouse written before a column existed has no such column
        if value not in (None, [], ""):
            out.append(f"{key:>14}: {value}")
    if article["lede"]:
        out += ["", f"> {article['lede']}"]
    out += ["", "--- source, in order (- removed [rule], ~ caption, ## subheading) ---", ""]
    events: list[tuple[int, int, str]] = []
    for line_no, kind, text in con.execute(
        "select line_no, kind, text from paragraphs where article_id = ?", [article_id]
    ).fetchall():
        mark = {"subheading": "## ", "caption": "~ "}.get(kind, "")
        events.append((line_no, 1, f"{mark}{text}"))
    for line_no, text, rule, score in con.execute(
        "select line_no, text, rule, score from removed_lines where article_id = ?", [article_id]
    ).fetchall():
        why = rule if score is None else f"{rule} {score:.2f}"
        events.append((line_no, 0, f"- [{why}] {text}"))
    for _, _, text in sorted(events):
        out.append(text)
    links = con.execute(
        "select title, age_raw from related_links where article_id = ? order by seq", [article_id]
    ).fetchall()
    if links:
        out += ["", "--- related links ---"] + [f"* {t}" + (f" ({age})" if age else "") for t, age in links]
    return "\n".join(out) + "\n"
