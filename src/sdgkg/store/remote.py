"""GraphStore over a remote SPARQL 1.1 engine.

Speaks the SPARQL 1.1 Protocol (https://www.w3.org/TR/sparql11-protocol/) for queries and
updates, and the Graph Store HTTP Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/) to
upload triples. ``--store sparql+http://host:port/path`` names the engine; the endpoints are
derived per engine (``flavour``) or set one by one in the settings:

=========  ==================  =======================================  ===========================
flavour    query               update                                   graph store
=========  ==================  =======================================  ===========================
oxigraph   ``<url>/query``     ``<url>/update``                         ``<url>/store``
virtuoso   ``<url>/sparql``    ``/sparql-auth`` (digest) or ``/sparql``  ``/sparql-graph-crud-auth``
generic    ``<url>``           ``<url>``                                none: INSERT DATA
=========  ==================  =======================================  ===========================

This module is the store itself: queries, the dataset each request names, dumps. The protocol
client is ``sparql_client.py``; the list of graphs, the data stamp and their watcher are
``graph_catalogue.py``; loads and updates, atomic for readers that go through sdgkg (uploaded into
hidden graphs, made visible by one update), are ``remote_loads.py``.

Other sdgkg processes notice each other's writes: every load and update also replaces a data
stamp, read with the list of graphs (``writes`` counts the changes seen), so ``sdgkg serve``
rebuilds its dumps and VoID after a ``sdgkg load`` run elsewhere. On Oxigraph server the stamp is
the name of an empty graph (``urn:x-sdgkg:stamp:…``): its union default graph takes in every named
graph, so a stamp triple would show in every query (an empty graph shows only to ``GRAPH ?g {}``,
which lists graphs with or without triples). Elsewhere it is a triple in the catalog graph,
which the explicit dataset of every query leaves out. Writes by other clients of the engine are
seen only when they add or drop a graph.

Engine quirks handled here (each found on this project's engines, see docs/deploy.md):

* Both engines give blank nodes fresh identities per upload request, so a chunked upload must not
  split a blank node's triples: triples with blank nodes are held back and sent in one request.
* Virtuoso: the default graph without FROM is *all* graphs, including its system graphs
  (``virtrdf#`` …): the dataset is always named explicitly, and system graphs are never listed.
  Its SPARQL JSON writes blank nodes as ``"type": "uri"``: SELECT results are read as XML.
  Accept lists are not negotiated per query form: the form is read from the query.
  INSERT DATA refuses blank nodes (SP031): triples go through the Graph Store Protocol.
* Oxigraph server: the union default graph is a per-request option (``union-default-graph``).
"""

from __future__ import annotations

import http.client
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import quote, urlencode

from pyoxigraph import (
    NamedNode,
    Quad,
    RdfFormat,
    Store,
    Triple,
    parse,
    parse_query_results,
    serialize,
)

from sdgkg.errors import StoreError
from sdgkg.rdfio import ProgressCallback
from sdgkg.store.base import GraphCheck, QueryResult
from sdgkg.store.graph_catalogue import GraphCatalogue, GraphState
from sdgkg.store.remote_loads import RemoteLoader
from sdgkg.store.sparql_client import (
    RDF_FORMATS,
    RESULT_FORMATS,
    Endpoints,
    HttpClient,
    RawAnswer,
    WriteClient,
    auth_headers,
    endpoints_for,
    query_error,
    query_form,
    response_media_type,
    timeout_error,
    unreachable,
)

if TYPE_CHECKING:
    from sdgkg.config import Settings

_EMPTY_GRAPH = "urn:x-sdgkg:empty"  # names an empty dataset, which the protocol cannot


class RemoteStore:
    """A SPARQL 1.1 engine behind the GraphStore protocol; results are pyoxigraph objects."""

    names_changed_graphs = False  # other clients write to the engine too (changed_graphs_since)

    def __init__(
        self,
        endpoints: Endpoints,
        *,
        user: str | None = None,
        password: str | None = None,
        token: str | None = None,
        timeout_s: float | None = 300.0,
    ) -> None:
        self.endpoints = endpoints
        self.flavour = endpoints.flavour
        self.description = f"remote {self.flavour} engine at {endpoints.query}"
        self._timeout_s = timeout_s
        self._read = HttpClient(timeout_s=timeout_s, headers=auth_headers(user, password, token))
        self._write = WriteClient(endpoints, user, password, token, timeout_s)
        self.catalogue = GraphCatalogue(self.flavour, self._select)
        self._loader = RemoteLoader(self.flavour, self._write, self.catalogue, self._select)

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteStore:
        """Credentials come from the settings (environment), never from the command line."""
        password = settings.remote_password.get_secret_value() if settings.remote_password else None
        token = settings.remote_token.get_secret_value() if settings.remote_token else None
        endpoints = endpoints_for(
            settings.store,
            settings.remote_flavour,
            authenticated=bool(settings.remote_user and password),
            query_url=settings.remote_query_url,
            update_url=settings.remote_update_url,
            gsp_url=settings.remote_gsp_url,
        )
        return cls(
            endpoints,
            user=settings.remote_user,
            password=password,
            token=token,
            timeout_s=settings.remote_timeout_s,
        )

    # -- queries ---------------------------------------------------------------------------------
    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        substitutions: Mapping[str, object] | None = None,
        base_iri: str | None = None,
        include_pending: bool = False,
    ) -> QueryResult:
        if substitutions:
            sparql = _substitute(sparql, substitutions)
        accept = self._accept_for(sparql)
        params = self._dataset(default_graphs, named_graphs, include_pending=include_pending)
        with self._post_query(sparql, params, accept, base_iri, self._timeout_s) as response:
            media_type = response_media_type(response)
            body = response.read()
        if media_type in RESULT_FORMATS:
            return parse_query_results(_blank_nodes(body), format=RESULT_FORMATS[media_type])
        if media_type in RDF_FORMATS:
            return _as_query_triples(body, RDF_FORMATS[media_type])
        raise StoreError(f"the engine answered a query with {media_type!r}, not SPARQL results")

    def relay_request(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
        base_iri: str | None,
    ) -> tuple[str, bytes, int] | None:
        """A direct-POST query request for ``sdgkg serve`` to send itself: the URL's query string
        (the dataset), the body (the query, sent as it is: percent-encoding it into a form cost
        more than the rest of a relayed ASK's Python) and the length of the BASE put before the
        query (to correct error columns).

        None when the answer cannot be relayed byte for byte (not an Oxigraph server), or when
        building it would block: the cached list of graphs is stale and a request to the engine
        must refresh it first (``graph_names`` on a worker thread).
        """
        if self.flavour != "oxigraph" or self.catalogue.cached_state() is None:
            return None
        prefix = f"BASE <{base_iri}> " if base_iri else ""
        params = self._dataset(default_graphs, named_graphs, include_pending=False)
        return urlencode(params, quote_via=quote), (prefix + sparql).encode(), len(prefix)

    @property
    def read_headers(self) -> dict[str, str]:
        """The headers every query request carries: the engine's credentials, if any."""
        return dict(self._read._headers)

    @contextmanager
    def proxy_query(
        self,
        sparql: str,
        *,
        accept: str,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
        base_iri: str | None,
        timeout_s: float,
    ) -> Iterator[RawAnswer | None]:
        """The engine's own serialised answer, for ``sdgkg serve`` to relay without re-encoding.

        Yields None when this engine's output cannot be relayed byte for byte (only Oxigraph's
        serialisers are the ones sdgkg writes with, which its row meter relies on).
        """
        if self.flavour != "oxigraph":
            yield None
            return
        params = self._dataset(default_graphs, named_graphs, include_pending=False)
        with self._post_query(sparql, params, accept, base_iri, timeout_s) as response:
            yield RawAnswer(response_media_type(response), response)

    def _accept_for(self, sparql: str) -> str:
        if self.flavour != "virtuoso":
            return "application/sparql-results+json, application/n-triples;q=0.9"
        if query_form(sparql) in ("CONSTRUCT", "DESCRIBE"):
            return "application/n-triples"
        return "application/sparql-results+xml"

    @contextmanager
    def _post_query(
        self,
        sparql: str,
        params: list[tuple[str, str]],
        accept: str,
        base_iri: str | None,
        timeout_s: float | None,
    ) -> Iterator[http.client.HTTPResponse]:
        prefix = f"BASE <{base_iri}> " if base_iri else ""
        form = [("query", prefix + sparql), *params]
        try:
            with self._read.post_form(self.endpoints.query, form, accept, timeout_s) as response:
                if response.status != 200:
                    raise query_error(response.status, response.read(), len(prefix))
                yield response
        except TimeoutError:
            raise timeout_error(timeout_s) from None
        except (OSError, http.client.HTTPException) as error:
            raise unreachable(self.endpoints.query, error) from None

    # -- the dataset -----------------------------------------------------------------------------
    def _dataset(
        self,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
        *,
        include_pending: bool,
    ) -> list[tuple[str, str]]:
        """Protocol parameters that make the default graph the union of the visible graphs."""
        union = default_graphs is None and named_graphs is None
        if (
            union
            and self.flavour == "oxigraph"
            and (include_pending or not self.catalogue.hidden())
        ):
            return [("union-default-graph", "")]
        visible = self.catalogue.all_graphs() if include_pending else self.graph_names()
        defaults = list(visible if default_graphs is None else default_graphs) or [_EMPTY_GRAPH]
        named = list(visible if named_graphs is None else named_graphs) or [_EMPTY_GRAPH]
        return [("default-graph-uri", g) for g in defaults] + [
            ("named-graph-uri", g) for g in named
        ]

    def graph_names(self) -> list[str]:
        return self.catalogue.visible()

    @property
    def writes(self) -> int:
        """Changes of the engine's graphs or data stamp seen so far (``graph_catalogue.py``)."""
        return self.catalogue.writes

    def changed_graphs_since(self, mark: int) -> set[str] | None:
        """Always None, "not known": other processes write to the engine too, and a change is
        seen only as a new data stamp, so what is derived from the data is rebuilt whole."""
        return None

    def graph_state_age(self) -> float | None:
        """Seconds since the engine was last asked for its graphs; None if never (``/health``)."""
        return self.catalogue.age()

    def refresh_graph_state(self) -> GraphState:
        """Ask the engine for its graphs and data stamp now.

        ``sdgkg serve`` calls this in the background every half ``GRAPHS_TTL_S``
        (execution/state.py), so no query waits for it.
        """
        return self.catalogue.refresh()

    def trust_graph_state_for(self, seconds: float) -> None:
        """Serve the state just refreshed for ``seconds``: the watcher asks again before then."""
        self.catalogue.trust_for(seconds)

    def _select(self, query: str) -> list[Any]:
        # No dataset parameters: every engine then lets GRAPH reach all of its graphs.
        with self._post_query(query, [], self._accept_for(query), None, 60) as response:
            fmt = RESULT_FORMATS[response_media_type(response)]
            body = _blank_nodes(response.read())
            return list(parse_query_results(body, format=fmt))  # type: ignore[arg-type]

    # -- writes (remote_loads.py) ---------------------------------------------------------------
    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        self._loader.update(sparql, base_iri=base_iri)

    def replace_graphs(self, graphs: Mapping[str, Sequence[Triple]]) -> None:
        self._loader.replace_graphs(graphs)

    def bulk_load_graph(
        self,
        graph: str,
        path: Path,
        fmt: RdfFormat,
        *,
        check: GraphCheck,
        replace: bool,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        self._loader.bulk_load_graph(
            graph,
            path,
            fmt,
            check=lambda g: check(self, g),
            replace=replace,
            on_progress=on_progress,
        )

    # -- dumps -----------------------------------------------------------------------------------
    def dump(self, out: BinaryIO, fmt: RdfFormat, *, graph: str | None = None) -> None:
        if graph is not None:
            self._dump_triples(
                out, fmt, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
            )
        elif fmt in (RdfFormat.N_QUADS, RdfFormat.TRIG):
            serialize(self._quads(), out, fmt)
        else:
            self._dump_triples(
                out,
                fmt,
                "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
            )

    def _dump_triples(self, out: BinaryIO, fmt: RdfFormat, construct: str) -> None:
        params = self._dataset(None, None, include_pending=False)
        with self._post_query(construct, params, "application/n-triples", None, None) as response:
            if (
                fmt == RdfFormat.N_TRIPLES
                and response_media_type(response) == "application/n-triples"
            ):
                while chunk := response.read(256 * 1024):
                    out.write(chunk)
                return
            serialize(parse(response, format=RDF_FORMATS[response_media_type(response)]), out, fmt)

    def _quads(self) -> Iterator[Quad]:
        for graph in self.graph_names():
            query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
            params = self._dataset(None, None, include_pending=False)
            with self._post_query(query, params, "application/n-triples", None, None) as response:
                name = NamedNode(graph)
                fmt = RDF_FORMATS[response_media_type(response)]
                for triple in parse(response, format=fmt):
                    yield Quad(triple.subject, triple.predicate, triple.object, name)

    def close(self) -> None:
        self._read.close()
        self._write.close()


# -- helpers --------------------------------------------------------------------------------------
def _as_query_triples(body: bytes, fmt: RdfFormat) -> QueryResult:
    """Triples as a pyoxigraph QueryTriples, which only a query can make: via a memory store."""
    memory = Store()
    memory.extend(Quad(t.subject, t.predicate, t.object) for t in parse(body, format=fmt))
    return memory.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


def _substitute(sparql: str, substitutions: Mapping[str, object]) -> str:
    """pyoxigraph's pre-bound variables, as a VALUES block after the query (SPARQL 1.1 §10.2.2)."""
    names = " ".join(f"?{name}" for name in substitutions)
    values = " ".join(str(term) for term in substitutions.values())
    return f"{sparql}\nVALUES ({names}) {{ ({values}) }}"


# Virtuoso labels blank nodes in SPARQL results "nodeID://b10447", which is no blank node label
# (SPARQL 1.1 Query Results XML/JSON): pyoxigraph refuses it, so the prefix is dropped.
_VIRTUOSO_BLANK_NODE = re.compile(rb'(<bnode>|"type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')


def _blank_nodes(body: bytes) -> bytes:
    """SPARQL results with Virtuoso's blank node labels made plain.

    >>> _blank_nodes(b"<bnode>nodeID://b10447</bnode>")
    b'<bnode>b10447</bnode>'
    """
    return _VIRTUOSO_BLANK_NODE.sub(rb"\1", body)
