"""Learning boilerplate from the corpus: lines an outlet repeats go; syndicated body text stays.

The runs here use the rule table alone (``line_model="rules"``): the line model also takes out this footer and
widget by their shape, which would hide whether learning did."""

from __future__ import annotations

from pathlib import Path

import pyarrow.dataset as ds
import pytest

pytestmark = pytest.mark.slow

FOOTER = "Ikuti terus kabar terbaru seputar kota Anda hanya bersama kami setiap hari"
WIDGET = "Tag Terkait Hari Ini"
SYNDICATED = (
    "Menurut data badan pusat statistik, harga beras naik dua persen dibandingkan bulan lalu "
    "di sebagian besar provinsi di Pulau Jawa dan Sumatra."
)
TOPICS = ["banjir", "kebakaran", "kemacetan", "pemilu", "harga cabai", "jalan rusak", "pasar murah"]


def _article(i: int, syndicated: bool) -> str:
    topic = TOPICS[i % len(TOPICS)]
    body = [
        f"Contoh.com, Jakarta - Warga melaporkan masalah {topic} nomor {i} kepada pemerintah daerah pada Senin pagi.",
        f"Petugas datang ke lokasi {topic} untuk memeriksa keadaan dan mencatat keluhan warga yang terdampak.",
        SYNDICATED if syndicated else f"Kepala dinas mengatakan penanganan {topic} akan selesai dalam dua pekan.",
        f"Warga berharap masalah {topic} tidak terulang pada tahun depan karena merugikan banyak orang.",
        f"Pemerintah berjanji menambah anggaran untuk mencegah {topic} di kemudian hari, kata juru bicara.",
    ]
    return "\n\n".join([f"Berita Kota Nomor {i} tentang {topic.title()}", *body[:2], WIDGET, *body[2:], FOOTER]) + "\n"


def _rows(warehouse: Path, table: str) -> list[dict[str, object]]:
    return ds.dataset(warehouse / table, partitioning="hive").to_table().to_pylist()


def test_repeated_lines_are_learned_per_outlet(prefect_harness: None, tmp_path: Path) -> None:
    from berita.flows.clean_news import clean_news
    from berita.settings import Settings

    inputs, warehouse = tmp_path / "inputs", tmp_path / "warehouse"
    inputs.mkdir()
    for i in range(6):
        (inputs / f"a{i}.txt").write_text(_article(i, syndicated=i < 3), encoding="utf-8")
    clean_news(Settings(input_dir=str(inputs), warehouse_dir=str(warehouse), line_model="rules"))

    articles = _rows(warehouse, "articles")
    assert len(articles) == 6 and {a["outlet"] for a in articles} == {"contoh.com"}
    for a in articles:
        assert FOOTER not in a["body"] and WIDGET not in a["body"]
        assert a["word_count"] == len(a["body"].split())
    assert sum(SYNDICATED in a["body"] for a in articles) == 3, "syndicated body text mid-article stays"
    removed = [r for r in _rows(warehouse, "removed_lines") if r["rule"] == "repeated.contoh.com"]
    assert sorted({r["text"] for r in removed}) == sorted({FOOTER, WIDGET})
    assert all(r["category"] == "repeated" for r in removed)
    seqs: dict[object, list[object]] = {}
    for p in _rows(warehouse, "paragraphs"):
        seqs.setdefault(p["article_id"], []).append(p["seq"])
    assert all(sorted(s) == list(range(len(s))) for s in seqs.values()), "seq stays gapless"

    # A later run with one new article: the stored line counts still mark the footer.
    (inputs / "later.txt").write_text(_article(9, syndicated=False), encoding="utf-8")
    clean_news(Settings(input_dir=str(inputs), warehouse_dir=str(warehouse), line_model="rules"))
    later = next(a for a in _rows(warehouse, "articles") if a["source_uri"] == "later.txt")
    assert FOOTER not in later["body"] and WIDGET not in later["body"]


def test_learning_can_be_turned_off(prefect_harness: None, tmp_path: Path) -> None:
    from berita.flows.clean_news import clean_news
    from berita.settings import Settings

    inputs, warehouse = tmp_path / "inputs", tmp_path / "warehouse"
    inputs.mkdir()
    for i in range(4):
        (inputs / f"a{i}.txt").write_text(_article(i, syndicated=False), encoding="utf-8")
    clean_news(Settings(input_dir=str(inputs), warehouse_dir=str(warehouse), learn_min_articles=0, line_model="rules"))
    assert all(FOOTER in a["body"] for a in _rows(warehouse, "articles"))
