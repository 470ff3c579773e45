"""Unit tests of the pure transforms: decode, repair, dates, datelines, parsing."""

from __future__ import annotations

import codecs
from datetime import UTC, datetime

import pytest

from berita.transforms import dates, parse
from berita.transforms.article import CleanOptions, clean_document
from berita.transforms.decode import DecodeError, decode_bytes
from berita.transforms.records import Article, Quarantined
from berita.transforms.repair import repair_text
from berita.transforms.strip import Line
from tests.conftest import REPO

SEEDS = REPO / "seeds"
TEXT = "Menlu Rusia menyebut \u201coperasi militer khusus\u201d di Kyiv \u2013 kata dia. Caf\u00e9 tutup."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_decode_reads_each_encoding_back_to_the_same_text(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.text == TEXT
    assert decoded.encoding == encoding


def test_decode_mixed_utf8_with_stray_cp1252_bytes() -> None:
    data = "Menlu Rusia \u201cya\u201d ".encode() + "caf\u00e9".encode("cp1252") + b" tutup."
    decoded = decode_bytes(data)
    assert decoded.text == "Menlu Rusia \u201cya\u201d caf\u00e9 tutup."
    assert decoded.encoding == "utf-8+cp1252"


@pytest.mark.parametrize(
    "data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"Jakarta\x00\x00\x00 ok", bytes(range(32)) * 10]
)
def test_decode_rejects_binary(data: bytes) -> None:
    with pytest.raises(DecodeError):
        decode_bytes(data)


def test_repair_keeps_line_numbers_and_fixes_what_ftfy_leaves() -> None:
    text = (
        "Judul\r\n\u00c2\r\nitu\u00a0merupakan\u200b  proses\r\n"
        "Rp10.000\u00c2 per liter\r\n\u00e2\u20ac\u0153Kami\u00e2\u20ac kata dia"
    )
    repaired = repair_text(text)
    assert repaired.lines == ["Judul", "", "itu merupakan proses", "Rp10.000 per liter", "\u201cKami\u201d kata dia"]
    assert repaired.repairs == 4


def test_a_closing_quote_decoded_with_errors_replace_is_mended_not_dropped() -> None:
    """UTF-8 decoded as cp1252 with errors="replace" turns ” (E2 80 9D) into "â€�" (cp1252 has
    no 0x9D); twice over, it is mojibake of mojibake. The quote comes back either way."""
    text = "Harga cabai \u201cnaik tajam\u201d pekan ini, kata pedagang."
    once = text.encode("utf-8").decode("cp1252", "replace")
    twice = once.encode("utf-8").decode("cp1252", "replace")
    assert "\u00e2\u20ac\ufffd" in once
    assert repair_text(once).lines == [text]
    assert repair_text(twice).lines == [text]


def test_a_mended_line_separator_does_not_split_the_line() -> None:
    """Hypothesis found it: mojibake of U+2028 is mended by ftfy into a line break inside one
    line, so repairing the joined result again split it in two."""
    once = repair_text("0\u00e2\u0080\u00a80").lines
    assert once == ["0 0"] and repair_text("\n".join(once)).lines == once


def test_repair_decodes_html_character_references_that_scrapers_leave_in_text() -> None:
    repaired = repair_text("kata &quot;ya&quot;&nbsp;itu\nharga &amp;amp; R&D\n&#8220;benar&#8221; &foo;")
    assert repaired.lines == ['kata "ya" itu', "harga & R&D", "\u201cbenar\u201d &foo;"]
    assert repaired.repairs == 3
    assert repair_text("&lt;p&gt; &amp;", html_leftovers=False).lines == ["&lt;p&gt; &amp;"]  # a page's raw markup
    tagged = repair_text('<b>Jakarta</b> - Harga <a href="/x">cabai</a> naik<br/>, nilai <5%')
    assert (tagged.lines, tagged.repairs) == (["Jakarta - Harga cabai naik, nilai <5%"], 1)


def test_repair_leaves_clean_text_and_curly_quotes_alone() -> None:
    line = "\u201cKami menyambut baik,\u201d kata Lavrov \u2013 di Pyongyang."
    assert repair_text(line).lines == [line]
    assert repair_text(line).repairs == 0


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("Kamis, 31 Mei 2018 20:25 WIB", "2018-05-31T13:25:00"),
        ("Mar 16, 2019 17:28 Asia/Jakarta", "2019-03-16T10:28:00"),
        ("January 18, 2024 8:10 PM", "2024-01-18T13:10:00"),
        ("Jan 18, 2024 12:05 AM", "2024-01-17T17:05:00"),
        ("18 Jan 2024 14:30 PM", "2024-01-18T07:30:00"),
        ("Senin, 1 April 2024 19:09 WIB | Diperbarui 1 April 2024 20:00 WIB", "2024-04-01T12:09:00"),
        ("(last modified Sat, 16 Mar 2019 10:28:47 GMT )", "2019-03-16T10:28:47"),
        ("DECEMBER 9, 2022", "2022-12-09T00:00:00"),
        ("Senin, 18 Des 2023 10:52 WIB", "2023-12-18T03:52:00"),
        ("Kompas.com - 03/06/2021, 13:51 WIB", "2021-06-03T06:51:00"),
        ("Rabu, 27 Oktober 2021 / 07:59 WIB", "2021-10-27T00:59:00"),
        ("Jumat, 11 Juni 2021 | 17:34 WIB", "2021-06-11T10:34:00"),
        ("Senin, 21 Februari 2011 \u2013 18:27 WIB", "2011-02-21T11:27:00"),
        ("17 January 2019 13:47", "2019-01-17T06:47:00"),
        ("09/11/2017 10:42", "2017-11-09T03:42:00"),
        ("Selasa, 5 Maret 2024 09:00 WITA", "2024-03-05T01:00:00"),
        ("Selasa, 5 Maret 2024 09:00 WIT", "2024-03-05T00:00:00"),
    ],
)
def test_date_lines(text: str, utc: str) -> None:
    found = dates.date_line(text)
    assert found is not None
    assert found.when == datetime.fromisoformat(utc).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "Dialog itu digelar pada Selasa, 10 April 2018, di Moskow bersama para menteri kedua negara.",
        "31 Februari 2020",
        "Nomor 12 Mei",
    ],
)
def test_not_publication_dates(text: str) -> None:
    assert dates.date_line(text) is None


@pytest.mark.parametrize(
    ("text", "outlet", "city"),
    [
        ("Liputan6.com, Moskow - Menteri Luar Negeri Korea Utara melakukan kunjungan kerja.", "liputan6.com", "Moskow"),
        ("TEMPO.CO, Jakarta - Pemimpin Korea Utara Kim Jong Un bertemu dengan Menlu Rusia.", "tempo.co", "Jakarta"),
        ("ORBITINDONESIA.COM - Hubungan Rusia - Korea Utara tampak makin akrab hari ini.", "orbitindonesia.com", None),
        ("TEGAL, KOMPAS.com - Banjir merendam ratusan rumah warga di pesisir utara.", "kompas.com", "Tegal"),
        (
            "Jakarta, CNN Indonesia -- Pemerintah menaikkan harga bahan bakar mulai besok pagi.",
            "cnnindonesia.com",
            "Jakarta",
        ),
        ("Jakarta (ANTARA) - Bank Indonesia menahan suku bunga acuan pada bulan ini.", "antaranews.com", "Jakarta"),
        (
            "REPUBLIKA.CO.ID, JAKARTA -- Kementerian Agama menetapkan awal puasa tahun ini.",
            "republika.co.id",
            "Jakarta",
        ),
        ("Bisnis.com, JAKARTA \u2013 Harga emas naik tajam pada perdagangan hari ini.", "bisnis.com", "Jakarta"),
        ("Suara.com - Seorang warga menemukan bayi di depan rumahnya pada Minggu pagi.", "suara.com", None),
        ("jpnn.com - JAKARTA \u2013 Polisi menyita dua truk berisi pupuk palsu di Bekasi.", "jpnn.com", "Jakarta"),
        ("Contoh.co | Tim nasional berlatih di stadion utama menjelang laga Sabtu.", "contoh.co", None),
        ("BANDUNG, WARTAKITA -Harga cabai di pasar induk naik dua kali lipat pekan ini.", None, "Bandung"),
    ],
)
def test_datelines(text: str, outlet: str | None, city: str | None) -> None:
    dateline = parse.find_dateline(text)
    assert dateline is not None
    assert (dateline.outlet, dateline.city) == (outlet, city)
    assert shapes_of_rest(text[len(dateline.prefix) :])


def shapes_of_rest(rest: str) -> bool:
    return rest[:1].isupper()


@pytest.mark.parametrize(
    "text",
    [
        "Korea Utara - Amerika Serikat menggelar pertemuan di Singapura pekan depan.",
        "Kata.Dia - ini bukan dateline sama sekali meski mirip dengan bentuknya.",
        "KORUPSI, SUAP - dua kata yang paling sering muncul dalam berita pekan ini di mana-mana.",
    ],
)
def test_not_datelines(text: str) -> None:
    assert parse.find_dateline(text) is None


def _lines(*texts: str) -> list[Line]:
    return [Line(i * 2, t) for i, t in enumerate(texts)]


def test_parse_bylines_and_wire_source() -> None:
    parsed = parse.parse_article(
        _lines(
            "Harga Cabai Naik Jelang Lebaran",
            "Penulis: Budi Santoso, Ani Lestari | Editor: Rina",
            "Jakarta (ANTARA) - Harga cabai rawit di pasar tradisional naik tajam menjelang Lebaran.",
            "Pedagang mengatakan pasokan dari petani berkurang karena hujan.",
            "Sumber: Reuters",
        )
    )
    assert parsed.authors == ["Budi Santoso", "Ani Lestari"]
    assert parsed.wire_source == "Reuters"
    assert parsed.outlet == "antaranews.com"
    assert [p.kind for p in parsed.paragraphs] == ["body", "body"]


_BODY = "Jakarta - Pemerintah menyiapkan anggaran tambahan untuk perbaikan jalan rusak di daerah."


@pytest.mark.parametrize(
    ("header", "authors", "outlet"),
    [
        (["Laporan Wartawan Tribunnews.com, Fahmi Ramadhan"], ["Fahmi Ramadhan"], "tribunnews.com"),
        (["Ahmad Fauzi, Jurnalis"], ["Ahmad Fauzi"], None),
        (["Susi Setiawati, CNBC Indonesia"], ["Susi Setiawati"], "cnbcindonesia.com"),
        (["Oleh : Budi Setiawan / CAR"], ["Budi Setiawan"], None),
        (["Oleh : Mohammad Yudha Prasetya,", "Anisa Aulia"], ["Mohammad Yudha Prasetya", "Anisa Aulia"], None),
        (["Penulis Kontributor Makassar, Hendra Cipto", "| Editor Khairina"], ["Hendra Cipto"], None),
        (["Kamis, 20 Juni 2024 - 10:15 WIB", "Oktiani Endarwati"], ["Oktiani Endarwati"], None),
        (["Penulis: Budi Santoso", "Penulis: Budi Santoso"], ["Budi Santoso"], None),
        (["Oleh", "Budi Santoso"], ["Budi Santoso"], None),
    ],
)
def test_header_bylines_name_the_writers_not_the_lede(
    header: list[str], authors: list[str], outlet: str | None
) -> None:
    """Bylines as outlets print them: with a role, with the outlet, over two lines, alone next to
    the date. None of them ends up in the lede, and a writer named twice is listed once."""
    parsed = parse.parse_article(_lines("Judul Berita Hari Ini", *header, _BODY))
    assert (parsed.authors, parsed.lede) == (authors, None)
    assert parsed.signature_outlet == outlet


def test_a_source_label_with_the_agency_on_the_next_line_names_the_wire_source() -> None:
    parsed = parse.parse_article(_lines("Judul Berita Hari Ini", _BODY, "Sumber :", "Antara"))
    assert parsed.wire_source == "Antara" and parsed.authors == []


@pytest.mark.parametrize(
    "header",
    [
        ["Harga Cabai Naik Lagi", "Senin, 8 Januari 2024"],  # headline words, next to the date
        ["Ekonomi Bisnis", "Senin, 8 Januari 2024"],  # a section, next to the date
        ["Senin, 8 Januari 2024", "Banda Aceh"],  # a city
        ["Oktiani Endarwati"],  # a name, but not next to a date line
    ],
)
def test_a_capitalised_line_is_a_writer_only_next_to_the_date_and_with_no_headline_words(header: list[str]) -> None:
    parsed = parse.parse_article(_lines("Judul Berita Hari Ini", *header, _BODY))
    assert parsed.authors == []


def test_a_line_with_the_publication_and_the_revision_date_gives_the_publication_date() -> None:
    parsed = parse.parse_article(
        _lines("Judul Berita Hari Ini", "Senin, 1 April 2024 19:09 WIB | Diperbarui 1 April 2024 20:00 WIB", _BODY)
    )
    assert parsed.published is not None and parsed.published.raw == "Senin, 1 April 2024 19:09 WIB"
    parsed = parse.parse_article(_lines("Judul Berita Hari Ini", "Diperbarui 05 Feb 2024, 11:10 WIB", _BODY))
    assert parsed.modified is not None and parsed.published == parsed.modified  # only a revision date


def test_date_inconsistent_needs_a_weekday_date_after_publication() -> None:
    body = "Menlu akan bertemu Presiden pada Selasa, 16 Januari 2024, kata Kremlin kepada wartawan."
    flagged = parse.parse_article(_lines("Judul Berita Hari Ini", "DECEMBER 9, 2022", body))
    assert "date_inconsistent" in flagged.flags
    fine = parse.parse_article(_lines("Judul Berita Hari Ini", "Senin, 15 Januari 2024 10:00 WIB", body))
    assert "date_inconsistent" not in fine.flags


def test_truncated_flag_only_when_the_last_body_paragraph_stops_mid_sentence() -> None:
    assert (
        "truncated"
        in parse.parse_article(
            _lines(
                "Judul Berita Hari Ini",
                "Kalimat pertama cukup panjang di sini.",
                "dan kalimat ini terpotong di tengah jalan",
            )
        ).flags
    )
    assert (
        "truncated"
        not in parse.parse_article(_lines("Judul Berita Hari Ini", "Kalimat pertama cukup panjang di sini.")).flags
    )


OPTIONS = CleanOptions(run_id="t", pipeline_version="t")


@pytest.mark.parametrize(
    ("data", "stage"),
    [
        (b"", "read"),
        (b"  \n\t \r\n ", "read"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "decode"),
        (b"Advertisement\n\nBaca Juga: Harga Cabai Naik\n\n2 dari 2 halaman\n", "clean"),
        (b"Judul Berita Saja\n\nKamis, 31 Mei 2018 20:25 WIB\n", "parse"),
    ],
)
def test_inputs_that_cannot_be_articles_are_quarantined_with_a_reason(data: bytes, stage: str) -> None:
    result = clean_document(data, "x.txt", OPTIONS)
    assert isinstance(result, Quarantined)
    assert result.stage == stage
    assert result.reason


def test_oversized_input_is_quarantined_before_any_work() -> None:
    result = clean_document(b"a" * 101, "big.txt", CleanOptions("t", "t", max_input_bytes=100))
    assert isinstance(result, Quarantined) and "limit" in result.reason


def test_cp1252_document_end_to_end() -> None:
    body = "Kafe \u201cAroma\u201d di Jakarta ramai dikunjungi warga sejak pagi hari."
    doc = f"Judul Berita Kafe\r\n\r\nJakarta (ANTARA) - {body}\r\n"
    result = clean_document(doc.encode("cp1252"), "x.txt", OPTIONS)
    assert isinstance(result, Article)
    assert result.encoding == "cp1252"
    assert "\u201cAroma\u201d" in result.body


def _double_encoded(text: str) -> str:
    import ftfy.bad_codecs  # noqa: F401

    return text.encode("utf-8").decode("sloppy-windows-1252")


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_a_wholly_double_encoded_document_repairs_to_the_original(seed) -> None:
    """The whole-document decode (one step for a page decoded with the wrong charset) gives what
    repairing the correctly decoded text gives, and counts the lines it mended."""
    original = seed.read_text(encoding="utf-8")
    clean = repair_text(original)
    mended = repair_text(_double_encoded(original))
    assert mended.lines == clean.lines
    assert mended.repairs >= sum(not line.isascii() for line in clean.lines)


def test_a_document_with_one_mojibake_line_is_mended_line_by_line() -> None:
    text = "Kata dia \u201cya\u201d.\n" + _double_encoded("Lavrov menyebut \u201coperasi\u201d.")
    assert repair_text(text).lines == ["Kata dia \u201cya\u201d.", "Lavrov menyebut \u201coperasi\u201d."]


def test_legacy_bytes_that_no_candidate_reads_differently_are_cp1252_without_a_guess() -> None:
    latin = "Caf\u00e9 di Bogor, \u00bfya? Harga \u00e0 la carte".encode("latin-1")  # no byte where they differ
    assert decode_bytes(latin) == decode_bytes(latin)  # deterministic
    assert decode_bytes(latin).encoding == "cp1252"
    assert decode_bytes(latin).text == "Caf\u00e9 di Bogor, \u00bfya? Harga \u00e0 la carte"


_PAGE = """<html><body><article><h1>Cara Cek Penerima Bansos</h1>
<p>Suara.com - Pemerintah kembali menyalurkan bantuan sosial tahap ketiga kepada keluarga penerima bulan ini.</p>
<p>Warga dapat mengecek namanya melalui laman resmi Kementerian Sosial sejak Senin pagi kemarin.</p>
<p><strong>Baca Juga:</strong></p>
{between}
<p>Buka laman cekbansos melalui peramban di ponsel, lalu masukkan data sesuai KTP yang dimiliki.</p>
<p>Jika nama tidak muncul, warga dapat mengusulkan diri melalui aplikasi yang disediakan pemerintah.</p>
<blockquote class="twitter-tweet"><p>Bansos tahap ketiga cair hari ini, cek nama Anda di laman resmi kami.</p>
Kemensos</blockquote>
<p>Penyaluran ditargetkan selesai sebelum akhir bulan depan, kata pejabat kementerian itu.</p>
</article></body></html>"""


def _html_article(between: str) -> Article:
    result = clean_document(_PAGE.format(between=between).encode(), "p.html", CleanOptions("r", "v"), kind="html")
    assert isinstance(result, Article)
    return result


def test_a_page_heading_after_a_related_header_is_the_articles_subheading() -> None:
    """The page's own h2 ends a related list (its links dropped by the extractor) and is a
    subheading; a related card whose heading is a link is still a related link."""
    article = _html_article("<h2>Langkah-langkah cek penerima</h2>")
    assert ("subheading", "Langkah-langkah cek penerima") in [(p.kind, p.text) for p in article.paragraphs]
    card = _html_article('<h3><a href="/1">Jadwal Pencairan Bansos Juni</a></h3>')
    assert [link.title for link in card.related_links] == ["Jadwal Pencairan Bansos Juni"]
    assert "Jadwal Pencairan" not in card.body


def test_an_html_page_saved_as_text_is_read_as_html() -> None:
    """A scraper that saved the page itself as .txt (or in a record's text field): the markup is
    not body text, and the page's title and paragraphs are found as for an .html file."""
    page = (REPO / "tests/golden/corpus/34_detik.html").read_bytes()
    as_text = clean_document(page, "p.txt", CleanOptions("r", "v"), kind="text")
    as_html = clean_document(page, "p.txt", CleanOptions("r", "v"), kind="html")
    assert isinstance(as_text, Article) and isinstance(as_html, Article)
    assert as_text.body == as_html.body and "<" not in as_text.body
    assert as_text.title == as_html.title == "Kebakaran Gudang di Tangerang, 12 Unit Damkar Dikerahkan"
    fragment = "<b>Jakarta</b> - Harga cabai naik tajam di pasar tradisional pada pekan ini, kata pedagang."
    kept = clean_document(f"Judul Berita Hari Ini\n{fragment}".encode(), "t.txt", CleanOptions("r", "v"))
    assert isinstance(kept, Article) and kept.body.startswith("Harga cabai")  # not a page: its tags are dropped
    assert kept.dateline_city == "Jakarta"


def test_an_embedded_post_is_not_article_text() -> None:
    article = _html_article("")
    assert "cair hari ini" not in article.body and "Kemensos" not in article.body
    assert article.body.endswith("kata pejabat kementerian itu.")


def test_a_crawler_stamp_a_bar_dateline_and_doubled_captions() -> None:
    """Scraped text as crawlers save it: the crawl date glued before the title, a dateline with a bar, a photo's
    alt text and then its caption with a credit; the lines doubled are a caption, the stamp the date."""
    doc = "\n".join(
        [
            " date 2025-03-04 Warga Bantaran Kali Mulai Kembali ke Rumah Setelah Banjir Surut",
            "Warga membersihkan lumpur di rumahnya di Bekasi.",
            "Warga membersihkan lumpur di rumahnya di Bekasi. (Foto: Contoh/Budi Santoso)",
            "Contoh.co | Ratusan warga bantaran kali di Bekasi mulai kembali ke rumah mereka pada Selasa pagi.",
            "Petugas dinas sosial membagikan air bersih dan makanan kepada warga yang rumahnya terendam.",
            "Menurut petugas, air sudah surut di sebagian besar kawasan sejak Senin malam, kata dia.",
        ]
    )
    article = clean_document(doc.encode(), "x.txt", OPTIONS)
    assert isinstance(article, Article)
    assert article.title == "Warga Bantaran Kali Mulai Kembali ke Rumah Setelah Banjir Surut"
    assert article.published_at == datetime(2025, 3, 4, tzinfo=UTC)
    assert article.outlet == "contoh.co"
    body = [p.text for p in article.paragraphs if p.kind == "body"]
    assert body[0].startswith("Ratusan warga bantaran kali") and len(body) == 3
    caption = "Warga membersihkan lumpur di rumahnya di Bekasi."
    assert [p.text for p in article.paragraphs if p.kind == "caption"] == [
        caption,
        f"{caption} (Foto: Contoh/Budi Santoso)",
    ]
    assert ("date 2025-03-04", "meta.published") in [(r.text, r.rule) for r in article.removed_lines]


def test_a_page_date_wins_over_the_crawler_stamp() -> None:
    doc = "\n".join(
        [
            "date 2025-03-09 Harga Beras di Pasar Induk Turun Lagi Pekan Ini",
            "Kamis, 6 Maret 2025 10:15 WIB",
            "Jakarta - Harga beras medium di pasar induk turun seribu rupiah per kilogram pada pekan ini.",
            "Pedagang menyebut pasokan dari daerah sentra mulai lancar sejak awal bulan, kata dia.",
        ]
    )
    article = clean_document(doc.encode(), "x.txt", OPTIONS)
    assert isinstance(article, Article)
    assert article.published_at == datetime(2025, 3, 6, 3, 15, tzinfo=UTC)
    assert article.title == "Harga Beras di Pasar Induk Turun Lagi Pekan Ini"
