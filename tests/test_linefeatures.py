"""The line model's features, built a line at a time into one matrix a page, are exactly those of a plain line-by-line
reference (the one the shipped weights were first trained on): on every labelled line and on generated text."""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from berita.transforms import chardata
from berita.transforms import linefeatures as lf
from berita.transforms.repair import repair_text
from berita.transforms.strip import strip_boilerplate
from tests.conftest import REPO

REALPAGES = REPO.parent / "shared" / "realpages"
GOLDEN = REPO / "tests" / "golden"

# --- The reference: one line at a time, in plain Python ---------------------------------------------------

# The patterns themselves are the package's (they define the features); the reference checks how the page-at-a-
# time code gates and counts around them.
_WORD, _DATE, _TIME, _BRAND = lf._WORD, lf._DATE, lf._TIME, lf._BRAND


def reference_shape(text: str) -> list[float]:
    lo = text.lower()
    tokens = text.split()
    words = _WORD.findall(lo)
    wordset = set(words)
    stripped = text.rstrip("\"'\u201d\u2019)")
    ends_terminal = bool(stripped) and stripped[-1] in ".!?\u2026"
    nt = len(tokens) or 1
    digits = sum(c in "0123456789" for c in text)
    return [
        math.log1p(len(text)),
        math.log1p(len(tokens)),
        float(ends_terminal),
        float(text[-1] == ":"),
        float(text[-1] in ",;"),
        float(text[-1] in ")]"),
        float(text[0] in "-\u2022*\u00bb\u203a>\u2013\u2014\u25aa\u25cf"),
        float(text[0].isdigit()),
        float(text[0] in "\"'\u201c\u2018"),
        float(text[0].islower()),
        sum(t[0] in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for t in tokens) / nt,
        sum(len(t) > 1 and t.isupper() for t in tokens) / nt,
        digits / len(text),
        sum(w in lf.FUNCTION_WORDS for w in words) / (len(words) or 1),
        float(digits > 0 and _DATE.search(text) is not None),
        float(digits > 0 and _TIME.search(text) is not None),
        float("|" in text),
        float("http" in lo or "www." in lo or "@" in text),
        float(bool(lf.CTA_WORDS & wordset)),
        float(bool(lf.RELATED_WORDS & wordset)),
        float(bool(lf.PLATFORM_WORDS & wordset)),
        float(bool(lf.CREDIT_WORDS & wordset)),
        float(_BRAND.search(lo) is not None),
        float(len(tokens) <= 3),
        float(len(tokens) >= 25),
        float(ends_terminal and len(tokens) >= 8),
        float(text.endswith(("...", "\u2026"))),
        0.0,
        0.0,
        0.0,
    ]


def reference_page(texts: Sequence[str], junk: Sequence[bool], meta: Sequence[bool]) -> list[list[float]]:
    n = len(texts)
    rows = [reference_shape(t) for t in texts]
    at = {name: i for i, name in enumerate(lf.SHAPE)}
    for row, t, j, m in zip(rows, texts, junk, meta, strict=True):
        row[at["rule_junk"]], row[at["rule_meta"]], row[at["repeated"]] = float(j), float(m), float(texts.count(t) > 1)
    sentence = [r[at["sentence"]] for r in rows]
    start, end = lf._core(sentence, [math.expm1(r[at["log_words"]]) for r in rows])
    run_len = [0] * n
    for i in range(n):
        if not sentence[i]:
            j, k = i, i
            while j > 0 and not sentence[j - 1]:
                j -= 1
            while k < n and not sentence[k]:
                k += 1
            run_len[i] = k - j
    out = []
    for i, row in enumerate(rows):
        prev, nxt = (rows[i - 1] if i > 0 else None), (rows[i + 1] if i + 1 < n else None)
        lo, hi = max(0, i - 2), min(n, i + 3)

        def before(name: str, default: float = 0.0, r: list[float] | None = prev) -> float:
            return r[at[name]] if r else default

        def after(name: str, default: float = 0.0, r: list[float] | None = nxt) -> float:
            return r[at[name]] if r else default

        to_core = start - i if i < start else (i - end if i > end else 0)
        out.append(
            [*row, i / n, float(start <= i <= end), float(i < start), float(i > end), math.log1p(to_core),
             math.log1p(run_len[i]), math.log1p(n - 1 - i), before("sentence"), after("sentence"),
             before("rule_junk"), after("rule_junk"), before("related"), after("related"), before("short", 1.0),
             after("short", 1.0), sum(sentence[lo:hi]) / (hi - lo), before("ends_colon"), math.log1p(n),
             sum(sentence) / n, before("has_date"), after("has_date"), *reference_list(texts, rows, sentence, i)]
        )  # fmt: skip
    return out


def reference_list(texts: Sequence[str], rows: list[list[float]], sentence: list[float], i: int) -> list[float]:
    """The list features of line ``i``, one line at a time."""
    at = {name: k for k, name in enumerate(lf.SHAPE)}

    def lead(k: int) -> bool:
        text, low, words = texts[k], texts[k].lower(), texts[k].split()
        if rows[k][at["rule_junk"]] or text[:1] in lf.shapes.LIST_BULLETS or low.startswith(lf.shapes._CALL_OPENERS):
            return False
        if text.endswith(":"):
            return low.startswith("berikut") or len(words) >= 4
        if sum(w[0].isupper() for w in words) > len(words) / 2:
            return False
        return low.startswith("berikut") or low.rstrip(" .:").endswith(lf.shapes.LEAD_IN_ENDS)

    match = re.match(r"([^:]{1,60}?):\s+\S", texts[i])
    label = match is not None and len(match.group(1).split()) <= 6
    if sentence[i]:
        return [float(label), float(lead(i)), 0.0, 0.0]
    start, end = i, i
    while start > 0 and not sentence[start - 1]:
        start -= 1
    while end + 1 < len(texts) and not sentence[end + 1]:
        end += 1
    after = any(lead(k) for k in range(max(0, start - 1), i))
    return [float(label), float(lead(i)), float(after), float(start > 0 and end + 1 < len(texts))]


def reference_stacked(rows: list[list[float]], probs: list[float]) -> list[list[float]]:
    n = len(probs)
    out = []
    for i, row in enumerate(rows):
        above = [j for j in range(i) if probs[j] >= 0.5]
        below = [j for j in range(i + 1, n) if probs[j] >= 0.5]
        lo, hi = max(0, i - 3), min(n, i + 4)
        out.append(
            [*row, probs[i], probs[i - 1] if i > 0 else 0.0, probs[i + 1] if i + 1 < n else 0.0,
             probs[i - 2] if i > 1 else 0.0, probs[i + 2] if i + 2 < n else 0.0, sum(probs[lo:hi]) / (hi - lo),
             math.log1p(i - above[-1] if above else n), math.log1p(below[0] - i if below else n)]
        )  # fmt: skip
    return out


def assert_same_features(texts: list[str], junk: list[bool], meta: list[bool]) -> None:
    expected = np.array(reference_page(texts, junk, meta)).reshape(len(texts), len(lf.NAMES))
    got = lf.page_features(texts, junk, meta)
    assert got.shape == expected.shape
    bad = np.argwhere(np.abs(got - expected) > 1e-9)
    assert not bad.size, [(texts[i], lf.NAMES[j], got[i, j], expected[i, j]) for i, j in bad[:5]]
    probs = [(i * 0.37) % 1.0 for i in range(len(texts))]
    stacked = lf.stacked_features(got, np.array(probs))
    assert (
        np.abs(stacked - np.array(reference_stacked(expected.tolist(), probs)).reshape(stacked.shape)).max(initial=0.0)
        <= 1e-9
    )


# --- The checks --------------------------------------------------------------------------------------------


def _labelled_pages() -> list[tuple[str, list[str], list[bool], list[bool]]]:
    from berita.train import read_training_pages

    pages = read_training_pages(REALPAGES if (REALPAGES / "gold.jsonl").is_file() else None, GOLDEN)
    out = []
    for page in pages:
        if page.kind != "text":
            continue
        lines = repair_text("\n".join(page.lines)).lines
        removed = strip_boilerplate(lines).removed
        junk = {r.line_no for r in removed if r.category != "metadata"}
        meta = {r.line_no for r in removed if r.category == "metadata"}
        numbers = [i for i, t in enumerate(lines) if t]
        out.append((page.name, [lines[i] for i in numbers], [i in junk for i in numbers], [i in meta for i in numbers]))
    return out


def test_every_labelled_page_has_the_reference_features() -> None:
    pages = _labelled_pages()
    assert len(pages) > 20
    for _, texts, junk, meta in pages:
        if texts:
            assert_same_features(texts, junk, meta)


PIECES = st.sampled_from(
    [
        "12 Mei 2024", "3/4/2024", "10:15 WIB", "04/3/2024 09:58", "5 ſeptember", "7 APRİL", "1 K", "2 Juni.",
        "KOMPAS.com", "CNN Indonesia", "cnn  indonesia", "jpnn.com", "detikNews", "Liputan6.com", "TEMPO.CO",
        ".co.id", "Baca juga:", "Foto: Dok. Istimewa", "http://x.id", "www.", "@akun", "|", "...", "\u2026", "DPR",
        "A", "(A)", "ǅemal", "Σ", "ΣΑΣ", "İ", "\u00a0", "\u2028", "\u3000", "\x85", "_", "\u0663\u0664:\u0665\u0666",
        "\u201cKata", "dia.\u201d", "- ", "\u2022 ", "yang", "dan", "KLIK", "tonton", "youtube", "\ud800", "x\x00y",
    ]
)  # fmt: skip
LINE = st.lists(st.one_of(PIECES, st.text(min_size=1, max_size=12)), min_size=1, max_size=8).map(" ".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(LINE.filter(bool), st.booleans(), st.booleans()), min_size=1, max_size=12))
def test_generated_pages_have_the_reference_features(lines: list[tuple[str, bool, bool]]) -> None:
    assert_same_features([t for t, _, _ in lines], [j for _, j, _ in lines], [m for _, _, m in lines])


def test_the_gates_hold_for_every_character() -> None:
    """What the gates before the date and brand patterns assume of Unicode (and of Python's ``re``)."""
    letter = re.compile("[a-z]", re.IGNORECASE)
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        is_word = _WORD.fullmatch(c) is not None
        # a month name is a word of the lowercased line unless it is written with one of these
        assert (code > 127 and letter.fullmatch(c) is not None) == (c in lf.FOLDS_TO_ASCII)
        assert not (c.isspace() and c.lower() != c)
        assert is_word or not _WORD.match(c.lower())
        assert not (is_word and c.isspace())  # split() of the page with non-words blanked gives its words
        lower = c.lower()  # a page that lowercases to as many characters keeps its word characters in place
        assert len(lower) != 1 or is_word == (_WORD.fullmatch(lower) is not None)


def test_every_brand_opens_with_a_word() -> None:
    assert all(_WORD.match(b) for b in chardata.OUTLET_BRANDS)


@pytest.mark.parametrize("text", ["Baca juga: Polisi Tangkap Dua Pencuri Motor", "JAKARTA, KOMPAS.com - Warga"])
def test_one_line_is_a_page_of_one(text: str) -> None:
    assert lf.shape_features(text) == reference_shape(text) and len(reference_shape(text)) == len(lf.SHAPE)
