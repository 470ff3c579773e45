"""Boilerplate learned from the corpus: lines an outlet repeats across many of its articles.

No rule names every outlet's footers, promos and widget text, but they repeat, word for word,
across that outlet's articles. Body text can repeat too (a wire story syndicated twice, a
standard background paragraph), so a repeated line is removed only with more than one signal:

1. it appears in at least ``min_articles`` different articles of the same outlet; and
2. its shape or place says boilerplate: it is not a full sentence (a widget label, a slogan), or
   it stands in the first two or last three body paragraphs and has at most 30 words.

A full sentence in the middle of the body is never removed this way.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from berita.transforms import shapes

EDGE_HEAD = 2
EDGE_TAIL = 3
MAX_EDGE_WORDS = 30
DEFAULT_MIN_ARTICLES = 3
_NON_WORD = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    """Case, punctuation and digits folded, so trivial variants count as one line.

    >>> normalize("Dapatkan update berita 24/7 di Google News!")
    'dapatkan update berita di google news'
    """
    return _NON_WORD.sub(" ", re.sub(r"\d+", " ", text.lower())).strip()


def line_hash(text: str) -> str:
    return hashlib.blake2b(normalize(text).encode(), digest_size=8).hexdigest()


@dataclass(frozen=True)
class Candidate:
    """A paragraph that could be learned boilerplate: its hash, its text and the article it is in."""

    article_id: str
    seq: int
    hash: str
    text: str


def candidates(article_id: str, paragraphs: list[tuple[int, str, str]]) -> list[Candidate]:
    """The paragraphs of one article whose shape or place allows removal (see module doc).

    ``paragraphs`` are (seq, kind, text) of body and subheading paragraphs, in order.

    >>> ps = [(0, "body", "Kalimat pertama yang cukup panjang untuk menjadi isi berita ini."),
    ...       (1, "body", "Kalimat tengah yang juga cukup panjang untuk menjadi isi berita ini."),
    ...       (2, "body", "Kalimat tengah kedua yang juga cukup panjang untuk isi berita ini."),
    ...       (3, "body", "Kalimat tengah ketiga yang cukup panjang untuk menjadi isi berita."),
    ...       (4, "body", "Kalimat tengah keempat yang cukup panjang untuk menjadi isi berita."),
    ...       (5, "body", "Kalimat tengah kelima yang cukup panjang untuk menjadi isi berita."),
    ...       (6, "body", "Ikuti kami di media sosial"), (7, "body", "Kalimat penutup.")]
    >>> [c.seq for c in candidates("a", ps)]
    [0, 1, 5, 6, 7]
    >>> [c.seq for c in candidates("a", ps[:4] + ps[6:7])]  # a short article: only the slogan
    [6]
    """
    found = []
    last = len(paragraphs)
    # In a short article the edges are the middle: a syndicated sentence there is body text.
    has_middle = last >= EDGE_HEAD + EDGE_TAIL + 2
    for position, (seq, _kind, text) in enumerate(paragraphs):
        at_edge = has_middle and (position < EDGE_HEAD or position >= last - EDGE_TAIL)
        allowed = not shapes.is_sentence_like(text) or (at_edge and shapes.word_count(text) <= MAX_EDGE_WORDS)
        if allowed and normalize(text):
            found.append(Candidate(article_id, seq, line_hash(text), text))
    return found


def learned_boilerplate(counts: Iterable[tuple[str, str, int]], min_articles: int) -> dict[str, set[str]]:
    """Outlet -> hashes seen in at least ``min_articles`` different articles of that outlet.

    ``counts`` are (outlet, hash, number of articles), summed over earlier runs and this one.
    """
    learned: dict[str, set[str]] = {}
    for outlet, digest, articles in counts:
        if articles >= min_articles:
            learned.setdefault(outlet, set()).add(digest)
    return learned


def rule_id(outlet: str) -> str:
    """The audit rule id of a line learned for ``outlet``: 'repeated.<outlet>'."""
    return f"repeated.{outlet}"
