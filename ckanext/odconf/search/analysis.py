"""Text analysis shared by indexing and querying.

Khmer is written without spaces between words, so neither PostgreSQL's text
parser nor Solr's whitespace tokenizer can find a word inside a Khmer run.
ICU's dictionary-based word break iterator splits such runs into words; the
same function is applied to documents and to queries so both sides agree.
"""
from __future__ import annotations

import re
from functools import lru_cache

import icu

# Khmer letters, signs and digits (U+1780-U+17FF) and Khmer symbols (U+19E0-U+19FF).
_KHMER_RUN = re.compile("[\u1780-\u17ff\u19e0-\u19ff\u200b]+")
_ZERO_WIDTH_SPACE = "\u200b"


@lru_cache(maxsize=1)
def _khmer_word_breaker() -> "icu.BreakIterator":
    return icu.BreakIterator.createWordInstance(icu.Locale("km"))


def khmer_words(run: str) -> list[str]:
    """Split one run of Khmer text into its words (ICU word boundaries)."""
    breaker = _khmer_word_breaker()
    breaker.setText(run)
    words: list[str] = []
    start = breaker.first()
    for end in breaker:
        word = run[start:end].strip(_ZERO_WIDTH_SPACE + " ")
        if word:
            words.append(word)
        start = end
    return words


def segment_khmer(text: str) -> str:
    """Return ``text`` with a space between the words of every Khmer run.

    Text without Khmer is returned unchanged, so the function is safe to apply
    to any field, any number of times.
    """
    if not text or not _KHMER_RUN.search(text):
        return text
    return _KHMER_RUN.sub(lambda match: " ".join(khmer_words(match.group())), text)
