"""The run's on-disk bookkeeping (berita.flows.state) answers as the in-memory structures did."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from berita.flows import state
from berita.flows.plan import Fingerprint, plan_batch
from berita.flows.sources import InputRef
from berita.transforms import dedupe


@pytest.fixture
def db(tmp_path: Path):
    connection = state.connect(tmp_path / "state.sqlite")
    yield connection
    connection.close()


def test_known_inputs_come_back_for_the_ids_asked_and_pending_ones_count(db) -> None:
    state.load_ledger(db, [("a", "a.txt", "a"), ("b", "b.txt", None), ("a", "a-copy.txt", "a"), (None, "gone", None)])
    state.mark_pending(db, ["c"])
    known = state.known_for(db, ["a", "c", "zzz", None])
    assert known.pairs == {("a", "a.txt"), ("a", "a-copy.txt")}
    assert known.article_of == {"a": "a", "c": None}
    # plan_batch reads the subset exactly as it read the whole ledger
    fps = [
        Fingerprint(InputRef(n), n, i) for n, i in [("a.txt", "a"), ("new.txt", "a"), ("c2.txt", "c"), ("d.txt", "d")]
    ]
    plan = plan_batch(fps, known, set())
    assert plan.unchanged == 1
    assert [f.source_uri for f in plan.duplicates] == ["new.txt", "c2.txt"]
    assert [f.source_uri for f in plan.to_clean] == ["d.txt"]


def test_recording_settles_a_pending_input_once(db) -> None:
    state.mark_pending(db, ["x"])
    state.record(db, "x", "x.txt", "x")
    state.record(db, "x", "x-copy.txt", None)  # a later copy does not change the first article
    assert state.article_of(db, "x") == "x"
    assert state.known_for(db, ["x"]).pairs == {("x", "x.txt"), ("x", "x-copy.txt")}
    assert state.article_of(db, "never") is None


def test_a_draft_comes_back_in_order_once(db) -> None:
    rows = [
        ("a.txt", "a.txt", "a", "clean", "a"),
        ("https://x.id/b", "b.jsonl#byte=0", "a", "duplicate", None),
        ("c.txt", "c.txt", None, "unreadable", None),
    ]
    state.stage_draft(db, "00001", rows)
    state.stage_draft(db, "00000", rows[:1])
    assert state.take_draft(db, "00001") == rows
    assert state.take_draft(db, "00001") == []
    assert state.take_draft(db, "00000") == rows[:1]


def _bodies(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words = [f"kata{i}" for i in range(400)]
    bodies: list[str] = []
    for _ in range(n):
        roll = rng.random()
        if bodies and roll < 0.2:
            bodies.append(rng.choice(bodies))  # exact twin
        elif bodies and roll < 0.4:
            base = rng.choice(bodies).split()
            base[rng.randrange(len(base))] = "ubah"  # near twin
            bodies.append(" ".join(base))
        else:
            bodies.append(" ".join(rng.choice(words) for _ in range(rng.randint(3, 80))))
    return bodies


def test_the_disk_index_gives_the_memory_index_verdicts(db) -> None:
    memory, disk = dedupe.DuplicateIndex(), dedupe.DuplicateIndex(state.SqliteIndexStore(db))
    verdicts = []
    for n, body in enumerate(_bodies(300, seed=5)):
        args = (f"id{n}", dedupe.body_key(body), dedupe.signature(body))
        verdicts.append(memory.check(*args))
        assert verdicts[-1] == disk.check(*args)
    assert any(v.exact_of for v in verdicts) and any(v.near_of for v in verdicts)  # both kinds were tested
    assert len(memory) == len(disk)


def test_band_keys_above_the_signed_range_are_stored_and_found(db) -> None:
    store = state.SqliteIndexStore(db)
    big = (1 << 64) - 5
    store.add("a", "k", b"\x00" * 256, [big, 7])
    assert store.slots([big]) == store.slots([7]) == {1}
    assert store.signature(1) == ("a", b"\x00" * 256)


def test_line_counts_add_earlier_runs_and_list_this_run_sorted(db) -> None:
    state.add_earlier_counts(db, [("kompas.com", "h1", 2), ("kompas.com", "h9", 5)])
    state.count_lines(db, [("kompas.com", "h1", "Baca juga"), ("detik.com", "h2", "ADVERTISEMENT")])
    state.count_lines(db, [("kompas.com", "h1", "Baca juga lagi")])
    assert sorted(state.frequent_lines(db, 3)) == [("kompas.com", "h1", 4), ("kompas.com", "h9", 5)]
    chunks = list(state.this_run_lines(db, chunk=1))
    assert chunks == [[("detik.com", "h2", 1, "ADVERTISEMENT")], [("kompas.com", "h1", 2, "Baca juga")]]
