"""Shape tests for single lines: is it a sentence, a headline, a caption, an age stamp?"""

from __future__ import annotations

import re

from berita.transforms import chardata

AGE = re.compile(
    r"(?:\d+|se|satu|dua|tiga)\s*(?:detik|menit|jam|hari|minggu|pekan|bulan|tahun|"
    r"seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+(?:yang\s+)?(?:lalu|ago)",
    re.IGNORECASE,
)


def word_count(text: str) -> int:
    """Whitespace-separated words, the measure used for ``word_count``.

    >>> word_count("Menlu Korea Utara berkunjung ke Moskow.")
    6
    """
    return len(text.split())


def ends_sentence(text: str) -> bool:
    """True when the line ends like a finished sentence (., !, ?, … or a closing quote).

    >>> ends_sentence('kata Lavrov.'), ends_sentence('"...dimainkan kelak dengan AS".'), ends_sentence("dua Korea")
    (True, True, False)
    """
    return bool(chardata.SENTENCE_END.search(text, max(0, len(text) - 12)))  # the tail decides


def split_glued(text: str) -> list[str]:
    """Split paragraphs that a scraper glued together at a sentence end.

    >>> split_glued('Kata Lavrov."Amerika harus mundur," ujarnya.')
    ['Kata Lavrov.', '"Amerika harus mundur," ujarnya.']
    >>> split_glued("hal tersebut.Sementara itu warga di Jl.Sudirman, S.Pd, menunggu di Liputan6.com.")
    ['hal tersebut.', 'Sementara itu warga di Jl.Sudirman, S.Pd, menunggu di Liputan6.com.']
    """
    if len(text) < 20 or chardata.GLUED_PARAGRAPHS.search(text) is None:
        return [text]
    cuts = [0]
    for match in chardata.GLUED_PARAGRAPHS.finditer(text):
        quote = match.group(2)
        # A straight quote closes a quotation when an odd number of them precede it.
        closes = text.count('"', 0, match.start(1)) % 2 == 1 if quote == '"' else quote == "\u201d"
        cuts.append(match.end(2) if closes or not quote else match.start(2))
    parts = [text[a:b].strip() for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True)]
    return [p for p in parts if p] or [text]


def is_age(text: str) -> bool:
    """'14 jam lalu', '2 hari yang lalu', '3 days ago'.

    >>> is_age("14 jam lalu"), is_age("14 jam lalu warga berkumpul di alun-alun")
    (True, False)
    """
    return AGE.fullmatch(text) is not None


def is_headline_like(text: str) -> bool:
    """A short line that does not end with a full stop: a title, subheading, caption or link.

    >>> is_headline_like("Rusia Mendukung Rencana Dialog AS - Korea Utara")
    True
    >>> is_headline_like("Dialog itu diprediksi akan membahas penguatan hubungan kedua negara.")
    False
    """
    if not text or len(text) > 250:
        return False
    if text.endswith((".", ",", ";", ":")) and not text.endswith("..."):
        return False
    first = text[0]
    if not (first.isupper() or first.isdigit() or first in "\"'\u201c\u2018"):
        return False
    return 2 <= word_count(text) <= 25  # counted last: the tests above are cheaper


def is_sentence_like(text: str) -> bool:
    """A line that reads as running text: enough words and a sentence end (or many words).

    >>> is_sentence_like("Pertemuan itu juga menandai sebuah tren yang positif di kawasan.")
    True
    >>> is_sentence_like("Bendera Rusia dan Korea Utara")
    False
    """
    n = word_count(text)
    return (n >= 6 and ends_sentence(text)) or n >= 30


def has_verb_like_word(text: str) -> bool:
    """Whether a headline contains an Indonesian verb form (meN-, ber-, ter-, di-, per- words).

    Subheadings are usually clauses; captions without a credit are usually noun phrases.

    >>> has_verb_like_word("Rusia Mendukung Rencana Dialog AS - Korea Utara")
    True
    >>> has_verb_like_word("Igor Morgulov, Deputi Menteri Luar Negeri Rusia")
    False
    """
    for word in chardata.WORD.findall(text.lower()):
        if chardata.VERB_LIKE.match(word) and word not in chardata.NOT_VERBS:
            return True
    return False


_CREDIT_CODES = frozenset({"ist", "istimewa", "dok", "dok ist", "dok istimewa"})


def caption_credit(text: str) -> bool:
    """A trailing photo credit in brackets: '[Valery Sharifulin/TASS News Agency via AP]'.

    >>> caption_credit("Putin di Vladivostok (ANTARA Photo/Sputnik/Alexei Nikolsky)")
    True
    >>> caption_credit("Sidang dilanjutkan pekan depan (24/5)"), caption_credit("kata dia. (ant/jpnn)")
    (False, False)
    >>> caption_credit("di 14 provinsi di Tanah Air. (Mvi/Ali)"), caption_credit("Banjir (Reuters/Willy Kurniawan)")
    (False, True)
    >>> caption_credit("Warga antre di Jakarta, 14 Mei 2018. Tempo/Fakhri Hermansyah"), caption_credit("Laga /Tenor/")
    (True, True)
    >>> caption_credit("Penonton di stadion (Pexels.com)"), caption_credit("Harga naik 20 persen, kata Budi/Ani.")
    (True, False)
    >>> caption_credit("Tulus | Foto : teen.co.id"), caption_credit("Ia berkata: foto itu palsu")
    (True, False)
    >>> caption_credit("Banjir di Samarinda. *(ist)"), caption_credit("Warga antre beras. (ant)")
    (True, False)
    """
    match = chardata.TRAILING_BRACKET.search(text)
    if match is None:
        return ("/" in text or ":" in text) and chardata.TRAILING_CREDIT.search(text) is not None
    inner = match.group(1)
    if inner.strip().lower().rstrip(".") in _CREDIT_CODES:  # "(ist)": istimewa, the photo's, not an editor's code
        return True
    if chardata.GLUED_EDITOR_CODE.match(text, match.start()):  # "(Mvi/Ali)": editors' initials
        return False
    if chardata.CREDIT_WORDS.match(inner) or chardata.BRACKETED_DOMAIN.match(inner.strip()):
        return True
    # "REUTERS/Willy Kurniawan": words around a slash, with a capital (editor codes are lowercase).
    return chardata.SLASH_BETWEEN_WORDS.search(inner) is not None and any(c.isupper() for c in inner)


# A list's lead-in: "... sebagai berikut:", "Berikut daftar ...", "..., yaitu" (a list in the article follows it).
LEAD_IN_ENDS = (" yaitu", " yakni", " berikut", " antara lain", " di antaranya", " meliputi", " adalah")
LIST_BULLETS = "-\u2022*\u00bb\u203a>\u2013\u2014\u25aa\u25cf"
_CALL_OPENERS = (
    "ikuti",
    "simak",
    "baca",
    "klik",
    "lihat",
    "cek",
    "dapatkan",
    "follow",
    "kunjungi",
    "tonton",
    "saksikan",
)


def is_list_lead_in(text: str) -> bool:
    """Whether a line introduces a list in the article: it ends in a colon (four words or more), or, written in
    sentence case (a headline in title case that ends in "Berikut" is a teaser), opens with "berikut" or ends
    with a word that announces one ("yaitu"); and it is not a list item or a call to action itself.

    >>> is_list_lead_in("Berikut daftar harga hari ini:"), is_list_lead_in("- Simak Kiat Berikut")
    (True, False)
    >>> is_list_lead_in("Perolehan suara partai ditetapkan sebagai berikut:"), is_list_lead_in("Simak video berikut:")
    (True, False)
    """
    if text[:1] in LIST_BULLETS:
        return False
    low = text.lower()
    if low.startswith(_CALL_OPENERS):  # "Ikuti berita ini dalam topik:", "Simak video berikut:": a call to action
        return False
    opens = low.startswith("berikut")
    if not (opens or text.endswith(":") or low.rstrip(" .:").endswith(LEAD_IN_ENDS)):
        return False
    words = text.split()
    if text.endswith(":"):  # "Rincian Harga Emas Hari Ini:" introduces a list in title case too
        return len(words) >= 4 or opens
    return sum(w[:1].isupper() for w in words) * 2 <= len(words)
