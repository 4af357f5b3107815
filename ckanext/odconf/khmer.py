"""Khmer text analysis, shared by the conference's search hooks and the search backend.

Not conference code: it imports only ICU, so the backend (``search/``) can use
it and still be lifted out with it, and a site on Solr uses it without
loading the backend.

Khmer is written without spaces between words, so neither PostgreSQL's text
parser nor Solr's whitespace tokenizer can find a word inside a Khmer run.
ICU's dictionary-based word break iterator splits such runs into words; the
same function is applied to documents and to queries so both sides agree.

ICU keeps the compounds its dictionary knows as one word (ថវិកាជាតិ,
"national budget"), so the words inside them are not found by themselves.
:func:`khmer_inner_words` lists those inner words, for the indexer to add
where they rank below whole words.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache

import icu

# Khmer letters, signs and digits (U+1780-U+17FF) and Khmer symbols (U+19E0-U+19FF).
_KHMER_RUN = re.compile("[\u1780-\u17ff\u19e0-\u19ff\u200b]+")
_ZERO_WIDTH_SPACE = "\u200b"
# A Khmer syllable starts with a consonant or an independent vowel; a word
# is only cut there, never after a coeng (the sign that stacks the next consonant).
_SYLLABLE_START = re.compile("[\u1780-\u17b3]")
_COENG = "\u17d2"
# Shorter words (ជាតិ, ថវិកា) are one or two syllables: cutting them gives
# syllables, not words.
_SHORTEST_COMPOUND = 6

# An ICU BreakIterator holds the text it is walking: shared between threads,
# one thread's setText() moves another's walk (measured: 43 to 111 of 240
# segmentations wrong with six threads). Each thread keeps its own; PyICU has
# no clone(), and creating one per call costs 2.3 us against 0.06 us here.
_local = threading.local()


def _khmer_word_breaker() -> "icu.BreakIterator":
    breaker = getattr(_local, "breaker", None)
    if breaker is None:
        breaker = _local.breaker = icu.BreakIterator.createWordInstance(icu.Locale("km"))
    return breaker


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


def _is_dictionary_word(text: str) -> bool:
    # ICU keeps a run it cannot split as one piece, word or not; a word of
    # its dictionary also stays whole, and repeated, gives itself twice
    # (an unknown run merges with its repetition or splits elsewhere).
    return khmer_words(text) == [text] and khmer_words(text + text) == [text, text]


@lru_cache(maxsize=65536)
def _inner_words(word: str) -> tuple[str, ...]:
    """The dictionary words ``word`` is made of, at every depth, itself excluded.

    A compound is cut in two where both parts are dictionary words; where
    several cuts qualify, the longest first part wins, as in ICU's own
    longest-match segmentation (អ្នក|ណា rather than អ្ន|កណា).
    """
    if len(word) < _SHORTEST_COMPOUND:
        return ()
    for cut in range(len(word) - 1, 0, -1):
        head, tail = word[:cut], word[cut:]
        if (not head.endswith(_COENG) and _SYLLABLE_START.match(tail)
                and _is_dictionary_word(head) and _is_dictionary_word(tail)):
            parts = (head, tail, *_inner_words(head), *_inner_words(tail))
            return tuple(dict.fromkeys(parts))
    return ()


def khmer_inner_words(text: str) -> str:
    """The words found inside the Khmer compounds of ``text``, space-separated.

    ``""`` when there are none. Each inner word is listed once, in the order
    found, so the result can be indexed as a lower-weight part of a document.
    """
    if not text or not _KHMER_RUN.search(text):
        return ""
    inner: dict[str, None] = {}
    for run in _KHMER_RUN.findall(text):
        for word in khmer_words(run):
            inner.update(dict.fromkeys(_inner_words(word)))
    return " ".join(inner)
