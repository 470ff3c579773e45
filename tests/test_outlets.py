"""House styles of many outlets (issue 5's kinds): datelines, bylines, editor codes, junk, glue."""

from __future__ import annotations

import pytest

from berita.transforms import parse
from berita.transforms.article import CleanOptions, clean_document
from berita.transforms.records import Article, Quarantined
from berita.transforms.rules import match_line_rule
from berita.transforms.strip import Line

OPTIONS = CleanOptions("t", "t")
BODY = "Harga cabai rawit di pasar tradisional naik tajam menjelang Lebaran, kata pedagang kepada wartawan."
MORE = "Pedagang mengatakan pasokan dari petani berkurang karena hujan deras sepanjang pekan lalu di sentra produksi."


def _lines(*texts: str) -> list[Line]:
    return [Line(i, t) for i, t in enumerate(texts)]


@pytest.mark.parametrize(
    ("first", "outlet", "city"),
    [
        (f"JAKARTA. {BODY}", None, "Jakarta"),
        (f"Jakarta - {BODY}", None, "Jakarta"),
        (f"Surabaya -- {BODY}", None, "Surabaya"),
        (f"Bisnis.com, JAKARTA \u2014 {BODY}", "bisnis.com", "Jakarta"),
        (f"Jakarta, CNBC Indonesia - {BODY}", "cnbcindonesia.com", "Jakarta"),
        # a city in capitals no gazetteer holds; a masthead before a known city; a domain of four parts
        (f"SAMPIT \u2013 {BODY}", None, "Sampit"),
        (f"TIMESINDONESIA, JAKARTA \u2013 {BODY}", None, "Jakarta"),
        (f"D'On, Padang \u2014 {BODY}", None, "Padang"),
        (f"Jakarta, infoPublik - {BODY}", None, "Jakarta"),
        (f"Tribratanews.polri.go.id - Semarang. {BODY}", "polri.go.id", "Semarang"),
        (f"RadarJateng.com, UMKM \u2013 {BODY}", "radarjateng.com", None),  # a desk, not a city
        (f"Balitribune.co.id | Jakarta - {BODY}", "balitribune.co.id", "Jakarta"),
        # regional seats the gazetteer holds, with a masthead in brackets, a bar, or a comma
        (f"Mataram (Suara NTB) \u2013 {BODY}", None, "Mataram"),
        (f"BANDA ACEH | \u2013 {BODY}", None, "Banda Aceh"),
        (f"BANJARMASIN, {BODY}", None, "Banjarmasin"),
        (f"Tanjung Selor \u2013 {BODY}", None, "Tanjung Selor"),
        (f"Lombok Tengah, EDITOR.ID,- {BODY}", "editor.id", "Lombok Tengah"),  # a comma before the dash
        (f"JAKARTA (voa-islam.com), {BODY}", "voa-islam.com", "Jakarta"),  # a comma after the outlet
        (f"Bima, Bimakini.com.- {BODY}", "bimakini.com", "Bima"),
        (f"Jakarta, FORTUNE - {BODY}", None, "Jakarta"),
        (f"Jakarta, Lampungnews com\u2013 {BODY}", None, "Jakarta"),
        (f"SERANG, (KB).- {BODY}", None, "Serang"),
        (f"BNews-MAGELANG- {BODY}", None, "Magelang"),
    ],
)
def test_more_dateline_shapes(first: str, outlet: str | None, city: str) -> None:
    parsed = parse.parse_article(_lines("Harga Cabai Naik Jelang Lebaran", first, MORE))
    assert (parsed.outlet, parsed.dateline_city) == (outlet, city)
    assert parsed.paragraphs[0].text == BODY


def test_a_dateline_alone_on_its_line() -> None:
    parsed = parse.parse_article(_lines("Harga Cabai Naik Jelang Lebaran", "TEGAL, KOMPAS.com -", BODY, MORE))
    assert (parsed.outlet, parsed.dateline_city) == ("kompas.com", "Tegal")
    assert [p.text for p in parsed.paragraphs] == [BODY, MORE]


def test_unknown_capitalised_words_are_not_a_bare_dateline() -> None:
    parsed = parse.parse_article(_lines("Judul Berita Hari Ini", f"Korea Utara - Amerika Serikat {BODY}"))
    assert parsed.dateline_city is None
    for head in ("KPK \u2013", "BMKG -", "SARASEHAN:", "TANGSELXPRESS \u2013"):  # acronyms, labels, mastheads
        assert parse.parse_article(_lines("Judul Berita Hari Ini", f"{head} {BODY}")).dateline_city is None, head


def test_the_date_line_under_the_outlet_s_name_is_no_dateline() -> None:
    parsed = parse.parse_article(
        _lines("Harga Cabai Naik Jelang Lebaran", "Terasjakarta.id - Jumat, 2 Juni 2023 | 21:15 WIB",
               f"JAKARTA, TERASJAKARTA.ID - {BODY}", MORE)
    )  # fmt: skip
    assert (parsed.outlet, parsed.dateline_city, parsed.published is not None) == (
        "terasjakarta.id",
        "Jakarta",
        True,
    )


def test_a_headline_ending_in_a_question_mark_is_the_title_and_a_credited_line_a_caption() -> None:
    title = "Galaxy Fold Laris Manis, Samsung Bakal Buka Pre-Order Tahap 2?"
    caption = "Samsung Galaxy Fold dalam posisi terbuka. Foto: Jofie Yordan/kumparan"
    parsed = parse.parse_article(_lines(title, "13 Desember 2019 20:52 WIB", BODY, caption, MORE))
    assert parsed.title == title
    assert [(p.kind, p.text) for p in parsed.paragraphs] == [("body", BODY), ("caption", caption), ("body", MORE)]


@pytest.mark.parametrize(
    ("lines", "authors"),
    [
        (["Budi Santoso - detikNews"], ["Budi Santoso"]),
        (["Irwan Febri Rialdi | BolaTimes.com"], ["Irwan Febri Rialdi"]),
        (["Reporter", "Budi Santoso", "Editor", "Rina Wati"], ["Budi Santoso"]),
        (["Pewarta: Ani Lestari"], ["Ani Lestari"]),
        (["Redaktur & Reporter : Dewi Sartika"], ["Dewi Sartika"]),
        (["Penulis: Budi Santoso | Editor: Rina"], ["Budi Santoso"]),
    ],
)
def test_bylines(lines: list[str], authors: list[str]) -> None:
    parsed = parse.parse_article(_lines("Harga Cabai Naik Jelang Lebaran", *lines, f"Jakarta - {BODY}", MORE))
    assert parsed.authors == authors
    assert [p.text for p in parsed.paragraphs] == [BODY, MORE]


@pytest.mark.parametrize(
    ("last", "kept", "wire"),
    [
        (
            "Harga diperkirakan turun pekan depan, kata dia.(OL-11)",
            "Harga diperkirakan turun pekan depan, kata dia.",
            None,
        ),
        ("Harga diperkirakan turun pekan depan. (ant/jpnn)", "Harga diperkirakan turun pekan depan.", "Antara"),
    ],
)
def test_editor_codes_glued_to_the_last_sentence(last: str, kept: str, wire: str | None) -> None:
    parsed = parse.parse_article(_lines("Harga Cabai Naik Jelang Lebaran", f"Jakarta - {BODY}", last))
    assert parsed.paragraphs[-1].text == kept
    assert parsed.wire_source == wire
    assert "truncated" not in parsed.flags


def test_glued_paragraphs_are_split() -> None:
    parsed = parse.parse_article(_lines("Judul Berita Hari Ini", f'Jakarta - {BODY}"Kami siap," kata dia.{MORE}'))
    assert [p.text for p in parsed.paragraphs] == [BODY, '"Kami siap," kata dia.', MORE]


@pytest.mark.parametrize(
    "line",
    [
        "ADVERTISEMENT", "SCROLL TO CONTINUE WITH CONTENT", "BACA JUGA", "Baca Juga :", "Baca juga:",
        "Simak Video 'Jokowi Tinjau Banjir di Semarang'", "[Gambas:Video CNN]", "Halaman: 12Lihat Semua",
        "2 dari 4 halaman", "Cek Berita dan Artikel yang lain di Google News",
        'Artikel ini telah tayang di Kompas.com dengan judul "Banjir Rendam Tegal".',
        "Komentar yang tidak sesuai dengan etika dan melanggar UU ITE akan dihapus.", "COPYRIGHT \u00a9 ANTARA 2023",
        "Home > News > Nasional", "Beranda / Berita / Politik", "Terpopuler", "Artikel Terkait",
        "Rekomendasi untuk anda", "(nvc/ita)", "Bagikan artikel ini",
    ],
)  # fmt: skip
def test_junk_of_many_outlets_is_removed(line: str) -> None:
    assert match_line_rule(line) is not None, line


def test_an_index_page_is_quarantined() -> None:
    headlines = [f"Berita Utama Nomor {i} Hari Ini di Jakarta" for i in range(8)]
    result = clean_document("\n\n".join(["Indeks Berita", *headlines]).encode(), "index.txt", OPTIONS)
    assert isinstance(result, Quarantined) and "index page" in result.reason


def test_a_non_indonesian_article_is_kept_and_flagged() -> None:
    english = " ".join(["The government announced a new policy to support farmers affected by the long drought."] * 4)
    doc = f"Government Announces Drought Relief\n\nJakarta - {english}\n\n{english}\n"
    result = clean_document(doc.encode(), "en.txt", OPTIONS)
    assert isinstance(result, Article)
    assert result.language == "en" and "not_indonesian" in result.flags


def test_the_article_s_dated_time_wins_over_the_page_s_date_of_the_day() -> None:
    parsed = parse.parse_article(
        _lines("Kamis, 5 November 2015", "Harga Cabai Naik Jelang Lebaran", "Kamis, 5 November 2015 14:56 WIB",
               f"Mataram, NTB (ANTARA News) - {BODY}", MORE)
    )  # fmt: skip
    assert parsed.published is not None and parsed.published.has_time
    assert (parsed.outlet, parsed.dateline_city) == ("antaranews.com", "Mataram")
    assert [r.rule for r in parsed.removed if r.line_no == 0] == ["meta.header"]


def test_what_a_page_hides_is_not_read() -> None:
    from berita.transforms.linemodel import shipped_model

    hidden = "harga cabai naik, pasar induk, lebaran, berita terkini, berita indonesia, portal berita"
    page = (
        "<html><head><title>Harga Cabai Naik Jelang Lebaran</title></head><body>"
        "<h1>Harga Cabai Naik Jelang Lebaran</h1>"
        f"<div style='display: none'>{hidden}</div><p hidden>Iklan tersembunyi di sini</p>"
        f"<p>Jakarta - {BODY}</p><p>{MORE}</p><p>{BODY.replace('cabai', 'bawang')}</p></body></html>"
    )
    options = CleanOptions("t", "t", detect_language=False, line_model=shipped_model())
    article = clean_document(page.encode(), "page.html", options, kind="html")
    assert isinstance(article, Article), article
    assert article.lede is None and not any(
        "tersembunyi" in r.text or "portal" in r.text for r in article.removed_lines
    )


def test_a_crawler_stamp_of_a_month_leaves_the_dateline_readable() -> None:
    parsed = parse.parse_article(_lines(f"date 2020-03 JAKARTA - {BODY}", MORE))
    assert (parsed.dateline_city, parsed.paragraphs[0].text) == ("Jakarta", BODY)


def test_a_site_s_greeting_banner_is_not_the_title() -> None:
    parsed = parse.parse_article(
        _lines("SELAMAT DATANG DI WEBSITE JURUSAN ILMU KOMUNIKASI", "Kamis, 07 Juni 2018",
               "CUACA BURUK MENJADIKAN NELAYAN BERHENTI MELAUT", f"Kendari - {BODY}", MORE)
    )  # fmt: skip
    assert parsed.title == "CUACA BURUK MENJADIKAN NELAYAN BERHENTI MELAUT"


def test_menus_prompts_and_marks_are_never_the_title() -> None:
    for furniture in ("Home | Redaksi | Advertisement | Kirim Naskah", "Aktifkan Notifikasimu", "2. \u00bb"):
        parsed = parse.parse_article(_lines(furniture, f"Jakarta - {BODY}", MORE))
        assert parsed.title is None, (furniture, parsed.title)


def test_a_breadcrumb_before_the_headline_is_not_the_title_s() -> None:
    title = "Polda Sultra Bongkar Peredaran 1 Kg Sabu di Kendari, Tersangka Residivis"
    parsed = parse.parse_article(_lines(f"Home / News / {title}", f"Kendari - {BODY}", MORE))
    assert parsed.title == title


def test_a_hard_wrapped_page_is_rejoined_before_it_is_judged() -> None:
    """A fixed-width copy cuts every paragraph near one width: the line model took its lines for furniture."""
    import textwrap

    from berita.transforms.linemodel import shipped_model

    said = [
        "Panitia menyiapkan tiga puluh enam ruang ujian dan sembilan ratus unit komputer bagi peserta tahun ini.",
        "Jika terjadi kendala pada komputer, peserta akan langsung mendapatkan komputer pengganti dari panitia.",
        "Peserta diminta datang satu jam sebelum ujian dimulai dan membawa kartu tanda peserta yang sudah dicetak.",
        "Ujian hanya digelar dalam satu gelombang yang berlangsung selama sebelas hari dan terbagi atas dua sesi.",
    ]
    paragraphs = [f"{BODY} {said[0]}", f"{MORE} {said[1]}", f"{said[2]} {said[3]}", f"{said[1]} {said[2]} {MORE}"]
    text = "Peserta Ujian Masuk Kampus Membludak\nBandar Lampung - " + "\n".join(
        textwrap.fill(p, 78) for p in paragraphs
    )
    options = CleanOptions("t", "t", detect_language=False, line_model=shipped_model())
    article = clean_document(text.encode(), "wrapped.txt", options)
    assert isinstance(article, Article), article
    assert [p.text for p in article.paragraphs if p.kind == "body"] == paragraphs
