"""Repair decoded text line by line: mojibake (ftfy plus what it misses) and whitespace."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from berita.transforms import chardata

if TYPE_CHECKING:
    import ftfy

LINE_BREAK = re.compile(r"\r\n|\r|\n")


@lru_cache(maxsize=1)
def _ftfy_config() -> ftfy.TextFixerConfig:
    import ftfy  # imported on first use: most inputs are clean and never need it

    # Conservative: keep curly quotes, full-width characters and ligatures as written; NFC only.
    return ftfy.TextFixerConfig(
        uncurl_quotes=False,
        fix_character_width=False,
        fix_latin_ligatures=False,
        normalization="NFC",
        unescape_html=False,
        explain=False,
    )


# A character reference with its closing semicolon: "&quot;", "&nbsp;", "&#8220;", "&#x201C;".
# Without the semicolon it is left alone ("R&D", "AT&T", "Barcelona&paramount").
ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _decode_entity(match: re.Match[str]) -> str:
    return html.unescape(match.group(0))


# Inline tags that scrapers leave in text ("<b>Jakarta</b>", "<br/>", '<a href="...">'). Only these
# names: "nilai <5%" or "a<b" in running text is no tag.
INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|big|br|cite|code|del|div|em|font|h[1-6]|i|ins|li|mark|ol|p|q|s|small|span|strike|strong|sub|"
    r"sup|u|ul)(?:\s[^<>]{0,500})?/?>",
    re.IGNORECASE,
)


def drop_inline_tags(line: str) -> str:
    """Remove inline HTML tags left in text, keeping their content.

    >>> drop_inline_tags('<b>Jakarta</b> - Harga <a href="/x">cabai</a> naik<br/> nilai <5% a<b')
    'Jakarta - Harga cabai naik nilai <5% a<b'
    """
    return INLINE_TAG.sub("", line) if "<" in line else line


def _has_leftovers(text: str) -> bool:
    """Whether text holds an HTML character reference or an inline tag."""
    return ("&" in text and ENTITY.search(text) is not None) or ("<" in text and INLINE_TAG.search(text) is not None)


def unescape_entities(line: str) -> str:
    """Decode HTML character references that scrapers leave in text, however often they were
    escaped ("&amp;quot;"); an unknown name stays as written.

    >>> unescape_entities("kata &quot;ya&quot;&nbsp;itu &#8220;benar&#8221; &amp;amp; R&D &foo;")
    'kata "ya"\xa0itu “benar” & R&D &foo;'
    """
    if "&" not in line:
        return line
    line = _AMP_CHAIN.sub("&", line)  # "&amp;amp;amp;..." at once: one pass a level would be quadratic
    for _ in range(_MAX_ESCAPE_LEVELS):
        decoded = ENTITY.sub(_decode_entity, line)
        if decoded == line:
            break
        line = decoded
    return line


# An ampersand escaped again and again ("&amp;amp;", "&#38;#38;"); past the chain, a few levels at most.
_AMP_CHAIN = re.compile(r"&(?:amp;|#38;|#[xX]26;)+")
_MAX_ESCAPE_LEVELS = 4


def fix_mojibake(line: str) -> str:
    """Undo UTF-8 read as cp1252/latin-1, calling ftfy only when the line shows the signs.

    >>> fix_mojibake("Lavrov menyebut â€œoperasi militer khususâ€\\x9d Rusia")
    'Lavrov menyebut “operasi militer khusus” Rusia'
    >>> fix_mojibake("Menlu Rusia"), fix_mojibake("harga \u00e2\u20ac\u0153naik\u00e2\u20ac\ufffd pekan ini")
    ('Menlu Rusia', 'harga “naik” pekan ini')
    """
    if not chardata.MOJIBAKE_HINT.search(line):
        return line
    import ftfy

    if "\u00e2\u20ac" in line:
        # "â€�": the right double quote (E2 80 9D) decoded as cp1252 with errors="replace", since
        # cp1252 has no 0x9D; ftfy would make the whole sequence one U+FFFD, and the quote is lost.
        line = chardata.LOST_QUOTE.sub("\u201d", line.replace("\u00e2\u20ac\ufffd", "\u201d"))
    return ftfy.fix_text(line, _ftfy_config())


def fix_leftover_mojibake(line: str) -> str:
    """Mend what ftfy leaves: a stray 'Â' (a no-break space missing its second byte) and a 'â€'
    missing its third byte (0x9D, the right double quote, which cp1252 cannot show); drop U+FFFD.

    (:func:`fix_mojibake` already mends a lost quote before a space; this catches the rest.)

    >>> fix_leftover_mojibake("Â")
    ' '
    >>> fix_leftover_mojibake("harga Rp10.000Â per liter")
    'harga Rp10.000  per liter'
    >>> fix_leftover_mojibake("operasi militer khususâ€ Rusia")
    'operasi militer khusus” Rusia'
    >>> fix_leftover_mojibake("kata â€Kamiâ€x")
    'kata “Kami”x'
    """
    if "\u00c2" in line:
        line = chardata.STRAY_A_CIRCUMFLEX.sub(" ", line)
    if "\u00e2\u20ac" in line:
        line = chardata.LOST_QUOTE.sub("\u201d", line)
        line = chardata.OPENING_LOST_QUOTE.sub("\u201c", line).replace("\u00e2\u20ac", "\u201d")
    if "\u00c3" in line:
        line = chardata.A_GRAVE_LOST.sub("\u00e0", line)
    if "\ufffd" in line:
        line = line.replace("\ufffd", "")
    return chardata.CONTROL_CHARS.sub("", line)


def normalize_whitespace(line: str) -> str:
    """Exotic spaces become plain spaces, zero-width characters go, runs collapse, ends are trimmed.

    >>> normalize_whitespace("\\u00a0 dialog semacam itu\\u00a0merupakan\\u200b proses  ")
    'dialog semacam itu merupakan proses'
    """
    line = chardata.EXOTIC_SPACES.sub(" ", line)
    line = chardata.ZERO_WIDTH.sub("", line)
    line = chardata.CONTROL_CHARS.sub("", line)
    return chardata.SPACE_RUNS.sub(" ", line).strip()


# Repairs can uncover further repairs (dropping a control character can join a mojibake pair,
# dropping U+FFFD can expose a stray "Â"); a line is repaired until it stops changing.
MAX_PASSES = 3


def repair_line(line: str, html_leftovers: bool = True) -> str:
    """Repair one line until it is stable (at most MAX_PASSES), so repairing twice changes nothing.
    ``html_leftovers``: drop inline tags and decode character references too (text, not a page's
    raw markup).

    >>> repair_line("\x80Â\x8d"), repair_line("harga&nbsp;naik &quot;lagi&quot;")
    ('€', 'harga naik "lagi"')
    """
    for _ in range(MAX_PASSES):
        unescaped = unescape_entities(drop_inline_tags(line)) if html_leftovers else line
        fixed = normalize_whitespace(
            fix_leftover_mojibake(
                fix_mojibake(chardata.C0_CONTROLS.sub("", chardata.TERMINAL_ESCAPES.sub("", unescaped)))
            )
        )
        if fixed == line:
            break
        line = fixed
    return line


@dataclass(frozen=True)
class Repaired:
    lines: list[str]
    repairs: int


def repair_text(text: str, html_leftovers: bool = True) -> Repaired:
    """Split decoded text into lines (numbering preserved) and repair each one.

    A repair is counted for each line whose characters changed other than by trimming its ends
    or collapsing plain spaces. ``html_leftovers=False`` leaves tags and character references
    alone, for a page's raw markup ("&lt;p&gt;" there is text, and the tags are the page).

    >>> r = repair_text("Judul\\r\\n\\u00c2\\r\\nitu\\u00a0merupakan  proses ")
    >>> r.lines, r.repairs
    (['Judul', '', 'itu merupakan proses'], 2)
    """
    if _needs_no_repair(text) and not (html_leftovers and _has_leftovers(text)):  # decided once
        lines = _split_lines(text)
        if "  " in text:
            return Repaired([chardata.SPACE_RUNS.sub(" ", raw).strip() for raw in lines], 0)
        return Repaired([raw.strip() for raw in lines], 0)
    lines = LINE_BREAK.split(text)
    undone = _undo_double_encoding(text)
    if undone is not None:  # the whole document was UTF-8 read as cp1252: one decode mends it all
        mended = repair_text(undone, html_leftovers).lines
        changed = sum(new != chardata.SPACE_RUNS.sub(" ", raw).strip() for raw, new in zip(lines, mended, strict=True))
        return Repaired(mended, changed)
    out: list[str] = []
    repairs = 0
    for raw in lines:
        # Fast path, the same result as repair_line: a printable line (no exotic space, zero-width
        # or control character: str.isprintable is False for all of them) with no sign of mojibake.
        if (
            raw.isprintable()
            and (raw.isascii() or chardata.MOJIBAKE_HINT.search(raw) is None)
            and not (html_leftovers and _has_leftovers(raw))
        ):
            out.append(chardata.SPACE_RUNS.sub(" ", raw).strip())
            continue
        fixed = repair_line(raw, html_leftovers)
        if fixed != chardata.SPACE_RUNS.sub(" ", raw).strip():
            repairs += 1
        out.append(fixed)
    return Repaired(out, repairs)


def _split_lines(text: str) -> list[str]:
    """``LINE_BREAK.split`` by str methods, which run in C far faster than a regex scan.

    >>> _split_lines("a\\r\\nb\\rc\\n") == LINE_BREAK.split("a\\r\\nb\\rc\\n")
    True
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def _needs_no_repair(text: str) -> bool:
    """True when no line has anything to repair: every character printable (line breaks aside)
    and no sign of mojibake, so each line only needs its spaces collapsed and its ends trimmed.

    >>> _needs_no_repair("Judul\\r\\nHarga \\u201cnaik\\u201d"), _needs_no_repair("caf\\u00c3\\u00a9")
    (True, False)
    >>> _needs_no_repair("harga\\u00a0naik"), _needs_no_repair("a\\tb")
    (False, False)
    """
    if not text.replace("\n", "").replace("\r", "").isprintable():
        return False
    if text.isascii():
        return True
    # Every mojibake sign holds a character in U+00C2..U+00F4 or U+FFFD; most texts have none
    # (encoding to latin-1 and dropping the rest is a fast C loop).
    if "\ufffd" not in text and text.encode("latin-1", "ignore").isascii():
        return True
    return chardata.MOJIBAKE_HINT.search(text) is None


def _undo_double_encoding(text: str) -> str | None:
    """The text with a whole-document mojibake undone (UTF-8 bytes that were decoded as cp1252),
    or None when that is not what happened.

    Re-encoding as cp1252 (ftfy's sloppy variant, which also maps the five bytes cp1252 leaves
    undefined) must give valid UTF-8, strictly: genuine accented text ("café") or curly quotes
    never do, so a document that passes was double-encoded from its first line to its last. This
    is what ftfy concludes line by line, at a fraction of the cost; anything less clear-cut goes
    through ftfy a line at a time.

    >>> _undo_double_encoding("Ia menyebut \u00e2\u20ac\u0153operasi\u00e2\u20ac\u009d.\\nCaf\u00c3\u00a9")
    'Ia menyebut \u201coperasi\u201d.\\nCafé'
    >>> _undo_double_encoding("caf\u00e9 \u201cya\u201d") is None
    True
    """
    import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)
    from ftfy.badness import is_bad

    try:
        undone = text.encode("sloppy-windows-1252").decode("utf-8")
    except UnicodeError:
        return None
    # ftfy's own test for mojibake must agree, or a short text ftfy leaves alone ("Ä€") would
    # be changed by a second run: repairing must stay idempotent. Text whose undoing holds control
    # characters ("ÂŒ" is U+008C) was not UTF-8 in the first place; the per-line path decides it
    # the same way whether or not a line break follows.
    if undone == text or chardata.CONTROL_CHARS.search(undone) or not is_bad(text):
        return None
    return undone


# Hard-wrapped text (a fixed-width copy: every line of a paragraph cut near one width, the paragraph's last line
# shorter). Only a page where most long lines stop short of a sentence's end at about one width is rejoined.
WRAP_MIN_LINES = 8
WRAP_MIN_WIDTH, WRAP_MAX_WIDTH = 55, 110
WRAP_SLACK = 20  # a wrapped line is at least this close to the page's width
_SENTENCE_END = frozenset(".!?\"'\u201d\u2019)")


def unwrap_hard_wrapped(lines: list[str]) -> list[str] | None:
    """The lines of a hard-wrapped page with each paragraph's lines joined again, or None when the page is not
    hard-wrapped (most pages: each paragraph already a line). A line is joined to the next when it is as long as
    the page's wrap width, less some slack, and does not end a sentence, or when the next line opens in lower case.

    >>> body = ["Sebanyak 18.767 peserta mengikuti Ujian Tertulis Berbasis Komputer Seleksi Nasional",
    ...         "Berbasiskan Tes tahun 2025 di Universitas Lampung. Sementara di Institut Teknologi",
    ...         "diikuti 3.166 peserta."] * 4
    >>> unwrap_hard_wrapped(body)[0].endswith("Teknologi diikuti 3.166 peserta.")
    True
    >>> unwrap_hard_wrapped(["Satu paragraf utuh di satu baris, seperti biasanya.", "Paragraf kedua."]) is None
    True
    """
    long = [len(t) for t in lines if len(t) >= WRAP_MIN_WIDTH]
    if len(long) < WRAP_MIN_LINES:
        return None
    width = sorted(long)[int(len(long) * 0.9)]
    if not WRAP_MIN_WIDTH <= width <= WRAP_MAX_WIDTH or max(long) > width + WRAP_SLACK:
        return None  # a page of long paragraphs, or lines of every length: not one wrap width

    def cut(i: int) -> bool:
        text = lines[i].rstrip()
        nxt = lines[i + 1].lstrip() if i + 1 < len(lines) else ""
        if not nxt or not text:
            return False
        wrapped = len(text) >= width - WRAP_SLACK
        return (wrapped and text[-1] not in _SENTENCE_END) or (wrapped and nxt[:1].islower())

    cuts = [cut(i) for i in range(len(lines))]
    near_width = [i for i, t in enumerate(lines) if len(t) >= width - WRAP_SLACK]
    if len(near_width) < WRAP_MIN_LINES or sum(cuts[i] for i in near_width) * 2 < len(near_width):
        return None  # long lines mostly end sentences: paragraphs one a line, not a wrap
    out: list[str] = []
    joining = False
    for i, text in enumerate(lines):
        if joining:
            out[-1] = f"{out[-1].rstrip()} {text.strip()}"
        else:
            out.append(text)
        joining = cuts[i]
    return out
