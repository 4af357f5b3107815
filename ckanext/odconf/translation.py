"""Text in several languages: ``{"en": "Open data", "km": "ទិន្នន័យបើកចំហ"}``.

Translated fields (``title_translated``, ``notes_translated``, the titles of
sessions and themes) are stored this way; these functions read them and pick
the text for a language.
"""
from __future__ import annotations

import json
from typing import Any, Mapping, Optional

import ckan.plugins.toolkit as tk


def default_language() -> str:
    """The site's default language (``ckan.locale_default``)."""
    return (tk.config.get("ckan.locale_default") or "en").split("_")[0]


def current_language() -> Optional[str]:
    """The language of the page being served; None outside a request."""
    try:
        return tk.h.lang()
    except (RuntimeError, AttributeError, TypeError):
        return None  # command line, background job


def parse_translations(value: Any) -> Optional[dict[str, Any]]:
    """Decode a translated value given as a mapping or as a JSON object.

    :returns: the mapping, or None when nothing is given
    :raises ValueError: when the value is neither
    """
    if isinstance(value, dict):
        return value
    if not value:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ValueError("expected a JSON object of language to text")
        if isinstance(value, dict):
            return value
    raise ValueError("expected a mapping of language to text")


def pick(translations: Any, language: Optional[str] = None) -> str:
    """The text in ``language``, else in the default language, else any.

    A plain string is taken as text in every language.
    """
    return pick_with_language(translations, language)[0]


def pick_with_language(
    translations: Any, language: Optional[str] = None
) -> tuple[str, Optional[str]]:
    """The text :func:`pick` chooses and the language it is written in
    (None for a plain string, which is taken as text in every language)."""
    if isinstance(translations, str):
        try:
            translations = parse_translations(translations)
        except ValueError:
            return translations, None
    if not isinstance(translations, Mapping) or not translations:
        return "", None
    for candidate in (language, default_language()):
        if candidate and translations.get(candidate):
            return translations[candidate], candidate
    return next(((text, code) for code, text in translations.items() if text), ("", None))
