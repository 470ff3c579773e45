"""Bounded cost per document: every transform is linear (or close) in its input. Each hostile shape is cleaned
at a size and at four times that size; a quadratic step would take about sixteen times as long, a linear one
about four. (Each time is the fastest of five runs after a warm-up, in this process: a shared machine's noise only
ever adds time, so the minimum is the steadiest estimate of the cost.)"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest

from berita.transforms.article import CleanOptions, clean_document
from tests.conftest import REPO

SEED = sorted((REPO / "seeds").glob("*.txt"))[1].read_bytes()
# No bounds: the test times the transforms, not the bounds that spare them such inputs.
UNBOUNDED = 1 << 30
OPTIONS = CleanOptions(
    "cost", "cost", detect_language=False, max_input_bytes=UNBOUNDED, max_text_chars=UNBOUNDED,
    max_text_lines=UNBOUNDED, max_html_tags=UNBOUNDED, max_seconds=1e9,
)  # fmt: skip
GROWTH = 4
# Linear growth is 4x; 8x leaves room for noise and caches and still fails a quadratic step (16x).
MAX_RATIO = 8.0

SHAPES: dict[str, tuple[Callable[[int], bytes], int]] = {
    "an ampersand escaped again and again": (lambda n: b"&" + b"amp;" * n + b"\n" + SEED, 100_000),
    "a page then ad labels": (lambda n: SEED + b"\nADVERTISEMENT" * n, 5_000),
    "a page then Baca juga links": (lambda n: SEED + b"".join(b"\nBaca juga: Judul %d" % i for i in range(n)), 2_000),
    "many short distinct lines": (lambda n: b"".join(b"Baris pendek nomor %d\n" % i for i in range(n)), 2_000),
    "one long line of words": (lambda n: b"Kata demi kata ditulis. " * n, 20_000),
    "sentences glued without spaces": (lambda n: b"Ia datang.Lalu pergi." * n, 5_000),
    "a page then one glued ad after each sentence": (
        lambda n: SEED + b"\n" + b"Harga naik lagi. ADVERTISEMENT " * n,
        5_000,
    ),
    "HTML with a run of escaped ampersands": (
        lambda n: b"<html><body><article><h1>Judul Berita</h1><p>" + b"&amp;" * n + b"</p></article></body></html>",
        10_000,
    ),
    "HTML with many paragraphs": (
        lambda n: (
            b"<html><body><h1>Judul Berita Hari Ini</h1>"
            + b"".join(b"<p>Kalimat nomor %d ditulis di sini untuk pembaca.</p>" % i for i in range(n))
            + b"</body></html>"
        ),
        1_000,
    ),
}


def _seconds(data: bytes, kind: str) -> float:
    clean_document(data, "cost", OPTIONS, kind=kind)
    runs = []
    for _ in range(5):
        gc.collect()
        start = time.perf_counter()
        clean_document(data, "cost", OPTIONS, kind=kind)
        runs.append(time.perf_counter() - start)
    return min(runs)


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_cost_grows_linearly(shape: str) -> None:
    make, n = SHAPES[shape]
    kind = "html" if shape.startswith("HTML") else "text"
    small, large = _seconds(make(n), kind), _seconds(make(n * GROWTH), kind)
    ratio = large / max(small, 1e-3)
    assert ratio < MAX_RATIO, f"{shape}: {GROWTH}x the input took {ratio:.1f}x the time ({small:.3f}s, {large:.3f}s)"
