"""What a public endpoint must check before pyoxigraph sees a query or update.

pyoxigraph executes ``SERVICE`` clauses (and ``LOAD`` in updates) by making HTTP requests itself,
and nothing in its Python API turns that off: a public endpoint would be an open door to the hosts
behind it (SSRF). So every query and update is checked here, on the parsed request, and refused
unless each remote endpoint is on ``SDGKG_SERVICE_ALLOWLIST``.

Parsing with rdflib costs tens of milliseconds, far more than answering a typical query, so it
runs only when a cheap lexical pass finds a keyword that needs it. SPARQL keywords cannot be
escaped except through ``\\uXXXX`` code points, which are expanded before that pass; a query
without the letters ``service`` (in any case) cannot contain a SERVICE clause.

The same parse gives the dataset a query declares with ``FROM`` / ``FROM NAMED``: the store uses
the union of named graphs as default graph unless it is told otherwise, and pyoxigraph lets that
option override ``FROM``, so the graphs are passed explicitly.

pyoxigraph's parser and optimiser recurse once per nesting level or chained operator, and a Rust
stack overflow kills the whole process: ``{`` nested 2,500 deep (5 KB), a 1,000-item collection
``( 1 1 … )`` or a chain of 1,000 OPTIONALs crashed a worker with the default 8 MiB stack. Workers
therefore run on a 128 MiB stack (``execution/runner.py``), and a query with more than
``MAX_QUERY_TOKENS`` tokens outside literals, IRIs, comments and VALUES blocks is refused here:
measured, 10,000 of the costliest tokens fit in that stack with room to spare. Updates come only
from token holders and are not limited, so a curator can send a large INSERT DATA.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sdgkg.errors import LimitExceeded, QueryNotAllowed, QuerySyntaxError

_SERVICE = re.compile(r"service", re.IGNORECASE)
_LOAD = re.compile(r"\bload\b", re.IGNORECASE)  # not "upload" in graph IRIs: see check_update
_FROM = re.compile(r"\bfrom\s+(?:named\s+)?(?:<|[A-Za-z_]*:)", re.IGNORECASE)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
MAX_QUERY_TOKENS = 10_000
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
)
_VALUES_BLOCK = re.compile(r"\bVALUES\s*(?:\?\w+|\([^()]*\))\s*\{[^{}]*\}", re.IGNORECASE)
_TOKEN = re.compile(r"[\w?$:.-]+|\S")
_UPDATE_KEYWORDS = re.compile(
    r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class QueryDataset:
    """The graphs a query names in FROM / FROM NAMED."""

    default_graphs: list[str]
    named_graphs: list[str]


CACHED_TEXT_CHARS = 8192  # longer texts are checked afresh: 1024 of them stay under 10 MB


def needs_parsing(query: str) -> bool:
    """Whether ``check_query`` will do more than a few regex searches (rdflib parse, token count).

    Such checks run on the worker pool, not the event loop: a large unauthenticated query that
    mentions "service" must not stall every other request while rdflib parses it.
    """
    if len(query) > MAX_QUERY_TOKENS:
        return True
    return _mentions_service_or_from(query)


@lru_cache(maxsize=1024)
def _mentions_service_or_from(query: str) -> bool:
    text = _expand_escapes(query)
    return _SERVICE.search(text) is not None or _FROM.search(text) is not None


def check_query(query: str, allowlist: Sequence[str]) -> QueryDataset | None:
    """Refuse remote calls a query would make; return the dataset it declares, if any.

    >>> check_query("SELECT * WHERE { ?s ?p ?o }", []) is None
    True
    >>> check_query("SELECT * FROM <http://g> WHERE { ?s ?p ?o }", []).default_graphs
    ['http://g']

    Raises:
        QueryNotAllowed: a SERVICE clause names an endpoint not on the allow-list.
    """
    text = _expand_escapes(query)
    check_size(text)
    mentions_service = _SERVICE.search(text) is not None
    if not mentions_service and _FROM.search(text) is None:
        return None
    parsed = _parse_query(text, refuse_unparsable=mentions_service)
    if parsed is None:
        return None
    if mentions_service:
        _check_services(parsed.algebra, allowlist)
    return _dataset(parsed.algebra)


def check_query_cached(query: str, allowlist: tuple[str, ...]) -> QueryDataset | None:
    """``check_query``, remembered for short queries: endpoints see the same ones again and
    again (editors' examples, dashboards, harvesters). A refusal is raised afresh each time."""
    if len(query) > CACHED_TEXT_CHARS:
        return check_query(query, allowlist)
    return _check_query_remembered(query, allowlist)


@lru_cache(maxsize=1024)
def _check_query_remembered(query: str, allowlist: tuple[str, ...]) -> QueryDataset | None:
    return check_query(query, allowlist)


def check_update(update: str, allowlist: Sequence[str]) -> None:
    """Refuse SERVICE and LOAD from hosts not on the allow-list, even for authorised clients."""
    text = _expand_escapes(update)
    if _SERVICE.search(text) is None and _LOAD.search(text) is None:
        return
    from rdflib.plugins.sparql.algebra import translateUpdate
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parsed = translateUpdate(parseUpdate(text))
    except Exception as error:
        raise QueryNotAllowed(
            "this update mentions SERVICE or LOAD and could not be checked for remote calls "
            f"({error}); remote calls are refused unless allow-listed",
            see="SDGKG_SERVICE_ALLOWLIST",
        ) from None
    for node in _walk(parsed.algebra):
        if node.name == "Load":
            _check_endpoint(node.get("iri"), allowlist, "LOAD")
    _check_services(parsed.algebra, allowlist)


def check_size(text: str) -> None:
    """Refuse a query too deeply structured for the engine's stack (see the module docstring).

    A text of at most ``MAX_QUERY_TOKENS`` characters cannot exceed the limit, so typical
    queries cost one ``len``.

    >>> check_size("SELECT * WHERE { VALUES ?x { " + "1 " * 20_000 + "} }")
    """
    if len(text) <= MAX_QUERY_TOKENS:
        return
    structure = _VALUES_BLOCK.sub(" ", _OPAQUE.sub(" x ", text))
    tokens = sum(1 for _ in _TOKEN.finditer(structure))
    if tokens > MAX_QUERY_TOKENS:
        raise LimitExceeded(
            f"the request has {tokens} terms and operators outside literals and VALUES, more than "
            f"the {MAX_QUERY_TOKENS} this endpoint evaluates; put long lists of values in a "
            "VALUES block",
            see="SECURITY.md",
        )


def looks_like_update(text: str) -> bool:
    """True if a request sent as a query starts like an update: to point the client at /update."""
    return _UPDATE_KEYWORDS.match(text) is not None


def _expand_escapes(text: str) -> str:
    """SPARQL 1.1 §19.2: ``\\u`` code point escapes are replaced before the query is parsed."""
    if "\\u" not in text and "\\U" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def _parse_query(text: str, *, refuse_unparsable: bool) -> Any:
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return translateQuery(parseQuery(text))
    except Exception as error:
        if refuse_unparsable:
            raise QueryNotAllowed(
                "this query mentions SERVICE and could not be checked for remote calls "
                f"({error}); remote calls are refused unless allow-listed",
                see="SDGKG_SERVICE_ALLOWLIST",
            ) from None
        # Only FROM was at stake: pyoxigraph parses it and reports any syntax error itself.
        return None


def _check_services(algebra: Any, allowlist: Sequence[str]) -> None:
    for node in _walk(algebra):
        if node.name == "ServiceGraphPattern":
            _check_endpoint(node.get("term"), allowlist, "SERVICE")


def _check_endpoint(term: object, allowlist: Sequence[str], keyword: str) -> None:
    from rdflib.term import URIRef

    if not isinstance(term, URIRef):
        raise QueryNotAllowed(
            f"{keyword} with a variable endpoint is refused: remote calls go only to "
            "allow-listed endpoints",
            see="SDGKG_SERVICE_ALLOWLIST",
        )
    if str(term) not in allowlist:
        raise QueryNotAllowed(
            f"{keyword} <{term}> is refused: this endpoint calls only allow-listed endpoints "
            f"({', '.join(allowlist) or 'none configured'})",
            see="SDGKG_SERVICE_ALLOWLIST",
        )


def _dataset(algebra: Any) -> QueryDataset | None:
    clauses = algebra.get("datasetClause") or []
    if not clauses:
        return None
    default = [str(c["default"]) for c in clauses if "default" in c]
    named = [str(c["named"]) for c in clauses if "named" in c]
    return QueryDataset(default, named)


def _walk(node: Any) -> Iterator[Any]:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple | ParseResults):
        for value in node:
            yield from _walk(value)


def syntax_error(error: SyntaxError, what: str = "query") -> QuerySyntaxError:
    """pyoxigraph's ``error at L:C: …`` as a QuerySyntaxError whose ``where`` is ``L:C``."""
    message = str(error)
    match = re.match(r"error at (\d+):(\d+): ?(.*)", message, re.DOTALL)
    if match is None:
        return QuerySyntaxError(f"the {what} does not parse: {message}")
    line, column, detail = match.groups()
    return QuerySyntaxError(
        f"the {what} does not parse at line {line}, column {column}: {detail}",
        where=f"{line}:{column}",
    )
