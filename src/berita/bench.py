"""The benchmark: a deterministic corpus generator, the transforms against a plain ftfy loop, and
the whole flow with its time by stage and peak memory.

``berita bench --docs N`` runs it; ``berita bench --generate DIR --docs N`` only writes the corpus.
The generated documents look like the seeds (headline, date, byline, dateline, captions, body
paragraphs, the boilerplate of many outlets), weigh 2-8 KB each, and include a few percent of
double-encoded UTF-8, cp1252 files, CRLF line ends and HTML pages. The same ``seed`` always gives
the same bytes.
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_WORDS = (
    "pemerintah daerah warga kota provinsi menteri presiden polisi petugas rumah sakit sekolah jalan "
    "harga pasar beras minyak bahan bakar listrik air banjir hujan gempa kebakaran kecelakaan bantuan "
    "anggaran program kebijakan undang-undang rapat sidang hakim jaksa tersangka saksi korban laporan "
    "data survei penduduk ekonomi inflasi rupiah saham investor bank ekspor impor pabrik pekerja buruh "
    "petani nelayan guru siswa mahasiswa kampus kesehatan vaksin penyakit dokter pasien obat layanan "
    "transportasi kereta pesawat bandara pelabuhan kapal tol kendaraan motor mobil teknologi aplikasi "
    "internet digital pemilu partai calon kampanye suara hasil pekan bulan tahun pagi malam siang sore"
).split()
_VERBS = (
    "mengatakan menyebutkan menjelaskan meminta menegaskan mengumumkan menyiapkan menambah menurunkan "
    "menaikkan membangun memeriksa menangkap menemukan melaporkan mencatat membahas menolak menerima"
).split()
_LINKS = "yang dan di ke dari untuk dengan pada dalam oleh karena agar sehingga namun juga masih telah akan".split()
_CITIES = ["Jakarta", "Bandung", "Surabaya", "Medan", "Makassar", "Semarang", "Yogyakarta", "Denpasar", "Palembang"]
_NAMES = ["Budi Santoso", "Siti Aminah", "Andi Wijaya", "Dewi Lestari", "Rudi Hartono", "Rina Anggraeni"]
_DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
_MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober"]


@dataclass(frozen=True)
class _Outlet:
    name: str
    dateline: str  # format with {city}
    date: str  # format with {day} {d} {month} {y} {hh} {mm}
    byline: str  # format with {name}
    junk: tuple[str, ...]
    footer: tuple[str, ...]


_OUTLETS = (
    _Outlet("liputan6", "Liputan6.com, {city} - ", "{day}, {d} {month} {y} {hh}:{mm} WIB", "Oleh {name}",
            ("Advertisement", "Saksikan video pilihan berikut ini:", "2 dari 2 halaman"),
            ("* Follow Official WhatsApp Channel Liputan6.com untuk mendapatkan berita terkini.",)),
    _Outlet("kompas", "{CITY}, KOMPAS.com - ", "Kompas.com - {dd}/{mo}/{y}, {hh}:{mm} WIB", "Penulis {name}",
            ("Baca juga: Harga Cabai Naik Jelang Lebaran di Pasar Induk", "Lihat Foto"),
            ("Artikel ini telah tayang di Kompas.com dengan judul \"Warga Mengungsi\".",
             "Dapatkan update berita pilihan dan breaking news setiap hari dari Kompas.com.")),
    _Outlet("detik", "{city} - ", "{day}, {d} {mon} {y} {hh}:{mm} WIB", "{name} - detikNews",
            ("ADVERTISEMENT", "SCROLL TO CONTINUE WITH CONTENT"),
            ("Simak Video 'Aksi Warga Terekam CCTV'", "(nvc/ita)")),
    _Outlet("tempo", "TEMPO.CO, {city} - ", "{day}, {d} {month} {y} {hh}:{mm} WIB", "Reporter: {name}",
            ("Baca: Penyidik Sita Dokumen dari Kantor Dinas",),
            ("Pilihan Editor: Hakim Tolak Praperadilan Tersangka", "Ikuti berita terkini dari Tempo di Google News")),
    _Outlet("antara", "{city} (ANTARA) - ", "{day}, {d} {month} {y} {hh}:{mm} WIB", "Pewarta: {name}",
            ("Baca juga: Rupiah Menguat pada Perdagangan Pagi",), ("Editor: Agus Salim", "COPYRIGHT © ANTARA 2023")),
    _Outlet("cnn", "{city}, CNN Indonesia -- ", "{day}, {d} {mon} {y} {hh}:{mm} WIB", "CNN Indonesia",
            ("[Gambas:Video CNN]",), ("(isa/bac)",)),
    _Outlet("republika", "REPUBLIKA.CO.ID, {CITY} -- ", "{day} {d} {mon} {y} {hh}:{mm} WIB", "Rep: {name}/ Red: Ani",
            ("BACA JUGA: Jadwal Imsakiyah Ramadhan untuk Wilayah Jakarta",), ("Sumber : Antara",)),
    _Outlet("tribun", "TRIBUNNEWS.COM, {CITY} - ", "{day}, {d} {month} {y} {hh}:{mm} WIB",
            "Penulis: {name} | Editor: Ani", ("Halaman: 12Lihat Semua",),
            ("Berita Terkait", "Tim SAR Perluas Area Pencarian Korban", "Gelombang Tinggi Ancam Perairan")),
    _Outlet("suara", "Suara.com - ", "{day}, {d} {month} {y} | {hh}:{mm} WIB", "{name}",
            ("Baca Juga:", "Harga Bawang Merah Mulai Turun"), ("Cek Berita dan Artikel yang lain di Google News",)),
    _Outlet("kontan", "KONTAN.CO.ID - {CITY}. ", "{day}, {d} {month} {y} / {hh}:{mm} WIB", "Reporter: {name}",
            ("Baca Juga: IHSG Dibuka Menguat",), ("Tags", "saham", "ihsg")),
)  # fmt: skip


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(4, 8))]
    words.insert(rng.randint(1, 3), rng.choice(_VERBS))
    for _ in range(rng.randint(3, 7)):
        words.insert(rng.randint(1, len(words) - 1), rng.choice(_LINKS))
    words.extend(rng.choice(_WORDS) for _ in range(rng.randint(3, 8)))
    if rng.random() < 0.25:
        words.append(f"{rng.randint(2, 98)} persen")
    text = " ".join(words)
    if rng.random() < 0.2:
        return f"\u201c{text[0].upper()}{text[1:]},\u201d kata {rng.choice(_NAMES)}."
    return f"{text[0].upper()}{text[1:]}."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(1, 3)))


def _title(rng: random.Random) -> str:
    return " ".join(w.capitalize() for w in [rng.choice(_WORDS) for _ in range(rng.randint(5, 9))])


def _text_document(rng: random.Random, outlet: _Outlet, size: int) -> tuple[str, str, str]:
    city = rng.choice(_CITIES)
    when = {
        "day": rng.choice(_DAYS), "d": rng.randint(1, 28), "dd": f"{rng.randint(1, 28):02d}",
        "mo": f"{rng.randint(1, 10):02d}",
        "month": rng.choice(_MONTHS), "y": rng.randint(2015, 2025), "hh": f"{rng.randint(0, 23):02d}",
        "mm": f"{rng.randint(0, 59):02d}",
    }  # fmt: skip
    when["mon"] = str(when["month"])[:3]
    title = _title(rng)
    header = [title, outlet.byline.format(name=rng.choice(_NAMES)), outlet.date.format(**when), ""]
    if rng.random() < 0.4:
        header.insert(1, f"Ilustrasi {rng.choice(_WORDS)} di {city}. (Foto: {rng.choice(_NAMES)})")
    body = [outlet.dateline.format(city=city, CITY=city.upper()) + _paragraph(rng)]
    while sum(len(p) for p in body) < size:
        body.append(_paragraph(rng))
        if rng.random() < 0.15:
            body.append(rng.choice(outlet.junk))
    lines = header + [line for p in body for line in (p, "")] + list(outlet.footer)
    return title, city, "\n".join(lines) + "\n"


def _html_page(title: str, text: str) -> str:
    paragraphs = "\n".join(f"<p>{line}</p>" for line in text.split("\n")[4:] if line)
    ld = json.dumps({"@type": "NewsArticle", "headline": title, "datePublished": "2023-10-19T14:15:00+07:00"})
    return (
        f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{title}</title>'
        f'<script type="application/ld+json">{ld}</script></head><body><nav>Home News Bisnis Bola</nav>'
        f"<article><h1>{title}</h1>\n{paragraphs}\n</article><footer>Hak cipta dilindungi</footer></body></html>\n"
    )


def generate(n: int, seed: int = 1) -> Iterator[tuple[str, bytes]]:
    """``n`` documents as (file name, bytes), the same for the same ``seed``.

    >>> docs = list(generate(100, seed=7))
    >>> docs == list(generate(100, seed=7)), all(1500 <= len(data) <= 9000 for _, data in docs)
    (True, True)
    >>> sorted({name.rsplit(".", 1)[1] for name, _ in docs})
    ['html', 'txt']
    """
    import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252, as browsers decode)

    rng = random.Random(seed)
    for i in range(n):
        outlet = _OUTLETS[rng.randrange(len(_OUTLETS))]
        title, _, text = _text_document(rng, outlet, rng.randint(1800, 7200))
        roll = rng.random()
        if roll < 0.04:
            yield f"{i:07d}.html", _html_page(title, text).encode("utf-8")
        elif roll < 0.07:  # double-encoded: UTF-8 read as cp1252 and saved as UTF-8 again
            yield f"{i:07d}.txt", text.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8")
        elif roll < 0.10:
            yield f"{i:07d}.txt", text.encode("cp1252", errors="replace")
        elif roll < 0.15:
            yield f"{i:07d}.txt", text.replace("\n", "\r\n").encode("utf-8")
        else:
            yield f"{i:07d}.txt", text.encode("utf-8")


def write_corpus(folder: Path, n: int, seed: int = 1) -> int:
    """Write the corpus under ``folder`` (1,000 files a subfolder); returns the bytes written."""
    total = 0
    for name, data in generate(n, seed):
        target = folder / name[:4] / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        total += len(data)
    return total


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _seconds(fn: Callable[[], None]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_transforms(n: int, repeat: int, seed: int = 1) -> dict[str, Any]:
    """The transforms (decode, repair, strip, parse) against a plain conservative ftfy loop, on one
    core in this process, interleaved run by run so that both see the same machine load."""
    import ftfy

    from berita.transforms.article import CleanOptions, clean_document

    docs = list(generate(n, seed))
    size = sum(len(data) for _, data in docs)
    options = CleanOptions("bench", "bench", detect_language=False)
    config = ftfy.TextFixerConfig(
        uncurl_quotes=False, fix_character_width=False, fix_latin_ligatures=False, unescape_html=False, explain=False
    )

    def berita_loop() -> None:
        for name, data in docs:
            clean_document(data, name, options, kind="html" if name.endswith(".html") else "text")

    def ftfy_loop() -> None:
        for _, data in docs:
            ftfy.fix_text(data.decode("utf-8", errors="replace"), config)

    berita_loop()  # warm up: imports, compiled patterns, caches
    ftfy_loop()
    times: dict[str, list[float]] = {"berita": [], "ftfy": []}
    for _ in range(repeat):
        times["berita"].append(_seconds(berita_loop))
        times["ftfy"].append(_seconds(ftfy_loop))
    med = {k: statistics.median(v) for k, v in times.items()}
    return {
        "docs": n, "megabytes": size / 1e6, "runs": repeat,
        "berita_docs_per_s": n / med["berita"], "berita_mb_per_s": size / 1e6 / med["berita"],
        "ftfy_docs_per_s": n / med["ftfy"], "ftfy_mb_per_s": size / 1e6 / med["ftfy"],
        "ratio_berita_over_ftfy": med["ftfy"] / med["berita"],
        "ratios_each_run": [f / b for b, f in zip(times["berita"], times["ftfy"], strict=True)],
        "peak_rss_mb": _peak_rss() / 1e6,
    }  # fmt: skip


def bench_flow(n: int, repeat: int, seed: int = 1, extra: list[str] | None = None) -> dict[str, Any]:
    """``berita run`` on the corpus as a user runs it (a fresh warehouse each time): docs/s, MB/s,
    the time by stage and the run's peak RSS, medians of ``repeat`` runs."""
    with tempfile.TemporaryDirectory(prefix="berita-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        size = write_corpus(corpus, n, seed)
        runs = []
        for i in range(repeat):
            stats_path = Path(tmp) / f"stats{i}.json"
            warehouse = Path(tmp) / f"warehouse{i}"
            command = [sys.executable, "-m", "berita.cli", "run", "--input", str(corpus), "--warehouse", str(warehouse),
                       "--stats-json", str(stats_path), *(extra or [])]  # fmt: skip
            done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
            if done.returncode != 0:
                raise RuntimeError(f"berita run failed: {done.stderr[-2000:]}")
            runs.append(json.loads(stats_path.read_text(encoding="utf-8")))
    seconds = statistics.median(r["seconds"] for r in runs)
    stages = sorted({s for r in runs for s in r["stage_seconds"]})
    by_stage = {s: statistics.median(r["stage_seconds"].get(s, 0.0) for r in runs) for s in stages}
    return {
        "docs": n, "megabytes": size / 1e6, "runs": repeat, "docs_per_s": n / seconds, "mb_per_s": size / 1e6 / seconds,
        "seconds": seconds, "stage_seconds": by_stage,
        "peak_rss_mb": max(r["peak_rss_bytes"] for r in runs) / 1e6,
    }  # fmt: skip
