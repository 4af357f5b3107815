"""YAML as the conference catalogue reads and writes it.

Programme files and the conference's nested fields in the web form are YAML:
easier to write than JSON and showing Khmer as Khmer, not as escapes.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Optional

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


#: How deep user-given data (a JSON body, YAML typed in a form) may nest.
#: The catalogue's deepest fields need 5 levels; parsers recurse per level and
#: fail (RecursionError) at about 1,000.
MAX_DEPTH = 32

_QUOTED = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


def nesting_depth(text: str) -> int:
    """How deep the brackets of JSON (or flow YAML) ``text`` nest, measured
    without parsing it (a parser would recurse), brackets in strings ignored."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_QUOTED.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


class Refused(yaml.YAMLError):
    """User-given YAML that is valid but not accepted."""


class AliasRefused(Refused):
    """User-given YAML used an anchor (``&``) or an alias (``*``)."""


class TooDeep(Refused):
    """User-given YAML nests deeper than :data:`MAX_DEPTH`."""


class UserLoader(Loader):
    """:class:`Loader` for YAML typed by users: no anchors or aliases, and at
    most :data:`MAX_DEPTH` levels.

    Aliases let a few hundred bytes expand into millions of values (a "billion
    laughs" bomb); the catalogue's fields never need them.
    """

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise AliasRefused("anchors and aliases are not accepted")
        if self.depth >= MAX_DEPTH:
            raise TooDeep(f"nested deeper than {MAX_DEPTH} levels")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def load(text: str) -> Any:
    """Read YAML text typed by a user (JSON is YAML too) with :class:`UserLoader`.

    :raises Refused: when the text uses an anchor or an alias, or nests too deep
    :raises yaml.YAMLError: when the text is not YAML
    """
    return yaml.load(text, Loader=UserLoader)


def dump(value: Any) -> str:
    """Write a value as block YAML, Khmer kept as written."""
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100)


def line_of(root: Optional[yaml.Node], path: Iterable[Any]) -> int:
    """1-based line of the node at ``path`` (or of its nearest ancestor)."""
    if root is None:
        return 1
    node, line = root, root.start_mark.line + 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            match = next(((key, value) for key, value in node.value if key.value == str(part)), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def duplicate_keys(node: Optional[yaml.Node], path: tuple[Any, ...] = ()) -> Iterable[tuple[tuple[Any, ...], int, str]]:
    """Keys given twice in a mapping (YAML would silently keep the last one)."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            name = key.value
            if name in seen:
                yield path + (name,), key.start_mark.line + 1, (
                    f'"{name}" is given twice (first at line {seen[name]})'
                )
            else:
                seen[name] = key.start_mark.line + 1
            yield from duplicate_keys(value, path + (name,))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from duplicate_keys(item, path + (index,))
