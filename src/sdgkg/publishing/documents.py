"""Small RDF documents (a resource page, the Service Description, VoID) in every RDF format.

Turtle, N-Triples and RDF/XML are written by pyoxigraph. JSON-LD is compacted against the
published context (``/context.jsonld``) by rdflib, so the document and the context agree; the
documents are small, so rdflib's speed does not matter here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

from sdgkg.protocol.conneg import Representation

_PREFIXED = (RdfFormat.TURTLE, RdfFormat.TRIG, RdfFormat.RDF_XML)


def jsonld_context(prefixes: dict[str, str]) -> dict[str, object]:
    """The published JSON-LD context: the usual prefixes, so compact IRIs read like Turtle."""
    return {"@context": dict(prefixes)}


def render_rdf(
    triples: Iterable[Triple],
    representation: Representation,
    prefixes: dict[str, str],
    context_url: str,
) -> bytes:
    """Serialise ``triples`` as ``representation`` (an RDF one, not HTML)."""
    fmt = representation.format
    if fmt is RdfFormat.JSON_LD:
        return _compact_jsonld(list(triples), prefixes, context_url)
    if not isinstance(fmt, RdfFormat):
        raise ValueError(f"{representation.media_type} is not an RDF format")
    if fmt in _PREFIXED:
        triples = list(triples)
        return _bytes(serialize(triples, format=fmt, prefixes=_used(prefixes, triples)))
    if fmt in (RdfFormat.N_QUADS, RdfFormat.TRIG):
        fmt = RdfFormat.N_TRIPLES  # a triple document in a quad format is its default graph
    return _bytes(serialize(triples, format=fmt))


def _bytes(value: bytes | None) -> bytes:
    """``serialize`` without an output file returns the bytes (typed as optional)."""
    return value or b""


def _compact_jsonld(triples: list[Triple], prefixes: dict[str, str], context_url: str) -> bytes:
    from rdflib import Graph

    graph = Graph()
    graph.parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")
    document = json.loads(
        graph.serialize(format="json-ld", context=dict(prefixes), auto_compact=True)
    )
    if isinstance(document, dict):
        document["@context"] = context_url
    else:  # a bare list: wrap it so the context applies
        document = {"@context": context_url, "@graph": document}
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def _used(prefixes: dict[str, str], triples: list[Triple]) -> dict[str, str]:
    """Only the prefixes some IRI in ``triples`` starts with: a page should not open with 17."""
    iris = {
        term.value
        for triple in triples
        for term in (triple.subject, triple.predicate, triple.object)
        if isinstance(term, NamedNode)
    }
    iris |= {
        triple.object.datatype.value for triple in triples if isinstance(triple.object, Literal)
    }
    return {p: ns for p, ns in prefixes.items() if any(iri.startswith(ns) for iri in iris)}
