"""Compile a parsed query tree into a parameterised PostgreSQL condition.

No query text is ever put into the SQL string: every value, and every field
name that comes from a query, goes in as a bind parameter; only the names of
the index's own typed columns (``fields.COLUMNS``) are written out. Text
fields are matched against the document's weighted ``tsvector`` (GIN index);
string, date and number fields against their typed column, or else against
the ``fields`` JSONB column, where each indexed value is kept as an array of
strings so that one containment test (``@>``, GIN index) finds single and
multi-valued fields alike.
"""
from __future__ import annotations

import json
import re
from typing import Optional

from . import fields as schema
from ckanext.odconf.khmer import segment_khmer
from .query_parser import (
    Bool, FieldGroup, MatchAll, Node, QuerySyntaxError, Range, Term, Wildcard, shortened,
)

# tsvector weights: A title, B name/tags/groups, C notes, D everything else
# copied into ``text``. ts_rank takes them in the order D, C, B, A. Ranking
# reads only ``tsv_head`` (weights A and B, small and kept in the row): a
# document matched in its title ranks above one matched by name or tags,
# which ranks above one matched only in its notes or resources.
RANK_WEIGHTS = "{0.1, 0.2, 0.5, 1.0}"
FIELD_WEIGHTS = {"title": ("a", "d.tsv_head"), "notes": ("c", "d.tsv")}
# The n-gram fields of the stock schema match any substring of their source.
NGRAM_SOURCES = {
    "name_ngram": "coalesce(d.name, '')",
    "title_ngram": "coalesce(d.doc ->> 'title', '')",
}
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_HAS_WORD = re.compile(r"\w")


class Compiler:
    """Turns query trees into SQL over the ``d`` alias of the document table."""

    def __init__(self, text_config: str):
        self.params: dict[str, object] = {}
        self.rank_queries: list[str] = []
        # whether the condition matches text through the GIN index on tsv
        self.matches_text = False
        # every field a condition reads ("text" for free text)
        self.fields_used: set[str] = set()
        self._negated = 0
        self._config = self.param(text_config)

    def param(self, value: object) -> str:
        """A bind parameter holding ``value``, as SQL text (``:pN``)."""
        name = "p%d" % len(self.params)
        self.params[name] = value
        return ":" + name

    @property
    def config(self) -> str:
        return f"CAST({self._config} AS regconfig)"

    # ------------------------------------------------------------- entry points
    def where(self, node: Node) -> str:
        """SQL condition for ``node``; a query that keeps nothing matches nothing."""
        return self.compile(node) or "FALSE"

    def score(self) -> str:
        """SQL expression ranking a document against the positive text clauses."""
        if not self.rank_queries:
            return "1.0"
        combined = _balanced("||", self.rank_queries)
        return f"ts_rank('{RANK_WEIGHTS}', d.tsv_head, {combined})"

    # ------------------------------------------------------------------- nodes
    def compile(self, node: Node) -> Optional[str]:
        if isinstance(node, (Term, Wildcard, Range)):
            self.fields_used.add(node.field or "text")
        if isinstance(node, MatchAll):
            return "TRUE"
        if isinstance(node, Bool):
            return self._bool(node)
        if isinstance(node, FieldGroup):
            return self._field_group(node)
        if isinstance(node, Term):
            return self._term(node)
        if isinstance(node, Wildcard):
            return self._wildcard(node)
        if isinstance(node, Range):
            return self._range(node)
        raise QuerySyntaxError(f"unsupported query part {node!r}")

    def _bool(self, node: Bool) -> Optional[str]:
        must = [c for c in map(self.compile, node.must) if c]
        # (condition, how many times the clause was given)
        should = [(c, n) for c, n in zip(map(self.compile, node.should), node.times()) if c]
        self._negated += 1
        must_not = [c for c in map(self.compile, node.must_not) if c]
        self._negated -= 1
        parts = list(must)
        needed = node.min_should or (0 if must else 1)
        if should and needed:
            conditions = [c for c, _ in should]
            if needed >= sum(n for _, n in should):
                parts.extend(conditions)
            elif needed <= min(n for _, n in should):
                parts.append("(" + " OR ".join(conditions) + ")")
            else:
                count = _balanced("+", [f"(CASE WHEN {c} THEN {int(n)} ELSE 0 END)" for c, n in should])
                parts.append("(" + " OR ".join(conditions) + f") AND ({count}) >= {int(needed)}")
        elif not must and not should and not must_not:
            return None
        # A missing column value makes a comparison NULL; NOT of it must be true.
        parts.extend(f"NOT coalesce(({c}), false)" for c in must_not)
        return "(" + " AND ".join(parts) + ")" if parts else "TRUE"

    def _field_group(self, node: FieldGroup) -> Optional[str]:
        if "text" in node.fields:
            return self.compile(_with_field(node.node, "text"))
        parts = [c for c in (self.compile(_with_field(node.node, f)) for f in node.fields) if c]
        return "(" + " OR ".join(parts) + ")" if parts else None

    def _term(self, node: Term) -> Optional[str]:
        name = node.field or "text"
        if name in NGRAM_SOURCES:
            return self._ngram(name, node.text)
        info = schema.field(name)
        if info.is_text:
            if not _HAS_WORD.search(node.text):
                return None
            func = "phraseto_tsquery" if node.phrase else "plainto_tsquery"
            tsquery = f"{func}({self.config}, {self.param(segment_khmer(node.text))})"
            return self._text_match(name, tsquery)
        return self._contains(name, self._normalise(info, node.text))

    def _wildcard(self, node: Wildcard) -> str:
        name = node.field or "text"
        if node.pattern == "*":
            return self._exists(name)
        info = schema.field(name)
        prefix = node.pattern[:-1]
        if info.is_text and node.pattern.endswith("*") and not _has_wildcard(prefix):
            words = segment_khmer(_literal(prefix)).split()
            if not words:
                return self._exists(name)
            terms = " & ".join(_tsquery_word(w) for w in words[:-1])
            last = _tsquery_word(words[-1]) + ":*"
            tsquery = f"to_tsquery({self.config}, {self.param(terms + ' & ' + last if terms else last)})"
            return self._text_match(name, tsquery)
        like = self.param(_like_pattern(node.pattern, lower=info.is_text))
        if info.is_text:
            return f"EXISTS (SELECT 1 FROM unnest({self._tsvector(name)}) l WHERE l.lexeme LIKE {like})"
        return self._any_value(name, f"v LIKE {like}")

    def _range(self, node: Range) -> str:
        info = schema.field(node.field)
        bounds = [b for b in (node.low, node.high) if b is not None]
        low: object
        high: object
        if info.type == schema.DATE:
            value = "v"
            low, high = (None if bound is None else _sortable_date(bound)
                         for bound in (node.low, node.high))
        elif info.type == schema.INT or (bounds and all(_NUMBER.match(b) for b in bounds)):
            value = "(CASE WHEN v ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN v::numeric END)"
            for bound in bounds:
                if not _NUMBER.match(bound):
                    raise QuerySyntaxError(f"invalid number {shortened(bound)} in a range on {shortened(node.field)}")
            low, high = (None if bound is None else float(bound) for bound in (node.low, node.high))
        else:
            value = 'v COLLATE "C"'
            low, high = node.low, node.high
        conditions = []
        if low is not None:
            conditions.append(f"{value} {'>=' if node.include_low else '>'} {self.param(low)}")
        if high is not None:
            conditions.append(f"{value} {'<=' if node.include_high else '<'} {self.param(high)}")
        if not conditions:
            return self._exists(node.field)
        return self._any_value(node.field, " AND ".join(conditions))

    # --------------------------------------------------------------- building
    def _text_match(self, name: str, tsquery: str) -> str:
        if name == "text" or name in FIELD_WEIGHTS:
            if not self._negated:
                self.rank_queries.append(tsquery)
            # The GIN index on tsv finds candidates; a weight narrows to one field.
            self.matches_text = True
            match = f"d.tsv @@ {tsquery}"
            if name in FIELD_WEIGHTS:
                match += f" AND {self._tsvector(name)} @@ {tsquery}"
            return match
        return f"{self._tsvector(name)} @@ {tsquery}"

    def _tsvector(self, name: str) -> str:
        if name == "text":
            return "d.tsv"
        if name in FIELD_WEIGHTS:
            weight, column = FIELD_WEIGHTS[name]
            return f"ts_filter({column}, '{{{weight}}}')"
        field_param = self.param(name)
        return (f"to_tsvector({self.config}, coalesce(d.doc -> {field_param}, "
                f"d.fields -> {field_param}, '[]'::jsonb))")

    def _contains(self, name: str, value: str) -> str:
        if name in schema.COLUMNS:
            if schema.COLUMNS[name]:
                return f"d.{name} @> ARRAY[CAST({self.param(value)} AS text)]"
            return f"d.{name} = {self.param(value)}"
        return f"d.fields @> CAST({self.param(json.dumps({name: [value]}))} AS jsonb)"

    def _exists(self, name: str) -> str:
        if name in schema.COLUMNS:
            return f"cardinality(d.{name}) > 0" if schema.COLUMNS[name] else f"d.{name} IS NOT NULL"
        field_param = self.param(name)
        return f"(d.fields ? {field_param} OR d.doc ? {field_param})"

    def _any_value(self, name: str, condition: str) -> str:
        """True when some value ``v`` of the field meets ``condition`` (SQL over ``v``)."""
        return f"EXISTS (SELECT 1 FROM {values_of(name, self.param)} v WHERE {condition})"

    def _ngram(self, name: str, text: str) -> str:
        return f"strpos(lower({NGRAM_SOURCES[name]}), {self.param(text.lower())}) > 0"

    @staticmethod
    def _normalise(info: schema.Field, text: str) -> str:
        if info.type == schema.DATE:
            return _sortable_date(text)
        if info.type == schema.INT:
            # Solr's int fields hold 32-bit numbers; others are invalid there too.
            if not _NUMBER.match(text) or not -2 ** 31 <= float(text) < 2 ** 31:
                raise QuerySyntaxError(f"invalid number {shortened(text)}")
            return str(int(float(text)))
        return text


def _sortable_date(text: str) -> str:
    """A date of a query in the form the index keeps dates in."""
    parsed = schema.parse_solr_date(text)
    if parsed is None:
        raise QuerySyntaxError(f"invalid date {shortened(text)}")
    return schema.sortable_date(parsed)


def values_of(name: str, param) -> str:
    """A set-returning SQL expression of the field's indexed values, as text (column ``v``)."""
    holder, listing = facet_source(name, param)
    if name in schema.COLUMNS and not schema.COLUMNS[name]:
        return f"(SELECT {holder} AS v WHERE {holder} IS NOT NULL)"
    return listing.format(holder)


def facet_source(name: str, param) -> tuple[str, str]:
    """How to list a field's values per document, in two steps.

    Returns the SQL expression holding the values in a document row, and a
    template (``{}`` for that expression) of the SQL listing them one by one
    in a select list.
    """
    if name in schema.COLUMNS:
        if schema.COLUMNS[name]:
            return f"d.{name}", "unnest({})"
        return f"d.{name}", "{}"
    return f"(d.fields -> {param(name)})", "jsonb_array_elements_text(coalesce({}, '[]'::jsonb))"


def sort_key(name: str, param) -> str:
    """SQL expression to sort on a field's (first) value, as Solr would."""
    info = schema.field(name)
    if name in schema.COLUMNS:
        first = f"d.{name}[1]" if schema.COLUMNS[name] else f"d.{name}"
    else:
        source = "d.doc" if info.is_text and info.stored else "d.fields"
        value = f"{source} -> {param(name)}"
        first = (f"(CASE jsonb_typeof({value}) WHEN 'array' THEN {value} ->> 0"
                 f" ELSE {value} #>> '{{}}' END)")
    if info.type == schema.INT:
        return f"(CASE WHEN {first} ~ '^-?[0-9]+$' THEN ({first})::numeric END)"
    if info.is_text:
        return f"lower({first})"
    return f'{first} COLLATE "C"'


def _with_field(node, name: str):
    if isinstance(node, Term):
        return Term(name, node.text, node.phrase)
    return Wildcard(name, node.pattern)


def _balanced(operator: str, operands: list[str]) -> str:
    """``a op b op c ...`` as a balanced tree of parentheses.

    PostgreSQL nests a chain of binary operators one level per operand and
    refuses deep ones (stack depth); a balanced tree is only log2(n) deep.
    """
    if len(operands) == 1:
        return operands[0]
    middle = len(operands) // 2
    return (f"({_balanced(operator, operands[:middle])} {operator} "
            f"{_balanced(operator, operands[middle:])})")


def _has_wildcard(text: str) -> bool:
    return bool(re.search(r"(?<!\\)[*?]", text))


def _literal(pattern: str) -> str:
    return re.sub(r"\\(.)", r"\1", pattern)


def _tsquery_word(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _like_pattern(pattern: str, lower: bool) -> str:
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            literal = pattern[i + 1]
            out.append("\\" + literal if literal in "%_\\" else literal)
            i += 2
            continue
        out.append({"*": "%", "?": "_", "%": "\\%", "_": "\\_"}.get(ch, ch))
        i += 1
    result = "".join(out)
    return result.lower() if lower else result
