"""Content negotiation (RFC 9110 §12.5.1): an Accept header or ``format`` parameter to a writer.

Responses always carry the registered media type of what was written, whatever alias the client
asked for (``application/json`` asks for SPARQL JSON results, but the answer says
``application/sparql-results+json``). Negotiation results are cached per header value: clients
send the same few headers again and again, and this runs on every request.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from pyoxigraph import QueryResultsFormat, RdfFormat

from sdgkg.errors import SdgkgError


class NotAcceptable(SdgkgError):
    """No representation the client accepts."""

    http_status = 406
    title = "not acceptable"


class ResultKind(Enum):
    SOLUTIONS = "solutions"  # SELECT
    BOOLEAN = "boolean"  # ASK
    TRIPLES = "triples"  # CONSTRUCT, DESCRIBE
    PAGE = "page"  # a Linked Data resource or document: RDF or HTML


@dataclass(frozen=True)
class Representation:
    """What to write and what to call it."""

    media_type: str  # the registered type, sent as Content-Type
    format: QueryResultsFormat | RdfFormat | None  # None: HTML
    name: str  # the short name a ``format`` parameter or file suffix uses
    suffix: str
    aliases: tuple[str, ...] = ()

    @property
    def is_html(self) -> bool:
        return self.format is None

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.is_html
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


HTML = Representation("text/html", None, "html", "html", ("application/xhtml+xml",))
SPARQL_JSON = Representation(
    "application/sparql-results+json", QueryResultsFormat.JSON, "json", "srj", ("application/json",)
)
SPARQL_XML = Representation(
    "application/sparql-results+xml",
    QueryResultsFormat.XML,
    "xml",
    "srx",
    ("application/xml", "text/xml"),
)
SPARQL_CSV = Representation("text/csv", QueryResultsFormat.CSV, "csv", "csv")
SPARQL_TSV = Representation("text/tab-separated-values", QueryResultsFormat.TSV, "tsv", "tsv")
TURTLE = Representation(
    "text/turtle", RdfFormat.TURTLE, "turtle", "ttl", ("application/x-turtle", "application/turtle")
)
N_TRIPLES = Representation("application/n-triples", RdfFormat.N_TRIPLES, "ntriples", "nt")
RDF_XML = Representation("application/rdf+xml", RdfFormat.RDF_XML, "rdfxml", "rdf")
JSON_LD = Representation(
    "application/ld+json", RdfFormat.JSON_LD, "jsonld", "jsonld", ("application/json",)
)
N_QUADS = Representation("application/n-quads", RdfFormat.N_QUADS, "nquads", "nq")
TRIG = Representation("application/trig", RdfFormat.TRIG, "trig", "trig")

# Server preference order: the first one is the default when the client does not care.
CANDIDATES: dict[ResultKind, tuple[Representation, ...]] = {
    ResultKind.SOLUTIONS: (SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV),
    # CSV and TSV define no boolean; like Oxigraph's server, answer the bare word (true/false),
    # since SPARQLWrapper and pandas users ask ASK queries in them too.
    ResultKind.BOOLEAN: (SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV),
    ResultKind.TRIPLES: (TURTLE, N_TRIPLES, RDF_XML, JSON_LD, N_QUADS, TRIG),
    ResultKind.PAGE: (TURTLE, HTML, JSON_LD, N_TRIPLES, RDF_XML),
}

_FORMAT_NAMES = {
    "json": "json",
    "srj": "json",
    "xml": "xml",
    "srx": "xml",
    "csv": "csv",
    "tsv": "tsv",
    "turtle": "turtle",
    "ttl": "turtle",
    "n3": "turtle",  # Turtle is a subset of N3: what SPARQLWrapper's N3 asks for, N3 readers read
    "nt": "ntriples",
    "ntriples": "ntriples",
    "n-triples": "ntriples",
    "rdf": "rdfxml",
    "rdfxml": "rdfxml",
    "rdf+xml": "rdfxml",
    "jsonld": "jsonld",
    "json-ld": "jsonld",
    "nq": "nquads",
    "nquads": "nquads",
    "trig": "trig",
    "html": "html",
}

_RDF_FORMAT_NAMES = {"xml": "rdfxml", "json": "jsonld"}


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """-1 if the range does not cover ``media_type``; else 0 (*/*), 1 (type/*) or 2 (exact)."""
        main, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != main:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def negotiate(
    kind: ResultKind, accept: str | None, format_name: str | tuple[str, ...] | None = None
) -> Representation:
    """The representation of ``kind`` that a ``format`` parameter or Accept header asks for.

    A ``format`` parameter wins over Accept; it may be a short name (``ttl``) or a media type.
    Several (SPARQLWrapper repeats ``format=tsv&format=text/tab-separated-values`` under the
    aliases ``output`` and ``results``) are fine while they name one representation.

    >>> negotiate(ResultKind.SOLUTIONS, "text/csv;q=0.5, application/sparql-results+xml").name
    'xml'
    >>> negotiate(ResultKind.TRIPLES, None).media_type
    'text/turtle'

    Raises:
        NotAcceptable: nothing the client accepts can represent this kind of result.
    """
    if isinstance(format_name, tuple):
        return _agreed(kind, format_name)
    if format_name:
        return _by_format_name(kind, format_name.strip().lower())
    return _by_accept(kind, accept or "*/*")


def _agreed(kind: ResultKind, names: tuple[str, ...]) -> Representation:
    chosen = {name: _by_format_name(kind, name.strip().lower()) for name in names}
    if len(set(chosen.values())) > 1:
        asked = ", ".join(f"{n!r} is {r.media_type}" for n, r in chosen.items())
        raise SdgkgError(f"the format parameters disagree ({asked}); send one format")
    return next(iter(chosen.values()))


def by_suffix(kind: ResultKind, suffix: str) -> Representation | None:
    """The representation a file suffix such as ``ttl`` names, if ``kind`` has one."""
    return next((r for r in CANDIDATES[kind] if r.suffix == suffix), None)


def available(kind: ResultKind) -> str:
    return ", ".join(r.media_type for r in CANDIDATES[kind])


def _by_format_name(kind: ResultKind, name: str) -> Representation:
    if "/" in name:
        return _by_accept(kind, name)
    wanted = _FORMAT_NAMES.get(name, name)
    if kind in (ResultKind.TRIPLES, ResultKind.PAGE):
        # SPARQLWrapper sends format=xml / format=json whatever the query form.
        wanted = _RDF_FORMAT_NAMES.get(wanted, wanted)
    for representation in CANDIDATES[kind]:
        if representation.name == wanted:
            return representation
    names = ", ".join(r.name for r in CANDIDATES[kind])
    raise NotAcceptable(f"format={name!r} cannot represent this result; use one of: {names}")


@lru_cache(maxsize=256)
def _by_accept(kind: ResultKind, accept: str) -> Representation:
    ranges = _parse_accept(accept)
    best: tuple[float, int, int] | None = None
    chosen: Representation | None = None
    for preference, representation in enumerate(CANDIDATES[kind]):
        q, specificity = _quality(ranges, representation)
        score = (q, specificity, -preference)
        if q > 0 and (best is None or score > best):
            best, chosen = score, representation
    if chosen is None:
        raise NotAcceptable(
            f"none of the accepted media types ({accept}) can represent this result; "
            f"available: {available(kind)}"
        )
    return chosen


def _quality(ranges: list[_Range], representation: Representation) -> tuple[float, int]:
    """The q of the most specific range that covers the type or one of its aliases."""
    best_q, best_specificity = 0.0, -1
    for media_type in (representation.media_type, *representation.aliases):
        for accepted in ranges:
            specificity = accepted.specificity(media_type)
            # An alias only counts as an exact match: "application/*" should not pick JSON-LD.
            if media_type != representation.media_type and specificity < 2:
                continue
            if specificity > best_specificity:
                best_q, best_specificity = accepted.q, specificity
    return best_q, best_specificity


def _parse_accept(accept: str) -> list[_Range]:
    ranges = []
    for item in accept.split(","):
        media_range, *params = (part.strip() for part in item.split(";"))
        main, _, sub = media_range.lower().partition("/")
        if not main:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append(_Range(main, sub or "*", q))
    return ranges
