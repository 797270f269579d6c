"""The W3C SPARQL 1.1 Protocol and Service Description tests as data, and how to run them.

Each ``mf:ProtocolTest`` of ``protocol/manifest.ttl`` becomes a ``ProtocolCase`` with its HTTP
requests in order; ``run_case`` sends them through any httpx-style client (the in-process
TestClient or an ``httpx.Client`` against a live server) and checks each response against the
manifest's expectations (status class, result format, boolean answer).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection

W3C_DIR = Path(__file__).resolve().parent
PROTOCOL_DIR = W3C_DIR / "protocol"
SD_MANIFEST = W3C_DIR / "service-description" / "manifest.ttl"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")

TABULAR_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
RDF_TYPES = {"application/rdf+xml", "text/turtle", "application/n-triples"}

# Cases this service cannot pass by design, with the reason (run as strict xfail).
UNSUPPORTED = {
    "update_dataset_default_graph": "using-graph-uri is not supported (pyoxigraph has no option)",
    "update_dataset_default_graphs": "using-graph-uri is not supported (pyoxigraph has no option)",
    "update_dataset_named_graphs": "using-named-graph-uri is not supported",
    "update_dataset_full": "using-graph-uri is not supported (pyoxigraph has no option)",
}


class Client(Protocol):
    def request(self, method: str, url: str, **kwargs: Any) -> Any: ...


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected_status: tuple[str, ...]  # "2xx", "3xx", "4xx"
    expected_format: str | None  # "boolean", "tabular", "RDF"
    expected_boolean: bool | None


@dataclass(frozen=True)
class ProtocolCase:
    name: str
    title: str
    graph_data: dict[str, Path]  # graph name -> file
    requests: tuple[HttpRequest, ...]

    @property
    def is_update(self) -> bool:
        return "update" in self.name


def protocol_cases() -> list[ProtocolCase]:
    """Every protocol test in manifest order."""
    manifest = Graph().parse(PROTOCOL_DIR / "manifest.ttl", format="turtle")
    root = next(manifest.subjects(MF.entries, None))
    entries = Collection(manifest, manifest.value(root, MF.entries))
    return [_case(manifest, entry) for entry in entries]


def service_description_cases() -> list[tuple[str, str]]:
    manifest = Graph().parse(SD_MANIFEST, format="turtle")
    root = next(manifest.subjects(MF.entries, None))
    entries = Collection(manifest, manifest.value(root, MF.entries))
    return [(str(e).rpartition("#")[2], str(manifest.value(e, MF.name))) for e in entries]


def _case(manifest: Graph, entry: Any) -> ProtocolCase:
    name = str(entry).rpartition("#")[2]
    graph_data = {
        str(manifest.value(node, RDFS.label)): PROTOCOL_DIR
        / Path(str(manifest.value(node, UT.graph))).name
        for node in manifest.objects(entry, UT.graphData)
    }
    action = manifest.value(entry, MF.action)
    requests = Collection(manifest, manifest.value(action, HT.requests))
    return ProtocolCase(
        name,
        str(manifest.value(entry, MF.name)),
        graph_data,
        tuple(_request(manifest, node) for node in requests),
    )


def _request(manifest: Graph, node: Any) -> HttpRequest:
    headers: dict[str, str] = {}
    header_list = manifest.value(node, HT.headers)
    if header_list is not None:
        for header in Collection(manifest, header_list):
            headers[str(manifest.value(header, HT.fieldName))] = str(
                manifest.value(header, HT.fieldValue)
            )
    body = None
    body_node = manifest.value(node, HT.body)
    if body_node is not None:
        encoding = str(manifest.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(manifest.value(body_node, CNT.chars)).encode(encoding.lower())
    response = manifest.value(node, HT.resp)
    statuses = tuple(
        sorted(
            str(s).rpartition("StatusCode")[2].lower()
            for s in manifest.objects(response, MF.expectedStatus)
        )
    )
    boolean = manifest.value(response, MF.expectedBoolean)
    fmt = manifest.value(response, MF.expectedFormat)
    return HttpRequest(
        method=str(manifest.value(node, HT.methodName)),
        path=str(manifest.value(node, HT.absolutePath)),
        headers=headers,
        body=body,
        expected_status=statuses,
        expected_format=str(fmt) if fmt is not None else None,
        expected_boolean=bool(boolean.toPython()) if boolean is not None else None,
    )


def run_case(
    case: ProtocolCase, client: Client, extra_headers: dict[str, str] | None = None
) -> None:
    """Send the case's requests in order; assert on each response."""
    for request in case.requests:
        path = (
            "/sparql" + request.path[len("/sparql/") :]
            if request.path.startswith("/sparql/")
            else request.path
        )
        response = client.request(
            request.method,
            path,
            headers={**request.headers, **(extra_headers or {})},
            content=request.body,
        )
        status_class = f"{response.status_code // 100}xx"
        assert status_class in request.expected_status, (
            f"{case.name}: {request.method} {path} gave {response.status_code} "
            f"(expected {'/'.join(request.expected_status)}): {response.text[:300]}"
        )
        _check_format(case, request, response)


def _check_format(case: ProtocolCase, request: HttpRequest, response: Any) -> None:
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    if request.expected_format == "tabular":
        assert media_type in TABULAR_TYPES, f"{case.name}: {media_type} is not a tabular format"
    elif request.expected_format == "RDF":
        assert media_type in RDF_TYPES, f"{case.name}: {media_type} is not an RDF format"
        Graph().parse(
            data=response.content,
            format={
                "text/turtle": "turtle",
                "application/rdf+xml": "xml",
                "application/n-triples": "nt",
            }[media_type],
        )
    elif request.expected_format == "boolean":
        assert media_type in BOOLEAN_TYPES, f"{case.name}: {media_type} is not a boolean format"
        if request.expected_boolean is not None:
            assert boolean_answer(response.content, media_type) is request.expected_boolean, (
                case.name
            )


def boolean_answer(body: bytes, media_type: str) -> bool:
    if media_type == "application/sparql-results+json":
        return bool(json.loads(body)["boolean"])
    element = ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert element is not None and element.text is not None
    return element.text.strip() == "true"


def load_graph_data(store: Any, cases: list[ProtocolCase]) -> None:
    """Load every case's graph data into a pyoxigraph Store, each file in its named graph."""
    from pyoxigraph import NamedNode, RdfFormat

    seen: set[str] = set()
    for case in cases:
        for graph, path in case.graph_data.items():
            if graph not in seen:
                seen.add(graph)
                store.load(path=str(path), format=RdfFormat.N_TRIPLES, to_graph=NamedNode(graph))


SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
# The Service Description vocabulary (https://www.w3.org/TR/sparql11-service-description/ §3):
# the classes each property's subject must have, for the "conforms to schema" test.
SD_DOMAINS: dict[URIRef, URIRef] = {
    SD.endpoint: SD.Service,
    SD.feature: SD.Service,
    SD.defaultEntailmentRegime: SD.Service,
    SD.supportedLanguage: SD.Service,
    SD.resultFormat: SD.Service,
    SD.defaultDataset: SD.Service,
    SD.availableGraphs: SD.Service,
    SD.defaultGraph: SD.Dataset,
    SD.namedGraph: SD.Dataset,
    SD.name: SD.NamedGraph,
    SD.graph: SD.NamedGraph,
}
SD_RANGES: dict[URIRef, URIRef] = {
    SD.defaultDataset: SD.Dataset,
    SD.defaultGraph: SD.Graph,
    SD.namedGraph: SD.NamedGraph,
}
SD_LANGUAGES = {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}
SD_FEATURES = {
    SD.DereferencesURIs,
    SD.UnionDefaultGraph,
    SD.RequiresDataset,
    SD.EmptyGraphs,
    SD.BasicFederatedQuery,
}
SD_TERMS = (
    set(SD_DOMAINS)
    | set(SD_RANGES)
    | SD_LANGUAGES
    | SD_FEATURES
    | {
        SD.Service,
        SD.Dataset,
        SD.Graph,
        SD.NamedGraph,
        SD.GraphCollection,
        SD.Language,
        SD.Feature,
        SD.EntailmentRegime,
        SD.EntailmentProfile,
        SD.Function,
        SD.Aggregate,
        SD.defaultEntailmentRegime,
        SD.entailmentRegime,
        SD.defaultSupportedEntailmentProfile,
        SD.supportedEntailmentProfile,
        SD.extensionFunction,
        SD.extensionAggregate,
        SD.languageExtension,
        SD.propertyFeature,
        SD.inputFormat,
    }
)


def check_service_description(case: str, graph: Graph, endpoint: str) -> None:
    """The three W3C service-description tests, on a parsed description."""
    from rdflib import RDF

    if case == "returns-rdf":
        assert len(graph) > 0
    elif case == "has-endpoint-triple":
        assert (None, SD.endpoint, URIRef(endpoint)) in graph, f"no sd:endpoint <{endpoint}>"
    elif case == "conforms-to-schema":
        for s, p, o in graph:
            for term in (p, o):
                if isinstance(term, URIRef) and str(term).startswith(str(SD)):
                    assert term in SD_TERMS, f"{term} is not in the SD vocabulary"
            if p in SD_DOMAINS:
                assert (s, RDF.type, SD_DOMAINS[p]) in graph, (
                    f"subject of {p} is not a {SD_DOMAINS[p]}"
                )
            if p in SD_RANGES:
                assert (o, RDF.type, SD_RANGES[p]) in graph, (
                    f"object of {p} is not a {SD_RANGES[p]}"
                )
            if p == SD.supportedLanguage:
                assert o in SD_LANGUAGES
            if p == SD.feature:
                assert o in SD_FEATURES
        assert any(graph.subjects(RDF.type, SD.Service))
    else:
        raise AssertionError(f"unknown service description test {case}")
