"""Turn raw bytes into text, recording which encoding was used."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# Byte-order marks, longest first so UTF-32 is not mistaken for UTF-16.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Single-byte encodings that Indonesian pages realistically come in; charset-normalizer picks
# among them. cp1252 first: it is latin-1 plus curly quotes and dashes in 0x80-0x9F.
LEGACY_ENCODINGS = ("cp1252", "latin_1", "iso8859_15")

_MIXED = "berita-cp1252-fallback"


class DecodeError(ValueError):
    """The bytes are not text in any encoding berita reads (binary data, for instance)."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode each undecodable byte as cp1252 (latin-1 where cp1252 has a hole)."""
    assert isinstance(err, UnicodeDecodeError)
    bad = err.object[err.start : err.end]
    return bad.decode("cp1252", errors="ignore") or bad.decode("latin-1"), err.end


def _register_fallback() -> None:
    try:
        codecs.lookup_error(_MIXED)
    except LookupError:
        codecs.register_error(_MIXED, _cp1252_fallback)


def _looks_utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when every other byte is NUL, as in BOM-less UTF-16 ASCII text."""
    sample = data[:4096]
    if len(sample) < 8 or 0 not in sample:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _is_binary(text: str) -> bool:
    """True when the text has NUL bytes or is more than 5% control characters."""
    if "\x00" in text:
        return True
    sample = text[:20000]
    if sample.replace("\n", "").replace("\r", "").replace("\t", "").isprintable():
        return False  # the common case, told without a regex scan
    controls = len(_CONTROL.findall(sample))
    return controls > 0.05 * max(len(sample), 1)


_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f]")


def _mostly_utf8(data: bytes) -> bool:
    """True when most non-ASCII bytes form valid UTF-8 sequences (text edited in two encodings)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", errors="ignore")) - bad  # non-ASCII characters, counted in C
    return good > 0 and good >= 2 * bad


def decode_bytes(data: bytes) -> Decoded:
    """Decode raw input: BOM first, then strict UTF-8, then mixed UTF-8, then a legacy guess.

    >>> decode_bytes("Menlu Rusia\\u00a0".encode("utf-8")).encoding
    'utf-8'
    >>> decode_bytes("caf\\u00e9 \\u201cya\\u201d".encode("cp1252"))
    Decoded(text='café “ya”', encoding='cp1252')
    >>> decode_bytes(codecs.BOM_UTF16_LE + "Jakarta".encode("utf-16-le")).text
    'Jakarta'
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(name)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {name} byte-order mark but is not valid {name}: {exc}") from None
            return _checked(text, name)
    utf16 = _looks_utf16_without_bom(data)
    if utf16:
        try:
            return _checked(data.decode(utf16), utf16)
        except UnicodeDecodeError:
            pass
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        _register_fallback()
        return _checked(data.decode("utf-8", errors=_MIXED), "utf-8+cp1252")
    return _checked(*_guess_legacy(data))


# The legacy candidates read every byte alike except 0x80-0x9F (printable in cp1252, C1 controls
# in the other two) and these: bytes iso8859-15 reads differently, and bytes cp1252 leaves undefined.
_WHERE_CANDIDATES_DIFFER = (0xA4, 0xA6, 0xA8, 0xB4, 0xB8, 0xBC, 0xBD, 0xBE, 0x81, 0x8D, 0x8F, 0x90, 0x9D)


def _guess_legacy(data: bytes) -> tuple[str, str]:
    """cp1252 outright when no byte could tell the candidates apart (charset-normalizer costs about
    a millisecond a document); otherwise charset-normalizer chooses.

    >>> _guess_legacy("harga \u201cnaik\u201d".encode("cp1252"))
    ('harga \u201cnaik\u201d', 'cp1252')
    """
    if not any(byte in data for byte in _WHERE_CANDIDATES_DIFFER):
        return data.decode("cp1252"), "cp1252"
    import charset_normalizer  # imported here: only legacy-encoded inputs need it

    best = charset_normalizer.from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is not None:
        return str(best), best.encoding
    return data.decode("cp1252", errors="ignore"), "cp1252"


def _checked(text: str, encoding: str) -> Decoded:
    if _is_binary(text):
        raise DecodeError("binary content (NUL or control bytes), not text")
    return Decoded(text, encoding)
