"""Messages of CKAN and ckanext-scheming that this package's catalogue translates.

CKAN merges every plugin's catalogue over its own, the plugin's entries
winning (babel's ``Translations.merge``), so the Khmer catalogue of this
package can translate the core messages a visitor meets on the catalogue's
pages that CKAN's own Khmer catalogue leaves empty (or words differently from
the rest of the site). They are listed, with where CKAN uses them, in
``i18n/core-messages.pot``; this Babel extractor hands them to ``pybabel
extract`` (see ``babel.cfg``) so that they stay in the catalogue's template
next to the package's own messages.
"""
from __future__ import annotations

from typing import IO, Any, Collection, Iterator, Mapping

from babel.messages.pofile import read_po


def extract(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, Any, list[str]]]:
    """Every message of a gettext template, as ``gettext`` or ``ngettext`` calls
    at its line, with the places CKAN uses it as comments (Babel's extractor
    interface)."""
    for message in read_po(fileobj):
        if not message.id:
            continue
        used_in = [f"used in {path}" for path, _line in message.locations]
        line = message.lineno or 0
        if message.pluralizable:
            yield line, "ngettext", tuple(message.id), used_in
        else:
            yield line, "gettext", message.id, used_in
