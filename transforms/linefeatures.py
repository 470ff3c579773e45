"""Shape and context features of a page's lines, for the learned line classifier (pure; no IO).

A line is judged by what it looks like (length, sentence end, capitals, digits, dates, list marks, Indonesian
function words, call-to-action and brand vocabulary) and by where it sits: relative to the page's core (the
densest run of running text), to its neighbours, and to the run of short lines around it. Nothing here names an
outlet or a string of one page: the same features describe a page from an outlet never seen.
"""

from __future__ import annotations

import collections
import functools
import itertools
import math
import re
from collections.abc import Collection, Sequence

import numpy as np
from berita.transforms import chardata
from berita.transforms.blocks import DOM
from numpy.typing import ArrayLike, NDArray

# Words that carry Indonesian running text; teasers, menus and credits have few of them.
FUNCTION_WORDS = frozenset(
    "yang dan di ke dari untuk dengan ini itu pada dalam tidak akan juga atau karena oleh bahwa sebagai telah "
    "sudah masih bisa dapat ada adalah para saat setelah kata ujar menurut namun tetapi tersebut mereka kami "
    "kita ia dia agar jika hingga sampai lebih secara serta antara bagi tak pun lagi harus".split()
)
CTA_WORDS = frozenset(
    "klik simak saksikan tonton ikuti follow subscribe berlangganan langganan daftar download unduh install "
    "gabung join dapatkan kunjungi cek yuk ayo login masuk share bagikan komentar komentari tulis kirim "
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
_BULLETS = "-\u2022*\u00bb\u203a>\u2013\u2014\u25aa\u25cf"

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
    "prev_has_date", "next_has_date",
)  # fmt: skip
NAMES = SHAPE + CONTEXT
_IDX = {name: i for i, name in enumerate(SHAPE)}

# What a page's characters are, as bits. The tests check each against the predicate it stands for.
_SPACE, _WORDCHAR, _DECIMAL, _DIGIT, _UPPER, _UNCAPS, _LOWER, _FOLDS, _BULLET, _OPEN_QUOTE = (1 << b for b in range(10))
_D = re.compile(r"\d")
# The characters other than A-Z and a-z that an IGNORECASE pattern matches to an ASCII letter ('ſ', 'K'): a
# month name can be written with them, and then it is not a word of the lowercased line.
FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")


@functools.cache
def _char_bits(code: int) -> int:
    c = chr(code)
    return (
        _SPACE * c.isspace()  # what str.split() splits on
        | _WORDCHAR * (_WORD.fullmatch(c) is not None)
        | _DECIMAL * (_D.fullmatch(c) is not None)
        | _DIGIT * c.isdigit()
        | _UPPER * c.isupper()
        | _UNCAPS * (not ("A" + c).isupper())  # a lower or title case letter: a word holding it is not in capitals
        | _LOWER * c.islower()
        | _FOLDS * (c in FOLDS_TO_ASCII)
        | _BULLET * (c in _BULLETS)
        | _OPEN_QUOTE * (c in "\"'\u201c\u2018")
    )


_LATIN1_BITS = np.array([_char_bits(c) for c in range(256)], dtype=np.uint16)


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _bits(codes: np.ndarray) -> np.ndarray:
    """The bits of each character (a table for Latin-1, the predicates for the few others a page holds)."""
    bits = _LATIN1_BITS.take(codes, mode="clip")
    wide = np.flatnonzero(codes > 255)
    if wide.size:
        bits[wide] = np.fromiter(map(_char_bits, codes[wide].tolist()), dtype=np.uint16, count=wide.size)
    return bits


# What a (lowercased) word says of its line, as bits; the end of a line is a word of its own.
_FUNCTION, _CTA, _RELATED, _PLATFORM, _CREDIT, _BRAND_WORD, _BRAND_LEAD, _MONTH, _LINE_END = (1 << b for b in range(9))
_BRANDS = [b.lower() for b in chardata.OUTLET_BRANDS]
# A brand that is one word is in a line's words exactly when _BRAND finds it; a longer one ('cnn indonesia',
# 'jpnn.com') or a domain needs the pattern, and only where its first word is one of the line's words (every
# brand opens with a word character: the tests check it).
_LEADS = {m.group() for b in (*_BRANDS, *_DOMAINS) if (m := _WORD.match(b)) and not _WORD.fullmatch(b)}
_LEADS |= {m.group() for d in _DOMAINS if (m := _WORD.match(d))}
_WORD_BITS: dict[str, int] = {"\x00": _LINE_END}
for _bit, _vocabulary in (
    (_FUNCTION, FUNCTION_WORDS), (_CTA, CTA_WORDS), (_RELATED, RELATED_WORDS), (_PLATFORM, PLATFORM_WORDS),
    (_CREDIT, CREDIT_WORDS), (_BRAND_WORD, {b for b in _BRANDS if _WORD.fullmatch(b)}), (_BRAND_LEAD, _LEADS),
    (_MONTH, chardata.MONTHS),
):  # fmt: skip
    for _w in _vocabulary:
        _WORD_BITS[_w] = _WORD_BITS.get(_w, 0) | _bit

_SEP = " \n "  # between a page's lines: no word, no token, no digit


def _line_starts(lengths: np.ndarray) -> np.ndarray:
    """Where each line starts in the lines joined with ``_SEP`` (each line's span runs to the next one's start:
    the separator adds nothing to a count)."""
    starts = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1] + len(_SEP), out=starts[1:])
    return starts


def _per_line(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    return np.add.reduceat(values, starts, dtype=np.int64)


def _tokens(codes: np.ndarray, bits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the page's whitespace-separated tokens open, and which open a token in capitals (more than one
    character, a capital and no lower case: ``str.isupper``)."""
    solid = (bits & _SPACE) == 0
    opens = solid.copy()
    opens[1:] &= ~solid[:-1]
    at = np.flatnonzero(opens)
    in_caps = np.zeros(len(codes), dtype=bool)
    if at.size:
        # each token's characters run from its first to the next token's first (the spaces between add nothing)
        upper = np.add.reduceat((bits & _UPPER) != 0, at, dtype=np.int64)
        uncaps = np.add.reduceat((bits & _UNCAPS) != 0, at, dtype=np.int64)
        chars = np.add.reduceat(solid, at, dtype=np.int64)
        in_caps[at] = (upper > 0) & (uncaps == 0) & (chars > 1)
    return opens, in_caps


def _words(page: str, lows: list[str], like: tuple[np.ndarray, np.ndarray, np.ndarray]) -> tuple[np.ndarray, ...]:
    r"""Per lowercased line (``lows``, joined with ``_SEP`` in ``page``): how many words (``\w+`` runs) it has, how
    many are function words, and the bits of all its words. ``like``: the original page's character bits, line
    starts and lengths, which hold for the lowercased page when it is as long (lowercasing a character into one
    keeps it a word character or not: the tests check it)."""
    codes = _codes(page + _SEP)
    bits, starts, lengths = like
    if len(codes) != len(bits):
        bits = _bits(codes)
        lengths = np.fromiter(map(len, lows), dtype=np.int64, count=len(lows))
        starts = _line_starts(lengths)
    # the page with every non-word character a space and each separator's newline a NUL: its split() is the
    # lines' words, in order, each line's closed by "\x00"
    blanked = np.where((bits & _WORDCHAR) != 0, codes, 32)
    blanked[starts + lengths + 1] = 0
    words = blanked.tobytes().decode("utf-32-le").split()
    bits = np.fromiter(map(_WORD_BITS.get, words, itertools.repeat(0)), dtype=np.uint16, count=len(words))
    ends = np.flatnonzero(bits & _LINE_END)
    opens = np.concatenate(([0], ends[:-1] + 1))
    function = np.add.reduceat((bits & _FUNCTION) != 0, opens, dtype=np.int64)
    return ends - opens, function, np.bitwise_or.reduceat(bits, opens)


def _searched(pattern: re.Pattern[str], texts: Sequence[str], maybe: np.ndarray) -> np.ndarray:
    """Whether ``pattern`` is in each text, searched only where ``maybe`` (a gate that every match passes)."""
    out = np.zeros(len(texts), dtype=bool)
    for i in np.flatnonzero(maybe).tolist():
        out[i] = pattern.search(texts[i]) is not None
    return out


def _line_of(starts: np.ndarray, positions: np.ndarray) -> NDArray[np.intp]:
    """The line (index into ``starts``, the lines' first characters) each character position is on."""
    return np.asarray(np.searchsorted(starts, positions, side="right"), dtype=np.intp) - 1


def shape_rows(texts: Sequence[str]) -> np.ndarray:
    """The shape of each of a page's non-empty lines, as the rows of a matrix with the columns of ``SHAPE``;
    the page's lines are read together, character by character.

    >>> rows = shape_rows(["Baca juga: Polisi Tangkap Dua Pencuri Motor", "Jakarta, 12 Mei 2024 10:15 WIB"])
    >>> rows[:, [SHAPE.index("related"), SHAPE.index("ends_terminal"), SHAPE.index("has_date")]].tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    """
    n = len(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    starts = _line_starts(lengths)
    page = _SEP.join(texts) + _SEP
    codes = _codes(page)
    bits = _bits(codes)
    last = codes[starts + lengths - 1]
    opens, in_caps = _tokens(codes, bits)
    tokens = _per_line(opens, starts)
    digits = _per_line((codes - 48) < 10, starts)  # codes are unsigned: 0-9 only
    # every date and time shape holds a digit, a separator and a digit; a date of words holds a month name
    pair = np.zeros(len(codes), dtype=bool)
    pair[:-2] = ((bits[:-2] & bits[2:] & _DECIMAL) != 0) & (((codes[1:-1] - 45) < 3) | (codes[1:-1] == 58))
    pairs = np.zeros(n, dtype=bool)
    pairs[_line_of(starts, np.flatnonzero(pair))] = True
    folds = np.zeros(n, dtype=bool)
    folds[_line_of(starts, np.flatnonzero(bits & _FOLDS))] = True
    lows = [t.lower() for t in texts]
    page_lo = _SEP.join(lows)
    words, function, found = _words(page_lo, lows, (bits, starts, lengths))
    stripped = [t.rstrip(_QUOTE_ENDS) for t in texts]
    ends_terminal = np.array([s[-1:] in _TERMINAL and s != "" for s in stripped], dtype=bool)
    nt = np.maximum(tokens, 1)
    brand = (found & _BRAND_WORD) != 0
    columns: dict[str, ArrayLike] = {
        "log_chars": np.log1p(lengths),
        "log_words": np.log1p(tokens),
        "ends_terminal": ends_terminal,
        "ends_colon": last == 58,
        "ends_comma": (last == 44) | (last == 59),
        "ends_bracket": (last == 41) | (last == 93),
        "starts_bullet": (bits[starts] & _BULLET) != 0,
        "starts_digit": (bits[starts] & _DIGIT) != 0,
        "starts_quote": (bits[starts] & _OPEN_QUOTE) != 0,
        "starts_lower": (bits[starts] & _LOWER) != 0,
        "cap_share": _per_line(opens & ((codes - 65) < 26), starts) / nt,
        "caps_share": _per_line(in_caps, starts) / nt,
        "digit_share": digits / lengths,
        "function_share": function / np.maximum(words, 1),
        "has_date": _searched(_DATE, texts, (digits > 0) & (pairs | folds | ((found & _MONTH) != 0))),
        "has_time": _searched(_TIME, texts, (digits > 0) & pairs),
        "has_pipe": "|" in page and [("|" in t) for t in texts],
        "has_url": ("http" in page_lo or "www." in page_lo or "@" in page)
        and [("http" in lo or "www." in lo or "@" in t) for t, lo in zip(texts, lows, strict=True)],
        "cta": (found & _CTA) != 0,
        "related": (found & _RELATED) != 0,
        "platform": (found & _PLATFORM) != 0,
        "credit": (found & _CREDIT) != 0,
        "brand": brand | _searched(_BRAND, lows, ~brand & ((found & _BRAND_LEAD) != 0)),
        "short": tokens <= 3,
        "very_long": tokens >= 25,
        "sentence": ends_terminal & (tokens >= 8),
        "ends_ellipsis": [t.endswith(("...", "\u2026")) for t in texts],
    }
    out = np.zeros((len(SHAPE), n))
    for name, values in columns.items():
        out[_IDX[name]] = values
    return out.T


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


def _window_mean(padded: np.ndarray, n: int, before: int, after: int, pad: int) -> np.ndarray:
    """The mean of each of ``n`` values and its neighbours, ``before`` above and ``after`` below (as many as there
    are), summed in order as ``sum(values[lo:hi])`` does; ``padded``: the values with ``pad`` zeros each side."""
    total = np.zeros(n)
    for k in range(pad - before, pad + after + 1):
        total += padded[k : k + n]
    i = np.arange(n)
    return total / (np.minimum(n, i + after + 1) - np.maximum(0, i - before))


def _short_runs(sentence: np.ndarray) -> np.ndarray:
    """For each line that is not a sentence, the length of the run of such lines it is in (menus, lists,
    widgets); 0 for a sentence."""
    other = sentence == 0
    opens = other.copy()
    opens[1:] &= ~other[:-1]
    run = np.cumsum(opens) - 1
    out = np.zeros(len(sentence))
    out[other] = np.bincount(run[other])[run[other]]
    return out


def page_features(texts: Sequence[str], rule_junk: Sequence[bool], rule_meta: Sequence[bool]) -> np.ndarray:
    """Feature rows for a page's non-empty lines (``texts``), in order, with what the rule table said of each
    (``rule_junk``: removed as boilerplate; ``rule_meta``: lifted as metadata), as a matrix with the columns
    of ``NAMES``.

    >>> rows = page_features(["Menu", "Polisi menangkap dua orang yang diduga mencuri motor di Bekasi.", "Terpopuler"],
    ...                      [False, False, False], [False, False, False])
    >>> rows.shape == (3, len(NAMES)), rows[1, len(SHAPE) + CONTEXT.index("in_core")]
    (True, np.float64(1.0))
    """
    n = len(texts)
    out = np.zeros((n, len(NAMES)))
    if n == 0:
        return out
    shape, context = out[:, : len(SHAPE)], out[:, len(SHAPE) :]
    shape[:] = shape_rows(texts)
    seen = collections.Counter(texts)
    shape[:, _IDX["rule_junk"]] = rule_junk
    shape[:, _IDX["rule_meta"]] = rule_meta
    shape[:, _IDX["repeated"]] = [seen[t] > 1 for t in texts]
    sentence = shape[:, _IDX["sentence"]]
    # the core's gains as the line-by-line computation had them: expm1 of log1p of the token count, in floats
    tokens = np.rint(np.expm1(shape[:, _IDX["log_words"]])).astype(np.int64).tolist()
    start, end = _core(sentence.tolist(), [math.expm1(math.log1p(k)) for k in tokens])
    i = np.arange(n)
    context[:, _AROUND] = np.hstack(
        [np.vstack([_BEFORE_FIRST, shape[:-1, _FROM_PREV]]), np.vstack([shape[1:, _FROM_NEXT], _AFTER_LAST])]
    )
    columns: dict[str, ArrayLike] = {
        "rel_pos": i / n,
        "in_core": (start <= i) & (i <= end),
        "before_core": i < start,
        "after_core": i > end,
        "log_to_core": np.log1p(np.where(i < start, start - i, np.where(i > end, i - end, 0))),
        "short_run": np.log1p(_short_runs(sentence)),
        "lines_left": np.log1p(n - 1 - i),
        "window_sentence": _window_mean(np.concatenate(([0.0, 0.0], sentence, [0.0, 0.0])), n, 2, 2, 2),
        "doc_log_lines": math.log1p(n),
        "doc_sentence_share": float(sentence.sum()) / n,
    }
    for name, values in columns.items():
        context[:, CONTEXT.index(name)] = values
    return out


# A line's neighbours' shape features among its context features: (context name, shape name, the value a line
# has with no neighbour there).
_PREV = [
    ("prev_sentence", "sentence", 0.0), ("prev_rule_junk", "rule_junk", 0.0), ("prev_related", "related", 0.0),
    ("prev_short", "short", 1.0), ("prev_ends_colon", "ends_colon", 0.0), ("prev_has_date", "has_date", 0.0),
]  # fmt: skip
_NEXT = [
    ("next_sentence", "sentence", 0.0), ("next_rule_junk", "rule_junk", 0.0), ("next_related", "related", 0.0),
    ("next_short", "short", 1.0), ("next_has_date", "has_date", 0.0),
]  # fmt: skip
_AROUND = [CONTEXT.index(c) for c, _, _ in _PREV + _NEXT]
_FROM_PREV, _FROM_NEXT = [_IDX[f] for _, f, _ in _PREV], [_IDX[f] for _, f, _ in _NEXT]
_BEFORE_FIRST, _AFTER_LAST = np.array([[v for _, _, v in _PREV]]), np.array([[v for _, _, v in _NEXT]])


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
    i = np.arange(n)
    body = probs >= 0.5
    last = np.concatenate(([-1], np.maximum.accumulate(np.where(body, i, -1))[:-1]))  # the body line above
    following = np.concatenate((np.minimum.accumulate(np.where(body, i, n)[::-1])[::-1][1:], [n]))  # below
    padded = np.concatenate((np.zeros(3), probs, np.zeros(3)))
    extra = np.stack(
        [
            probs,
            padded[2 : n + 2],
            padded[4 : n + 4],
            padded[1 : n + 1],
            padded[5 : n + 5],
            _window_mean(padded, n, 3, 3, 3),
            np.log1p(np.where(last >= 0, i - last, n)),
            np.log1p(np.where(following < n, following - i, n)),
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
