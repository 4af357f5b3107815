"""The programme file: a conference edition declared in YAML.

``format`` reads YAML (with line numbers, and safely when users type it),
``spec`` checks a file, ``mapping`` converts it to catalogue entities and back,
``load`` writes it into the catalogue, ``export`` writes the catalogue back as
a file, ``examples`` makes the example entries of ``ckan odconf load --examples``.
"""
from __future__ import annotations

import os

#: The programmes shipped with the extension (``ckan odconf load nodc-2024``).
PROGRAMMES_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "programmes")


def programme_path(argument: str) -> str:
    """A file path, or the name of a programme shipped with the extension."""
    if os.path.exists(argument):
        return argument
    bundled = os.path.join(PROGRAMMES_DIR, argument + ".yaml")
    return bundled if os.path.exists(bundled) else argument
