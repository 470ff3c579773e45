"""Bad input never stops a run and nothing is lost (issue 7's hostile-input suite)."""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from berita.flows import sources
from berita.settings import Settings
from tests.conftest import REPO, run_berita
from tests.test_crash_safety import snapshot
from tests.test_flow import assert_every_input_accounted_for

SEEDS = sorted((REPO / "seeds").glob("*.txt"))
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


ODD_NAME_ARTICLE = """Jembatan Gantung Desa Sukamaju Kembali Dibuka

Bandung - Jembatan gantung yang menghubungkan dua dusun di Desa Sukamaju kembali dibuka untuk warga pada Senin pagi.

Perbaikan jembatan itu memakan waktu tiga bulan karena tali baja dan papan lantainya harus diganti seluruhnya.

Kepala desa mengatakan anak-anak sekolah kini tidak lagi harus memutar sejauh tujuh kilometer untuk ke kelas.
"""


def _story(city: str, senin: str = "Senin") -> str:
    """An article of its own (its dateline city makes its body new), with ``senin`` in place of "Senin"."""
    return ODD_NAME_ARTICLE.replace("Bandung", city).replace("Sukamaju", city + "jaya").replace("Senin", senin)


def _page(city: str, encoding: str = "utf-8", senin: str = "Senin", head: str = "") -> bytes:
    paragraphs = _story(city, senin).split("\n\n")
    return (
        f"<!DOCTYPE html><html><head>{head}</head><body><article><h1>{paragraphs[0]}</h1>"
        + "".join(f"<p>{p.strip()}</p>" for p in paragraphs[1:])
        + "</article></body></html>"
    ).encode(encoding)


def _seed(n: int) -> bytes:
    return SEEDS[n].read_bytes()


# Each hostile file: its bytes, where it must end, and (quarantined) what its reason must say.
Case = tuple[Callable[[], bytes], str, str]
FILES: dict[str, Case] = {
    "empty.txt": (lambda: b"", "quarantined", "empty"),
    "empty_copy.txt": (lambda: b"", "quarantined", "the same bytes as"),
    "blank.txt": (lambda: b"  \n\t\n   \r\n", "quarantined", "empty or only whitespace"),
    "line breaks only.txt": (lambda: b"\r\n" * 1000, "quarantined", "empty or only whitespace"),
    "byte-order mark only.txt": (lambda: b"\xef\xbb\xbf", "quarantined", "empty or only whitespace once decoded"),
    "only boilerplate.txt": (
        lambda: b"Advertisement\n\nBaca Juga: Harga Cabai\n\n2 dari 2 halaman\n\nSukses\n",
        "quarantined",
        "boilerplate",
    ),
    "only a title.txt": (lambda: b"Judul Saja Tanpa Isi Berita\n", "quarantined", "no body text"),
    "index page.txt": (
        lambda: b"".join(b"Judul Berita Nomor %d Hari Ini Di Jakarta\n\n" % i for i in range(12)),
        "quarantined",
        "index page",
    ),
    "image.txt": (lambda: PNG, "quarantined", "binary"),
    "archive.txt": (lambda: gzip.compress(b"berita " * 100), "quarantined", "binary"),
    "random.txt": (lambda: random.Random(7).randbytes(4096), "quarantined", ""),
    "random_copy.txt": (lambda: random.Random(7).randbytes(4096), "quarantined", "the same bytes as"),
    "nul inside.txt": (lambda: _seed(1)[:300] + b"\x00\x00" + _seed(1)[300:], "quarantined", ""),
    # Junk bytes decode as "ÿþÃ"; dropping them silently would also drop real cp1252 letters
    # in mixed documents, so the mojibake check sets the article aside instead.
    "bad utf8 inside.txt": (lambda: _seed(1)[:900] + b"\xff\xfe\xc3" + _seed(1)[900:], "quarantined", "no_mojibake"),
    "huge one line.txt": (lambda: b"kata " * 10_500_000, "quarantined", "-byte limit"),
    "long one line.txt": (lambda: b"kata " * 300_000, "quarantined", "-character limit"),
    "one huge word.txt": (lambda: b"a" * 500_000, "quarantined", "no body text"),
    "many short lines.txt": (lambda: b"Baris pendek sekali\n" * 200_000, "quarantined", "-character limit"),
    "many sentences.txt": (
        lambda: b"".join(b"Kalimat ke-%d, kata dia.\n" % i for i in range(25_000)),
        "quarantined",
        "-line limit",
    ),
    "deep.html": (
        lambda: b"<html><body>" + b"<div>" * 10_000 + b"<p>Isi</p>" + b"</div>" * 10_000 + b"</body></html>",
        "quarantined",
        "",
    ),
    "scripts.html": (
        lambda: b"<html><body>" + b"<script>var a = 1;</script>" * 20_000 + b"</body></html>",
        "quarantined",
        "no article text",
    ),
    "tiny paragraphs.html": (
        lambda: b"<html><body>" + b"<p>x</p>\n" * 30_000 + b"</body></html>",
        "quarantined",
        "-tag limit",
    ),
    "comment bomb.html": (
        lambda: b"<html><body><!--" + b"-" * 2_000_000 + b"--><p>Isi</p></body></html>",
        "quarantined",
        "no body text",
    ),
    "entity run.html": (
        lambda: b"<html><body><article><h1>Judul Berita Hari Ini</h1><p>" + b"&amp;" * 50_000 + b"</p></article>",
        "quarantined",
        "no body text",
    ),
    "svg only.html": (
        lambda: b"<html><body><svg>" + b"<path d='M0 0'/>" * 10_000 + b"</svg></body></html>",
        "quarantined",
        "no article text",
    ),
    "no body.html": (
        lambda: b"<html><head><title>Judul</title></head><body></body></html>",
        "quarantined",
        "no article text",
    ),
    "broken.html": (
        lambda: b"<html><body><p>Judul <b>tebal<p>kalimat tanpa penutup <div><span>lagi",
        "quarantined",
        "",
    ),
    "notes.pdf": (lambda: b"%PDF-1.4 ...", "quarantined", "unsupported file type"),
    "spaces & $(rm -rf) `x` ; 'q'.txt": (lambda: _seed(1), "duplicate", ""),
    "unicode \u00e9\u00e8 \u4e2d\u6587 \U0001f600.txt": (
        lambda: _seed(2).replace(b"Rusia", b"Federasi Rusia"),  # another body: an article of its own
        "article",
        "",
    ),
    "utf16.txt": (lambda: _story("Bogor").encode("utf-16"), "article", ""),
    "cp1252.txt": (lambda: _story("Cianjur", "Senin caf\u00e9").encode("cp1252"), "article", ""),
    "utf8 read as cp1252.txt": (
        lambda: _story("Depok", "Senin \u2014 caf\u00e9").encode("utf-8").decode("cp1252").encode("utf-8"),
        "article",
        "",
    ),
    "terminal codes.txt": (lambda: _story("Karawang").replace("dibuka", "dib\x07uka\x1b[31m").encode(), "article", ""),
    "zero width.txt": (lambda: _story("Sumedang").replace("jembatan", "jem\u200bba\u00adtan").encode(), "article", ""),
    "bidi override.txt": (lambda: _story("Subang").replace("warga", "\u202ewarga\u202c").encode(), "article", ""),
    "page saved as text.txt": (lambda: _page("Bekasi"), "article", ""),
    "latin1 page.html": (
        lambda: _page("Serang", "latin-1", "Senin caf\u00e9", '<meta charset="iso-8859-1">'),
        "article",
        "",
    ),
    "ads glued after each sentence.txt": (
        lambda: _story("Garut").replace(". ", ". ADVERTISEMENT ").encode(),
        "article",
        "",
    ),
}
# What the articles among them must read (repaired, nothing invisible or out of order left).
READS = {
    "cp1252.txt": "Senin caf\u00e9 pagi",
    "utf8 read as cp1252.txt": "Senin \u2014 caf\u00e9 pagi",
    "terminal codes.txt": "kembali dibuka untuk warga",
    "zero width.txt": "Jembatan gantung yang",
    "bidi override.txt": "dibuka untuk warga pada",
    "latin1 page.html": "Senin caf\u00e9 pagi",
}

# Inputs that are not plain files, or are records in record files: name -> (outcome, reason).
SPECIAL: dict[str, tuple[str, str]] = {
    "bad\\xff\\xfename.txt": ("article", ""),  # a file name that is not UTF-8, named with its bytes escaped
    "deep.jsonl#byte=0": ("quarantined", "nested too deeply"),
    "truncated.parquet": ("quarantined", "not a readable PARQUET file"),
    "odd.parquet": ("quarantined", "not a readable PARQUET file"),
    "link outside.txt": ("quarantined", "outside the input folder"),
    "passwd.txt": ("quarantined", "outside the input folder"),
    "zero.txt": ("quarantined", "outside the input folder"),
    "pipe.txt": ("quarantined", "a FIFO"),
    "dangling.txt": ("quarantined", "cannot read it"),
    "none.parquet": ("quarantined", "no records"),
    "blank.jsonl": ("quarantined", "no records"),
    "https://www.tempo.co/a": ("article", ""),  # a lone surrogate in JSON: dropped
    "https://example.org/x": ("quarantined", "html must be a string"),
    "https://example.org/y": ("quarantined", "neither text nor html"),
    "scrape.jsonl#byte=BROKEN": ("quarantined", "not valid JSON"),
    "https://www.liputan6.com/global/read/2": ("duplicate", ""),  # a seed's text as a record
    "empties.jsonl#byte=0": ("quarantined", "empty or only whitespace"),
    "empties.jsonl#byte=14": ("quarantined", "the same bytes as empties.jsonl#byte=0"),
    "empties.jsonl#byte=28": ("quarantined", "the same bytes as empties.jsonl#byte=0"),
    "empties.jsonl#byte=42": ("quarantined", "the same bytes as empties.jsonl#byte=0"),
    "typed.parquet#row=0": ("quarantined", "text must be a string, not int"),
    "typed.parquet#row=1": ("quarantined", "neither text nor html"),
    "https://example.org/typed": ("article", ""),
}
RECORDS = [  # scrape.jsonl, a line each
    json.dumps({"url": "https://www.tempo.co/a", "text": _story("Tegal").replace("dibuka", "dibuka \ud800")}),
    '{"url": "https://example.org/x", "html": 42}',
    '{"url": "https://example.org/y"}',
    "{broken json",
    json.dumps({"url": "https://www.liputan6.com/global/read/2", "text": SEEDS[0].read_text(encoding="utf-8")}),
]
# A record file's bad line is named by its byte offset (JSON here is ASCII: a character a byte).
SPECIAL[f"scrape.jsonl#byte={sum(len(r) + 1 for r in RECORDS[:3])}"] = SPECIAL.pop("scrape.jsonl#byte=BROKEN")
HOSTILE_NAMES = sorted(FILES) + sorted(SPECIAL)


def _write_special(folder: Path) -> None:
    (folder / os.fsdecode(b"bad\xff\xfename.txt")).write_bytes(ODD_NAME_ARTICLE.encode("utf-8"))
    (folder / "scrape.jsonl").write_text("\n".join(RECORDS) + "\n", encoding="utf-8")
    (folder / "empties.jsonl").write_bytes(b'{"text": " "}\n' * 4)  # four records of the same (blank) bytes
    pq.write_table(pa.table({"headline": ["x"], "body": ["y"]}), folder / "odd.parquet")
    typed = {"url": [None, None, "https://example.org/typed"], "text": [5, None, None]}
    typed["html"] = [None, None, _page("Cirebon").decode()]
    pq.write_table(pa.table({k: pa.array(v, type=pa.int64() if k == "text" else None) for k, v in typed.items()}),
                   folder / "typed.parquet")  # fmt: skip
    (folder / "loop").mkdir()
    os.symlink("..", folder / "loop" / "back")  # a symlink loop: not followed
    os.symlink(folder / "gone.txt", folder / "dangling.txt")  # a file that disappeared
    (folder / "deep.jsonl").write_bytes(b"[" * 100_000 + b"\n")  # JSON nested past the parser's recursion limit
    whole = folder / "whole.parquet"
    pq.write_table(pa.table({"url": ["https://example.org/p"], "text": [SEEDS[3].read_text(encoding="utf-8")]}), whole)
    (folder / "truncated.parquet").write_bytes(whole.read_bytes()[:-40])  # the footer cut off mid-write
    whole.unlink()
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


def _hostile_inputs(folder: Path) -> None:
    for name, (data, _, _) in FILES.items():
        (folder / name).write_bytes(data())
    _write_special(folder)


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_hostile_file_is_cleaned_in_bounded_time(name: str, tmp_path: Path) -> None:
    """Read and cleaned as a run would (with the line model), each file takes at most a few seconds."""
    from berita.transforms.article import CleanOptions, clean_document
    from berita.transforms.records import Article

    data, outcome, reason = FILES[name]
    (tmp_path / name).write_bytes(data())
    start = time.perf_counter()
    (raw,) = sources.read_batch(tmp_path, sources.discover(tmp_path), 16 * 2**20)
    options = CleanOptions("hostile", "test")
    result = raw.error if raw.data is None else clean_document(raw.data, raw.source_uri, options, kind=raw.kind)
    seconds = time.perf_counter() - start
    assert seconds < TIME_BOUND, f"{name} took {seconds:.1f} s"
    if name in SETTLED_BY_THE_RUN:
        return
    assert isinstance(result, Article) == (outcome != "quarantined"), result
    if isinstance(result, Article):
        assert not any(c in result.body for c in "\x1b\u200b\u00ad\u202e\u202c\x07"), result.body
        assert READS.get(name, "") in result.body
    else:
        assert reason in (result if isinstance(result, str) else result.reason)


# Settled after cleaning: copies of quarantined bytes by the run's ledger, a failed row check by validation.
SETTLED_BY_THE_RUN = frozenset({"empty_copy.txt", "random_copy.txt", "bad utf8 inside.txt"})


TIME_BOUND = 5.0  # seconds for one hostile file (each takes well under one on a quiet machine)


@pytest.fixture(scope="module")
def hostile_run(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One run over the seeds plus every hostile input, and a reference run over the seeds alone."""
    from berita.flows.clean_news import clean_news

    tmp = tmp_path_factory.mktemp("hostile")
    clean_inputs, hostile_inputs = tmp / "clean", tmp / "hostile"
    shutil.copytree(REPO / "seeds", clean_inputs)
    shutil.copytree(REPO / "seeds", hostile_inputs)
    _hostile_inputs(hostile_inputs)
    clean_news(Settings(input_dir=str(clean_inputs), warehouse_dir=str(tmp / "reference")))
    start = time.perf_counter()
    result = clean_news(Settings(input_dir=str(hostile_inputs), warehouse_dir=str(tmp / "warehouse")))
    return tmp, result, time.perf_counter() - start


def _table(path: Path, table: str) -> list[dict[str, object]]:
    return ds.dataset(path / table, partitioning="hive").to_table().to_pylist()


def _expected(name: str) -> tuple[str, str]:
    if name in FILES:
        return FILES[name][1], FILES[name][2]
    return SPECIAL[name]


@pytest.mark.slow
@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_each_hostile_input_ends_in_its_place(hostile_run, name: str) -> None:  # type: ignore[no-untyped-def]
    tmp, _, _ = hostile_run
    outcome, reason = _expected(name)
    ledger = {r["source_uri"]: r for r in _table(tmp / "warehouse", "inputs")}
    assert ledger[name]["outcome"] == outcome, ledger[name]
    if outcome == "quarantined":
        quarantine = {q["source_uri"]: q for q in _table(tmp / "warehouse", "quarantine")}
        assert reason in quarantine[name]["reason"], quarantine[name]
    elif outcome == "duplicate":
        articles = {a["article_id"] for a in _table(tmp / "warehouse", "articles")}
        assert ledger[name]["article_id"] in articles, "a duplicate of an article that exists"


@pytest.mark.slow
def test_the_hostile_run_takes_bounded_time(hostile_run) -> None:  # type: ignore[no-untyped-def]
    _, _, seconds = hostile_run
    assert seconds < 20 * TIME_BOUND, f"{len(HOSTILE_NAMES)} hostile inputs took {seconds:.0f} s"


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
    assert {r["source_uri"] for r in ledger} >= set(HOSTILE_NAMES), "every hostile input has its own test"
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


def test_one_file_is_an_input_named_as_in_its_folder(tmp_path: Path) -> None:
    """--input may be one file (a text page, or a JSONL or Parquet file of records): its inputs are named as the
    folder would name them, so a later run on the whole folder knows them."""
    (tmp_path / "a.txt").write_text("isi berita", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "satu"}\n\n{"text": "dua", "url": "https://x.id/2"}\n', "utf-8")
    for name in ("a.txt", "b.jsonl"):
        one = sources.discover(tmp_path / name)
        assert one == [ref for ref in sources.discover(tmp_path) if ref.path == name]
        raws = list(sources.read_batch(tmp_path / name, one, 1_000_000))
        assert [r.error for r in raws] == [None] * len(one) and all(r.data for r in raws)
    with pytest.raises(sources.InputError, match="does not exist"):
        sources.discover(tmp_path / "nope.txt")


def _tmpfs(path: Path, size: str) -> None:
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if done.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"CI must be able to mount a tmpfs for this test: {done.stderr!r}")
        pytest.skip("needs root to mount a tmpfs")


def _berita(*args: str, home: Path, api: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`berita ARGS` on the session's Prefect API (the subject is the warehouse; a private server's boot took
    most of each run's time)."""
    return run_berita(*args, env={"PREFECT_HOME": str(home), **api})


@pytest.mark.slow
@pytest.mark.parametrize("trouble", ["read-only", "disk full"])
def test_a_warehouse_that_cannot_be_written_fails_clearly_and_stays_as_it_was(
    trouble: str, tmp_path: Path, shared_api: dict[str, str]
) -> None:
    home, inputs, mount = tmp_path / "prefect", tmp_path / "inputs", tmp_path / "mnt"
    shutil.copytree(REPO / "seeds", inputs)
    _tmpfs(mount, "64m")
    try:
        warehouse = mount / "warehouse"
        first = _berita("run", "--input", str(inputs), "--warehouse", str(warehouse), home=home, api=shared_api)
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
        done = _berita("run", "--input", str(inputs), "--warehouse", str(warehouse), home=home, api=shared_api)
        assert done.returncode != 0
        last_line = done.stderr.strip().splitlines()[-1]
        assert "Traceback" not in done.stderr and last_line.startswith("berita: error:"), done.stderr[-1500:]
        reasons = ("Read-only file system", "No space left", "disk is full")
        assert any(why in done.stderr for why in reasons), done.stderr
        assert "as it was" in done.stderr
        assert snapshot(warehouse) == before
        if trouble == "read-only":  # compacting cannot write either: one line too; reading still works
            compact = _berita("compact", "--warehouse", str(warehouse), home=home, api=shared_api)
            assert compact.returncode == 2 and "Traceback" not in compact.stderr, compact.stderr[-1500:]
            (line,) = compact.stderr.strip().splitlines()[-1:]
            assert line.startswith("berita: error:") and "Read-only file system" in line, line
            query = _berita("query", "select count(*) from articles", "--warehouse", str(warehouse), home=home, api={})
            assert query.returncode == 0 and "5" in query.stdout, query.stderr[-1500:]
            assert snapshot(warehouse) == before
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_the_accounting_check_refuses_a_run_whose_inputs_do_not_add_up(tmp_path: Path) -> None:
    from berita.flows import warehouse
    from berita.flows.quality import AccountingError, check_accounting
    from berita.transforms.tables import rows_to_table

    staging = warehouse.staging_dir(tmp_path, "r1")
    ledger = [{"source_uri": "a.txt", "source_file": "a.txt", "input_id": "x", "outcome": "article", "article_id": "x"}]
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
def test_a_damaged_warehouse_file_is_one_line(tmp_path: Path, shared_api: dict[str, str]) -> None:
    """A part that is not Parquet (cut short, overwritten) stops the run with one line saying which and what to
    do, for `run`, `query` and `compact`, not an Arrow traceback."""
    warehouse, home, inputs = tmp_path / "warehouse", tmp_path / "prefect", tmp_path / "inputs"
    inputs.mkdir()
    for seeds in (SEEDS[:2], SEEDS[2:]):  # two runs: compacting has two files of each table to merge
        for seed in seeds:
            shutil.copy(seed, inputs / seed.name)
        done = _berita("run", "--input", str(inputs), "--warehouse", str(warehouse), home=home, api=shared_api)
        assert done.returncode == 0, done.stderr
    part = sorted((warehouse / "inputs").glob("run_id=*/*.parquet"))[0]
    part.write_bytes(b"not parquet at all")
    for args in (("run", "--input", str(inputs)), ("query", "select count(*) from inputs"), ("compact",)):
        done = _berita(*args, "--warehouse", str(warehouse), home=home, api=shared_api)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert part.name in done.stderr.strip().splitlines()[-1]


@pytest.mark.slow
def test_a_file_rewritten_while_the_run_reads_it_is_quarantined_then_cleaned_next_run(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file changes between its fingerprint and its cleaning: this run quarantines it as "changed while it was
    read" (recorded without an id, so not "seen"), the accounting holds, and the next run cleans the new version."""
    from berita.flows.clean_news import clean_news

    inputs, warehouse = tmp_path / "inputs", tmp_path / "warehouse"
    shutil.copytree(REPO / "seeds", inputs)
    changing = inputs / "changing.txt"
    changing.write_text(_story("Tasikmalaya"), encoding="utf-8")
    read_batch, calls = sources.read_batch, []

    def rewriting_after_the_first_read(*args: object) -> Iterator[sources.RawInput]:
        yield from read_batch(*args)  # type: ignore[arg-type]
        calls.append(args)
        if len(calls) == 1:  # the fingerprints are taken: a scraper rewrites the file
            changing.write_text(_story("Ciamis"), encoding="utf-8")

    monkeypatch.setattr(sources, "read_batch", rewriting_after_the_first_read)
    clean_news(Settings(input_dir=str(inputs), warehouse_dir=str(warehouse)))
    monkeypatch.undo()
    assert_every_input_accounted_for(warehouse)
    (row,) = [r for r in _table(warehouse, "inputs") if r["source_uri"] == "changing.txt"]
    assert row["outcome"] == "quarantined" and row["input_id"] is None, row
    (why,) = [q["reason"] for q in _table(warehouse, "quarantine") if q["source_uri"] == "changing.txt"]
    assert "changed while it was read" in why
    clean_news(Settings(input_dir=str(inputs), warehouse_dir=str(warehouse)))
    assert_every_input_accounted_for(warehouse)
    (article,) = [a for a in _table(warehouse, "articles") if a["source_uri"] == "changing.txt"]
    assert "Ciamisjaya" in article["body"], "the new version"


def test_a_file_that_grows_while_it_is_read_is_not_taken_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text(ODD_NAME_ARTICLE, encoding="utf-8")
    fstat, seen = os.fstat, []

    def growing(fd: int) -> os.stat_result:  # the second look finds the file longer: a writer appended meanwhile
        info = fstat(fd)
        seen.append(fd)
        if len(seen) % 2:
            return info
        return os.stat_result((*info[:6], info.st_size + 10, *info[7:]))

    monkeypatch.setattr(sources.os, "fstat", growing)
    (raw,) = sources.read_batch(tmp_path, sources.discover(tmp_path), 1_000_000)
    assert raw.data is None and raw.input_id is None and raw.error == sources.CHANGED_WHILE_READ


def test_a_document_past_its_time_budget_is_quarantined_as_took_too_long() -> None:
    from berita.transforms.article import CleanOptions, clean_document

    late = clean_document(ODD_NAME_ARTICLE.encode(), "slow.txt", CleanOptions("r", "v", max_seconds=0.0))
    assert late.stage == "clean" and late.reason.startswith("took too long: over the 0-second budget"), late
    on_time = clean_document(ODD_NAME_ARTICLE.encode(), "slow.txt", CleanOptions("r", "v"))
    assert on_time.body.startswith("Jembatan gantung")  # type: ignore[union-attr]


def test_the_document_bounds_are_settings() -> None:
    from berita.settings import ConfigError, Settings

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BERITA_MAX_DOCUMENT_SECONDS", "2.5")
        patch.setenv("BERITA_MAX_TEXT_LINES", "500")
        settings = Settings.load()
        assert (settings.max_document_seconds, settings.max_text_lines) == (2.5, 500)
        assert Settings.load({"max_text_lines": "20"}).max_text_lines == 20  # a flag wins
        patch.setenv("BERITA_MAX_DOCUMENT_SECONDS", "soon")
        with pytest.raises(ConfigError, match="BERITA_MAX_DOCUMENT_SECONDS must be a number, not soon"):
            Settings.load()


@pytest.mark.slow
@pytest.mark.parametrize("shape", ["a text just inside the bounds", "a 15 MB line of words"])
def test_a_documents_memory_is_bounded(shape: str) -> None:
    """Cleaning one document raises the process's peak memory by a bounded amount (measured in a fresh
    interpreter): a 15 MB line of words took 1.7 GB before the bounds, as a 3-million-word article."""
    code = """if True:
        import json, resource, sys
        from berita.transforms.article import CleanOptions, clean_document
        sentence = "Kalimat nomor {} ini cukup panjang untuk menjadi paragraf berita yang wajar, kata dia. "
        if sys.argv[1] == "inside":  # about 900,000 characters in 18,000 lines
            data = "".join(sentence.format(i) + "\\n\\n" for i in range(9_000)).encode()
        else:
            data = b"kata " * 3_000_000
        options = CleanOptions("m", "m")
        clean_document(b"Judul\\n\\nJakarta - Kalimat pertama berita ini cukup panjang untuk dibaca.", "w", options)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result = clean_document(data, "big.txt", options)
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        print(json.dumps({"reason": getattr(result, "reason", None), "grown_mb": grown // 1024}))
    """
    which = "inside" if "inside" in shape else "line"
    done = subprocess.run([sys.executable, "-c", code, which], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    measured = json.loads(done.stdout)
    bounded = "limit for one document" in (measured["reason"] or "")
    assert bounded == (which == "line"), measured  # the text inside the bounds is cleaned, the line is not
    assert measured["grown_mb"] < 400, f"{shape}: the peak grew by {measured['grown_mb']} MB"
