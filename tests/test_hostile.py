"""Bad input never stops a run and nothing is lost (issue 7's hostile-input suite)."""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from berita.flows import sources

from tests.conftest import REPO, run_berita
from tests.test_crash_safety import snapshot
from tests.test_flow import assert_every_input_accounted_for

SEEDS = sorted((REPO / "seeds").glob("*.txt"))
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def _hostile_inputs(folder: Path) -> dict[str, str]:
    """Write every hostile input of the suite; returns name -> what must happen to it."""
    seed = SEEDS[1].read_bytes()
    files = {
        "empty.txt": (b"", "quarantined"),
        "blank.txt": (b"  \n\t\n   \r\n", "quarantined"),
        "only boilerplate.txt": (
            b"Advertisement\n\nBaca Juga: Harga Cabai\n\n2 dari 2 halaman\n\nSukses\n",
            "quarantined",
        ),
        "image.txt": (PNG, "quarantined"),
        "archive.txt": (gzip.compress(b"berita " * 100), "quarantined"),
        "random.txt": (random.Random(7).randbytes(4096), "quarantined"),
        "nul inside.txt": (seed[:300] + b"\x00\x00" + seed[300:], "quarantined"),
        # Junk bytes decode as "ÿþÃ"; dropping them silently would also drop real cp1252 letters
        # in mixed documents, so the mojibake check sets the article aside instead.
        "bad utf8 inside.txt": (seed[:900] + b"\xff\xfe\xc3" + seed[900:], "quarantined"),
        "huge one line.txt": (b"kata " * 10_500_000, "quarantined"),
        "many short lines.txt": (b"Baris pendek sekali\n" * 200_000, "quarantined"),
        "deep.html": (
            b"<html><body>" + b"<div>" * 10_000 + b"<p>Isi</p>" + b"</div>" * 10_000 + b"</body></html>",
            "quarantined",
        ),
        "scripts.html": (b"<html><body>" + b"<script>var a = 1;</script>" * 20_000 + b"</body></html>", "quarantined"),
        "broken.html": (b"<html><body><p>Judul <b>tebal<p>kalimat tanpa penutup <div><span>lagi", "quarantined"),
        "spaces & $(rm -rf) `x` ; 'q'.txt": (seed, "duplicate"),
        "unicode \u00e9\u00e8 \u4e2d\u6587 \U0001f600.txt": (
            SEEDS[2].read_bytes().replace(b"Rusia", b"Federasi Rusia"),  # another body: an article of its own
            "article",
        ),
        "notes.pdf": (b"%PDF-1.4 ...", "quarantined"),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    records = [
        '{"url": "https://www.tempo.co/a", "text": "Judul Rusak\\n\\nJakarta - \\ud800 Kalimat dengan surrogate."}',
        '{"url": "https://example.org/x", "html": 42}',
        '{"url": "https://example.org/y"}',
        "{broken json",
        json.dumps({"url": "https://www.liputan6.com/global/read/2", "text": SEEDS[0].read_text(encoding="utf-8")}),
    ]
    (folder / "scrape.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    pq.write_table(pa.table({"headline": ["x"], "body": ["y"]}), folder / "odd.parquet")
    (folder / "loop").mkdir()
    os.symlink("..", folder / "loop" / "back")  # a symlink loop: not followed
    os.symlink(folder / "gone.txt", folder / "dangling.txt")  # a file that disappeared
    expected = {name: outcome for name, (_, outcome) in files.items()}
    # A file name that is not UTF-8 (Linux allows any bytes): read, and named with its bytes escaped.
    (folder / os.fsdecode(b"bad\xff\xfename.txt")).write_bytes(ODD_NAME_ARTICLE.encode("utf-8"))
    expected[sources.printable_path(os.fsdecode(b"bad\xff\xfename.txt"))] = "article"
    (folder / "deep.jsonl").write_bytes(b"[" * 100_000 + b"\n")  # JSON nested past the parser's recursion limit
    expected["deep.jsonl#byte=0"] = "quarantined"
    whole = folder / "whole.parquet"
    pq.write_table(pa.table({"url": ["https://example.org/p"], "text": [SEEDS[3].read_text(encoding="utf-8")]}), whole)
    (folder / "truncated.parquet").write_bytes(whole.read_bytes()[:-40])  # the footer cut off mid-write
    whole.unlink()
    expected["truncated.parquet"] = "quarantined"
    # What is not a regular file inside the input folder is counted and quarantined, never opened.
    outside = folder.parent / "outside.txt"
    outside.write_text(ODD_NAME_ARTICLE.replace("Bandung", "Garut"), encoding="utf-8")
    os.symlink(outside, folder / "link outside.txt")
    os.symlink("/etc/passwd", folder / "passwd.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    os.mkfifo(folder / "pipe.txt")
    pq.write_table(
        pa.table({"url": pa.array([], pa.string()), "text": pa.array([], pa.string())}), folder / "none.parquet"
    )
    (folder / "blank.jsonl").write_bytes(b"\n  \n")
    for name in ("link outside.txt", "passwd.txt", "zero.txt", "pipe.txt", "none.parquet", "blank.jsonl"):
        expected[name] = "quarantined"
    return expected


ODD_NAME_ARTICLE = """Jembatan Gantung Desa Sukamaju Kembali Dibuka

Bandung - Jembatan gantung yang menghubungkan dua dusun di Desa Sukamaju kembali dibuka untuk warga pada Senin pagi.

Perbaikan jembatan itu memakan waktu tiga bulan karena tali baja dan papan lantainya harus diganti seluruhnya.

Kepala desa mengatakan anak-anak sekolah kini tidak lagi harus memutar sejauh tujuh kilometer untuk ke kelas.
"""


HOSTILE_NAMES = [
    "empty.txt", "blank.txt", "only boilerplate.txt", "image.txt", "archive.txt", "random.txt", "nul inside.txt",
    "bad utf8 inside.txt", "huge one line.txt", "many short lines.txt", "deep.html", "scripts.html", "broken.html",
    "spaces & $(rm -rf) `x` ; 'q'.txt", "unicode \u00e9\u00e8 \u4e2d\u6587 \U0001f600.txt", "notes.pdf",
    "bad\\xff\\xfename.txt", "deep.jsonl#byte=0", "truncated.parquet", "link outside.txt", "passwd.txt", "zero.txt",
    "pipe.txt", "none.parquet", "blank.jsonl",
]  # fmt: skip


@pytest.fixture(scope="module")
def hostile_run(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One run over the seeds plus every hostile input, and a reference run over the seeds alone."""
    from berita.flows.clean_news import clean_news

    tmp = tmp_path_factory.mktemp("hostile")
    clean_inputs, hostile_inputs = tmp / "clean", tmp / "hostile"
    shutil.copytree(REPO / "seeds", clean_inputs)
    shutil.copytree(REPO / "seeds", hostile_inputs)
    expected = _hostile_inputs(hostile_inputs)
    assert set(expected) == set(HOSTILE_NAMES), "every hostile input has its own test"
    clean_news(input_dir=str(clean_inputs), warehouse_dir=str(tmp / "reference"))
    result = clean_news(input_dir=str(hostile_inputs), warehouse_dir=str(tmp / "warehouse"))
    return tmp, result, expected


def _table(path: Path, table: str) -> list[dict[str, object]]:
    return ds.dataset(path / table, partitioning="hive").to_table().to_pylist()


@pytest.mark.slow
@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_each_hostile_input_is_handled(hostile_run, name: str) -> None:  # type: ignore[no-untyped-def]
    tmp, _, expected = hostile_run
    ledger = {r["source_uri"]: r for r in _table(tmp / "warehouse", "inputs")}
    assert ledger[name]["outcome"] == expected[name], ledger[name]
    if expected[name] == "quarantined":
        quarantine = {q["source_uri"]: q for q in _table(tmp / "warehouse", "quarantine")}
        assert quarantine[name]["reason"], name


@pytest.mark.slow
def test_the_reasons_say_what_happened(hostile_run) -> None:  # type: ignore[no-untyped-def]
    tmp, _, _ = hostile_run
    quarantine = {q["source_uri"]: str(q["reason"]) for q in _table(tmp / "warehouse", "quarantine")}
    assert "over the" in quarantine["huge one line.txt"]
    assert "binary" in quarantine["image.txt"] or "binary" in quarantine["archive.txt"]
    assert "cannot read it" in quarantine["dangling.txt"]
    assert "no_mojibake" in quarantine["bad utf8 inside.txt"]
    assert "index page" in quarantine["many short lines.txt"]
    assert any("not valid JSON" in r for r in quarantine.values())
    assert any("neither text nor html" in r for r in quarantine.values())
    assert "not a readable PARQUET file" in quarantine["odd.parquet"]
    assert "not a readable PARQUET file" in quarantine["truncated.parquet"]
    assert "nested too deeply" in quarantine["deep.jsonl#byte=0"]
    assert "outside the input folder" in quarantine["link outside.txt"]
    assert "outside the input folder" in quarantine["passwd.txt"]
    assert "outside the input folder" in quarantine["zero.txt"] and "a FIFO" in quarantine["pipe.txt"]
    assert "no records" in quarantine["none.parquet"] and "no records" in quarantine["blank.jsonl"]


@pytest.mark.slow
def test_good_inputs_beside_them_are_unaffected(hostile_run) -> None:  # type: ignore[no-untyped-def]
    tmp, _, _ = hostile_run
    names = {s.name for s in SEEDS}

    def seeds(path: Path) -> list[tuple[object, object, object]]:
        return sorted(
            (r["article_id"], r["title"], r["body"]) for r in _table(path, "articles") if r["source_uri"] in names
        )

    assert seeds(tmp / "warehouse") == seeds(tmp / "reference") and len(seeds(tmp / "warehouse")) == 5


@pytest.mark.slow
def test_every_input_of_the_hostile_run_is_accounted_for(hostile_run) -> None:  # type: ignore[no-untyped-def]
    tmp, result, _ = hostile_run
    warehouse = tmp / "warehouse"
    assert_every_input_accounted_for(warehouse)
    ledger = _table(warehouse, "inputs")
    assert result.inputs_seen == len(ledger)
    (run,) = _table(warehouse, "runs")
    assert run["articles_written"] + run["quarantined"] + run["duplicates"] + run["unchanged"] == run["inputs_seen"]


def test_an_oversized_file_is_refused_from_its_size_without_reading_it(tmp_path: Path) -> None:
    """A 20 GB sparse file: refused in well under a second (hashing it would read 20 GB)."""
    import time

    with (tmp_path / "huge.txt").open("wb") as f:
        f.truncate(20 * 2**30)
    start = time.perf_counter()
    (raw,) = sources.read_batch(tmp_path, sources.discover(tmp_path), 16 * 2**20)
    assert time.perf_counter() - start < 1.0
    assert raw.data is None and raw.error is not None and "over the" in raw.error and raw.input_id


def test_a_file_that_disappears_between_discovery_and_reading(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("isi", encoding="utf-8")
    refs = sources.discover(tmp_path)
    (tmp_path / "a.txt").unlink()
    (raw,) = sources.read_batch(tmp_path, refs, 1_000_000)
    assert raw.data is None and raw.input_id is None and "cannot read it" in (raw.error or "")


def _tmpfs(path: Path, size: str) -> None:
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if done.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"CI must be able to mount a tmpfs for this test: {done.stderr!r}")
        pytest.skip("needs root to mount a tmpfs")


def _berita(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return run_berita(*args, env={"PREFECT_HOME": str(home)})


@pytest.mark.slow
@pytest.mark.parametrize("trouble", ["read-only", "disk full"])
def test_a_warehouse_that_cannot_be_written_fails_clearly_and_stays_as_it_was(trouble: str, tmp_path: Path) -> None:
    home, inputs, mount = tmp_path / "prefect", tmp_path / "inputs", tmp_path / "mnt"
    shutil.copytree(REPO / "seeds", inputs)
    _tmpfs(mount, "64m")
    try:
        warehouse = mount / "warehouse"
        first = _berita("run", "--input", str(inputs), "--warehouse", str(warehouse), home=home)
        assert first.returncode == 0, first.stderr
        before = snapshot(warehouse)
        for i in range(40):  # new inputs: more than the disk can take
            (inputs / f"more{i}.txt").write_bytes(
                SEEDS[i % 5].read_bytes() + f"\n\nSalinan nomor {i}.\n".encode() * 300
            )
        if trouble == "read-only":
            subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        else:  # leave the disk just a little room, far less than the new inputs need
            used_kib = int(subprocess.run(["du", "-sk", str(mount)], capture_output=True, text=True).stdout.split()[0])
            subprocess.run(["mount", "-o", f"remount,size={used_kib + 32}k", str(mount)], check=True)
        done = _berita("run", "--input", str(inputs), "--warehouse", str(warehouse), home=home)
        assert done.returncode != 0
        last_line = done.stderr.strip().splitlines()[-1]
        assert "Traceback" not in done.stderr and last_line.startswith("berita: error:"), done.stderr[-1500:]
        reasons = ("Read-only file system", "No space left", "disk is full")
        assert any(why in done.stderr for why in reasons), done.stderr
        assert "as it was" in done.stderr
        assert snapshot(warehouse) == before
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_the_accounting_check_refuses_a_run_whose_inputs_do_not_add_up(tmp_path: Path) -> None:
    from berita.flows import warehouse
    from berita.flows.quality import AccountingError, check_accounting
    from berita.transforms.tables import rows_to_table

    staging = warehouse.staging_dir(tmp_path, "r1")
    ledger = [{"source_uri": "a.txt", "input_id": "x", "outcome": "article", "article_id": "x"}]
    warehouse.write_part(staging, "r1", "inputs", "00000", rows_to_table("inputs", ledger))
    with pytest.raises(AccountingError, match="1 ledger rows for 2 new inputs"):
        check_accounting(tmp_path, "r1", inputs_new=2, articles=1, quarantined=0)
    with pytest.raises(AccountingError, match="1 articles counted, 1 in the ledger, 0 staged"):
        check_accounting(tmp_path, "r1", inputs_new=1, articles=1, quarantined=0)


def test_a_folder_where_the_lock_file_goes_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "warehouse" / ".berita.lock").mkdir(parents=True)
    done = run_berita("run", "--input", str(REPO / "seeds"), "--warehouse", str(tmp_path / "warehouse"))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    (line,) = done.stderr.strip().splitlines()[-1:]
    assert "a folder stands where berita writes a file" in line and ".berita.lock" in line


@pytest.mark.slow
def test_a_damaged_warehouse_file_is_one_line(tmp_path: Path) -> None:
    """A part that is not Parquet (cut short, overwritten) stops the run with one line saying which and what to
    do, for `run` and `query`, not an Arrow traceback."""
    warehouse = tmp_path / "warehouse"
    assert run_berita("run", "--input", str(REPO / "seeds"), "--warehouse", str(warehouse)).returncode == 0
    (part,) = (warehouse / "inputs").glob("run_id=*/*.parquet")
    part.write_bytes(b"not parquet at all")
    for args in (("run", "--input", str(REPO / "seeds")), ("query", "select count(*) from inputs")):
        done = run_berita(*args, "--warehouse", str(warehouse))
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert part.name in done.stderr.strip().splitlines()[-1]
