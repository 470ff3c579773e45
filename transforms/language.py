"""Detect the language of an article's body with lingua (models ship in the wheel; nothing is downloaded)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import lingua

# Languages that turn up in Indonesian news corpora. Restricting lingua to them makes it faster
# and keeps it from confusing Indonesian with languages that never occur here; Malay stays in
# the set because Malaysian pages do turn up, and lingua separates the two well.
CANDIDATES = (
    "INDONESIAN", "MALAY", "ENGLISH", "ARABIC", "CHINESE", "JAPANESE", "KOREAN", "DUTCH", "FRENCH",
    "GERMAN", "SPANISH", "PORTUGUESE", "RUSSIAN", "TAGALOG", "VIETNAMESE", "THAI", "TURKISH", "PERSIAN",
)  # fmt: skip
# Enough text to decide; more only costs time.
SAMPLE_CHARS = 3000
MIN_WORDS = 5


@lru_cache(maxsize=1)
def _detector() -> lingua.LanguageDetector:
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in CANDIDATES]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text to tell.

    >>> detect_language("Menteri Luar Negeri Rusia Sergei Lavrov akan mengunjungi Korea Utara pekan depan.")
    'id'
    >>> detect_language("Ya.") is None
    True
    """
    if len(text.split()) < MIN_WORDS:
        return None
    language = _detector().detect_language_of(text[:SAMPLE_CHARS])
    return None if language is None else language.iso_code_639_1.name.lower()
