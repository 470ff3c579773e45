"""Shape and context features of a page's lines, for the learned line classifier (pure; no IO).

A line is judged by what it looks like (length, sentence end, capitals, digits, dates, list marks, Indonesian
function words, call-to-action and brand vocabulary) and by where it sits: relative to the page's core (the
densest run of running text), to its neighbours, and to the run of short lines around it. Nothing here names an
outlet or a string of one page: the same features describe a page from an outlet never seen.
"""

from __future__ import annotations

import collections
import math
import re
from collections.abc import Collection, Sequence
from itertools import repeat

import numpy as np

from berita.transforms import chardata, shapes
from berita.transforms.blocks import DOM

# Words that carry Indonesian running text; teasers, menus and credits have few of them.
FUNCTION_WORDS = frozenset(
    "yang dan di ke dari untuk dengan ini itu pada dalam tidak akan juga atau karena oleh bahwa sebagai telah "
    "sudah masih bisa dapat ada adalah para saat setelah kata ujar menurut namun tetapi tersebut mereka kami "
    "kita ia dia agar jika hingga sampai lebih secara serta antara bagi tak pun lagi harus".split()
)
CTA_WORDS = frozenset(
    "klik click simak saksikan tonton ikuti follow subscribe berlangganan langganan daftar download unduh install "
    "gabung join terhubung dapatkan kunjungi cek yuk ayo login masuk share bagikan komentar komentari tulis kirim "
    "selengkapnya lanjut lanjutkan scroll iklan advertisement sponsored promo gratis diskon hubungi".split()
)
RELATED_WORDS = frozenset(
    "baca juga terkait populer terpopuler terkini terbaru lainnya rekomendasi pilihan artikel berita topik "
    "tag tags trending rekomendasi headline video foto galeri infografis next prev sebelumnya selanjutnya".split()
)
PLATFORM_WORDS = frozenset(
    "whatsapp wa telegram instagram twitter facebook youtube tiktok google news line linkedin x channel "
    "apps app android ios playstore appstore".split()
)
CREDIT_WORDS = frozenset(
    "foto ilustrasi dok dokumentasi istimewa antara antarafoto reuters afp ap getty images shutterstock "
    "tangkapan layar screenshot grafis sumber kredit photo".split()
)
_WORD = re.compile(r"\w+")
_DATE = re.compile(
    rf"\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b|\b\d{{1,2}}\s+(?:{chardata._MONTH_ALT})\b\.?\s*\d{{0,4}}",
    re.IGNORECASE,
)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
# An outlet's name ('detik', 'Kompas', 'liputan6'), or a domain ('.com', '.co.id', '.id').
_DOMAINS = ("com", "co.id", "id", "net", "co", "tv")
_BRAND = re.compile(rf"\.(?:{'|'.join(map(re.escape, _DOMAINS))})\b|\b(?:{chardata.BRAND_ALT.lower()})\b")

_TERMINAL = frozenset(".!?\u2026")
_QUOTE_ENDS = "\"'\u201d\u2019)"
_BULLETS = shapes.LIST_BULLETS  # the marks a list item opens with

# Per-line (shape) features, then their context copies; the names are the weights file's keys.
SHAPE = (
    "log_chars", "log_words", "ends_terminal", "ends_colon", "ends_comma", "ends_bracket", "starts_bullet",
    "starts_digit", "starts_quote", "starts_lower", "cap_share", "caps_share", "digit_share", "function_share",
    "has_date", "has_time", "has_pipe", "has_url", "cta", "related", "platform", "credit", "brand",
    "short", "very_long", "sentence", "ends_ellipsis", "rule_junk", "rule_meta", "repeated",
)  # fmt: skip
CONTEXT = (
    "rel_pos", "in_core", "before_core", "after_core", "log_to_core", "short_run", "lines_left",
    "prev_sentence", "next_sentence", "prev_rule_junk", "next_rule_junk", "prev_related", "next_related",
    "prev_short", "next_short", "window_sentence", "prev_ends_colon", "doc_log_lines", "doc_sentence_share",
    "prev_has_date", "next_has_date", "label_colon", "list_lead_in", "after_lead_in", "run_sandwiched",
)  # fmt: skip
NAMES = SHAPE + CONTEXT

# The characters other than A-Z and a-z that an IGNORECASE pattern matches to an ASCII letter ('ſ', 'K'): a
# month name can be written with them, and then it is not a word of the lowercased line.
FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")

# What a (lowercased) word says of its line, as bits.
_FUNCTION, _CTA, _RELATED, _PLATFORM, _CREDIT, _BRAND_WORD, _BRAND_LEAD, _MONTH = (1 << b for b in range(8))
_BRANDS = [b.lower() for b in chardata.OUTLET_BRANDS]
# A brand that is one word is in a line's words exactly when _BRAND finds it; a longer one ('cnn indonesia',
# 'jpnn.com') or a domain needs the pattern, and only where its first word is one of the line's words (every
# brand opens with a word character: the tests check it).
_LEADS = {m.group() for b in (*_BRANDS, *_DOMAINS) if (m := _WORD.match(b)) and not _WORD.fullmatch(b)}
_LEADS |= {m.group() for d in _DOMAINS if (m := _WORD.match(d))}
_WORD_BITS: dict[str, int] = {}
for _bit, _vocabulary in (
    (_FUNCTION, FUNCTION_WORDS), (_CTA, CTA_WORDS), (_RELATED, RELATED_WORDS), (_PLATFORM, PLATFORM_WORDS),
    (_CREDIT, CREDIT_WORDS), (_BRAND_WORD, {b for b in _BRANDS if _WORD.fullmatch(b)}), (_BRAND_LEAD, _LEADS),
    (_MONTH, chardata.MONTHS),
):  # fmt: skip
    for _w in _vocabulary:
        _WORD_BITS[_w] = _WORD_BITS.get(_w, 0) | _bit
# The words that say more than "function word" (a line holds few of them: one set intersection finds them), as
# str and as the ASCII bytes an ASCII line's words are split into.
_SPECIAL = {w: b for w, b in _WORD_BITS.items() if b != _FUNCTION}
_SPECIAL_ASCII = {w.encode(): b for w, b in _SPECIAL.items() if w.isascii()}
_SPECIAL_WORDS, _SPECIAL_ASCII_WORDS = frozenset(_SPECIAL), frozenset(_SPECIAL_ASCII)
_FUNCTION_ASCII = frozenset(w.encode() for w in FUNCTION_WORDS)
# A page's lines are read together, each step one C-level pass over all of them (str and bytes methods mapped
# over the lines), so that a page of 25 lines costs a few dozen calls, not a few dozen a line.
#
# ASCII lines' words (``\w+`` runs) are their bytes split after every ASCII byte that is no word character
# becomes a space (the line breaks between them stay): several times faster than ``_WORD.findall``.
_BLANK_NON_WORD = bytes(c if c < 128 and (chr(c).isalnum() or c in (10, 95)) else 32 for c in range(256))
# Punctuation that Indonesian lines hold besides ASCII (curly quotes, dashes, ellipsis): no word character, so a
# space in its place leaves the words as they are, and most lines ASCII.
_WIDE_PUNCTUATION = ("\u201c", "\u201d", "\u2018", "\u2019", "\u2013", "\u2014", "\u2026")
# Every token that opens with A-Z is a space and a capital in the tokens joined by spaces, mapped so.
_CAPITAL_OPENS = bytes(65 if 65 <= c < 91 else c if c in (10, 32) else 97 for c in range(256))
_DIGITS = b"0123456789"  # ASCII digits: lowercasing keeps them, and no other character becomes one
_PAIR = re.compile(r"\d[-./:]\d")  # every date and time shape holds a digit, a separator and a digit
_ENDS_COMMA, _ENDS_BRACKET = frozenset(",;"), frozenset(")]")
_OPEN_QUOTES, _BULLET_OPENS = frozenset("\"'\u201c\u2018"), frozenset(_BULLETS)
_ELLIPSIS = ("...", "\u2026")


def _joined(lines: Sequence[str]) -> str:
    """The lines joined by line breaks, a line's own line breaks made spaces (whitespace and no word either way)."""
    page = "\n".join(lines)
    return page if page.count("\n") == len(lines) - 1 else "\n".join(t.replace("\n", " ") for t in lines)


def _bits_of(words: Collection[str | bytes], vocabulary: dict[str, int] | dict[bytes, int]) -> int:
    found = 0
    for word in words:
        found |= vocabulary[word]  # type: ignore[index]  # words are keys of their vocabulary
    return found


def _word_columns(lows: Sequence[str]) -> tuple[list[int], list[int], list[int], list[int]]:
    r"""Per lowercased line: its words (``\w+`` runs), its function words, the bits of all its words, and its
    ASCII digits."""
    page = _joined(lows)
    if not page.isascii():
        for mark in _WIDE_PUNCTUATION:
            if mark in page:
                page = page.replace(mark, " ")
    # every other character outside ASCII becomes "?", and so a space: such lines are read again below
    lines = page.encode("ascii", "replace").translate(_BLANK_NON_WORD).split(b"\n")
    no_digits = map(bytes.translate, lines, repeat(None), repeat(_DIGITS))
    digits = list(map(int.__sub__, map(len, lines), map(len, no_digits)))
    words = list(map(bytes.split, lines))
    counts = list(map(len, words))
    function = list(map(sum, map(map, repeat(_FUNCTION_ASCII.__contains__), words)))
    found = [_bits_of(w, _SPECIAL_ASCII) if w else 0 for w in map(_SPECIAL_ASCII_WORDS.intersection, words)]
    if not page.isascii():
        for i, lo in enumerate(page.split("\n")):
            if not lo.isascii():
                line_words = _WORD.findall(lo)
                counts[i], function[i] = len(line_words), sum(map(FUNCTION_WORDS.__contains__, line_words))
                found[i] = _bits_of(_SPECIAL_WORDS.intersection(line_words), _SPECIAL)
    return counts, function, found, digits


def _token_columns(texts: Sequence[str]) -> tuple[list[int], list[int], list[int]]:
    """Per line: its whitespace-separated tokens, those that open with A-Z, and those in capitals (more than one
    character, a capital and no lower case: ``str.isupper``)."""
    tokens = list(map(str.split, texts))
    spaced = (" " + "\n ".join(map(" ".join, tokens))).encode("utf-8", "surrogatepass")
    capitals = list(map(bytes.count, spaced.translate(_CAPITAL_OPENS).split(b"\n"), repeat(b" A")))
    in_caps = list(map(sum, map(map, repeat(str.isupper), tokens)))
    for i, count in enumerate(in_caps):
        if count:  # a one-character token is never in capitals
            in_caps[i] = count - sum(len(t) == 1 and t.isupper() for t in tokens[i])
    return list(map(len, tokens)), capitals, in_caps


def _shape_columns(texts: Sequence[str]) -> list[Sequence[float]]:
    """The columns of ``SHAPE`` for a page's non-empty lines, with the character and token counts where
    ``log_chars`` and ``log_words`` go (a page's logarithms are taken together) and the page-level
    ``rule_junk``, ``rule_meta`` and ``repeated`` left False."""
    n = len(texts)
    lows = list(map(str.lower, texts))
    lengths = list(map(len, texts))
    n_words, function, found, digits = _word_columns(lows)
    n_tokens, capitals, in_caps = _token_columns(texts)
    per_token = [k or 1 for k in n_tokens]
    # the patterns run only where their gates pass (every match does)
    has_date, has_time, brand = [False] * n, [False] * n, [f & _BRAND_WORD != 0 for f in found]
    for i in [i for i, d in enumerate(digits) if d]:
        text = texts[i]
        pair = _PAIR.search(text) is not None
        has_time[i] = pair and _TIME.search(text) is not None
        dated = pair or found[i] & _MONTH or any(c in text for c in FOLDS_TO_ASCII)
        has_date[i] = bool(dated) and _DATE.search(text) is not None
    for i in [i for i, f in enumerate(found) if f & _BRAND_LEAD and not f & _BRAND_WORD]:
        brand[i] = _BRAND.search(lows[i]) is not None
    page, page_lo = "\n".join(texts), "\n".join(lows)
    ends_terminal = [s[-1:] in _TERMINAL for s in map(str.rstrip, texts, repeat(_QUOTE_ENDS))]
    last, first = [t[-1:] for t in texts], [t[:1] for t in texts]
    false = [False] * n
    return [
        lengths, n_tokens, ends_terminal, [c == ":" for c in last], list(map(_ENDS_COMMA.__contains__, last)),
        list(map(_ENDS_BRACKET.__contains__, last)), list(map(_BULLET_OPENS.__contains__, first)),
        list(map(str.isdigit, first)), list(map(_OPEN_QUOTES.__contains__, first)), list(map(str.islower, first)),
        list(map(int.__truediv__, capitals, per_token)), list(map(int.__truediv__, in_caps, per_token)),
        list(map(int.__truediv__, digits, lengths)), [f / (w or 1) for f, w in zip(function, n_words, strict=True)],
        has_date, has_time, [("|" in t) for t in texts] if "|" in page else false,
        [("http" in lo or "www." in lo or "@" in t) for t, lo in zip(texts, lows, strict=True)]
        if "http" in page_lo or "www." in page_lo or "@" in page
        else false,
        [f & _CTA != 0 for f in found], [f & _RELATED != 0 for f in found], [f & _PLATFORM != 0 for f in found],
        [f & _CREDIT != 0 for f in found], brand, [k <= 3 for k in n_tokens], [k >= 25 for k in n_tokens],
        [e and k >= 8 for e, k in zip(ends_terminal, n_tokens, strict=True)],
        list(map(str.endswith, texts, repeat(_ELLIPSIS))), false, false, false,
    ]  # fmt: skip


def _matrix(columns: list[Sequence[float]], n: int) -> np.ndarray:
    """The columns as the rows of a C-ordered matrix (a row a line), as the model's products read it."""
    return np.ascontiguousarray(np.array(columns, dtype=float).reshape(len(columns), n).T)


def shape_rows(texts: Sequence[str]) -> np.ndarray:
    """The shape of each of a page's non-empty lines, as the rows of a matrix with the columns of ``SHAPE``.

    >>> rows = shape_rows(["Baca juga: Polisi Tangkap Dua Pencuri Motor", "Jakarta, 12 Mei 2024 10:15 WIB"])
    >>> rows[:, [SHAPE.index("related"), SHAPE.index("ends_terminal"), SHAPE.index("has_date")]].tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    """
    out = _matrix(_shape_columns(texts), len(texts))
    _log1p_columns(out, _SHAPE_LOGS)
    return out


def shape_features(text: str) -> list[float]:
    """The shape of one line, as floats in the order of ``SHAPE``.

    >>> f = shape_features("Baca juga: Polisi Tangkap Dua Pencuri Motor")
    >>> f[SHAPE.index("related")], f[SHAPE.index("ends_terminal")]
    (1.0, 0.0)
    """
    return shape_rows([text])[0].tolist()


def _core(sentence: Sequence[float], words: Sequence[float]) -> tuple[int, int]:
    """The page's core: the run of lines with the most running text, by a maximum-sum window where a
    sentence line adds its words and any other line costs a few (Kadane's algorithm)."""
    best, best_span, run, start = 0.0, (0, -1), 0.0, 0
    for i, (s, w) in enumerate(zip(sentence, words, strict=True)):
        gain = w if s else -4.0
        if run <= 0:
            run, start = gain, i
        else:
            run += gain
        if run > best:
            best, best_span = run, (start, i)
    return best_span


# "PDIP: 27.053.961 (19,33 persen)", "20 Agustus: Persib Vs Persija": a short label, a colon, then a value.
_LABEL_COLON = re.compile(r"([^:]{1,60}?):\s+\S")
_LABEL_WORDS = 6


def _list_columns(texts: Sequence[str], sentence: Sequence[float], junk: Sequence[float]) -> list[list[bool]]:
    """Per line: ``label_colon`` (a short label and a colon open it), ``list_lead_in`` (it introduces a list),
    ``after_lead_in`` (it is in a run of lines that are no sentences, after a lead-in: a list in the article) and
    ``run_sandwiched`` (its run has running text on both sides)."""
    n = len(texts)
    label = [False] * n
    if any(":" in t for t in texts):
        for i, text in enumerate(texts):
            if ":" in text and (m := _LABEL_COLON.match(text)) is not None:
                label[i] = len(m.group(1).split()) <= _LABEL_WORDS
    lead = [not j and shapes.is_list_lead_in(t) for t, j in zip(texts, junk, strict=True)]
    after, sandwiched = [False] * n, [False] * n
    i = 0
    while i < n:
        if sentence[i]:
            i += 1
            continue
        j = i
        while j < n and not sentence[j]:
            j += 1
        seen = i > 0 and lead[i - 1]
        both_sides = i > 0 and j < n
        for k in range(i, j):
            after[k], sandwiched[k] = seen, both_sides
            seen = seen or lead[k]
        i = j
    return [label, lead, after, sandwiched]


def _short_runs(sentence: Sequence[float]) -> list[int]:
    """For each line that is not a sentence, the length of the run of such lines it is in (menus, lists,
    widgets); 0 for a sentence."""
    out = [0] * len(sentence)
    start = 0
    for i, s in enumerate([*sentence, 1.0]):
        if s:
            out[start:i] = [i - start] * (i - start)
            start = i + 1
    return out


_SENTENCE, _JUNK, _META, _REPEATED, _RELATED_COL, _SHORT, _COLON, _DATED = (
    SHAPE.index(name)
    for name in ("sentence", "rule_junk", "rule_meta", "repeated", "related", "short", "ends_colon", "has_date")
)
_TOKENS = SHAPE.index("log_words")  # holds the token count until the page's logarithms are taken
# What a line's neighbour features are when it has no neighbour there: a short line, and nothing else.
_NO_LINE = [1.0 if i == _SHORT else 0.0 for i in range(len(SHAPE))]
# The columns that hold counts until the page's logarithms are taken, in one call (a call a column would cost
# more than the logarithms themselves on a page of 25 lines).
_SHAPE_LOGS = [SHAPE.index("log_chars"), _TOKENS]
_LOGS = _SHAPE_LOGS + [len(SHAPE) + CONTEXT.index(c) for c in ("log_to_core", "short_run", "lines_left")]


def _log1p_columns(out: np.ndarray, columns: list[int]) -> None:
    # numpy's log1p on a contiguous copy, as the columns were taken before: the figures the weights were trained on
    out[:, columns] = np.log1p(out[:, columns].copy(order="C"))


def page_features(texts: Sequence[str], rule_junk: Sequence[bool], rule_meta: Sequence[bool]) -> np.ndarray:
    """Feature rows for a page's non-empty lines (``texts``), in order, with what the rule table said of each
    (``rule_junk``: removed as boilerplate; ``rule_meta``: lifted as metadata), as a matrix with the columns
    of ``NAMES``. A page's lines are few (25 or so): the rows are built in plain Python, a list a line, and
    become a matrix once.

    >>> rows = page_features(["Menu", "Polisi menangkap dua orang yang diduga mencuri motor di Bekasi.", "Terpopuler"],
    ...                      [False, False, False], [False, False, False])
    >>> rows.shape == (3, len(NAMES)), rows[1, len(SHAPE) + CONTEXT.index("in_core")]
    (True, np.float64(1.0))
    """
    n = len(texts)
    if n == 0:
        return np.zeros((0, len(NAMES)))
    shape = _shape_columns(texts)
    seen = collections.Counter(texts)
    shape[_JUNK], shape[_META], shape[_REPEATED] = (
        list(map(bool, rule_junk)),
        list(map(bool, rule_meta)),
        [seen[t] > 1 for t in texts],
    )
    sentence = list(map(float, shape[_SENTENCE]))
    # the core's gains as the line-by-line computation had them: expm1 of log1p of the token count, in floats
    start, end = _core(sentence, [math.expm1(math.log1p(k)) for k in shape[_TOKENS]])
    lines = range(n)
    windows = [(max(0, i - 2), min(n, i + 3)) for i in lines]

    def before(column: int) -> list[float]:
        return [_NO_LINE[column], *shape[column][:-1]]

    def after(column: int) -> list[float]:
        return [*shape[column][1:], _NO_LINE[column]]

    context: list[Sequence[float]] = [  # in the order of CONTEXT
        [i / n for i in lines], [start <= i <= end for i in lines], [i < start for i in lines],
        [i > end for i in lines], [start - i if i < start else i - end if i > end else 0 for i in lines],
        _short_runs(sentence), [n - 1 - i for i in lines], before(_SENTENCE), after(_SENTENCE), before(_JUNK),
        after(_JUNK), before(_RELATED_COL), after(_RELATED_COL), before(_SHORT), after(_SHORT),
        [sum(sentence[lo:hi]) / (hi - lo) for lo, hi in windows], before(_COLON), [math.log1p(n)] * n,
        [sum(sentence) / n] * n, before(_DATED), after(_DATED),
        *_list_columns(texts, sentence, shape[_JUNK]),
    ]  # fmt: skip
    out = _matrix(shape + context, n)
    _log1p_columns(out, _LOGS)
    return out


# The second pass: each line's first-pass P(body) and its neighbours', so a related block runs until running
# text resumes (a small stacked model in place of a sequence model).
STACKED = ("p", "p_prev", "p_next", "p_prev2", "p_next2", "p_window7", "log_since_body", "log_until_body")
STACKED_NAMES = NAMES + STACKED


def stacked_features(rows: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """First-pass rows extended with the first-pass probabilities around each line.

    >>> out = stacked_features(np.zeros((3, 1)), np.array([0.9, 0.1, 0.8]))
    >>> out[1, 1:].round(3).tolist()
    [0.1, 0.9, 0.8, 0.0, 0.0, 0.6, 0.693, 0.693]
    """
    n = len(probs)
    p = probs.tolist()
    # how far the nearest body line above and below is (n: there is none), in plain Python: pages are short
    since, until, above, below = [n] * n, [n] * n, -1, -1
    for i, x in enumerate(p):
        if above >= 0:
            since[i] = i - above
        if x >= 0.5:
            above = i
    for i in range(n - 1, -1, -1):
        if below >= 0:
            until[i] = below - i
        if p[i] >= 0.5:
            below = i
    logs = np.log1p(np.array(since + until, dtype=float))
    # the window's sum in order, as sum(values[lo:hi]) adds it
    window = [sum(p[max(0, i - 3) : i + 4]) / (min(n, i + 4) - max(0, i - 3)) for i in range(n)]
    padded = np.concatenate((np.zeros(3), probs, np.zeros(3)))
    extra = np.stack(
        [
            probs,
            padded[2 : n + 2],
            padded[4 : n + 4],
            padded[1 : n + 1],
            padded[5 : n + 5],
            np.array(window, dtype=float),
            logs[:n],
            logs[n:],
        ],
        axis=1,
    )
    return np.hstack([rows, extra])


# HTML pages: the text features, what the DOM says of each block, and whether the block is in what an article
# extractor (trafilatura) took and in the page's own JSON-LD articleBody.
HTML_NAMES = NAMES + DOM + ("in_extract", "in_article_body", "has_article_body")
HTML_STACKED_NAMES = HTML_NAMES + STACKED


def fold_for_match(text: str) -> str:
    """Lower case, spacing folded: how a block is looked up in an extractor's text."""
    return " ".join(text.split()).lower()


# Characters a page's block lookups may scan in all: far above what a real page needs (3,000 blocks looked up in
# a 60,000-character extract is 1.8e8), and about 0.1 s of scanning.
SEARCH_BUDGET = 200_000_000


def found_in(keys: Sequence[str], text: str, lines: Collection[str] = ()) -> dict[str, bool]:
    """Whether each key occurs in ``text``, as ``key in text`` says; ``lines``: the folded lines ``text`` joins
    (a key that is one of them is found without a scan). Keys past :data:`SEARCH_BUDGET` characters of
    scanning count as not found: asking each of a page's blocks in turn is quadratic in the page's size, and
    only a page far larger than any article reaches the budget.

    >>> found_in(["isi berita", "baca juga", ""], "judul isi berita hari ini")
    {'isi berita': True, 'baca juga': False, '': True}
    """
    whole = set(lines)
    found, budget = {}, SEARCH_BUDGET
    for key in keys:
        if key in found:
            continue
        if not key or key in whole:
            found[key] = True
        elif budget > 0:
            found[key], budget = key in text, budget - len(text)
        else:
            found[key] = False
    return found


def html_page_features(
    rows: np.ndarray,
    dom: Sequence[Sequence[float]],
    texts: Sequence[str],
    extract: str,
    body: str | None,
    extract_lines: frozenset[str] = frozenset(),
) -> np.ndarray:
    """Text feature rows (from :func:`page_features`) of an HTML page's blocks, extended with each block's DOM
    features and whether the folded ``extract`` (and the folded JSON-LD ``body``) holds the block's text."""
    keys = [fold_for_match(text) for text in texts]
    in_extract, in_body = found_in(keys, extract, extract_lines), found_in(keys, body or "")
    matched = [[in_extract[key], bool(body) and in_body[key], bool(body)] for key in keys]
    n = len(texts)
    return np.hstack(
        [rows, np.asarray(dom, dtype=float).reshape(n, len(DOM)), np.asarray(matched, dtype=float).reshape(n, 3)]
    )
