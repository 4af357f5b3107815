"""How much of what a visitor reads on a page is Khmer.

:func:`measure` collects, in the browser, every piece of text a visitor meets
on the page: the text nodes that are rendered (screen-reader-only text
included: it is read out), and the text of visible ``placeholder``, ``alt``,
``aria-label`` and button ``value`` attributes. Each piece is then classified
in Python (:func:`classify`):

- left out: text inside an element whose ``lang`` is not Khmer (a title shown
  in English with its "not yet translated" mark, an organisation's English
  name), marked ``translate="no"``, or code (``code``, ``pre``, ``kbd``);
- proper names given by the caller (organisation titles, people; also when
  cut short with "...") and the brands of :data:`BRANDS`, web and
  email addresses, numbers and dates, and acronyms (``CSV``, ``ODC``) are
  removed from the text before it is judged;
- what still has letters is a piece of words; it is Khmer when it holds Khmer
  letters (a Khmer sentence may name ``Open Development Cambodia``), English
  otherwise.

The share is Khmer pieces / pieces of words; :attr:`Measure.english` lists the
rest, to find what is left to translate.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any, Iterable, Sequence

from playwright.sync_api import Page

#: Collects ``{text, lang, translate}`` for each visible piece of text of the page.
COLLECT_TEXT = """
() => {
  const pieces = [];
  const skipped = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"]);
  const shown = (element) => element.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
      && element.getClientRects().length > 0;
  const context = (element) => {
    const marked = element.closest("[lang]");
    // code is no language, and translate="no" marks names
    const untranslatable = element.closest('[translate="no"], code, pre, kbd, samp');
    return {lang: marked ? marked.getAttribute("lang") : "", translate: !untranslatable};
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || skipped.has(parent.tagName.toUpperCase())) continue;
    if (!node.textContent.trim() || !shown(parent)) continue;
    pieces.push({text: node.textContent, ...context(parent)});
  }
  const attributes = [["[placeholder]", "placeholder"], ["img[alt]", "alt"], ["[aria-label]", "aria-label"],
                      ["input[type=submit][value], input[type=button][value]", "value"]];
  for (const [selector, name] of attributes) {
    for (const element of document.body.querySelectorAll(selector)) {
      const text = element.getAttribute(name);
      if (text && text.trim() && shown(element)) pieces.push({text, ...context(element)});
    }
  }
  return pieces;
}
"""

#: Names of products and services, the same in every language.
BRANDS = ("CKAN", "Facebook", "Twitter", "LinkedIn", "GitHub", "Gravatar")
KHMER = re.compile(r"[\u1780-\u17FF\u19E0-\u19FF]")
LETTER = re.compile(r"[^\W\d_]")
ADDRESS = re.compile(r"(?:https?://|www\.)\S*|\S+@\S+\.\w+|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\S*"
                     r"|\b[\w-]+(?:\.[\w-]+)*\.(?:org|com|net|kh|gov|io|uk|br)\b\S*", re.I)
#: Numbers, times and dates (Khmer digits too).
NUMBER = re.compile(r"[\d\u17E0-\u17E9][\d\u17E0-\u17E9.,:/%\-–]*")
#: Acronyms and abbreviations: CSV, ODC, LGBTQI+, ISO, PDF...
ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,7}\+?(?![a-z])")


@dataclasses.dataclass
class Measure:
    """The text of one page, classified."""

    khmer: list[str] = dataclasses.field(default_factory=list)
    english: list[str] = dataclasses.field(default_factory=list)
    #: text inside another language's ``lang``, ``translate="no"`` or code
    marked: list[str] = dataclasses.field(default_factory=list)
    #: names, numbers, addresses, punctuation only
    not_words: list[str] = dataclasses.field(default_factory=list)

    @property
    def words(self) -> int:
        """Pieces of text that are words."""
        return len(self.khmer) + len(self.english)

    @property
    def share(self) -> float:
        """Khmer pieces among the pieces that are words (1 when there are none)."""
        return len(self.khmer) / self.words if self.words else 1.0

    def __str__(self) -> str:
        return (f"{self.share:.1%} Khmer ({len(self.khmer)} of {self.words} pieces of words; "
                f"{len(self.marked)} marked as another language, {len(self.not_words)} names or numbers)")


def _without(text: str, names: Sequence[str]) -> str:
    for name in names:
        text = text.replace(name, " ")
    for pattern in (ADDRESS, NUMBER, ACRONYM):
        text = pattern.sub(" ", text)
    return text


def _cut_name(text: str, names: Sequence[str]) -> bool:
    """Whether ``text`` is a name cut short ("Open Development Cambodia...")."""
    stem = text.rstrip(".…").strip()
    return stem != text and len(stem) >= 4 and any(name.startswith(stem) for name in names)


def classify(pieces: Iterable[dict[str, Any]], proper_names: Iterable[str] = ()) -> Measure:
    """Sort the pieces :data:`COLLECT_TEXT` found (see the module's docstring)."""
    # longest first, so that "The Asia Foundation (TAF)" goes before "TAF"
    names = sorted({name.strip() for name in (*proper_names, *BRANDS) if name and name.strip()},
                   key=len, reverse=True)
    measure = Measure()
    for piece in pieces:
        text = " ".join(piece["text"].split())
        lang = (piece.get("lang") or "km").lower()
        if not piece.get("translate", True) or not (lang == "km" or lang.startswith("km-")):
            measure.marked.append(text)
        elif KHMER.search(text):
            measure.khmer.append(text)
        elif len(LETTER.findall(_without(text, names))) >= 2 and not _cut_name(text, names):
            # (a lone letter is no word)
            measure.english.append(text)
        else:
            measure.not_words.append(text)
    return measure


def measure(page: Page, proper_names: Iterable[str] = ()) -> Measure:
    """The Khmer measure of the page as it is shown now."""
    return classify(page.evaluate(COLLECT_TEXT), proper_names)
