"""Split a document's kept lines into article metadata and typed paragraphs."""

from __future__ import annotations

import collections
import itertools
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from berita.transforms import chardata, dates, shapes
from berita.transforms.records import Flag, Paragraph, ParagraphKind, RemovedLine
from berita.transforms.rules import RULES_BY_ID
from berita.transforms.strip import Line

if TYPE_CHECKING:
    import tldextract

# The first paragraph (and so the end of the header) is looked for among this many lines.
HEADER_SEARCH = 12
# A weekday-anchored date this many days after the publication date means the date is wrong.
DATE_SLACK = timedelta(days=7)

_WIRE_WORDS = frozenset({"sumber", "source"})
WIRE_LINE = re.compile(r"(?:sumber|source)\s*:\s*(?P<source>[^|:]{2,60})", re.IGNORECASE)
BYLINE_FIELD = re.compile(
    r"(?P<role>(?:penulis|reporter|pewarta|wartawan|kontributor|oleh|writer|author|by|editor|redaktur|penyunting|"
    r"fotografer|foto|videografer|rep|red)(?:\s*&\s*\w+)?)\s*:?\s+(?P<names>[^|:/]{2,80})",
    re.IGNORECASE,
)
# Names in a byline: capitalised words (initials allowed), separated by commas, "dan" or "&".
_NAME = r"[A-Z][\w.'\-]*(?: [A-Z][\w.'\-]*){0,4}"
NAMES = re.compile(rf"{_NAME}(?:\s*(?:,|&|\bdan\b)\s*{_NAME}){{0,5}}")
NAME_SEPARATORS = re.compile(r",|\bdan\b|&")
WRITER_ROLES = frozenset(
    {"penulis", "reporter", "pewarta", "wartawan", "kontributor", "oleh", "writer", "author", "by", "rep"}
)
# Fields of one byline line: "Penulis: X | Editor: Y", and Republika's "Rep: X/ Red: Y".
BYLINE_SPLIT = re.compile(r"\s*\|\s*|\s*/\s*(?=(?:red|editor|redaktur|foto)\b)", re.IGNORECASE)
_TAIL = 60  # end marks and editor codes are short: look for them in a line's last characters only
END_MARKER = re.compile(r"\s*(?:\*{3,}|\(\*{3,}\)|#{3,}|\u25a0|\u25aa)\s*$")
_END_MARK_CHARS = frozenset("*)#\u25a0\u25aa")  # the last character of every END_MARKER


@dataclass
class Parsed:
    title: str | None = None
    lede: str | None = None
    published: dates.FoundDate | None = None
    modified: dates.FoundDate | None = None
    section: str | None = None
    outlet: str | None = None
    dateline_city: str | None = None
    authors: list[str] = field(default_factory=list)
    wire_source: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    removed: list[RemovedLine] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    pending_role: str | None = None  # a byline label ("Reporter") waiting for its name line
    signature_outlet: str | None = None  # outlet named by a desk signature ("detikNews")
    published_above_title: bool = False  # the date was taken before any title (a sidebar's, a date bar's)

    def lift(self, line: Line, rule_id: str, text: str | None = None) -> None:
        """Record that a line (or fragment) went into a metadata column."""
        rule = RULES_BY_ID[rule_id]
        self.removed.append(RemovedLine(line.no, line.text if text is None else text, rule.id, rule.category))

    def add(self, line: Line, kind: ParagraphKind, text: str | None = None) -> None:
        self.paragraphs.append(Paragraph(len(self.paragraphs), kind, line.text if text is None else text, line.no))


@lru_cache(maxsize=1)
def _domain_extractor() -> tldextract.TLDExtract:
    import tldextract

    # The bundled Public Suffix List snapshot only: never fetch a fresh one at run time.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


# Outlet tokens come from a small vocabulary (datelines, mastheads, desks) and the lookup behind
# them is slow (tldextract), so answers are cached; the cache is bounded, and the function pure.
@lru_cache(maxsize=2048)
def registered_domain(token: str) -> str | None:
    """The registered domain of an outlet token from a dateline or URL, lower-cased.

    >>> registered_domain("TEMPO.CO"), registered_domain("news.detik.com"), registered_domain("CNN Indonesia")
    ('tempo.co', 'detik.com', 'cnnindonesia.com')
    """
    brand = chardata.OUTLET_BRANDS.get(token.lower().strip())
    if brand:
        return brand
    domain = _domain_extractor()(token).top_domain_under_public_suffix
    return domain.lower() or None


def outlet_signature(text: str) -> str | None:
    """The outlet named by a brand-and-desk signature line: "kumparanNEWS", "detikFinance".

    >>> outlet_signature("kumparanNEWS"), outlet_signature("detikFinance"), outlet_signature("Berita")
    ('kumparan.com', 'detik.com', None)
    >>> outlet_signature("Okezone Bola"), outlet_signature("Katadata.co.id"), outlet_signature("Rp.5.000")
    ('okezone.com', 'katadata.co.id', None)
    """
    word = text.strip().lower()
    if word in chardata.OUTLET_BRANDS:  # "IDN Times", "Pars Today" on a line of their own
        return chardata.OUTLET_BRANDS[word]
    if chardata.DOMAIN_LINE.fullmatch(word):  # a masthead: "Katadata.co.id", "Merdeka.com"
        return registered_domain(word)
    brand, _, desk = word.rpartition(" ")
    if brand in chardata.OUTLET_BRANDS and desk in chardata.DESK_SUFFIXES:  # "Okezone Bola"
        return chardata.OUTLET_BRANDS[brand]
    if " " in word or not word.isalpha():
        return None
    for suffix in ("", *chardata.DESK_SUFFIXES):
        brand = word.removesuffix(suffix) if suffix else word
        if brand != word or not suffix:
            found = chardata.OUTLET_BRANDS.get(brand)
            if found:
                return found
    return None


def site_outlet(name: str) -> str | None:
    """The outlet an HTML page's site name (og:site_name, the JSON-LD publisher) stands for: a domain, a
    brand and desk, or a brand and a word ("Republika Online").

    >>> site_outlet("Kompas.com"), site_outlet("detikNews"), site_outlet("Republika Online"), site_outlet("Berita")
    ('kompas.com', 'detik.com', 'republika.co.id', None)
    """
    first = name.split()[0].lower() if name.split() else ""
    return outlet_signature(name) or chardata.OUTLET_BRANDS.get(first)


# An outlet's promo names the outlet, but also the platforms it promotes itself on.
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_PROMO_OUTLET = re.compile(rf"\b{chardata.OUTLET_TOKEN}\b")
PLATFORM_DOMAINS = frozenset(
    {"whatsapp.com", "t.me", "telegram.org", "google.com", "youtube.com", "instagram.com", "tiktok.com",
     "facebook.com", "twitter.com", "x.com", "apple.com", "line.me", "wa.me"}
)  # fmt: skip


def outlet_from_promos(removed: list[RemovedLine]) -> str | None:
    """The one outlet that the page's own promo lines name ("Follow Berita Okezone di Google
    News"), or None when they name none or several. Platforms and URLs do not count.

    >>> promo = RemovedLine(9, "Follow Berita Okezone di Google News", "promo.call_to_action", "promo")
    >>> outlet_from_promos([promo])
    'okezone.com'
    >>> wa = RemovedLine(9, "Ikuti WhatsApp Channel https://whatsapp.com/channel/1", "promo.call_to_action", "promo")
    >>> outlet_from_promos([wa]) is None
    True
    """
    found: set[str] = set()
    for line in removed:
        if line.category != "promo":
            continue
        for token in _PROMO_OUTLET.findall(_URL.sub(" ", line.text)):
            domain = registered_domain(token)
            if domain and domain not in PLATFORM_DOMAINS:
                found.add(domain)
    return found.pop() if len(found) == 1 else None


def _normalize_city(city: str) -> str:
    return city.title() if city.isupper() else city


@dataclass(frozen=True)
class Dateline:
    prefix: str
    outlet: str | None
    city: str | None


_DATELINE_REACH = 120
_COLON_REACH = 30  # "Bandar Lampung: " and the like: the colon comes right after the city


def find_dateline(text: str) -> Dateline | None:
    """A dateline at the start of a paragraph, when running text follows it.

    >>> find_dateline("Liputan6.com, Moskow - Menteri Luar Negeri Korea Utara melakukan kunjungan kerja.")
    Dateline(prefix='Liputan6.com, Moskow - ', outlet='liputan6.com', city='Moskow')
    >>> find_dateline("REPUBLIKA.CO.ID, JAKARTA -- Pemerintah menyiapkan anggaran tambahan tahun ini.").city
    'Jakarta'
    >>> find_dateline("Jakarta: Pemerintah mempercepat penyaluran bantuan pangan beras.").city
    'Jakarta'
    >>> find_dateline("Catatan: Pemerintah mempercepat penyaluran bantuan pangan beras.") is None
    True
    >>> [find_dateline(f"{head} Polisi menangkap dua orang di Bekasi.") for head in ("jpnn.com - JAKARTA -",
    ...  "WahanaNews.co |", "BANDUNG, CEKLISSATU -", "Jayapura, Jubi –", "Kabar Ngetren/Purbalingga –")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [Dateline(prefix='jpnn.com - JAKARTA - ', outlet='jpnn.com', city='Jakarta'),
     Dateline(prefix='WahanaNews.co | ', outlet='wahananews.co', city=None),
     Dateline(prefix='BANDUNG, CEKLISSATU - ', outlet=None, city='Bandung'),
     Dateline(prefix='Jayapura, Jubi – ', outlet=None, city='Jayapura'),
     Dateline(prefix='Kabar Ngetren/Purbalingga – ', outlet=None, city='Purbalingga')]
    """
    # Every dateline ends in a dash, a full stop (kontan) or a colon (medcom) near the line's start.
    head = text[:_DATELINE_REACH]
    colon = ":" in text[:_COLON_REACH]
    patterns: tuple[re.Pattern[str], ...]
    if "-" in head or "." in head or "\u2013" in head or "\u2014" in head or "|" in head or "," in text[:_COLON_REACH]:
        patterns = chardata.DATELINES if colon else chardata.DATELINES[:-1]
    elif colon:
        patterns = (chardata.COLON_DATELINE,)
    else:
        return None
    for pattern in patterns:
        match = pattern.match(text)
        if match is None or shapes.word_count(text[match.end() :]) < 5:
            continue
        if dates.date_line(text[match.end() :]) is not None:  # "Terasjakarta.id - Jumat, 2 Juni 2023 | 21:15 WIB"
            return None  # the date line, under the outlet's name: no running text follows
        groups = match.groupdict()
        if groups.get("slashed") and chardata.CREDIT_WORDS.match(groups["slashed"]):
            continue  # "Foto/Istimewa - ...": a photo's credit, not a masthead
        if not groups.get("outlet") and not groups.get("slashed") and not _listed_or_caps_place(groups, match):
            continue
        outlet = registered_domain(groups["outlet"]) if groups.get("outlet") else None
        if groups.get("outlet") and outlet is None:
            continue  # "Kata.Dia - ..." is not an outlet
        city = groups.get("city")
        if city and not (is_known_city(city) or _place_like(city)):  # "RadarJateng.com, UMKM – ": a desk, no city
            city = None
        return Dateline(match.group(0), outlet, _normalize_city(city) if city else None)
    return None


_VOWELS = frozenset("AEIOUaeiou")
_DASHES = frozenset("-\u2013\u2014")


def _place_like(name: str) -> bool:
    """Whether a dateline's city reads as a place name, not an acronym ("UMKM", "BPBD" have one vowel or none).

    >>> _place_like("SAMPIT"), _place_like("UMKM"), _place_like("Bandar Lampung")
    (True, False, True)
    """
    return sum(c in _VOWELS for c in name) >= 2


def _listed_or_caps_place(groups: dict[str, str | None], match: re.Match[str]) -> bool:
    """An outlet-less dateline's city: one the gazetteer holds, or one in capitals that it does not, before a dash
    and with no masthead ("SAMPIT – "; not "SARASEHAN: ", and not "KPK – ")."""
    city = groups["city"] or ""
    if is_known_city(city):
        return True
    if groups.get("masthead") or groups.get("known_only"):
        return False
    return _caps_place(city) and bool(_DASHES & set(match.group(0)))


# How a masthead in capitals ends ("TANGSELXPRESS – ", "KALTIMPOST – "): an outlet's name, not a city.
_MEDIA_ENDS = ("NEWS", "POS", "POST", "TIMES", "PRESS", "XPRESS", "ONLINE", "TV", "FM", "MEDIA", "DAILY", "TODAY",
               "CHANNEL", "ZONE", "NET", "KINI", "TERKINI", "INDONESIA")  # fmt: skip


def _caps_place(name: str) -> bool:
    """A city no gazetteer holds, printed as datelines print cities: one or two words in capitals, of four letters
    or more, that read as a place ("SAMPIT –", "TANJUNG SELOR –"; "KPK –", "BMKG –" and "TANGSELXPRESS –" do not).

    >>> _caps_place("SAMPIT"), _caps_place("TANGSELXPRESS"), _caps_place("BMKG")
    (True, False, False)
    """
    words = name.split()
    return (
        name.isupper()
        and len(words) <= 2
        and all(len(w) >= 4 for w in words)
        and _place_like(name)
        and not name.endswith(_MEDIA_ENDS)
    )


def is_known_city(city: str) -> bool:
    """Whether a bare dateline city is in the gazetteer (outlet-less datelines need one).

    >>> is_known_city("JAKARTA"), is_known_city("Banda Aceh"), is_known_city("Korea Utara")
    (True, True, False)
    """
    name = city.lower()
    return name in chardata.KNOWN_CITY_PHRASES or (" " not in name and name in chardata.KNOWN_CITIES)


def dateline_alone(text: str) -> Dateline | None:
    """A dateline on a line of its own: "Jakarta -", "TEGAL, KOMPAS.com -".

    >>> dateline_alone("TEGAL, KOMPAS.com -")
    Dateline(prefix='TEGAL, KOMPAS.com -', outlet='kompas.com', city='Tegal')
    >>> dateline_alone("Pematang Siantar, MISTAR.ID").city
    'Pematang Siantar'
    """
    match = chardata.DATELINE_ALONE.match(text)
    if match is None:
        if "," in text and (domain := chardata.DATELINE_ALONE_DOMAIN.match(text)) is not None:
            outlet = registered_domain(domain.group("outlet"))
            return None if outlet is None else Dateline(text, outlet, _normalize_city(domain.group("city")))
        return None
    token = match.group("outlet") or match.group("outlet2")
    outlet = registered_domain(token) if token else None
    if (token and outlet is None) or (not token and not is_known_city(match.group("city"))):
        return None
    return Dateline(text, outlet, _normalize_city(match.group("city")))


def _is_caption(text: str, captions: set[str]) -> bool:
    """Strong caption signals: a photo credit, a gallery bullet, or a repeat of a caption.

    (Cheap character tests first: a bullet is the first character and a credit ends the line in a
    bracket, so most lines cost no regex call.)
    """
    if text[:1] in chardata.CAPTION_BULLETS or text in captions:
        return True
    return text.rstrip(" .")[-1:] in _CLOSING_BRACKETS and shapes.caption_credit(text)


_CLOSING_BRACKETS = frozenset(")]")  # a photo credit's and an editor code's last character


def _caption_text(text: str) -> str:
    return chardata.CAPTION_BULLET.sub("", text)


def _first_paragraph(lines: list[Line], captions: set[str]) -> tuple[int, Dateline | None]:
    """Index of the first body paragraph (a dateline, else the first running-text line)."""
    for i, line in enumerate(lines[:HEADER_SEARCH]):
        dateline = find_dateline(line.text) or dateline_alone(line.text)
        if dateline is not None:
            return i, dateline
    for i, line in enumerate(lines):
        text = line.text
        if (
            shapes.is_sentence_like(text)
            and not _is_caption(text, captions)
            and dates.date_line(text) is None
            and not (text.endswith(_HEADLINE_STOPS) and _title_shaped(line, captions))
        ):
            # past the header's first lines (a page's furniture above it), the first sentence may still open
            # with the dateline ("REPUBLIKA.CO.ID, MEDAN -- Dua hari ..."), or have it on the line above ("Jakarta -")
            if i < HEADER_SEARCH:
                return i, None
            if i > 0 and (alone := dateline_alone(lines[i - 1].text)) is not None:
                return i - 1, alone
            return i, find_dateline(text)
    return len(lines), None


# A headline may end in a question or an exclamation mark ("..., Samsung Bakal Buka Pre-Order Tahap 2?"); in title
# case it is the title, not the first sentence of the body.
_HEADLINE_STOPS = ("?", "!")


def _parse_header(lines: list[Line], out: Parsed, captions: set[str]) -> None:
    """Title, date, section, byline, lede and captions from the lines above the first paragraph."""
    lede: list[str] = []
    found_dates = [dates.date_line(line.text) for line in lines]  # each line dated once
    title_at = _title_index(lines, found_dates, captions)
    for i, line in enumerate(lines):
        text, found = line.text, found_dates[i]
        nxt = lines[i + 1].text if i + 1 < len(lines) else ""
        nxt_is_date = i + 1 < len(lines) and found_dates[i + 1] is not None
        if found is not None:
            _take_date(line, found, out, header=True)
        elif _is_caption(text, captions):
            captions.add(_caption_text(text))
            out.add(line, ParagraphKind.CAPTION, _caption_text(text))
        elif title_at is not None and i < title_at and out.title is None and shapes.is_headline_like(text):
            if _header_caption(text):
                captions.add(text)
                out.add(line, ParagraphKind.CAPTION)
            else:
                out.lift(line, "meta.header")  # a headline above the article's own: a menu's, a widget's
        elif _take_byline(line, out):
            pass
        elif out.title is None and _is_section(text, nxt, out.section, nxt_is_date):
            out.section = text  # a breadcrumb's last, most specific part wins
            out.lift(line, "meta.section")
        elif out.title is None and _may_be_title(text):
            out.title = _BREADCRUMB_PREFIX.sub("", text)
            out.lift(line, "meta.title")
        elif out.title is not None and _bare_byline(text, found_dates, i):
            out.authors.append(text)
            out.lift(line, "meta.byline")
        elif _header_caption(text):
            captions.add(text)
            out.add(line, ParagraphKind.CAPTION)
        elif _is_deck(text, out.title):
            lede.append(text)
            out.lift(line, "meta.lede")
        else:
            out.lift(line, "meta.header")
    out.lede = " ".join(lede) or None


TITLE_MIN_WORDS = 5  # "Afif Farhan - Sepakbola" is a byline, not a headline


def _title_index(lines: list[Line], found_dates: list[dates.FoundDate | None], captions: set[str]) -> int | None:
    """Where the title is when a page has a date line: the last headline of five words or more above it, in
    title case (a page puts its date and byline under its own title; the headlines above are a menu's, a
    widget's, a trending list's; a deck in sentence case may stand between), else the first such headline below
    it. Without a date line, such a headline printed twice. None when there is none (the first headline-like
    line is the title).

    >>> lines = [Line(0, "Jembatan Putus, Warga Berenang ke Sekolah"), Line(1, "Harga Cabai Naik Lagi di Pasar"),
    ...          Line(2, "Pedagang mengeluhkan harga yang naik dua kali lipat"),
    ...          Line(3, "Fino Yurio Kristo - detikInet"), Line(4, "Senin, 8 Januari 2024 09:30 WIB")]
    >>> _title_index(lines, [dates.date_line(line.text) for line in lines], set())
    1
    """
    anchor = next((i for i, found in enumerate(found_dates) if found is not None), None)
    if anchor is None:  # no date line: a headline the page prints twice (its title, and a share box's) is the title
        seen = collections.Counter(line.text for line in lines)  # counted once: a header may be a long menu
        return next((i for i, line in enumerate(lines) if seen[line.text] > 1 and _title_shaped(line, captions)), None)
    for i in range(anchor - 1, -1, -1):  # the last one is wanted: look from the date line up
        if _title_shaped(lines[i], captions):
            return i
    # none above: a page that prints its date above its title ("Kategori", "Media Network", the date, the title)
    return next((i for i in range(anchor + 1, len(lines)) if _title_shaped(lines[i], captions)), None)


# A site's greeting banner above its pages: "SELAMAT DATANG DI WEBSITE ...", "Welcome to ...".
_GREETING = re.compile(r"(?i)^(?:selamat datang|welcome|aktifkan notifikasi|izinkan notifikasi)")


# Two or more of these on a line make it a menu ("Most Popular · Business · Security · ..."), not a headline.
_MENU_MARKS = ("|", "\u00b7", "\u2022", "\u00bb")


def _is_menu(text: str) -> bool:
    return sum(text.count(mark) for mark in _MENU_MARKS) >= 2


def _title_shaped(line: Line, captions: set[str]) -> bool:
    """A headline of five words or more in title case, and no caption, byline, menu or greeting."""
    text = line.text
    words = shapes.word_count(text)
    return (
        words >= TITLE_MIN_WORDS
        and not _is_menu(text)
        and _GREETING.match(text) is None
        and shapes.is_headline_like(text)
        and sum(w[0].islower() for w in text.split()) * 2 < words  # title case, not a deck
        and not _is_caption(text, captions)
        and not _header_caption(text)
        and not _take_byline(line, Parsed())  # a byline, tried on a scratch record (the dearest test)
    )


# A photo's credit in the header: "Foto: ...", "... Foto: Getty Images", a copyright sign, "Kompas.com / Name ..."
# (the outlet and the photographer first), or a capitalised name glued in brackets at the end ("...(Auriga)").
_HEADER_CREDIT = re.compile(
    r"(?i:\b(?:foto|photo|image|gambar|ilustrasi|dok|sumber foto)\s*:)|\u00a9|^\S+\.(?:com|co\.id|id)\s*/\s*[A-Z]"
    r"|(?i:^(?:foto\s+)?ilustrasi\s*[.\-\u2013])"  # "Ilustrasi. (f: ist/mistar)", "Ilustrasi - internet"
    r"|^[A-Z][A-Za-z ]{1,30}/\s?[A-Z]{2,}(?: [A-Z]{2,}){0,3}\s[-\u2013]\s"  # "Bali Tribune/ RAWAT INAP - ..."
    r"|[^\s(]\([A-Z][^()\d]*\)\s*$"
    # a documentation credit: "... antar perguruan tinggi. doc. uny.ac.id", "Dok. Humas Polres"
    r"|(?i:(?:^|[.\s])(?:dok|doc)\.\s*(?=[A-Z\s]))"
    # a public-relations desk's or a platform's credit: "... keterangan pers | Humas Polres Merauke", "[Instagram]",
    # or a photographer's handle in brackets: "... MotoGP Mandalika, 28 September (germax33)"
    r"|(?i:\|\s*humas\b)|(?i:\[(?:instagram|twitter|x|facebook|tiktok|youtube)\]\s*$)"
    r"|\([a-z][a-z0-9_.]*\d[a-z0-9_.]*\)\s*$"
    # who stands where in the picture: "Wagub Gorontalo (kiri) memukul gong ...", "(dua dari kanan)"
    r"|(?i:\((?:[a-z]+ )?(?:dari )?(?:kiri|kanan|tengah)\))"
)


# A breadcrumb printed before the headline on its line: "Home / News / Polda Sultra Bongkar ...".
_BREADCRUMB_PREFIX = re.compile(r"^(?i:home|beranda)\s*[/>\u00bb|]\s*(?:[^/>\u00bb|]{1,25}\s*[/>\u00bb|]\s*){0,3}")


def _may_be_title(text: str) -> bool:
    """A headline-like header line that may be the title when no line of the title's shape was found: three words
    or more, mostly letters, no menu ("Home | Redaksi | Advertisement | ..."), no caption, greeting or prompt.

    >>> [_may_be_title(t) for t in ("Banjir Rendam Ratusan Rumah", "2. \u00bb", "Home | Redaksi | Kirim Naskah")]
    [True, False, False]
    """
    if not shapes.is_headline_like(text) or _is_menu(text) or shapes.word_count(text) < 3:
        return False
    letters = sum(c.isalpha() for c in text)
    return letters * 2 >= len(text.replace(" ", "")) and _GREETING.match(text) is None and not _header_caption(text)


def has_photo_credit(text: str) -> bool:
    """Whether a line carries a photo's credit or says who stands where in the picture: a caption's signs
    (the line model's rejected lines with one are captions, not furniture).

    >>> has_photo_credit("Mantan juara dunia tinju, Nico Thomas (kanan). [Instagram]")
    True
    """
    return _header_caption(text)


def _header_caption(text: str) -> bool:
    """A caption among the header's lines, by its credit.

    >>> _header_caption("Sam Bankman Fried. Foto: Getty Images"), _header_caption("Wisman di Bali (Ichalchem)")
    (True, False)
    >>> _header_caption("Kondisi Tambang di Raja Ampat(Auriga Nusantara)"), _header_caption("Sidang ditunda (4/4)")
    (True, False)
    """
    return shapes.caption_credit(text) or _HEADER_CREDIT.search(text) is not None


DECK_MIN_WORDS = 8


def _is_deck(text: str, title: str | None) -> bool:
    """The deck (lede) under a title reads as running text: a sentence, or a long line mostly of lower-case words.
    Labels, names, widgets and headlines in title case are not a deck.

    >>> _is_deck("Hasil tes kebohongan tersangka akan dijadikan bukti tambahan oleh penyidik.", None)
    True
    >>> _is_deck("Dari Petani hingga Pendidik Bangsa, Begini Pesan Kuat di Wisuda IGI", None)
    False
    >>> _is_deck("Comment (0)", None)
    False
    """
    words = text.split()
    if len(words) < DECK_MIN_WORDS or text == title or text.endswith(":") or "|" in text:
        return False
    if "@" in text or "http" in text or "www." in text:  # a deck names no address: a login notice, a contact line
        return False
    lower = sum(w[0].islower() for w in words) / len(words)
    return (shapes.ends_sentence(text) and lower >= 0.25) or lower >= 0.5


def _is_section(text: str, nxt: str, section: str | None, nxt_is_date: bool) -> bool:
    """A breadcrumb part above the title: a short line before the title or before another part
    (``nxt_is_date``: the next line is a date line).

    >>> _is_section("News", "Indonesia", None, False)
    True
    >>> _is_section("Indonesia", "5 Fakta Gempa yang Guncang Cianjur", "News", False)
    True
    >>> _is_section("Banjir Lagi", "Senin, 8 Januari 2024 09:30 WIB", "Ekonomi", True)  # a short title, then its date
    False
    """
    if shapes.word_count(text) > 3:
        return False
    if _breadcrumb_part(text) and _breadcrumb_part(nxt):
        return True
    return (
        shapes.is_headline_like(nxt)
        and (section is None or shapes.word_count(nxt) > shapes.word_count(text))
        and not nxt_is_date
    )


def _breadcrumb_part(text: str) -> bool:
    """One to three capitalised words with no punctuation: 'News', 'Jawa Tengah'."""
    if not 0 < len(text) <= 30 or not text[0].isupper():
        return False
    return shapes.word_count(text) <= 3 and text.replace(" ", "").isalnum()


_BARE_NAME = re.compile(r"[A-Z][a-z'\-]+\.?(?: [A-Z][a-z'\-]+\.?){1,3}")
# Words of headlines, sections and titles that no writer's name holds.
_NOT_NAME_WORDS = frozenset(
    "harga naik turun lagi ini itu baru hari tahun kasus warga banjir jalan pasar kota desa rumah sakit polisi "
    "presiden menteri gubernur bupati wali kepala ketua dinas bank pemerintah berita video foto update terkini "
    "terbaru live breaking news indonesia nasional internasional ekonomi bisnis olahraga bola tekno politik hukum "
    "daerah regional metro megapolitan opini gaya hidup kesehatan otomotif travel hiburan selebriti sport".split()
)


def _bare_byline(text: str, found_dates: list[dates.FoundDate | None], i: int) -> bool:
    """A writer's name alone on header line ``i``, next to the date line (Sindonews, IDN Times and
    iNews print it so): two to four capitalised words, no verb form, not a known city
    (``found_dates``: each header line's date line, or None).

    >>> _bare_byline("Oktiani Endarwati", [None, dates.date_line("Kamis, 20 Juni 2024 - 10:15 WIB"), None], 2)
    True
    >>> _bare_byline("Banda Aceh", [None, dates.date_line("Kamis, 20 Juni 2024"), None], 2)
    False
    >>> _bare_byline("Oktiani Endarwati", [None, None], 1)
    False
    """
    if _BARE_NAME.fullmatch(text) is None or shapes.has_verb_like_word(text) or is_known_city(text):
        return False
    if any(word.lower().rstrip(".") in _NOT_NAME_WORDS for word in text.split()):
        return False
    return any(0 <= j < len(found_dates) and found_dates[j] is not None for j in (i - 1, i + 1))


def _take_date(line: Line, found: dates.FoundDate, out: Parsed, header: bool = False) -> None:
    if dates.is_modified_line(line.text, found):
        out.modified = out.modified or found
        out.lift(line, "meta.modified")
    elif out.published is None:
        out.published = found
        out.published_above_title = header and out.title is None
        out.lift(line, "meta.published")
    elif (not out.published.has_time and found.has_time) or (
        header and out.published_above_title and out.title is not None
    ):
        # The page's date of the day above its masthead ("Kamis, 5 November 2015"), or a sidebar's dated list above
        # the title, then the article's own date under its title: the later one (with a time, or under the title)
        # is the article's.
        out.published_above_title = False
        earlier = next(i for i, r in enumerate(out.removed) if r.rule == "meta.published")
        out.removed[earlier] = replace(
            out.removed[earlier], rule="meta.header", category=RULES_BY_ID["meta.header"].category
        )
        out.published = found
        out.lift(line, "meta.published")
    else:
        out.lift(line, "meta.modified")


BYLINE_LABEL = re.compile(
    r"(?i)(penulis|reporter|pewarta|wartawan|kontributor|editor|redaktur|penyunting|oleh|sumber)\s*:?"
)
# "Kontributor Makassar, Hendra Cipto": a role and a place, not a name
_ROLE_WORDS = frozenset({"kontributor", "wartawan", "reporter", "koresponden", "tim", "redaksi", "penulis"})


def _running_text(text: str) -> bool:
    """Too long or too many words for a byline, told by cheap tests (a False says nothing)."""
    spaces = text.count(" ")
    if len(text) > 300 or spaces > 40:
        return True
    # Single spaces between words (as repaired lines have) mean at least spaces + 1 words.
    return spaces >= 14 and "  " not in text and text[:1] != " " and text[-1:] != " "


def _take_byline(line: Line, out: Parsed, running: bool | None = None) -> bool:
    """Bylines such as 'Penulis: X | Editor: Y'; writers are added to authors (``running``: :func:`_running_text` of the
    line, when the caller has it already).

    >>> out = Parsed(); _take_byline(Line(0, "Penulis: Budi Santoso | Editor: Ani"), out), out.authors
    (True, ['Budi Santoso'])
    >>> _take_byline(Line(0, "Oleh karena itu, ia menolak."), Parsed())
    False
    """
    text = line.text
    if (_running_text(text) if running is None else running) or shapes.word_count(text) > 14:
        return False
    # The line after a label alone ("Reporter", "Sumber :") is its value, even a brand ("Antara").
    if out.pending_role is not None and NAMES.fullmatch(text.strip(" .")):
        if out.pending_role in WRITER_ROLES:
            out.authors.append(text.strip(" ."))
        elif out.pending_role == "sumber":  # "Sumber :" with the agency on the next line
            source = text.strip(" .")
            out.wire_source = out.wire_source or chardata.WIRE_AGENCIES.get(source.lower(), source)
        out.pending_role = None
        out.lift(line, "meta.byline")
        return True
    desk = chardata.DESK_BYLINE.fullmatch(text)
    if desk is not None:
        out.authors.append(desk.group("name"))
        out.signature_outlet = (
            out.signature_outlet or outlet_signature(desk.group("desk")) or registered_domain(desk.group("desk"))
        )
        out.lift(line, "meta.byline")
        return True
    named = _named_byline(text)
    if named is not None:
        name, outlet = named
        out.authors.append(name)
        out.signature_outlet = out.signature_outlet or outlet
        out.lift(line, "meta.byline")
        return True
    signature = outlet_signature(text)
    if signature is not None:
        out.signature_outlet = out.signature_outlet or signature
        out.lift(line, "meta.byline")
        return True
    label = BYLINE_LABEL.fullmatch(text)
    if label is not None:  # "Reporter" alone; the name follows on the next line
        out.pending_role = label.group(1).lower()
        out.lift(line, "meta.byline")
        return True
    out.pending_role = None
    text = chardata.TRAILING_DESK_CODE.sub("", text)  # "Oleh : Budi Setiawan / CAR"
    continued = text.rstrip().endswith(",")  # "Oleh : Budi," with more names on the next line
    parts = [part.strip(" .,") for part in BYLINE_SPLIT.split(text)]
    fields = [BYLINE_FIELD.fullmatch(part) for part in parts if part]  # "| Editor X" continues a line
    if not fields or any(f is None or NAMES.fullmatch(f.group("names").strip()) is None for f in fields):
        return False
    for f in fields:
        assert f is not None
        role = f.group("role").lower()
        if set(re.findall(r"\w+", role)) & WRITER_ROLES:
            for name in NAME_SEPARATORS.split(f.group("names")):
                name = name.strip(" .")
                if name and name.split()[0].lower() not in _ROLE_WORDS:
                    out.authors.append(name)
        if continued:
            out.pending_role = role.split()[0]
    out.lift(line, "meta.byline")
    return True


def _named_byline(text: str) -> tuple[str, str | None] | None:
    """A writer named with a role or an outlet: (name, outlet or None).

    >>> _named_byline("Ahmad Fauzi, Jurnalis"), _named_byline("Susi Setiawati, CNBC Indonesia")
    (('Ahmad Fauzi', None), ('Susi Setiawati', 'cnbcindonesia.com'))
    >>> _named_byline("Laporan Wartawan Tribunnews.com, Fahmi Ramadhan")
    ('Fahmi Ramadhan', 'tribunnews.com')
    >>> _named_byline("Jakarta, Indonesia") is None, _named_byline("Presiden Jokowi, Menteri") is None
    (True, True)
    """
    if "," not in text:
        return None
    tail = text.rpartition(",")[2].strip().lower()  # cheap tests first: most lines are neither
    if tail in chardata.NAME_ROLES:
        match = chardata.NAME_COMMA_ROLE.match(text)
        return (match.group("name"), None) if match is not None else None
    if "." in tail or tail in chardata.OUTLET_BRANDS:
        match = chardata.NAME_COMMA_OUTLET.match(text)
    elif text[:7].lower() == "laporan":
        match = chardata.REPORT_BY.match(text)
    else:
        return None
    if match is None:
        return None
    token = match.group("outlet")
    outlet = outlet_signature(token) or registered_domain(token)
    if outlet is None:
        return None
    if match.re is chardata.NAME_COMMA_OUTLET and "." not in token and token.lower() not in chardata.OUTLET_BRANDS:
        return None  # "Budi Santoso, Jakarta": a place, not an outlet
    return match.group("name"), outlet


def holds_metadata(text: str) -> bool:
    """A line the parser lifts into a column wherever it stands: a wire source ("Sumber: Antara").

    >>> holds_metadata("Sumber: Antara"), holds_metadata("Menu")
    (True, False)
    """
    return _wire_source(text) is not None


def _wire_source(text: str) -> str | None:
    if text[:6].lower() not in _WIRE_WORDS:  # the pattern is anchored on one of these words
        return None
    match = WIRE_LINE.fullmatch(text)
    if match is None:
        return None
    source = match.group("source").strip(" .")
    return chardata.WIRE_AGENCIES.get(source.lower(), source)


_NUMBERED = re.compile(r"\d{1,2}[.)]\s+\S")


def _body_kind(
    text: str, nxt: str | None, captions: set[str], caption_style: bool, headings: frozenset[str]
) -> ParagraphKind:
    """body, subheading or caption for a line of the body."""
    if _is_caption(text, captions):
        return ParagraphKind.CAPTION
    if not shapes.is_headline_like(text) or nxt is None or shapes.ends_sentence(text):
        return ParagraphKind.BODY
    if text in headings:  # the page itself marked it as a heading
        return ParagraphKind.SUBHEADING
    if chardata.NAME_AND_ROLE.match(text) and not shapes.has_verb_like_word(text):
        return ParagraphKind.CAPTION
    if _NUMBERED.match(text):  # "2. Coldplay": a roundup's numbered heading, never a photo's caption
        return ParagraphKind.SUBHEADING
    if _header_caption(text):  # "... dalam posisi terbuka. Foto: Jofie Yordan/kumparan": a credit says it
        return ParagraphKind.CAPTION
    if caption_style and not shapes.has_verb_like_word(text):
        return ParagraphKind.CAPTION
    return ParagraphKind.SUBHEADING


def _segments(lines: list[Line], dateline: Dateline | None, out: Parsed) -> list[tuple[Line, str]]:
    """Body lines as (line, text) segments: the dateline lifted, glued paragraphs split apart."""
    segments: list[tuple[Line, str]] = []
    for i, line in enumerate(lines):
        text = line.text
        if i == 0 and dateline is not None:
            out.lift(line, "meta.dateline", dateline.prefix.strip())
            out.outlet, out.dateline_city = dateline.outlet, dateline.city
            text = text[len(dateline.prefix) :].strip()
            if not text:  # the dateline stood alone on its line
                continue
        segments.extend((line, part) for part in shapes.split_glued(text))
    return segments


def _cut_editor_code(line: Line, text: str, out: Parsed) -> str:
    """Editor initials glued to a sentence ("...kata dia.(OL-11)", "(ant/jpnn)") are cut off;
    an agency among them ("ant") names the wire source."""
    # Only the line's tail can hold a code: searching there keeps this O(1) per line.
    match = chardata.GLUED_EDITOR_CODE.search(text, max(0, len(text.rstrip()) - _TAIL))
    if match is None or match.start() == 0 or not shapes.ends_sentence(text[: match.start()].rstrip()):
        return text
    out.lift(line, "byline.glued_code", match.group(0).strip())
    for code in match.group("code").split("/"):
        agency = chardata.WIRE_AGENCIES.get(code.strip())
        if agency and out.wire_source is None:
            out.wire_source = agency
    return text[: match.start()].rstrip()


def _plain_sentence(text: str, whole_is_running: bool, captions: set[str]) -> bool:
    """True when a segment (of a line, ``whole_is_running``: :func:`_running_text` of that whole line, taken
    once a line however many segments it has) can only be a body paragraph, by cheap tests
    that imply what the full chain concludes: too long for a date or wire line, too many words for
    a byline, a sentence end that is no end mark, editor code or photo credit, and no caption sign.

    >>> line = ("Pemerintah daerah menyiapkan bantuan untuk warga yang terdampak banjir di sejumlah "
    ...         "kecamatan sejak pekan lalu, kata kepala dinas sosial.")
    >>> _plain_sentence(line, True, set()), _plain_sentence(line[:-1] + " (ant).", True, set())
    (True, False)
    >>> _plain_sentence(line[:-1] + ', "Kami siap."', True, set()), _plain_sentence(line + " ***", True, set())
    (True, False)
    """
    if len(text) <= _META_MAX_LEN or text[-2:] in _CODE_ENDS:
        return False
    if text[-1] not in _SENTENCE_STOPS and (text[-1] not in _CLOSING_QUOTES or text[-2] not in _SENTENCE_STOPS):
        return False  # a sentence end, or one inside a closing quote: 'kata dia, "Kami siap."'

    if text[:1] in chardata.CAPTION_BULLETS or text in captions or text[:6].lower() in _WIRE_WORDS:
        return False
    return whole_is_running  # _take_byline's first test, on the whole line as it sees it


_META_MAX_LEN = 120  # date_line's limit; wire lines are shorter still
_SENTENCE_STOPS = frozenset(".!?")
_CLOSING_QUOTES = frozenset("\"'\u201d\u2019")
_CODE_ENDS = frozenset({").", "]."})  # "...(ant)." ends in an editor code, not a sentence


def _parse_body(
    lines: list[Line],
    dateline: Dateline | None,
    out: Parsed,
    captions: set[str],
    headings: frozenset[str],
    judged_blocks: bool = False,
) -> None:
    caption_style = bool(captions) or any(_is_caption(line.text, captions) for line in lines)
    segments = _segments(lines, dateline, out)
    if caption_style and judged_blocks and _roundup(segments):  # short headings over their paragraphs: a roundup
        caption_style = False
    running: dict[int, bool] = {}  # per line, not per segment: a line glued from many sentences stays linear
    listing = False  # in a list the article introduced ("... sebagai berikut:"): its items are body
    for i, (line, text) in enumerate(segments):
        if line.no not in running:
            running[line.no] = _running_text(line.text)
        if _plain_sentence(text, running[line.no], captions):  # most segments: a body paragraph, nothing to lift
            out.add(line, ParagraphKind.BODY, text)
            listing = shapes.is_list_lead_in(text)
            continue
        wire = _wire_source(text)
        if wire is not None:
            out.wire_source = out.wire_source or wire
            out.lift(line, "meta.wire_source")
            continue
        found = dates.date_line(text)
        if found is not None:
            _take_date(line, found, out)
            continue
        if _take_byline(line, out, running[line.no]):
            continue
        # End marks and editor codes end the line: its last characters decide whether to look.
        if text.rstrip()[-1:] in _END_MARK_CHARS:
            marker = END_MARKER.search(text, max(0, len(text.rstrip()) - _TAIL))
            if marker is not None and marker.start() > 0:
                out.lift(line, "meta.end_marker", text[marker.start() :].strip())
                text = text[: marker.start()]
        if text.rstrip().removesuffix(".")[-1:] in _CLOSING_BRACKETS:  # every editor code ends so
            text = _cut_editor_code(line, text, out)
        nxt = segments[i + 1][1] if i + 1 < len(segments) else None
        kind = _body_kind(text, nxt, captions, caption_style, headings)
        if listing and kind != ParagraphKind.BODY and _list_item(text, kind, nxt, captions):
            kind = ParagraphKind.BODY
        out.add(line, kind, _caption_text(text) if kind == ParagraphKind.CAPTION else text)
        if kind == ParagraphKind.CAPTION:
            captions.add(_caption_text(text))
        elif kind == ParagraphKind.BODY:
            listing = shapes.is_list_lead_in(text) or (listing and not shapes.is_sentence_like(text))
        elif kind == ParagraphKind.SUBHEADING:  # a lead-in heading, or the list's own headings: a list still
            listing = listing or shapes.is_list_lead_in(text)


ROUNDUP_HEADINGS = 3
ROUNDUP_HEADING_WORDS = 8


def _roundup(segments: list[tuple[Line, str]]) -> bool:
    """Whether the body reads as a roundup: at least three short headings, each between two paragraphs of
    running text ("Tidak Punya Waktu", "Pengaruh Media Sosial", ...). A page's captions are fewer, and stand
    apart.

    >>> body = "Rutinitas padat membuat seseorang hampir tidak memiliki waktu untuk berolahraga setiap hari."
    >>> parts = [body, "Tidak Punya Waktu", body, "Pengaruh Media Sosial", body, "Kurang Berenergi", body]
    >>> _roundup([(Line(i, t), t) for i, t in enumerate(parts)]), _roundup([(Line(0, body), body)])
    (True, False)
    """
    texts = [text for _, text in segments]
    found = 0
    for i in range(1, len(texts) - 1):
        if (
            shapes.is_headline_like(texts[i])
            and shapes.word_count(texts[i]) <= ROUNDUP_HEADING_WORDS
            and shapes.is_sentence_like(texts[i - 1])
            and shapes.is_sentence_like(texts[i + 1])
        ):
            found += 1
            if found >= ROUNDUP_HEADINGS:
                return True
    return False


def _list_item(text: str, kind: ParagraphKind, nxt: str | None, captions: set[str]) -> bool:
    """Whether a line the body's rules took for a caption or a subheading is an item of the list the article just
    introduced: not a captioned photo's credit, and not a heading with a paragraph under it (a roundup's item). A
    bullet ("• Persija Jakarta: Ivan Kolev") is what a list item opens with here, not a gallery's caption mark."""
    if _is_caption(_caption_text(text), captions):
        return False
    return kind == ParagraphKind.CAPTION or nxt is None or not shapes.is_sentence_like(nxt)


def _flags(out: Parsed, had_header: bool) -> None:
    if out.title is None:
        out.flags.append(Flag.TITLE_MISSING)
    body = [p for p in out.paragraphs if p.kind == ParagraphKind.BODY]
    if body and not shapes.ends_sentence(body[-1].text):
        out.flags.append(Flag.TRUNCATED)
    if out.published is not None:
        latest = out.published.when.date() + DATE_SLACK
        texts = [p.text for p in out.paragraphs if p.kind != ParagraphKind.CAPTION] + ([out.lede] if out.lede else [])
        if any(day > latest for day in dates.weekday_dates("\n".join(texts))):
            out.flags.append(Flag.DATE_INCONSISTENT)


# A crawler's stamp before a page's first line: " date 2025-09-16 Judul Berita" (the date it recorded, then the
# page's own first line).
CRAWL_STAMP = re.compile(r"date (\d{4}-\d{2}(?:-\d{2})?)\s+(?=\S+\s+\S)")


def _crawl_stamp(lines: list[Line], out: Parsed) -> tuple[list[Line], dates.FoundDate | None]:
    """The lines with a crawler's date stamp lifted off the first, and its date (the publication date when the
    page gives none of its own); "date 2026-03-13 Headline" is left whole: a date line, which the header reads.

    >>> _crawl_stamp([Line(0, "date 2025-09-16 Polisi Tangkap 16 Pelaku")], Parsed())[0]
    [Line(no=0, text='Polisi Tangkap 16 Pelaku')]
    """
    match = CRAWL_STAMP.match(lines[0].text) if lines else None
    if match is None:
        return lines, None
    if (found := dates.date_line(match.group(0).strip())) is None:  # "date 2020-03 JAKARTA - ...": a month only
        if len(match.group(1)) == len("2020-03"):
            out.lift(lines[0], "meta.header", match.group(0).strip())
            return [Line(lines[0].no, lines[0].text[match.end() :]), *lines[1:]], None
        return lines, None
    out.lift(lines[0], "meta.published", match.group(0).strip())
    return [Line(lines[0].no, lines[0].text[match.end() :]), *lines[1:]], found


def _doubled(lines: list[Line]) -> set[str]:
    """Lines printed twice in a row that read as captions (a photo's alt text, then its caption; a slideshow's
    caption, then the same below the photo): a sentence, or mostly lower-case words. A title printed twice is
    not one of them.

    >>> sorted(_doubled([Line(0, "Warga berkumpul di luar gedung, 2 Agustus 2019."),
    ...                  Line(1, "Warga berkumpul di luar gedung, 2 Agustus 2019."), Line(2, "Judul Berita Hari Ini"),
    ...                  Line(3, "Judul Berita Hari Ini")]))
    ['Warga berkumpul di luar gedung, 2 Agustus 2019.']
    """
    doubled = set()
    for first, second in itertools.pairwise(lines):
        text = first.text
        if shapes.word_count(text) >= 4 and (text == second.text or _credited_copy(text, second.text)):
            words = text.split()
            if shapes.ends_sentence(text) or sum(w[0].islower() for w in words) * 2 >= len(words):
                doubled.add(text)
    return doubled


def _credited_copy(text: str, then: str) -> bool:
    """``then`` is ``text`` with a photo credit in brackets after it: "Pasar Mamuju. (Foto : ANTVKLIK - Gusni)".

    >>> _credited_copy("Warga di pasar Mamuju.", "Warga di pasar Mamuju. (Foto : ANTV - Gusni)")
    True
    """
    if not then.startswith(text) or len(then) - len(text) > _CREDIT_REACH:
        return False
    rest = then[len(text) :].strip()
    if not (rest.startswith(("(", "[")) and rest.endswith((")", "]"))):
        return False
    return shapes.caption_credit(rest) or _HEADER_CREDIT.search(rest) is not None


_CREDIT_REACH = 80


def parse_article(lines: list[Line], headings: frozenset[str] = frozenset(), judged_blocks: bool = False) -> Parsed:
    """Metadata, paragraphs and metadata removals from the lines the rule table kept
    (``headings``: the texts an HTML page marked as headings, which are subheadings in the body;
    ``judged_blocks``: the lines are an HTML page's blocks that the line model has cleared of its widgets, so
    short headings alternating with paragraphs are the article's own roundup, not teasers).

    >>> first = "TEMPO.CO, Jakarta - Presiden meresmikan jalan tol baru di Jawa Tengah."
    >>> p = parse_article([Line(0, "Judul Berita Hari Ini"), Line(2, first)])
    >>> p.title, p.outlet, p.dateline_city, [x.text for x in p.paragraphs]
    ('Judul Berita Hari Ini', 'tempo.co', 'Jakarta', ['Presiden meresmikan jalan tol baru di Jawa Tengah.'])
    """
    out = Parsed()
    lines, stamped = _crawl_stamp(lines, out)
    captions = _doubled(lines)
    start, dateline = _first_paragraph(lines, captions)
    _parse_header(lines[:start], out, captions)
    _parse_body(lines[start:], dateline, out, captions, headings, judged_blocks)
    if out.published is None and out.modified is not None:
        out.published = out.modified
    out.published = out.published or stamped
    out.outlet = out.outlet or out.signature_outlet
    out.authors = list(dict.fromkeys(out.authors))  # a writer named in the header and the footer
    _flags(out, had_header=start > 0)
    return out


def published_at(parsed: Parsed) -> datetime | None:
    return parsed.published.when if parsed.published else None


def lift_late_dateline(out: Parsed) -> None:
    """When the paragraphs before the first body paragraph have gone (the line model took them for furniture) and
    no dateline was found, the first body paragraph's own dateline is lifted now ("REPUBLIKA.CO.ID, MEDAN -- ...").

    >>> out = Parsed(paragraphs=[Paragraph(0, ParagraphKind.BODY, "REPUBLIKA.CO.ID, MEDAN -- " + "Dua hari " * 4, 9)])
    >>> lift_late_dateline(out)
    >>> out.dateline_city, out.outlet, out.paragraphs[0].text, [r.rule for r in out.removed]
    ('Medan', 'republika.co.id', 'Dua hari Dua hari Dua hari Dua hari', ['meta.dateline'])
    """
    if out.dateline_city is not None or any(r.rule == "meta.dateline" for r in out.removed):
        return
    # the first body paragraph, or the second (a pull quote may stand above the article's first)
    for first in [i for i, p in enumerate(out.paragraphs) if p.kind == ParagraphKind.BODY][:2]:
        paragraph = out.paragraphs[first]
        dateline = find_dateline(paragraph.text)
        if dateline is not None and dateline.city is not None:
            break
    else:
        return
    rest = paragraph.text[len(dateline.prefix) :].strip()
    out.paragraphs[first] = replace(paragraph, text=rest)
    out.removed.append(RemovedLine(paragraph.line_no, dateline.prefix.strip(), "meta.dateline", "metadata"))
    out.outlet, out.dateline_city = out.outlet or dateline.outlet, dateline.city


PULL_QUOTE_WORDS = 6
PULL_QUOTE_SEARCH = 3  # a pull quote stands above the body, or in its first paragraphs: a page's cost stays linear
_QUOTE_TRIM = "\"'\u201c\u201d\u2018\u2019.\u2026 "


def drop_pull_quotes(out: Parsed) -> None:
    """Take out any of the first body paragraphs that a longer body paragraph prints again in full: a pull quote
    above the body ("... mengingat dari sejumlah korban ..."), a teaser of its own text. The longer copy stays.

    >>> quote = "Untung sidang ini duluan, kalau saya duluan bisa-bisa saya harus pulang"
    >>> long = f'"{quote} dan tidak bisa lihat," kata Brotoseno kepada wartawan di Jakarta.'
    >>> out = Parsed(paragraphs=[Paragraph(0, ParagraphKind.BODY, quote, 3), Paragraph(1, ParagraphKind.BODY, long, 5)])
    >>> drop_pull_quotes(out)
    >>> [p.line_no for p in out.paragraphs], [(r.line_no, r.rule) for r in out.removed]
    ([5], [(3, 'meta.pull_quote')])
    """
    body = [p for p in out.paragraphs if p.kind == ParagraphKind.BODY]
    if len(body) < 2:
        return
    folded = [" ".join(p.text.lower().split()) for p in body]
    page = "\n".join(folded)  # one C-level count a candidate, not a scan of every other paragraph
    copies = collections.Counter(folded)  # a paragraph printed twice whole is not a pull quote of itself
    gone = set()
    for i, p in enumerate(body[:PULL_QUOTE_SEARCH]):
        core = folded[i].strip(_QUOTE_TRIM)
        if copies[folded[i]] > 1 or core.count(" ") + 1 < PULL_QUOTE_WORDS:
            continue
        if page.count(core) >= 2:  # its own paragraph, and a longer one that prints it again
            gone.add(p.line_no)
            out.removed.append(
                RemovedLine(p.line_no, p.text, "meta.pull_quote", RULES_BY_ID["meta.pull_quote"].category)
            )
    if gone:
        kept = [p for p in out.paragraphs if p.line_no not in gone or p.kind != ParagraphKind.BODY]
        out.paragraphs = [p if p.seq == i else replace(p, seq=i) for i, p in enumerate(kept)]
