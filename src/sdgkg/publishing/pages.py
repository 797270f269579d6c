"""Linked Data: every IRI under the base is served at its path, in the format asked for.

https://www.w3.org/TR/cooluris/ and https://www.w3.org/TR/ldp-bp/ : ``https://w3id.org/sdgkg/id/
partner/cisu`` is served at ``/id/partner/cisu`` (the w3id redirect points the base here). The
representation comes from a file suffix (``.ttl``), else a ``format`` parameter, else the Accept
header (HTML for browsers, Turtle for RDF clients); responses say ``Vary: Accept``.

``/ontology`` and ``/shapes`` are documents (the hash IRIs of their terms end there); the
ontology's HTML documentation is generated from the ontology itself, its one editable source.
Every HTML page is rendered by ``sdgkg.web``; this module picks the representation and the data.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pyoxigraph import Literal, NamedNode, QueryTriples, Triple

from sdgkg.errors import InputError, NotFound
from sdgkg.execution.background import BuiltInBackground
from sdgkg.execution.deps import PublicRootDep, ServiceState, StateDep
from sdgkg.iris import graph_iri
from sdgkg.protocol.conditional import STALE
from sdgkg.protocol.conneg import TURTLE, Representation, ResultKind, by_suffix, negotiate
from sdgkg.publishing.describe import describe, group_by_predicate, is_described, literal_values
from sdgkg.publishing.documents import jsonld_context, render_rdf
from sdgkg.vocab import prefixes_for
from sdgkg.web.i18n import choose_language
from sdgkg.web.layout import context_for
from sdgkg.web.ontology import OntologyDoc, TermDoc, render_ontology_page
from sdgkg.web.resource import render_resource_page
from sdgkg.web.service_pages import render_turtle_page
from sdgkg.web.state import WebState

router = APIRouter(tags=["linked data"])

_MAX_LINKS_PAGE = 10_000
DOCUMENTS = {"ontology": "ontology/sdgkg", "shapes": "shapes/sdgkg-shapes"}
_OWL = "http://www.w3.org/2002/07/owl#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SKOS_DEFINITION = "http://www.w3.org/2004/02/skos/core#definition"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_DCTERMS = "http://purl.org/dc/terms/"
_TERM_SECTIONS = {  # i18n message key -> the types of the terms it lists
    "classes": (_OWL + "Class",),
    "object_properties": (_OWL + "ObjectProperty",),
    "datatype_properties": (_OWL + "DatatypeProperty",),
    "annotation_properties": (_OWL + "AnnotationProperty",),
}


@router.get("/context.jsonld", summary="The JSON-LD @context of every JSON-LD document served")
def context(state: StateDep) -> JSONResponse:
    return JSONResponse(
        jsonld_context(prefixes_for(state.settings.base_iri)), media_type="application/ld+json"
    )


@router.head("/{path:path}", include_in_schema=False)
@router.get(
    "/{path:path}",
    summary="A resource under the base IRI (Linked Data), or the ontology / shapes document",
    response_class=Response,
)
def resource(path: str, request: Request, state: StateDep, root: PublicRootDep) -> Response:
    base = state.settings.base_iri
    name, representation, is_document = _find(state, path)
    chosen = representation or negotiate(
        ResultKind.PAGE, request.headers.get("accept"), request.query_params.get("format")
    )
    if is_document:
        return _document(state, name, chosen, root, request)
    if chosen.is_html:  # the page asks for what it shows itself, a page of links at a time
        language = choose_language(request)
        page = render_resource_page(
            state.store,
            base + name,
            language,
            state.settings,
            links_page=_links_page(request.query_params.get("links")),
            coverage=_latest(request, state, "coverage"),
            partners=_latest(request, state, "partners"),
        )
        return _html_response(page, chosen)
    description = describe(state.store, base + name)
    body = render_rdf(description.triples, chosen, prefixes_for(base), root + "context.jsonld")
    return _response(body, chosen)


def _latest(request: Request, state: ServiceState, name: str) -> Any:
    """An aggregate the web pages build in the background (``WebState``: "coverage" or
    "partners") where they are installed and it is built, else None: a resource page reads what
    it would hold from the store instead of waiting (issue 18)."""
    web: WebState | None = getattr(request.app.state, "web", None)
    if web is None:
        return None
    cache: BuiltInBackground[Any] = getattr(web, name)
    value = cache.latest(state.data_version)
    if value is not None and cache.version != state.data_version:
        request.scope[STALE] = True  # not validated as the current version's page
    return value


def _links_page(value: str | None) -> int:
    """Which page of the records pointing at a resource ``?links=`` asks for."""
    if value is None:
        return 1
    if not value.isdigit() or not 1 <= int(value) <= _MAX_LINKS_PAGE:
        raise InputError(f"links must be a page number from 1 to {_MAX_LINKS_PAGE}, not {value!r}")
    return int(value)


def _find(state: ServiceState, path: str) -> tuple[str, Representation | None, bool]:
    """The resource a path names, the representation its suffix asks for, and whether it is one
    of the DOCUMENTS; a look-up of one triple, not the description (issue 18).

    The whole path is tried first: ``/id/target/13.a`` has a dot that is not a format suffix.
    """
    base = state.settings.base_iri
    if path in DOCUMENTS:
        return path, None, True
    if is_described(state.store, base + path):
        return path, None, False
    stem, dot, suffix = path.rpartition(".")
    representation = by_suffix(ResultKind.PAGE, suffix) if dot and "/" not in suffix else None
    if representation is not None:
        if stem in DOCUMENTS:
            return stem, representation, True
        if is_described(state.store, base + stem):
            return stem, representation, False
    raise NotFound(f"nothing is known about <{base + path}>")


def _document(
    state: ServiceState, name: str, chosen: Representation, root: str, request: Request
) -> Response:
    triples = _graph_triples(state, DOCUMENTS[name])
    if not triples:
        raise NotFound(f"the {name} is not loaded in this store")
    base = state.settings.base_iri
    prefixes = prefixes_for(base)
    if not chosen.is_html:
        return _response(render_rdf(triples, chosen, prefixes, root + "context.jsonld"), chosen)
    context = context_for(request, choose_language(request))
    if name == "ontology":
        page = render_ontology_page(state.store, context, _ontology_doc(triples, base), base)
    else:
        turtle = render_rdf(triples, TURTLE, prefixes, root + "context.jsonld").decode()
        page = render_turtle_page(context, name, turtle)
    return _html_response(page, chosen)


def _graph_triples(state: ServiceState, graph_name: str) -> list[Triple]:
    graph = NamedNode(graph_iri(state.settings.base_iri, graph_name))
    result = state.store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    return list(result) if isinstance(result, QueryTriples) else []


def _response(body: bytes, representation: Representation) -> Response:
    return Response(body, media_type=representation.content_type, headers={"Vary": "Accept"})


def _html_response(page: str, representation: Representation) -> Response:
    """HTML is in the reader's language too: ``?lang``, the switch's cookie, Accept-Language."""
    return Response(
        page.encode(),
        media_type=representation.content_type,
        headers={"Vary": "Accept, Accept-Language, Cookie"},
    )


def _ontology_doc(triples: list[Triple], base: str) -> OntologyDoc:
    """What the ontology says about itself and about each of its terms, by kind of term."""
    ontology_iri = base + "ontology"
    by_subject: dict[str, list[Triple]] = {}
    for triple in triples:
        if isinstance(triple.subject, NamedNode):
            by_subject.setdefault(triple.subject.value, []).append(triple)
    sections = {
        key: [
            _term_doc(iri, by_subject[iri])
            for iri in sorted(by_subject)
            if iri.startswith(ontology_iri + "#") and _has_type(by_subject[iri], types)
        ]
        for key, types in _TERM_SECTIONS.items()
    }
    header = by_subject.get(ontology_iri, [])
    return OntologyDoc(
        titles=literal_values(header, ontology_iri, _DCTERMS + "title"),
        descriptions=literal_values(header, ontology_iri, _DCTERMS + "description"),
        header=group_by_predicate(header),
        sections={key: docs for key, docs in sections.items() if docs},
    )


def _term_doc(iri: str, triples: list[Triple]) -> TermDoc:
    shown = [t for t in triples if t.predicate.value not in (_RDFS_LABEL, _SKOS_DEFINITION)]
    labels = [
        f"{t.object.value} @{t.object.language}"
        for t in triples
        if t.predicate.value == _RDFS_LABEL and isinstance(t.object, Literal)
    ]
    return TermDoc(
        iri=iri,
        labels=sorted(labels),
        definitions=literal_values(triples, iri, _SKOS_DEFINITION),
        properties=group_by_predicate(shown),
    )


def _has_type(triples: list[Triple], types: tuple[str, ...]) -> bool:
    return any(
        t.predicate.value == _RDF_TYPE
        and isinstance(t.object, NamedNode)
        and t.object.value in types
        for t in triples
    )
