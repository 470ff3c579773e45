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
# Enough text to decide; more only costs time (lingua's time grows with the text). 1,000
# characters (about 150 words) gave the same answer as 3,000 on all 350 bodies tried (the
# benchmark corpus, the gold corpus, the seeds, Malay and English samples) at 0.58 ms instead of
# 1.33 ms a document, which made language detection the largest cost of cleaning.
SAMPLE_CHARS = 1000
MIN_WORDS = 5
# Indonesian and Malay share most of their vocabulary. On measured examples real Malay scored
# 0.93-1.0 for Malay, while short Indonesian sentences scored up to 0.59 for Malay. berita's
# corpora are Indonesian first, so Malay must win decisively to override Indonesian.
MALAY_MIN_CONFIDENCE = 0.8


def codes() -> list[str]:
    """ISO 639-1 codes of the languages berita can report."""
    from lingua import Language

    return sorted(getattr(Language, name).iso_code_639_1.name.lower() for name in CANDIDATES)


@lru_cache(maxsize=1)
def _detector() -> lingua.LanguageDetector:
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in CANDIDATES]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text to tell.

    >>> detect_language("Menteri Luar Negeri Rusia Sergei Lavrov akan mengunjungi Korea Utara pekan depan.")
    'id'
    >>> detect_language("Kerajaan Malaysia akan melaksanakan dasar baharu bagi membantu rakyat yang terkesan.")
    'ms'
    >>> detect_language("Ya.") is None
    True
    """
    if len(text.split()) < MIN_WORDS:
        return None
    values = _detector().compute_language_confidence_values(text[:SAMPLE_CHARS])
    if not values or values[0].value == 0:
        return None
    best = values[0]
    code = best.language.iso_code_639_1.name.lower()
    if code == "ms" and best.value < MALAY_MIN_CONFIDENCE and len(values) > 1:
        runner_up = values[1].language.iso_code_639_1.name.lower()
        if runner_up == "id":
            return "id"
    return code
