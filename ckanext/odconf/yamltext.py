"""YAML as the conference catalogue reads and writes it.

Programme files and the conference's nested fields in the web form are YAML:
easier to write than JSON and showing Khmer as Khmer, not as escapes.
"""
from __future__ import annotations

import re
from typing import Any

import yaml


class Loader(yaml.SafeLoader):
    """YAML 1.1 as PyYAML reads it, except that ``10:30`` stays a string.

    YAML 1.1 reads ``10:30`` as the base-60 number 630 (but ``08:30`` as a
    string); session times must come through as written.
    """


Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def load(text: str) -> Any:
    """Read YAML text (JSON is YAML too) with :class:`Loader`.

    :raises yaml.YAMLError: when the text is not YAML
    """
    return yaml.load(text, Loader=Loader)


def dump(value: Any) -> str:
    """Write a value as block YAML, Khmer kept as written."""
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100)
