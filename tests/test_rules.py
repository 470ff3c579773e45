"""Every rule in the table fires on its example and not on its near-miss body sentence."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from berita.transforms.rules import (
    ANY_LONG_LINE_RULE,
    CATEGORIES,
    LINE_RULES,
    RULES,
    match_line_rule,
    rule_table_markdown,
)
from berita.transforms.strip import strip_boilerplate


@pytest.mark.parametrize("rule", LINE_RULES, ids=[r.id for r in LINE_RULES])
def test_line_rule_fires_on_its_example(rule) -> None:
    hit = match_line_rule(rule.example)
    assert hit is not None and hit[0].id == rule.id


@pytest.mark.parametrize("rule", [r for r in RULES if r.near_miss], ids=[r.id for r in RULES if r.near_miss])
def test_rule_spares_its_near_miss(rule) -> None:
    """The near-miss is a body sentence: no rule at all may remove it, alone or after a header."""
    assert match_line_rule(rule.near_miss) is None
    kept = strip_boilerplate(["Berita Terkait", rule.near_miss]).kept
    assert [line.text for line in kept] == [rule.near_miss]


def test_rule_ids_read_as_category_dot_name() -> None:
    for rule in RULES:
        assert rule.category in CATEGORIES
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", rule.id)
        assert rule.id.split(".")[0] in (rule.category, "meta") or rule.category == "metadata"
        assert rule.why
    assert len({r.id for r in RULES}) == len(RULES)


def test_related_block_example_is_taken_whole() -> None:
    rule = next(r for r in RULES if r.id == "related.block")
    stripped = strip_boilerplate(rule.example.split("\n"))
    assert stripped.kept == []
    assert [(link.title, link.age_raw) for link in stripped.related] == [
        ("Mengenal Stasiun Luar Angkasa Internasional atau ISS", "3 hari lalu")
    ]


def test_bare_baca_juga_takes_a_following_headline_as_a_link() -> None:
    stripped = strip_boilerplate(
        ["BACA JUGA", "Harga Cabai Naik Jelang Lebaran", "Pasar ramai sejak pagi, kata pedagang."]
    )
    assert [link.title for link in stripped.related] == ["Harga Cabai Naik Jelang Lebaran"]
    assert [line.text for line in stripped.kept] == ["Pasar ramai sejak pagi, kata pedagang."]


def test_bare_baca_juga_leaves_a_following_sentence_in_the_body() -> None:
    """Seed 002: the line after a bare 'Baca Juga' is body text and must stay."""
    sentence = "Lavrov mengadakan diskusi langka dengan Korea Utara di Moskow pada April lalu dalam upaya itu."
    stripped = strip_boilerplate(["Baca Juga", sentence])
    assert [line.text for line in stripped.kept] == [sentence]
    assert stripped.related == []


@pytest.mark.parametrize(
    "line",
    [
        "Iklan itu dipasang di sepanjang jalan protokol sejak pekan lalu.",
        "Video yang beredar di media sosial memperlihatkan antrean panjang warga.",
        "Halaman depan gedung itu rusak parah akibat banjir.",
        "Baca selengkapnya laporan itu di situs resmi kementerian, ujar dia.",
        "Bacaan doa itu dilantunkan bersama oleh ratusan jemaah.",
        "Cek email Anda secara berkala untuk melihat pengumuman hasil seleksi, kata panitia.",
        "Cek WhatsApp Anda sebelum mentransfer uang, ujar Kapolres kepada wartawan.",
        "Ikuti perkembangan kasus ini, kata polisi, karena pelaku masih buron di Jakarta.",
        "Jangan lupa membawa KTP saat datang ke kantor kelurahan untuk mengurus dokumen.",
        "Jangan lewatkan kesempatan ini, kata dia, karena kuota terbatas dan pendaftaran ditutup besok.",
    ],
)
def test_body_sentences_that_mention_junk_words_stay(line: str) -> None:
    assert match_line_rule(line) is None


@pytest.mark.parametrize(
    ("line", "rule_id"),
    [
        ("Ikuti perkembangan berita terbaru di kumparan", "promo.outlet_updates"),
        ("Temukan berita terkini dan terlengkap hanya di CNN Indonesia", "promo.outlet_updates"),
        ("Jangan lewatkan berita terbaru, ikuti saluran WhatsApp kami", "promo.call_to_action"),
        ("Jangan lupa follow Instagram kami @tribunnews", "promo.call_to_action"),
        ("Klik di sini untuk berlangganan", "promo.click_here"),
        ("(Video: 20detik)", "video.embed"),
        ("Topik Pilihan", "related.header"),
        ("Berita Rekomendasi", "related.header"),
        ("Konten ini telah tayang di Kompas.com", "copyright.syndication"),
        ("Halaman 1 2 3 Selanjutnya", "pagination.page_of"),
        ("Komentar (0)", "comment.notice"),
        ("Baca Selengkapnya", "ui.widget_word"),
        ("Berlangganan", "ui.widget_word"),
    ],
)
def test_outlet_lines_of_known_kinds_are_removed(line: str, rule_id: str) -> None:
    """Variants of the table's kinds as outlets print them, beyond each rule's one example."""
    hit = match_line_rule(line)
    assert hit is not None and hit[0].id == rule_id


@pytest.mark.parametrize("rule", LINE_RULES, ids=[r.id for r in LINE_RULES])
def test_no_rule_backtracks_on_long_adversarial_lines(rule) -> None:
    """Lines just under the length cap, built from the rule's own vocabulary, match in bounded time."""
    assert rule.pattern is not None
    probes = [
        ("a " * 999)[:1999],
        ("baca juga " * 200)[:1999],
        ("* follow whatsapp " * 120)[:1999],
        ("komentar " * 222)[:1999],
        ("-" * 1999),
        ("(" * 1999),
        ("1 dari " * 285)[:1999],
        (rule.example + " ") * (1999 // (len(rule.example) + 1)),
    ]
    for probe in probes:
        start = time.perf_counter()
        rule.pattern.fullmatch(probe)
        assert time.perf_counter() - start < 0.05, (rule.id, probe[:40])


def test_rule_table_renders_every_rule() -> None:
    table = rule_table_markdown()
    for rule in RULES:
        assert f"`{rule.id}`" in table


def test_tag_list_goes_and_a_sentence_after_it_stays() -> None:
    rule = next(r for r in RULES if r.id == "ui.tag")
    assert strip_boilerplate(rule.example.split("\n")).kept == []
    body = "Tag nama itu ditulis dengan cat merah di dinding gedung sekolah."
    stripped = strip_boilerplate(["Tags", "Bandung", "# harga cabai", body])
    assert [line.text for line in stripped.kept] == [body]
    assert [r.rule for r in stripped.removed] == ["ui.tags_header", "ui.tag", "ui.tag"]


def test_next_page_teaser_goes_only_when_unfinished_and_last() -> None:
    rule = next(r for r in RULES if r.id == "pagination.teaser")
    stripped = strip_boilerplate(rule.example.split("\n"))
    assert stripped.kept == [] and stripped.removed[-1].rule == "pagination.teaser"
    finished = "Gubernur bank sentral itu mengatakan laju inflasi terkendali."
    assert [x.text for x in strip_boilerplate(["Halaman Selanjutnya", finished]).kept] == [finished]
    unfinished = "Gubernur bank sentral itu mengatakan, laju inflasi"
    kept = strip_boilerplate(["Halaman Selanjutnya", unfinished, finished]).kept
    assert [x.text for x in kept] == [unfinished, finished], "only the last line can be the next page's start"


@pytest.mark.parametrize("rule", [r for r in LINE_RULES if r.needs], ids=lambda r: r.id)
def test_a_gated_rule_names_a_word_its_example_holds(rule) -> None:
    """A rule with ``needs`` is tried only on lines holding one of those words: its example must
    hold one, and the example must still be removed through the gate."""
    for line in rule.example.split("\n\n"):
        assert any(word in line.lower() for word in rule.needs)
    assert match_line_rule(rule.example.split("\n\n")[0])[0].id == rule.id


def _golden_lines() -> list[str]:
    golden = Path(__file__).parent / "golden" / "corpus_src"
    lines = [line[2:] for p in sorted(golden.glob("*.txt")) for line in p.read_text(encoding="utf-8").split("\n")[1:]]
    return [line for line in lines if line]


def test_the_one_call_test_finds_exactly_what_trying_every_rule_finds() -> None:
    """The combined test (gates, shared openers, long-line subset) only skips work: on every
    example, near-miss and labelled corpus line it gives the rule that trying each rule gives."""
    lines = [part for r in RULES for text in (r.example, r.near_miss) for part in text.split("\n\n") if part]
    for line in lines + _golden_lines():
        brute = next((rule.id for rule in LINE_RULES if rule.pattern.fullmatch(line)), None)  # type: ignore[union-attr]
        hit = match_line_rule(line)
        assert (hit[0].id if hit else None) == brute, line


@pytest.mark.parametrize("rule", [r for r in LINE_RULES if r.max_len], ids=lambda r: r.id)
def test_a_rule_for_short_lines_never_matches_a_longer_one(rule) -> None:
    """``max_len`` keeps a rule out of the one-call test for long lines: its own pattern must
    refuse them too, or the two would disagree."""
    assert rule.pattern.pattern.startswith(f"(?=.{{0,{rule.max_len}}}$)")  # built by _short_line
    assert rule.pattern.fullmatch(rule.example) is not None
    assert rule not in _rules_in(ANY_LONG_LINE_RULE)


def _rules_in(combined: re.Pattern[str]) -> list:
    """The rules whose pattern is part of a one-call test."""
    return [r for r in LINE_RULES if r.pattern is not None and r.pattern.pattern[:60] in combined.pattern]


def test_an_ad_label_glued_into_a_paragraph_is_cut_out_and_both_halves_kept() -> None:
    rule = next(r for r in RULES if r.id == "ad.inline")
    stripped = strip_boilerplate(
        [rule.example, "Kata dia.Advertisement", "ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT"]
    )
    assert [line.text for line in stripped.kept] == [
        "Pasokan berkurang.",
        "Pemerintah berjanji menggelar operasi pasar.",
        "Kata dia.",
    ]
    assert [(r.line_no, r.rule) for r in stripped.removed] == [(0, "ad.inline"), (1, "ad.inline"), (2, "ad.marker")]
    word = "Iklan itu dipasang oleh Advertisement Standards Council, kata dia."  # a name, mid-sentence
    assert [line.text for line in strip_boilerplate([word]).kept] == [word]


def test_a_read_also_link_glued_to_a_paragraphs_end_is_cut_off_into_related_links() -> None:
    rule = next(r for r in RULES if r.id == "related.inline")
    stripped = strip_boilerplate([rule.example, "Dia berkata. (Baca juga: Operasi Pasar Digelar)"])
    assert [line.text for line in stripped.kept] == ["Harga cabai naik tajam pekan ini, kata pedagang.", "Dia berkata."]
    assert [link.title for link in stripped.related] == ["Harga Bawang Merah Ikut Naik", "Operasi Pasar Digelar"]
    quoted = 'Pedagang mengaku, "Baca juga: itu judul rubrik kami," katanya sambil tertawa.'
    assert [line.text for line in strip_boilerplate([quoted]).kept] == [quoted]
