"""A run's bookkeeping on disk, so that a run's memory does not grow with its number of inputs.

Four things grow with a run: which inputs the warehouse (and the run so far) already holds, the
ledger rows of cleaned batches waiting for deduplication, the duplicate index (a key and a MinHash
per article), and the counts of candidate boilerplate lines per outlet. Held in Python objects they
cost about 1.5 KB an input (a 200,000-document run: 0.3 GB), so they live in one SQLite file in the
run's staging area instead: SQLite is in the standard library, keeps a page cache of bounded size,
and the file goes with the staging area when the run publishes or is discarded.

Nothing here is durable state: a killed run's file is discarded with its staging area, so the
database runs without a journal or fsync.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from berita.flows.plan import KnownInputs

STATE_FILE = "_state.sqlite"
# SQLite's page cache, the most this file keeps in memory. Small on purpose: the operating system
# caches the file anyway, and a 16 MiB cache that filled as a run's tables grew was part of why
# long runs peaked higher than short ones (no stage got slower at 2 MiB).
CACHE_KIB = 2 * 1024
_IN_CHUNK = 900  # ids per "IN (...)" query, under SQLite's limit on query parameters

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (
    input_id TEXT NOT NULL, source_uri TEXT NOT NULL, PRIMARY KEY (input_id, source_uri)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outcome (
    input_id TEXT PRIMARY KEY, article_id TEXT, pending INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS draft (
    part TEXT NOT NULL, seq INTEGER NOT NULL, source_uri TEXT NOT NULL, source_file TEXT NOT NULL, input_id TEXT,
    grp TEXT NOT NULL, article_id TEXT, PRIMARY KEY (part, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS body (body_hash TEXT PRIMARY KEY, article_id TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sig (slot INTEGER PRIMARY KEY, article_id TEXT NOT NULL, minhash BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS band (band INTEGER PRIMARY KEY, slot INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS line (
    outlet TEXT NOT NULL, line_hash TEXT NOT NULL, earlier INTEGER NOT NULL, now INTEGER NOT NULL, example TEXT,
    PRIMARY KEY (outlet, line_hash)) WITHOUT ROWID;
"""


def state_path(staging: Path) -> Path:
    return staging / STATE_FILE


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if need be) a run's state file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, check_same_thread=False)  # the flow's tasks use it one at a time
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    db.execute("PRAGMA temp_store=FILE")
    db.executescript(_SCHEMA)
    return db


def _chunks(items: Sequence[Any], size: int = _IN_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


# --- Which inputs are known: the ledger of earlier runs, then this run's as it goes -----------


def load_ledger(db: sqlite3.Connection, rows: Iterable[tuple[str | None, str, str | None]]) -> None:
    """Add (input_id, source_uri, article_id) rows of the published ledger (the first row of an
    input names its article, as the ledger's first row did)."""
    rows = [(i, uri, a) for i, uri, a in rows if i is not None]
    db.executemany("INSERT OR IGNORE INTO seen VALUES (?, ?)", ((i, uri) for i, uri, _ in rows))
    db.executemany("INSERT OR IGNORE INTO outcome VALUES (?, ?, 0)", ((i, a) for i, _, a in rows))


def known_for(db: sqlite3.Connection, input_ids: Iterable[str | None]) -> KnownInputs:
    """What the state knows about these inputs, as the in-memory KnownInputs that plan_batch reads.
    An input being cleaned by this run counts as known (its article is not settled yet: None)."""
    ids = sorted({i for i in input_ids if i is not None})
    known = KnownInputs()
    for chunk in _chunks(ids):
        marks = _marks(len(chunk))
        known.pairs.update(db.execute(f"SELECT input_id, source_uri FROM seen WHERE input_id IN ({marks})", chunk))
        known.article_of.update(
            db.execute(f"SELECT input_id, article_id FROM outcome WHERE input_id IN ({marks})", chunk)
        )
    return known


def mark_pending(db: sqlite3.Connection, input_ids: Iterable[str]) -> None:
    """Inputs this run is cleaning: later copies of the same bytes are duplicates of them."""
    db.executemany("INSERT OR IGNORE INTO outcome VALUES (?, NULL, 1)", ((i,) for i in input_ids))


def record(db: sqlite3.Connection, input_id: str, source_uri: str, article_id: str | None) -> None:
    """A ledger row is final: the pair is seen, and the input's first article is settled."""
    db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (input_id, source_uri))
    db.execute(
        "UPDATE outcome SET article_id = ?, pending = 0 WHERE input_id = ? AND pending = 1", (article_id, input_id)
    )
    db.execute("INSERT OR IGNORE INTO outcome VALUES (?, ?, 0)", (input_id, article_id))


def article_of(db: sqlite3.Connection, input_id: str) -> str | None:
    row = db.execute("SELECT article_id FROM outcome WHERE input_id = ?", (input_id,)).fetchone()
    return None if row is None else row[0]


def first_name(db: sqlite3.Connection, input_id: str) -> str | None:
    """A name the ledger knows these bytes by (None: none yet)."""
    row = db.execute("SELECT source_uri FROM seen WHERE input_id = ? LIMIT 1", (input_id,)).fetchone()
    return None if row is None else row[0]


# --- Ledger drafts: a cleaned batch's inputs, until deduplication settles their outcome ---------

# (source_uri, source_file, input_id, group, article_id); group is "clean", "duplicate" or "unreadable"
DraftRow = tuple[str, str, str | None, str, str | None]


def stage_draft(db: sqlite3.Connection, part: str, rows: Sequence[DraftRow]) -> None:
    db.executemany("INSERT INTO draft VALUES (?, ?, ?, ?, ?, ?, ?)", ((part, n, *row) for n, row in enumerate(rows)))


def take_draft(db: sqlite3.Connection, part: str) -> list[DraftRow]:
    rows = db.execute(
        "SELECT source_uri, source_file, input_id, grp, article_id FROM draft WHERE part = ? ORDER BY seq", (part,)
    ).fetchall()
    db.execute("DELETE FROM draft WHERE part = ?", (part,))
    return rows


# --- The duplicate index's storage (the logic is berita.transforms.dedupe.DuplicateIndex) ------


def _signed(band: int) -> int:
    """Band keys are unsigned 64-bit; SQLite integers are signed."""
    return band - (1 << 64) if band >= 1 << 63 else band


class SqliteIndexStore:
    """berita.transforms.dedupe.IndexStore in the state file: exact keys, signatures, band slots."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM body").fetchone()[0])

    def exact_of(self, key: str) -> str | None:
        row = self.db.execute("SELECT article_id FROM body WHERE body_hash = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def slots(self, bands: list[int]) -> set[int]:
        query = f"SELECT slot FROM band WHERE band IN ({_marks(len(bands))})"
        return {slot for (slot,) in self.db.execute(query, [_signed(b) for b in bands])}

    def signature(self, slot: int) -> tuple[str, bytes]:
        article_id, blob = self.db.execute("SELECT article_id, minhash FROM sig WHERE slot = ?", (slot,)).fetchone()
        return str(article_id), bytes(blob)

    def add(self, article_id: str, key: str, sig: bytes | None, bands: list[int]) -> None:
        self.db.execute("INSERT OR IGNORE INTO body VALUES (?, ?)", (key, article_id))
        if sig is None:
            return
        slot = self.db.execute("INSERT INTO sig (article_id, minhash) VALUES (?, ?)", (article_id, sig)).lastrowid
        self.db.executemany("INSERT OR IGNORE INTO band VALUES (?, ?)", ((_signed(b), slot) for b in bands))


# --- Candidate boilerplate lines: articles per (outlet, line hash), earlier runs and this one ---


def add_earlier_counts(db: sqlite3.Connection, rows: Iterable[tuple[str, str, int]]) -> None:
    db.executemany(
        "INSERT INTO line VALUES (?, ?, ?, 0, NULL) "
        "ON CONFLICT (outlet, line_hash) DO UPDATE SET earlier = earlier + excluded.earlier",
        rows,
    )


def count_lines(db: sqlite3.Connection, rows: Iterable[tuple[str, str, str]]) -> None:
    """One more article of ``outlet`` holds each (outlet, line_hash, example text) line."""
    db.executemany(
        "INSERT INTO line VALUES (?, ?, 0, 1, ?) ON CONFLICT (outlet, line_hash) "
        "DO UPDATE SET now = now + 1, example = coalesce(example, excluded.example)",
        rows,
    )


def frequent_lines(db: sqlite3.Connection, min_articles: int) -> Iterator[tuple[str, str, int]]:
    """(outlet, line_hash, articles) of lines held by at least ``min_articles`` articles in all."""
    yield from db.execute("SELECT outlet, line_hash, earlier + now FROM line WHERE earlier + now >= ?", (min_articles,))


def this_run_lines(db: sqlite3.Connection, chunk: int) -> Iterator[list[tuple[str, str, int, str]]]:
    """This run's (outlet, line_hash, articles, example) rows, sorted, ``chunk`` rows at a time."""
    cursor = db.execute("SELECT outlet, line_hash, now, example FROM line WHERE now > 0 ORDER BY outlet, line_hash")
    while rows := cursor.fetchmany(chunk):
        yield rows
