"""Parse the query language CKAN and its users send to Solr.

Three parsers, as Solr has them: ``lucene`` (the standard syntax: fields,
phrases, boolean operators, ranges, wildcards), ``dismax`` (free text with
+/- and quotes, matched across ``qf`` with a minimum-should-match) and
``edismax`` (lucene syntax matched across ``qf``). Local parameters
(``{!lucene q.op=OR}...``, ``{!bool must=...}``) are honoured for the parsers
named here. The result is a small tree of query nodes that ``sql.py``
compiles; nothing here touches the database.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Optional, Union


class QuerySyntaxError(ValueError):
    """The query cannot be parsed."""


# Parentheses and field prefixes nest at most this deep: the parser and the
# compiler recurse once per level, and so does PostgreSQL on the SQL built.
MAX_DEPTH = 100


def shortened(text: str, limit: int = 60) -> str:
    """``repr`` of a piece of a query for an error message, never much longer than ``limit``."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text)} characters)"


# ----------------------------------------------------------------- query tree

@dataclasses.dataclass
class MatchAll:
    """``*:*``."""


@dataclasses.dataclass
class Term:
    """A word or quoted phrase in one field (``None``: the default fields)."""

    field: Optional[str]
    text: str
    phrase: bool = False


@dataclasses.dataclass
class Wildcard:
    """A term with ``*`` or ``?``; ``pattern`` keeps them, other characters literal."""

    field: Optional[str]
    pattern: str


@dataclasses.dataclass
class Range:
    """``field:[low TO high]``; ``None`` is an open end (``*``)."""

    field: str
    low: Optional[str]
    high: Optional[str]
    include_low: bool = True
    include_high: bool = True


@dataclasses.dataclass
class Bool:
    """Clauses that must, should and must not match.

    With no ``must`` clause, at least ``max(1, min_should)`` of ``should``
    must match; with ``must`` clauses, ``should`` only adds to the score
    unless ``min_should`` says otherwise.
    """

    must: list["Node"] = dataclasses.field(default_factory=list)
    should: list["Node"] = dataclasses.field(default_factory=list)
    must_not: list["Node"] = dataclasses.field(default_factory=list)
    min_should: int = 0
    # How many times each ``should`` clause was given (empty: once each):
    # a repeat is kept once, but still counts towards ``min_should``, as in Lucene.
    should_times: list[int] = dataclasses.field(default_factory=list)
    _seen: dict[tuple[str, str], int] = dataclasses.field(
        default_factory=dict, init=False, repr=False, compare=False)

    def add(self, occur: str, node: "Node") -> None:
        """Add a clause; a clause given again is kept once."""
        clauses = getattr(self, occur)
        key = (occur, repr(node))
        if key not in self._seen:
            self._seen[key] = len(clauses)
            clauses.append(node)
            if occur == "should" and self.should_times:
                self.should_times.append(1)
        elif occur == "should":
            self.should_times = self.times()
            self.should_times[self._seen[key]] += 1

    def times(self) -> list[int]:
        """How many times each ``should`` clause was given."""
        return self.should_times or [1] * len(self.should)


@dataclasses.dataclass
class FieldGroup:
    """Terms that match any of several fields (dismax's ``qf``)."""

    fields: list[str]
    node: Union[Term, Wildcard]


Node = Union[MatchAll, Term, Wildcard, Range, Bool, FieldGroup]


def clause_count(node: Node) -> int:
    """How many conditions the query tree asks of each document.

    Each term, wildcard and range counts once per field it is matched in
    (matching the catch-all ``text`` field is one condition however many
    fields are listed); a clause given again counts once.
    """
    if isinstance(node, Bool):
        return sum(map(clause_count, node.must + node.should + node.must_not))
    if isinstance(node, FieldGroup):
        return 1 if "text" in node.fields else len(node.fields)
    return 1


# ------------------------------------------------------------------- tokenizer


@dataclasses.dataclass
class _Token:
    kind: str  # WORD, PHRASE, RANGE, LPAREN, RPAREN, AND, OR, NOT, PLUS, MINUS, FIELD
    value: str = ""
    wildcard: bool = False
    extra: tuple = ()


def _tokenize(text: str, literal: bool = False) -> list[_Token]:
    """Split a query into tokens; ``literal`` is dismax's reduced syntax."""
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        after_field = bool(tokens) and tokens[-1].kind == "FIELD"
        if ch in "+-" and not after_field and i + 1 < n and not text[i + 1].isspace():
            tokens.append(_Token("PLUS" if ch == "+" else "MINUS"))
            i += 1
            continue
        if ch == '"':
            j, buf = i + 1, []
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n:
                    j += 1
                buf.append(text[j])
                j += 1
            if j >= n:
                if literal:  # dismax drops an unbalanced quote
                    i += 1
                    continue
                raise QuerySyntaxError("unbalanced quote")
            i = _skip_suffixes(text, j + 1, literal)
            tokens.append(_Token("PHRASE", "".join(buf)))
            continue
        if not literal:
            if ch == "(":
                tokens.append(_Token("LPAREN"))
                i += 1
                continue
            if ch == ")":
                tokens.append(_Token("RPAREN"))
                i = _skip_suffixes(text, i + 1, literal)
                continue
            if text.startswith("&&", i):
                tokens.append(_Token("AND"))
                i += 2
                continue
            if text.startswith("||", i):
                tokens.append(_Token("OR"))
                i += 2
                continue
            if ch == "!":
                tokens.append(_Token("NOT"))
                i += 1
                continue
            if ch in "[{":
                i = _read_range(text, i, tokens)
                continue
        i = _read_word(text, i, tokens, literal)
    return tokens


def _skip_suffixes(text: str, i: int, literal: bool) -> int:
    """Skip ``^boost`` and ``~slop`` suffixes: they only tune scores."""
    if literal:
        return i
    while i < len(text) and text[i] in "^~":
        i += 1
        while i < len(text) and (text[i].isdigit() or text[i] == "."):
            i += 1
    return i


def _read_range(text: str, i: int, tokens: list[_Token]) -> int:
    include_low = text[i] == "["
    j = i + 1
    while j < len(text) and text[j] not in "]}":
        if text[j] == "\\":
            j += 1
        j += 1
    if j >= len(text):
        raise QuerySyntaxError("unterminated range")
    include_high = text[j] == "]"
    body = text[i + 1:j].strip()
    parts = re.split(r"\s+TO\s+", body)
    if len(parts) != 2 or not parts[0] or not parts[1]:
        raise QuerySyntaxError("a range needs the form [low TO high]")
    low, high = (_unescape(p.strip().strip('"')) for p in parts)
    tokens.append(_Token("RANGE", extra=(
        None if low == "*" else low, None if high == "*" else high,
        include_low, include_high)))
    return _skip_suffixes(text, j + 1, False)


def _read_word(text: str, i: int, tokens: list[_Token], literal: bool) -> int:
    n = len(text)
    buf: list[str] = []
    wildcard = False
    while i < n:
        ch = text[i]
        if ch.isspace():
            break
        if literal:
            if ch == '"':
                break
            buf.append(ch)
            i += 1
            continue
        if ch == "\\" and i + 1 < n:
            buf.append("\\" + text[i + 1])
            i += 2
            continue
        if ch in '()"[]{}' or (ch in "^~" and buf):
            break
        if ch == ":" and buf:
            tokens.append(_Token("FIELD", _unescape("".join(buf))))
            return i + 1
        if ch in "*?":
            wildcard = True
        buf.append(ch)
        i += 1
    raw = "".join(buf)
    if not literal and raw in ("AND", "OR", "NOT"):
        tokens.append(_Token(raw))
    elif literal and raw in ("AND", "OR"):
        tokens.append(_Token(raw))
    elif raw:
        if wildcard:
            tokens.append(_Token("WORD", _wildcard_pattern(raw), wildcard=True))
        else:
            tokens.append(_Token("WORD", _unescape(raw)))
    return _skip_suffixes(text, i, literal)


def _unescape(raw: str) -> str:
    return re.sub(r"\\(.)", r"\1", raw)


def _wildcard_pattern(raw: str) -> str:
    """Keep unescaped ``*``/``?`` as wildcards; mark escaped ones as literal."""
    out, i = [], 0
    while i < len(raw):
        if raw[i] == "\\" and i + 1 < len(raw):
            out.append("\\" + raw[i + 1] if raw[i + 1] in "*?\\" else raw[i + 1])
            i += 2
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


# --------------------------------------------------------------------- parsers

class _Parser:
    """Lucene's classic query parser, clause by clause."""

    def __init__(self, tokens: list[_Token], default_field: Optional[str],
                 default_and: bool, qf: Optional[list[str]] = None):
        self.tokens = tokens
        self.pos = 0
        self.default_field = default_field
        self.default_and = default_and
        self.qf = qf
        self.explicit_or = False
        self.depth = 0

    def peek(self) -> Optional[_Token]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Node:
        node = self.parse_query(self.default_field)
        if self.peek() is not None:
            raise QuerySyntaxError("unexpected ')'")
        return node

    def parse_query(self, field: Optional[str]) -> Node:
        # (conjunction, modifier, node) per clause, then Lucene's occur rules.
        clauses: list[list] = []
        while True:
            token = self.peek()
            if token is None or token.kind == "RPAREN":
                break
            conj = None
            if token.kind in ("AND", "OR"):
                conj = self.take().kind
                if conj == "OR":
                    self.explicit_or = True
                token = self.peek()
                if token is None or token.kind == "RPAREN":
                    raise QuerySyntaxError("an operator needs a clause after it")
            modifier = None
            if token.kind in ("PLUS", "MINUS", "NOT"):
                modifier = self.take().kind
            node = self.parse_clause(field)
            self._add_clause(clauses, conj, modifier, node)
        return _bool_from_clauses(clauses)

    def _add_clause(self, clauses: list[list], conj: Optional[str],
                    modifier: Optional[str], node: Node) -> None:
        if clauses and conj == "AND" and clauses[-1][0] != "must_not":
            clauses[-1][0] = "must"
        if clauses and self.default_and and conj == "OR" and clauses[-1][0] == "must":
            clauses[-1][0] = "should"
        prohibited = modifier in ("MINUS", "NOT")
        if self.default_and:
            required = not prohibited and conj != "OR"
        else:
            required = modifier == "PLUS" or (conj == "AND" and not prohibited)
        if modifier == "PLUS":
            required = True
        occur = "must_not" if prohibited else "must" if required else "should"
        clauses.append([occur, node])

    def parse_clause(self, field: Optional[str]) -> Node:
        if self.depth > MAX_DEPTH:
            raise QuerySyntaxError(f"the query is nested more than {MAX_DEPTH} levels deep")
        self.depth += 1
        try:
            return self._clause(field)
        finally:
            self.depth -= 1

    def _clause(self, field: Optional[str]) -> Node:
        token = self.peek()
        if token is None:
            raise QuerySyntaxError("a clause is missing")
        if token.kind == "FIELD":
            self.take()
            name = token.value
            nxt = self.peek()
            if nxt is None:
                raise QuerySyntaxError(f"field {shortened(name)} has no value")
            if name == "*" and nxt.kind == "WORD" and nxt.value == "*":
                self.take()
                return MatchAll()
            return self.parse_clause(name)
        if token.kind == "LPAREN":
            self.take()
            node = self.parse_query(field)
            closing = self.peek()
            if closing is None or closing.kind != "RPAREN":
                raise QuerySyntaxError("unbalanced parenthesis")
            self.take()
            return node
        if token.kind == "RANGE":
            self.take()
            if field is None:
                raise QuerySyntaxError("a range needs a field")
            return Range(field, *token.extra)
        if token.kind in ("WORD", "PHRASE"):
            self.take()
            return self._leaf(field, token)
        raise QuerySyntaxError(f"unexpected {token.kind}")

    def _leaf(self, field: Optional[str], token: _Token) -> Node:
        if token.wildcard:
            leaf: Union[Term, Wildcard] = Wildcard(field, token.value)
        else:
            leaf = Term(field, token.value, phrase=token.kind == "PHRASE")
        if field is None and self.qf:
            return FieldGroup(self.qf, leaf)
        if field is None:
            raise QuerySyntaxError("no default field")
        return leaf


def _bool_from_clauses(clauses: list[list]) -> Node:
    if len(clauses) == 1 and clauses[0][0] in ("must", "should"):
        return clauses[0][1]
    query = Bool()
    for occur, node in clauses:
        query.add(occur, node)
    return query


def parse_min_should_match(spec: str, optional: int) -> int:
    """How many of ``optional`` clauses must match under Solr's ``mm`` spec."""
    spec = (spec or "").strip()
    if not spec:
        return optional

    def amount(expr: str) -> int:
        expr = expr.strip()
        if expr.endswith("%"):
            pct = int(expr[:-1])
            count = int(optional * abs(pct) / 100)
            return count if pct >= 0 else optional - count
        value = int(expr)
        return value if value >= 0 else optional + value

    try:
        if "<" not in spec:
            result = amount(spec)
        else:
            result = optional
            for part in spec.split():
                bound, _, expr = part.partition("<")
                if optional > int(bound):
                    result = amount(expr)
    except ValueError:
        raise QuerySyntaxError(f"invalid mm {shortened(spec)}")
    return max(0, min(optional, result))


def _split_qf(qf: str) -> list[str]:
    return list(dict.fromkeys(f.split("^")[0] for f in (qf or "").split() if f.split("^")[0]))


@dataclasses.dataclass
class Params:
    """The Solr parameters that shape how ``q`` is parsed."""

    def_type: str = "lucene"
    df: str = "text"
    q_op: str = "OR"
    qf: str = ""
    mm: str = ""


def parse(query: str, params: Params, allow_local_params: bool = True) -> Node:
    """Parse one Solr query string (``q`` or an ``fq``) into a query tree."""
    query = (query or "").strip()
    if allow_local_params and query.startswith("{!"):
        return _parse_with_local_params(query, params)
    if params.def_type in ("dismax", "edismax"):
        return _parse_dismax(query, params)
    if params.def_type not in ("lucene", "standard"):
        raise QuerySyntaxError(f"query parser {shortened(params.def_type)} is not supported")
    if not query:
        return MatchAll()
    parser = _Parser(_tokenize(query), params.df, params.q_op.upper() == "AND")
    return parser.parse()


def _parse_dismax(query: str, params: Params) -> Node:
    qf = _split_qf(params.qf) or [params.df]
    if not query or query in ("*:*", "*"):
        return MatchAll()
    edismax = params.def_type == "edismax"
    tokens = _tokenize(query, literal=not edismax)
    parser = _Parser(tokens, None, default_and=False, qf=qf)
    node = parser.parse()
    if isinstance(node, Bool) and node.should and not parser.explicit_or:
        node.min_should = parse_min_should_match(params.mm, sum(node.times()))
    return node


# One local parameter: key=value (value quoted, or a plain word) or a bare word.
_LOCAL_PARAM = re.compile(
    r"""\s*(?:([A-Za-z0-9_.]+)\s*=\s*(?:"([^"\n]*)"|'([^'\n]*)'|([A-Za-z0-9_$]+))"""
    r"""|([A-Za-z0-9_.]+))"""
)


def parse_local_params(text: str) -> list[Union[str, list[str]]]:
    """The parts of a local parameters section, as CKAN's Solr query reads them.

    ``{!dismax qf=title v='some value'}`` gives
    ``["dismax", ["qf", "title"], ["v", "some value"]]``.

    :raises QuerySyntaxError: when ``text`` is not such a section
    """
    if not (text.startswith("{!") and text.endswith("}")):
        raise QuerySyntaxError("expected {!...}")
    body, position = text[2:-1], 0
    parts: list[Union[str, list[str]]] = []
    while (match := _LOCAL_PARAM.match(body, position)) and match.end() > position:
        key, double, single, word, bare = match.groups()
        if bare is not None:
            parts.append(bare)
        else:
            parts.append([key, next(v for v in (double, single, word) if v is not None)])
        position = match.end()
    if not parts or body[position:].strip():
        raise QuerySyntaxError(f"unexpected {shortened(body[position:].strip() or '}')}")
    return parts


def _parse_with_local_params(query: str, params: Params) -> Node:
    end = query.find("}")
    if end < 0:
        raise QuerySyntaxError("unterminated local parameters")
    try:
        parts = parse_local_params(query[:end + 1])
    except QuerySyntaxError as error:
        raise QuerySyntaxError(f"invalid local parameters: {error}")
    local: dict[str, list[str]] = {}
    parser_type = params.def_type
    for part in parts:
        if isinstance(part, str):
            parser_type = part
        else:
            key, value = part
            if key == "type":
                parser_type = value
            else:
                local.setdefault(key, []).append(value)
    body = local.pop("v", [query[end + 1:]])[0]
    if parser_type == "bool":
        return _bool_parser(local, params)
    sub = dataclasses.replace(
        params,
        def_type=parser_type,
        df=local.get("df", [params.df])[0],
        q_op=local.get("q.op", [params.q_op])[0],
        qf=local.get("qf", [params.qf])[0],
        mm=local.get("mm", [params.mm])[0],
    )
    return parse(body, sub, allow_local_params=False)


def _bool_parser(local: dict[str, list[str]], params: Params) -> Node:
    """Solr's ``{!bool must=... should=... must_not=... filter=...}``."""
    sub = dataclasses.replace(params, def_type="lucene")
    query = Bool()
    for key, occur in (("must", "must"), ("filter", "must"),
                       ("should", "should"), ("must_not", "must_not")):
        for value in local.get(key, []):
            query.add(occur, parse(value, sub, allow_local_params=False))
    if not (query.must or query.should or query.must_not):
        raise QuerySyntaxError("the bool parser needs at least one clause")
    return query
