"""Duplicate bodies: an exact key for identical cleaned bodies, MinHash for near-identical ones.

Syndicated stories (an Antara wire copied by three outlets, one outlet's story re-posted under a
new URL) reach berita as different bytes, so the input hash cannot see them. Two keys can:

* :func:`body_key` hashes the normalised body (case, whitespace and punctuation folded): two
  inputs with the same key carry the same article, and berita writes it once.
* :func:`signature` is a MinHash (datasketch) of the body's word 5-shingles; two signatures that
  agree on at least :data:`NEAR_THRESHOLD` of their slots estimate a Jaccard similarity that high.
  :class:`DuplicateIndex` finds candidates by locality-sensitive hashing over bands of the
  signature and confirms each one by its estimated similarity, so a band collision alone never
  flags a pair.

Everything here is pure and deterministic: the same bodies in the same order give the same answer.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from datasketch import MinHash

NUM_PERM = 64
BANDS, ROWS = 16, 4  # 16 x 4 = 64 slots; a pair with similarity 0.8 shares a band with p > 0.999
NEAR_THRESHOLD = 0.8
MIN_SHINGLES = 20  # shorter bodies are too small for similarity to mean "the same story"
SHINGLE = 5

_WORD = re.compile(r"\w+")
_SEED = 20231218


# ASCII bytes that are not \w become spaces; common typographic punctuation too, so that most
# bodies take the fast bytes path (bytes.translate and bytes.split run in C, far faster than a
# regex over the text) and give exactly the words the regex would.
_ASCII_FOLD = bytes(c if chr(c).isalnum() or c == ord("_") else 32 for c in range(128)) + bytes(range(128, 256))
_PUNCTUATION = "\u201c\u201d\u2018\u2019\u2013\u2014\u2026\u00a0"


def _words(body: str) -> list[bytes]:
    """The body's words (``\\w+`` after NFKC and case folding), UTF-8 encoded.

    >>> _words("Harga \u201cnaik\u201d, kata-nya.") == _words("harga naik KATA NYA")
    True
    >>> _words("Caf\u00e9 ZA\u00df")
    [b'caf\\xc3\\xa9', b'zass']
    """
    if not body.isascii():
        for char in _PUNCTUATION:
            if char in body:
                body = body.replace(char, " ")
    if body.isascii():  # ASCII case folding is lower(), and NFKC changes nothing
        return body.encode("ascii").lower().translate(_ASCII_FOLD).split()
    return [w.encode("utf-8") for w in _WORD.findall(unicodedata.normalize("NFKC", body).casefold())]


def body_key(body: str) -> str:
    """Hash of the body with case, whitespace and punctuation folded away.

    >>> body_key("Harga naik, kata dia.") == body_key("harga  naik kata DIA")
    True
    >>> body_key("Harga naik.") == body_key("Harga turun.")
    False
    """
    return hashlib.blake2b(b" ".join(_words(body)), digest_size=16).hexdigest()


def _shingles(words: list[bytes]) -> list[bytes]:
    return [b" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)]


_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme="affine32")


def signature(body: str) -> np.ndarray | None:
    """MinHash of the body's word 5-shingles (``NUM_PERM`` uint32), or None for a body too short.

    >>> a = signature(" ".join(f"kata{i}" for i in range(200)))
    >>> b = signature(" ".join(f"kata{i}" for i in range(190)) + " lain")
    >>> round(similarity(a, b), 1) >= 0.8
    True
    >>> signature("terlalu pendek") is None
    True
    """
    shingles = _shingles(_words(body))
    if len(shingles) < MIN_SHINGLES:
        return None
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, permutations=_TEMPLATE.permutations, scheme="affine32")
    minhash.update_batch(shingles)
    return np.asarray(minhash.hashvalues, dtype=np.uint32)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures: the share of slots that agree."""
    return float(np.count_nonzero(a == b)) / len(a)


def _band_keys(sig: np.ndarray) -> list[int]:
    """One integer per band (band number folded in, so equal rows in different bands differ)."""
    rows = sig.reshape(BANDS, ROWS).astype(np.uint64)
    mixed = rows[:, 0]
    for r in range(1, ROWS):
        mixed = mixed * np.uint64(0x100000001B3) ^ rows[:, r]
    return [int(k) ^ (band << 58) for band, k in enumerate(mixed.tolist())]


@dataclass
class Verdict:
    """What the index says of a new body: ``exact`` twin (drop it), ``near`` twin (flag it), or neither."""

    exact_of: str | None = None
    near_of: str | None = None
    similarity: float = 0.0


class IndexStore(Protocol):
    """Where a DuplicateIndex keeps what it has seen: in memory (:class:`MemoryStore`), or on disk
    for a run of any size (``berita.flows.state.SqliteIndexStore``)."""

    def __len__(self) -> int: ...
    def exact_of(self, key: str) -> str | None: ...
    def slots(self, bands: list[int]) -> set[int]: ...
    def signature(self, slot: int) -> tuple[str, bytes]: ...
    def add(self, article_id: str, key: str, sig: bytes | None, bands: list[int]) -> None: ...


@dataclass
class MemoryStore:
    """An IndexStore in dicts and lists: a few hundred bytes an article (the key, the 64 x 4-byte
    signature and one dict entry per band); bodies themselves are never held."""

    exact: dict[str, str] = field(default_factory=dict)
    bands: dict[int, int] = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)
    signatures: list[bytes] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.exact)

    def exact_of(self, key: str) -> str | None:
        return self.exact.get(key)

    def slots(self, bands: list[int]) -> set[int]:
        return {self.bands[b] for b in bands if b in self.bands}

    def signature(self, slot: int) -> tuple[str, bytes]:
        return self.ids[slot], self.signatures[slot]

    def add(self, article_id: str, key: str, sig: bytes | None, bands: list[int]) -> None:
        self.exact.setdefault(key, article_id)
        if sig is None:
            return
        slot = len(self.ids)
        self.ids.append(article_id)
        self.signatures.append(sig)
        for band in bands:
            self.bands.setdefault(band, slot)


@dataclass
class DuplicateIndex:
    """Bodies seen so far (earlier runs, then this run in input order), by exact key and by MinHash band.

    >>> index = DuplicateIndex()
    >>> text = " ".join(f"kalimat{i}" for i in range(100))
    >>> index.check("a", body_key(text), signature(text))
    Verdict(exact_of=None, near_of=None, similarity=0.0)
    >>> index.check("b", body_key(text + "."), signature(text + ".")).exact_of
    'a'
    >>> changed = text.replace("kalimat50", "ubah")
    >>> index.check("c", body_key(changed), signature(changed)).near_of
    'a'
    """

    store: IndexStore = field(default_factory=MemoryStore)

    def __len__(self) -> int:
        return len(self.store)

    def add(self, article_id: str, key: str, sig: np.ndarray | None, bands: list[int] | None = None) -> None:
        """Remember a kept article (the first one seen wins every later comparison)."""
        if sig is None:
            self.store.add(article_id, key, None, [])
        else:
            self.store.add(article_id, key, sig.astype(np.uint32).tobytes(), bands or _band_keys(sig))

    def check(self, article_id: str, key: str, sig: np.ndarray | None) -> Verdict:
        """The verdict on a new body; a body that is not an exact duplicate is added to the index."""
        twin = self.store.exact_of(key)
        if twin is not None and twin != article_id:
            return Verdict(exact_of=twin, similarity=1.0)
        verdict, bands = Verdict(), None
        if sig is not None:
            bands = _band_keys(sig)
            best: tuple[float, str] | None = None
            for slot in sorted(self.store.slots(bands)):
                other_id, other = self.store.signature(slot)
                score = similarity(sig, np.frombuffer(other, dtype=np.uint32))
                if score >= NEAR_THRESHOLD and (best is None or score > best[0]):
                    best = (score, other_id)
            if best is not None and best[1] != article_id:
                verdict = Verdict(near_of=best[1], similarity=best[0])
        self.add(article_id, key, sig, bands)
        return verdict
