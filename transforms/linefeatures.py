"""Shape and context features of a page's lines, for the learned line classifier (pure; no IO).

A line is judged by what it looks like (length, sentence end, capitals, digits, dates, list marks, Indonesian
function words, call-to-action and brand vocabulary) and by where it sits: relative to the page's core (the
densest run of running text), to its neighbours, and to the run of short lines around it. Nothing here names an
outlet or a string of one page: the same features describe a page from an outlet never seen.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from berita.transforms import chardata
from berita.transforms.blocks import DOM

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
_BRAND = re.compile(rf"\.(?:com|co\.id|id|net|co|tv)\b|\b(?:{chardata.BRAND_ALT.lower()})\b")

_NO_UPPER = str.maketrans("", "", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _all_caps(token: str) -> bool:
    """A word in capitals ('JAKARTA', 'ILUSTRASI.'); 'KOMPAS.com' and 'A' are not."""
    return len(token) > 1 and token.isupper()


_TERMINAL = frozenset(".!?\u2026")
_QUOTE_ENDS = frozenset("\"'\u201d\u2019")
_BULLETS = frozenset("-\u2022*\u00bb\u203a>\u2013\u2014\u25aa\u25cf")

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


def has_credit_word(text: str) -> bool:
    """Whether a line names a picture's source ('Foto: ...', 'ILUSTRASI', 'Dok. ...', '/AntaraFoto').

    >>> has_credit_word("Warga antre di Kupang. (Foto: Dok. Istimewa)"), has_credit_word("Warga antre di Kupang")
    (True, False)
    """
    return not CREDIT_WORDS.isdisjoint(_WORD.findall(text.lower()))


def shape_features(text: str) -> list[float]:
    """The shape of one line, as floats in the order of ``SHAPE``.

    >>> f = shape_features("Baca juga: Polisi Tangkap Dua Pencuri Motor")
    >>> f[SHAPE.index("related")], f[SHAPE.index("ends_terminal")]
    (1.0, 0.0)
    """
    n = len(text)
    lo = text.lower()
    tokens = text.split()
    words = _WORD.findall(lo)
    nw = len(words) or 1
    last = text[-1]
    stripped = text.rstrip("\"'\u201d\u2019)")
    ends_terminal = bool(stripped) and stripped[-1] in _TERMINAL
    firsts = "".join([t[0] for t in tokens])
    caps = len(firsts) - len(firsts.translate(_NO_UPPER))
    allcaps = sum(map(_all_caps, tokens))
    digits = sum(map(text.count, "0123456789"))
    wordset = set(words)
    maybe_date = digits > 0  # every date and time shape holds a digit
    nt = len(tokens) or 1
    return [
        math.log1p(n),
        math.log1p(len(tokens)),
        float(ends_terminal),
        float(last == ":"),
        float(last in ",;"),
        float(last in ")]"),
        float(text[0] in _BULLETS),
        float(text[0].isdigit()),
        float(text[0] in "\"'\u201c\u2018"),
        float(text[0].islower()),
        caps / nt,
        allcaps / nt,
        digits / n,
        sum(map(FUNCTION_WORDS.__contains__, words)) / nw,
        float(maybe_date and _DATE.search(text) is not None),
        float(maybe_date and _TIME.search(text) is not None),
        float("|" in text),
        float("http" in lo or "www." in lo or "@" in text),
        float(not CTA_WORDS.isdisjoint(wordset)),
        float(not RELATED_WORDS.isdisjoint(wordset)),
        float(not PLATFORM_WORDS.isdisjoint(wordset)),
        float(not CREDIT_WORDS.isdisjoint(wordset)),
        float(_BRAND.search(lo) is not None),
        float(len(tokens) <= 3),
        float(len(tokens) >= 25),
        float(ends_terminal and len(tokens) >= 8),
        float(text.endswith(("...", "\u2026"))),
        0.0,  # rule_junk, rule_meta, repeated: filled in from the page (see ``page_features``)
        0.0,
        0.0,
    ]


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


def page_features(texts: Sequence[str], rule_junk: Sequence[bool], rule_meta: Sequence[bool]) -> list[list[float]]:
    """Feature rows for a page's non-empty lines (``texts``), in order, with what the rule table said of each
    (``rule_junk``: removed as boilerplate; ``rule_meta``: lifted as metadata).

    >>> rows = page_features(["Menu", "Polisi menangkap dua orang yang diduga mencuri motor di Bekasi.", "Terpopuler"],
    ...                      [False, False, False], [False, False, False])
    >>> len(rows), len(rows[0]) == len(NAMES), rows[1][len(SHAPE) + CONTEXT.index("in_core")]
    (3, True, 1.0)
    """
    n = len(texts)
    if n == 0:
        return []
    rows = [shape_features(t) for t in texts]
    seen: dict[str, int] = {}
    for t in texts:
        seen[t] = seen.get(t, 0) + 1
    i_sentence, i_words, i_short, i_related, i_colon, i_date = (
        _IDX["sentence"], _IDX["log_words"], _IDX["short"], _IDX["related"], _IDX["ends_colon"], _IDX["has_date"]
    )  # fmt: skip
    for row, t, junk, meta in zip(rows, texts, rule_junk, rule_meta, strict=True):
        row[_IDX["rule_junk"]] = float(junk)
        row[_IDX["rule_meta"]] = float(meta)
        row[_IDX["repeated"]] = float(seen[t] > 1)
    sentence = [r[i_sentence] for r in rows]
    words = [math.expm1(r[i_words]) for r in rows]
    start, end = _core(sentence, words)
    # Runs of consecutive short, non-sentence lines (menus, lists, widgets).
    run_len = [0] * n
    i = 0
    while i < n:
        j = i
        while j < n and not sentence[j]:
            j += 1
        for k in range(i, j):
            run_len[k] = j - i
        i = max(j, i + 1)
    doc_share = sum(sentence) / n
    out = []
    for i, row in enumerate(rows):
        prev = rows[i - 1] if i > 0 else None
        nxt = rows[i + 1] if i + 1 < n else None
        lo, hi = max(0, i - 2), min(n, i + 3)
        to_core = start - i if i < start else (i - end if i > end else 0)
        out.append(
            [
                *row,
                i / n,
                float(start <= i <= end),
                float(i < start),
                float(i > end),
                math.log1p(to_core),
                math.log1p(run_len[i]),
                math.log1p(n - 1 - i),
                prev[i_sentence] if prev else 0.0,
                nxt[i_sentence] if nxt else 0.0,
                prev[_IDX["rule_junk"]] if prev else 0.0,
                nxt[_IDX["rule_junk"]] if nxt else 0.0,
                prev[i_related] if prev else 0.0,
                nxt[i_related] if nxt else 0.0,
                prev[i_short] if prev else 1.0,
                nxt[i_short] if nxt else 1.0,
                sum(sentence[lo:hi]) / (hi - lo),
                prev[i_colon] if prev else 0.0,
                math.log1p(n),
                doc_share,
                prev[i_date] if prev else 0.0,
                nxt[i_date] if nxt else 0.0,
            ]
        )
    return out


# The second pass: each line's first-pass P(body) and its neighbours', so a related block runs until running
# text resumes (a small stacked model in place of a sequence model).
STACKED = ("p", "p_prev", "p_next", "p_prev2", "p_next2", "p_window7", "log_since_body", "log_until_body")
STACKED_NAMES = NAMES + STACKED


def stacked_features(rows: Sequence[list[float]], probs: Sequence[float]) -> list[list[float]]:
    """First-pass rows extended with the first-pass probabilities around each line.

    >>> out = stacked_features([[0.0], [0.0], [0.0]], [0.9, 0.1, 0.8])
    >>> [round(v, 3) for v in out[1][1:]]
    [0.1, 0.9, 0.8, 0.0, 0.0, 0.6, 0.693, 0.693]
    """
    n = len(probs)
    since, until = [0] * n, [0] * n
    last = -1
    for i, p in enumerate(probs):
        since[i] = i - last if last >= 0 else n
        if p >= 0.5:
            last = i
    nxt = -1
    for i in range(n - 1, -1, -1):
        until[i] = nxt - i if nxt >= 0 else n
        if probs[i] >= 0.5:
            nxt = i
    out = []
    for i, row in enumerate(rows):
        lo, hi = max(0, i - 3), min(n, i + 4)
        out.append(
            [
                *row,
                probs[i],
                probs[i - 1] if i > 0 else 0.0,
                probs[i + 1] if i + 1 < n else 0.0,
                probs[i - 2] if i > 1 else 0.0,
                probs[i + 2] if i + 2 < n else 0.0,
                sum(probs[lo:hi]) / (hi - lo),
                math.log1p(since[i]),
                math.log1p(until[i]),
            ]
        )
    return out


# HTML pages: the text features, what the DOM says of each block, and whether the block is in what an article
# extractor (trafilatura) took and in the page's own JSON-LD articleBody.
HTML_NAMES = NAMES + DOM + ("in_extract", "in_article_body", "has_article_body")
HTML_STACKED_NAMES = HTML_NAMES + STACKED


def fold_for_match(text: str) -> str:
    """Lower case, spacing folded: how a block is looked up in an extractor's text."""
    return " ".join(text.split()).lower()


def html_page_features(
    rows: Sequence[list[float]], dom: Sequence[Sequence[float]], texts: Sequence[str], extract: str, body: str | None
) -> list[list[float]]:
    """Text feature rows (from :func:`page_features`) of an HTML page's blocks, extended with each block's DOM
    features and whether the folded ``extract`` (and the folded JSON-LD ``body``) holds the block's text."""
    has_body = float(bool(body))
    out = []
    for row, d, text in zip(rows, dom, texts, strict=True):
        key = fold_for_match(text)
        out.append(row + list(d) + [float(key in extract), float(bool(body) and key in body), has_body])  # type: ignore[operator]
    return out
