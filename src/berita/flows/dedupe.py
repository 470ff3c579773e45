"""Duplicate bodies across inputs and runs: exact twins are written once, near twins are flagged."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from berita.flows import warehouse
from berita.transforms import dedupe
from berita.transforms.records import Flag
from berita.transforms.tables import rows_to_table

NEAR_FLAG = Flag.NEAR_DUPLICATE
_LINKED_TABLES = ("paragraphs", "related_links", "removed_lines")


@dataclass
class PartDuplicates:
    """What deduplication did to one staged batch."""

    exact_of: dict[str, str] = field(default_factory=dict)  # dropped article_id -> the article it repeats
    near: int = 0
    newly_flagged: list[str | None] = field(default_factory=list)  # outlets of near twins that had no flag before
    dropped: list[dict[str, Any]] = field(default_factory=list)  # dropped articles' outlet, word_count, flags
    dropped_removals: list[tuple[str, str]] = field(default_factory=list)  # their removed lines' rule, category


def load_index(root: Path, index: dedupe.DuplicateIndex) -> dedupe.DuplicateIndex:
    """Add every published article's body keys to ``index`` (streamed: a batch of rows at a time)."""
    for batch in warehouse.iter_table_rows(root, "signatures", ["article_id", "body_hash", "minhash"]):
        for article_id, key, blob in batch:
            index.add(article_id, key, None if blob is None else np.frombuffer(blob, dtype=np.uint32))
    return index


def dedupe_part(root: Path, run_id: str, part: str, index: dedupe.DuplicateIndex) -> PartDuplicates:
    """Check one staged batch's articles against the index (in input order) and rewrite the batch:
    an exact twin's rows leave every table (the inputs ledger points it at the first article), a
    near twin gets ``near_duplicate_of`` and the flag ``near_duplicate``; kept articles' signatures
    are staged for later runs."""
    staging = warehouse.staging_dir(root, run_id)
    articles = warehouse.read_part(staging, run_id, "articles", part)
    found = PartDuplicates()
    rows = articles.to_pylist()
    kept, signatures = [], []
    for row in rows:
        sig = dedupe.signature(row["body"])
        verdict = index.check(row["article_id"], row["body_hash"], sig)
        if verdict.exact_of is not None:
            found.exact_of[row["article_id"]] = verdict.exact_of
            found.dropped.append({k: row[k] for k in ("outlet", "word_count", "flags")})
            continue
        if verdict.near_of is not None:
            row["near_duplicate_of"] = verdict.near_of
            if not row["flags"]:
                found.newly_flagged.append(row["outlet"])
            row["flags"] = [*row["flags"], NEAR_FLAG]
            found.near += 1
        kept.append(row)
        signatures.append(
            {
                "article_id": row["article_id"],
                "body_hash": row["body_hash"],
                "minhash": None if sig is None else sig.tobytes(),
            }
        )
    if found.exact_of or found.near:
        warehouse.replace_part(staging, run_id, "articles", part, rows_to_table("articles", kept))
    if found.exact_of:
        dropped = pa.array(sorted(found.exact_of), pa.string())
        for table in _LINKED_TABLES:
            data = warehouse.read_part(staging, run_id, table, part)
            gone = pc.is_in(data["article_id"], dropped)
            if table == "removed_lines":
                left = data.filter(gone)
                found.dropped_removals = list(zip(left["rule"].to_pylist(), left["category"].to_pylist(), strict=True))
            warehouse.replace_part(staging, run_id, table, part, data.filter(pc.invert(gone)))
    warehouse.write_part(staging, run_id, "signatures", part, rows_to_table("signatures", signatures))
    return found
