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

Writes stay atomic for readers that go through sdgkg: triples are uploaded into graphs that are
marked as loading in the catalog graph and hidden from every query, and after the checks pass one
update makes them visible. A graph that does not exist yet is uploaded into directly (as the
embedded store does); one that is replaced gets a staging graph (``urn:x-sdgkg:staging:…``) that
the update moves over it (MOVE copies every triple, so replacing a big graph costs a second
pass). A failure drops what was uploaded, so the engine's data is as it was.

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

import base64
import http.client
import logging
import re
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO
from urllib.parse import quote, urlencode, urlsplit

from pyoxigraph import (
    BlankNode,
    NamedNode,
    Quad,
    QueryResultsFormat,
    RdfFormat,
    Store,
    Triple,
    parse,
    parse_query_results,
    serialize,
)

from sdgkg.errors import ConfigError, GraphExists, QueryTimeout, SdgkgError, StoreError
from sdgkg.rdfio import ProgressCallback, ProgressReader, syntax_error
from sdgkg.store.base import (
    CATALOG_GRAPH,
    DATA_STAMP,
    LOAD_STATE,
    GraphCheck,
    QueryResult,
    update_conflict,
)

if TYPE_CHECKING:
    from sdgkg.config import Settings

log = logging.getLogger(__name__)

FLAVOURS = ("auto", "oxigraph", "virtuoso", "generic")
CHUNK_BYTES = 12 * 1024 * 1024  # N-Triples per upload request: about 100 000 triples
BULK_CHUNK_BYTES = 64 * 1024 * 1024  # the same into Oxigraph's bulk loader, which likes big batches
_SERIALISE_BATCH = 10_000  # triples serialised at a time into a request body
GRAPHS_TTL_S = 1.0  # how long the list of graphs is trusted (other clients may load meanwhile)
_EMPTY_GRAPH = "urn:x-sdgkg:empty"  # names an empty dataset, which the protocol cannot
_STAGING = "urn:x-sdgkg:staging:"
_STAMP_GRAPH = "urn:x-sdgkg:stamp:"  # Oxigraph server: the data stamp, an empty graph's name
_VIRTUOSO_SYSTEM = (
    "http://www.openlinksw.com/schemas/",
    "http://www.w3.org/ns/ldp#",
    "http://www.w3.org/2002/07/owl#",
    "http://localhost:8890/",
    "http://localuriqaserver/",  # the service description graph when no DefaultHost is set
)
_RESULT_FORMATS = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
_RDF_FORMATS = {
    "application/n-triples": RdfFormat.N_TRIPLES,
    "text/plain": RdfFormat.N_TRIPLES,
    "text/turtle": RdfFormat.TURTLE,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/ld+json": RdfFormat.JSON_LD,
}
_FORM = re.compile(
    r"^(?:\s+|#[^\n]*(?:\n|$)|PREFIX\s*[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*"
    r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b",
    re.IGNORECASE,
)
_OXIGRAPH_ERROR = re.compile(r"error at (\d+):(\d+)")
# Virtuoso labels blank nodes in SPARQL results "nodeID://b10447", which is no blank node label
# (SPARQL 1.1 Query Results XML/JSON): pyoxigraph refuses it, so the prefix is dropped.
_VIRTUOSO_BLANK_NODE = re.compile(rb'(<bnode>|"type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')


@dataclass(frozen=True)
class Endpoints:
    """Where one engine answers queries, updates and Graph Store Protocol requests."""

    flavour: str
    query: str
    update: str
    gsp: str | None

    @property
    def gsp_graph_param(self) -> str:
        return "graph-uri" if self.flavour == "virtuoso" else "graph"


def endpoints_for(
    url: str,
    flavour: str = "auto",
    *,
    authenticated: bool = False,
    query_url: str | None = None,
    update_url: str | None = None,
    gsp_url: str | None = None,
) -> Endpoints:
    """The endpoints of ``sparql+http(s)://host:port/path`` for an engine flavour.

    >>> endpoints_for("sparql+http://127.0.0.1:7878", "oxigraph").update
    'http://127.0.0.1:7878/update'
    >>> endpoints_for("sparql+http://db:8890/sparql", "virtuoso", authenticated=True).gsp
    'http://db:8890/sparql-graph-crud-auth'
    """
    if flavour not in FLAVOURS:
        raise ConfigError(f"unknown remote flavour {flavour!r}; use one of {', '.join(FLAVOURS)}")
    base = url.removeprefix("sparql+").rstrip("/")
    if flavour == "auto":
        flavour = _detect_flavour(base)
    if flavour == "oxigraph":
        root = base.removesuffix("/query")
        derived = Endpoints(flavour, f"{root}/query", f"{root}/update", f"{root}/store")
    elif flavour == "virtuoso":
        root = base.removesuffix("/sparql")
        auth = "-auth" if authenticated else ""
        derived = Endpoints(
            flavour, f"{root}/sparql", f"{root}/sparql{auth}", f"{root}/sparql-graph-crud{auth}"
        )
    else:
        derived = Endpoints(flavour, base, base, None)
    return Endpoints(
        flavour, query_url or derived.query, update_url or derived.update, gsp_url or derived.gsp
    )


def _detect_flavour(base: str) -> str:
    """Ask the engine who it is: the ``Server`` header names both Oxigraph and Virtuoso."""
    client = _Http(timeout_s=10)
    for probe in (base.removesuffix("/query") + "/query", base):
        try:
            with client.get(probe, {"query": "ASK {}"}, "*/*") as response:
                server = (response.getheader("server") or "").lower()
                response.read()
        except (OSError, http.client.HTTPException):
            continue
        finally:
            client.close()
        if "oxigraph" in server:
            return "oxigraph"
        if "virtuoso" in server:
            return "virtuoso"
    return "generic"


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, read past the prologue; None if it is not plain.

    >>> query_form("# Which goals?\\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\\nASK {}")
    'ASK'
    """
    match = _FORM.match(sparql)
    return match[1].upper() if match else None


class RemoteStore:
    """A SPARQL 1.1 engine behind the GraphStore protocol; results are pyoxigraph objects."""

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
        self._read = _Http(timeout_s=timeout_s, headers=_auth_headers(user, password, token))
        self._write = _WriteClient(endpoints, user, password, token, timeout_s)
        self._pending: set[str] = set()  # staging graphs this process is loading
        self._graphs_lock = threading.Lock()
        self._graphs: tuple[float, list[str], frozenset[str]] | None = None
        self._seen: tuple[list[str], object] | None = None  # graphs and stamp, last asked
        self.writes = 0  # changes of the engine's graphs or stamp seen so far (ServiceState)

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
            media_type = _media_type(response)
            body = response.read()
        if media_type in _RESULT_FORMATS:
            return parse_query_results(_blank_nodes(body), format=_RESULT_FORMATS[media_type])
        if media_type in _RDF_FORMATS:
            return _as_query_triples(body, _RDF_FORMATS[media_type])
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
        if self.flavour != "oxigraph" or self._cached_graph_state() is None:
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
            yield RawAnswer(_media_type(response), response)

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
                    raise _query_error(response.status, response.read(), len(prefix))
                yield response
        except TimeoutError:
            raise _timeout(timeout_s) from None
        except (OSError, http.client.HTTPException) as error:
            raise _unreachable(self.endpoints.query, error) from None

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
        if union and self.flavour == "oxigraph" and (include_pending or not self._hidden_graphs()):
            return [("union-default-graph", "")]
        visible = self._all_graphs() if include_pending else self.graph_names()
        defaults = list(visible if default_graphs is None else default_graphs) or [_EMPTY_GRAPH]
        named = list(visible if named_graphs is None else named_graphs) or [_EMPTY_GRAPH]
        return [("default-graph-uri", g) for g in defaults] + [
            ("named-graph-uri", g) for g in named
        ]

    def graph_names(self) -> list[str]:
        names, hidden = self._graph_state()
        return [g for g in names if g not in hidden]

    def _all_graphs(self) -> list[str]:
        return self._graph_state()[0]

    def _hidden_graphs(self) -> frozenset[str]:
        return self._graph_state()[1]

    def _cached_graph_state(self) -> tuple[list[str], frozenset[str]] | None:
        with self._graphs_lock:
            cached = self._graphs
            if cached is not None and time.monotonic() - cached[0] < GRAPHS_TTL_S:
                return cached[1], cached[2]
        return None

    def graph_state_age(self) -> float | None:
        """Seconds since the engine was last asked for its graphs; None if never (``/health``)."""
        with self._graphs_lock:
            return None if self._graphs is None else time.monotonic() - self._graphs[0]

    def _graph_state(self) -> tuple[list[str], frozenset[str]]:
        """All data graphs, and the ones being loaded; cached for ``GRAPHS_TTL_S``."""
        cached = self._cached_graph_state()
        if cached is not None:
            return cached
        return self.refresh_graph_state()

    def refresh_graph_state(self) -> tuple[list[str], frozenset[str]]:
        """Ask the engine for its graphs, the ones being loaded and the data stamp (two small
        queries); count a change of the graphs or the stamp in ``writes``.

        ``sdgkg serve`` calls this in the background every half ``GRAPHS_TTL_S`` (api/state.py),
        so no query waits for it; the state is dated from before the questions were asked.
        """
        asked = time.monotonic()
        names = self._list_graphs()
        loading, stamp = self._catalog() if CATALOG_GRAPH in names else (set(), None)
        stamps = [n for n in names if n.startswith(_STAMP_GRAPH)]
        visible = [n for n in names if n != CATALOG_GRAPH and not n.startswith(_STAMP_GRAPH)]
        state = (visible, frozenset({*loading, *self._pending}))
        with self._graphs_lock:
            self._graphs = (asked, *state)
            seen = (visible, stamp or stamps)
            if self._seen is not None and self._seen != seen:
                self.writes += 1
            self._seen = seen
        return state

    def _forget_graphs(self) -> None:
        with self._graphs_lock:
            self._graphs = None

    def _list_graphs(self) -> list[str]:
        if self.flavour == "oxigraph":
            query = "SELECT ?g WHERE { GRAPH ?g {} }"  # the graph table, without a scan
        elif self.flavour == "virtuoso":
            # Not DISTINCT: Virtuoso answers that with a procedure whose plan, made while the
            # database was empty (a first load), then scans every quad: 77 s at 1M triples.
            query = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        else:
            query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        rows = self._select(query)
        names = {str(row[0].value) for row in rows if isinstance(row[0], NamedNode)}
        if self.flavour == "virtuoso":
            names = {n for n in names if not n.startswith(_VIRTUOSO_SYSTEM)}
        return sorted(names)

    def _catalog(self) -> tuple[set[str], str | None]:
        """The graphs being loaded, and the data stamp."""
        query = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ ?s ?p ?o }} }}"
        loading: set[str] = set()
        stamp = None
        for subject, predicate, value in self._select(query):
            if predicate.value == LOAD_STATE:
                loading.add(str(subject.value))
            elif predicate.value == DATA_STAMP and subject.value == CATALOG_GRAPH:
                stamp = str(value.value)
        return loading, stamp

    def _select(self, query: str) -> list[Any]:
        # No dataset parameters: every engine then lets GRAPH reach all of its graphs.
        with self._post_query(query, [], self._accept_for(query), None, 60) as response:
            fmt = _RESULT_FORMATS[_media_type(response)]
            body = _blank_nodes(response.read())
            return list(parse_query_results(body, format=fmt))  # type: ignore[arg-type]

    # -- writes ----------------------------------------------------------------------------------
    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        prefix = f"BASE <{base_iri}> " if base_iri else ""
        try:
            self._write.update(prefix + sparql)
            # A second request, not appended to the client's update (whose text may end in a
            # way that would swallow it): the stamp only tells other processes to look again.
            self._write.update(self._restamp())
        finally:
            self._forget_graphs()

    def replace_graphs(self, graphs: Mapping[str, Sequence[Triple]]) -> None:
        targets: dict[str, str] = {}
        try:
            for graph in graphs:
                targets[graph] = self._claim(graph) or self._new_staging()
            sent = {graph: self._upload(targets[graph], data) for graph, data in graphs.items()}
            self._swap(targets, sent)
        except BaseException:
            self._drop_staging(targets.values())
            raise

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
        target = self._claim(graph)
        if target is None:
            if not replace:
                raise GraphExists(
                    f"graph <{graph}> is already loaded (or being loaded by another process); "
                    "use --replace to replace it"
                )
            target = self._new_staging()
        try:
            with path.open("rb") as raw:
                source = ProgressReader(raw, on_progress) if on_progress else raw
                quads = parse(source, format=fmt, base_iri=path.resolve().as_uri())  # type: ignore[arg-type]
                sent = self._upload(target, (quad.triple for quad in quads), bulk=True)
            self._forget_graphs()
            check(target)
            self._swap({graph: target}, {graph: sent})
        except SyntaxError as error:
            self._drop_staging([target])
            raise syntax_error(error, path) from None
        except BaseException:
            self._drop_staging([target])
            raise

    def _claim(self, graph: str) -> str | None:
        """Mark a graph that does not exist yet as loading, so that its triples are uploaded into
        it directly: hidden from every sdgkg until the swap, as a staging graph is, and no MOVE
        (which copies every triple: 150 s for 1M on Oxigraph server) is needed. None if the graph
        holds triples or another load has marked it; two loads that mark it at once both back off.
        """
        # Not one conditional INSERT … WHERE { FILTER NOT EXISTS … }: Virtuoso inserts anyway.
        if self._select(f"SELECT ?p WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} LIMIT 1"):
            return None
        mark = f'<{graph}> <{LOAD_STATE}> "loading {uuid.uuid4().hex}" .'
        self._write.update(f"INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{ {mark} }} }}")
        states = f"SELECT ?s WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{LOAD_STATE}> ?s }} }}"
        marks = {f'<{graph}> <{LOAD_STATE}> "{row[0].value}" .' for row in self._select(states)}
        if marks == {mark}:
            self._pending.add(graph)
            self._forget_graphs()
            return graph
        self._write.update(f"DELETE DATA {{ GRAPH <{CATALOG_GRAPH}> {{ {mark} }} }}")
        return None

    def _new_staging(self) -> str:
        """A fresh staging graph, marked as loading in the engine so every sdgkg hides it."""
        staging = f"{_STAGING}{uuid.uuid4().hex}"
        self._pending.add(staging)
        self._write.update(f"INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{ {_marker(staging)} }} }}")
        self._forget_graphs()
        return staging

    def _upload(self, graph: str, triples: Iterable[Triple], *, bulk: bool = False) -> bool:
        """Send triples in chunks, one request on the wire while the next chunk is serialised;
        triples with blank nodes go together in the last request. True if any triple was sent.

        ``bulk``: Oxigraph server writes each chunk with its bulk loader, outside a transaction
        (``no_transaction``): the graph is hidden until the swap and dropped on failure anyway.
        """
        bulk = bulk and self.flavour == "oxigraph"
        limit = BULK_CHUNK_BYTES if bulk else CHUNK_BYTES
        sent = False
        with tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024) as held:
            with ThreadPoolExecutor(max_workers=1) as sender:
                in_flight: Future[None] | None = None
                for body in _chunks(triples, held, limit):
                    if in_flight is not None:
                        in_flight.result()  # at most one request on the wire while parsing on
                    in_flight = sender.submit(self._write.post_triples, graph, body, bulk=bulk)
                    sent = True
                if in_flight is not None:
                    in_flight.result()
            if held.tell():
                held.seek(0)
                # Bytes, not a stream: digest auth sends the body twice (challenge, then answer).
                self._write.post_triples(graph, held.read(), bulk=bulk)
                sent = True
        return sent

    def _swap(self, targets: Mapping[str, str], sent: Mapping[str, bool]) -> None:
        """One update: every target graph is replaced and every mark removed, or none is.

        A graph uploaded into directly (``_claim``) only loses its mark; a staging graph is moved
        over its target, whose marks (a load that never finished) go too. An empty upload leaves
        no graph to move (Oxigraph refuses to MOVE a missing graph): the target is just dropped.
        """
        steps = []
        for graph, source in targets.items():
            if source != graph:
                steps.append(f"DROP SILENT GRAPH <{graph}>")
                if sent.get(graph):
                    steps.append(f"MOVE <{source}> TO <{graph}>")
                steps.append(_unmark(graph))
            steps.append(_unmark(source))
        steps.append(self._restamp())
        try:
            self._write.update(" ;\n".join(steps))
        finally:
            self._pending.difference_update(targets.values())
            self._forget_graphs()

    def _restamp(self) -> str:
        """The update that gives the data a new stamp (see the module doc)."""
        new = uuid.uuid4().hex
        if self.flavour == "oxigraph":
            # Two writers at once may leave two stamps: harmless, the next write drops both.
            old = [g for g in self._list_graphs() if g.startswith(_STAMP_GRAPH)]
            drops = [f"DROP SILENT GRAPH <{g}> ;\n" for g in old]
            return "".join(drops) + f"CREATE SILENT GRAPH <{_STAMP_GRAPH}{new}>"
        stamp = f"<{CATALOG_GRAPH}> <{DATA_STAMP}>"
        return (
            f"DELETE WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ {stamp} ?old }} }} ;\n"
            f'INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{ {stamp} "{new}" }} }}'
        )

    def _drop_staging(self, graphs: Iterable[str]) -> None:
        """Drop staging graphs (or graphs this load claimed) and their marks."""
        names = list(graphs)
        if not names:
            return
        steps = [f"DROP SILENT GRAPH <{g}>" for g in names] + [_unmark(g) for g in names]
        try:
            self._write.update(" ;\n".join(steps))
        except SdgkgError:
            log.exception("could not drop the staging graphs %s; sdgkg keeps hiding them", names)
        finally:
            self._pending.difference_update(names)
            self._forget_graphs()

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
            if fmt == RdfFormat.N_TRIPLES and _media_type(response) == "application/n-triples":
                while chunk := response.read(256 * 1024):
                    out.write(chunk)
                return
            serialize(parse(response, format=_RDF_FORMATS[_media_type(response)]), out, fmt)

    def _quads(self) -> Iterator[Quad]:
        for graph in self.graph_names():
            query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
            params = self._dataset(None, None, include_pending=False)
            with self._post_query(query, params, "application/n-triples", None, None) as response:
                name = NamedNode(graph)
                fmt = _RDF_FORMATS[_media_type(response)]
                for triple in parse(response, format=fmt):
                    yield Quad(triple.subject, triple.predicate, triple.object, name)

    def close(self) -> None:
        self._read.close()
        self._write.close()


@dataclass
class RawAnswer:
    """An engine's answer as it came: its media type and the open response to read from."""

    media_type: str
    body: IO[bytes]


# -- HTTP -----------------------------------------------------------------------------------------
class _Http:
    """Keep-alive connections per thread with ``http.client``: the per-request cost that matters
    when ``sdgkg serve`` relays small queries (httpx costs several times more per request)."""

    def __init__(self, *, timeout_s: float | None, headers: dict[str, str] | None = None) -> None:
        self._timeout_s = timeout_s
        self._headers = headers or {}
        self._local = threading.local()
        self._all: list[http.client.HTTPConnection] = []

    def get(self, url: str, params: dict[str, str], accept: str) -> _Response:
        target = urlsplit(url)
        path = f"{target.path or '/'}?{urlencode(params)}"
        return _Response(self, target, "GET", path, None, {"accept": accept}, self._timeout_s)

    def post_form(
        self, url: str, form: list[tuple[str, str]], accept: str, timeout_s: float | None
    ) -> _Response:
        target = urlsplit(url)
        path = target.path + (f"?{target.query}" if target.query else "")
        headers = {"accept": accept, "content-type": "application/x-www-form-urlencoded"}
        body = urlencode(form, quote_via=quote).encode()
        return _Response(self, target, "POST", path, body, headers, timeout_s)

    def connection(self, scheme: str, netloc: str, fresh: bool) -> http.client.HTTPConnection:
        pool: dict[tuple[str, str], http.client.HTTPConnection] = self._local.__dict__.setdefault(
            "pool", {}
        )
        connection = pool.get((scheme, netloc))
        if connection is None or fresh:
            if connection is not None:
                connection.close()
            kind = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
            connection = kind(netloc, timeout=self._timeout_s)
            pool[(scheme, netloc)] = connection
            self._all.append(connection)
        return connection

    def close(self) -> None:
        for connection in self._all:
            connection.close()
        self._all.clear()


class _Response:
    """A request sent on a pooled connection, retried once if the server dropped it idle."""

    def __init__(self, http_: _Http, target, method, path, body, headers, timeout_s) -> None:  # type: ignore[no-untyped-def]
        self._http, self._target = http_, target
        self._request = (method, path, body, {**http_._headers, **headers})
        self._timeout_s = timeout_s
        self._response: http.client.HTTPResponse | None = None

    def __enter__(self) -> http.client.HTTPResponse:
        method, path, body, headers = self._request
        for attempt in (0, 1):
            connection = self._http.connection(
                self._target.scheme, self._target.netloc, attempt > 0
            )
            try:
                connection.timeout = self._timeout_s
                if connection.sock is not None:
                    connection.sock.settimeout(self._timeout_s)
                connection.request(method, path, body, headers)
                self._response = connection.getresponse()
                return self._response
            except (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine):
                connection.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def __exit__(self, *exc: object) -> None:
        response = self._response
        if response is None:
            return
        if exc[0] is not None:
            # A half-read or broken body leaves the connection unusable: drop it.
            self._http.connection(self._target.scheme, self._target.netloc, True)
        elif not response.isclosed():
            response.read()


class _WriteClient:
    """Updates and Graph Store uploads with httpx, which does digest auth (Virtuoso's -auth)."""

    def __init__(self, endpoints, user, password, token, timeout_s) -> None:  # type: ignore[no-untyped-def]
        import httpx

        auth: httpx.Auth | None = None
        if user and password:
            digest = endpoints.flavour == "virtuoso"
            auth = httpx.DigestAuth(user, password) if digest else httpx.BasicAuth(user, password)
        headers = {"authorization": f"Bearer {token}"} if token else {}
        self._endpoints = endpoints
        self._client = httpx.Client(auth=auth, headers=headers, timeout=timeout_s)

    def update(self, sparql: str) -> None:
        response = self._send("POST", self._endpoints.update, data={"update": sparql})
        if response.status_code >= 300:
            text = response.text
            if response.status_code == 400 and _looks_like_syntax_error(text):
                raise SyntaxError(_engine_message(text))
            conflict = update_conflict(text)
            if conflict is not None:
                raise conflict
            raise StoreError(f"the engine refused an update ({response.status_code}): {text[:500]}")

    def post_triples(self, graph: str, body: bytes, *, bulk: bool = False) -> None:
        """Add N-Triples to a graph; ``bulk``: Oxigraph server's bulk loader, no transaction."""
        endpoints = self._endpoints
        if endpoints.gsp is None:
            self.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body.decode()}\n}} }}")
            return
        params = {endpoints.gsp_graph_param: graph}
        if bulk and endpoints.flavour == "oxigraph":
            params["no_transaction"] = ""
        response = self._send(
            "POST",
            endpoints.gsp,
            params=params,
            content=body,
            headers={"content-type": "application/n-triples"},
        )
        if response.status_code >= 300:
            raise StoreError(
                f"the engine refused an upload to <{graph}> ({response.status_code}): "
                f"{response.text[:500]}"
            )

    def _send(self, method: str, url: str, **kwargs: object):  # type: ignore[no-untyped-def]
        import httpx

        try:
            return self._client.request(method, url, **kwargs)  # type: ignore[arg-type]
        except httpx.TimeoutException:
            raise StoreError(f"the engine at {url} did not answer in time") from None
        except httpx.HTTPError as error:
            raise _unreachable(url, error) from None

    def close(self) -> None:
        self._client.close()


# -- helpers --------------------------------------------------------------------------------------
def _auth_headers(user: str | None, password: str | None, token: str | None) -> dict[str, str]:
    if token:
        return {"authorization": f"Bearer {token}"}
    if user and password:
        pair = base64.b64encode(f"{user}:{password}".encode()).decode()
        return {"authorization": f"Basic {pair}"}
    return {}


def _chunks(triples: Iterable[Triple], held: IO[bytes], limit: int) -> Iterator[bytes]:
    """N-Triples bodies of about ``limit`` bytes of the blank-node-free triples; the others are
    written to ``held`` (a blank node's triples must all go in one request)."""
    body = bytearray()
    batch: list[Triple] = []
    blank: list[Triple] = []
    for triple in triples:
        if isinstance(triple.subject, BlankNode) or isinstance(triple.object, BlankNode):
            blank.append(triple)
            if len(blank) >= _SERIALISE_BATCH:
                held.write(serialize(blank, format=RdfFormat.N_TRIPLES) or b"")
                blank = []
            continue
        batch.append(triple)
        if len(batch) >= _SERIALISE_BATCH:
            body += serialize(batch, format=RdfFormat.N_TRIPLES) or b""
            batch = []
            if len(body) >= limit:
                yield bytes(body)
                body = bytearray()
    if blank:
        held.write(serialize(blank, format=RdfFormat.N_TRIPLES) or b"")
    if batch:
        body += serialize(batch, format=RdfFormat.N_TRIPLES) or b""
    if body:
        yield bytes(body)


def _marker(graph: str) -> str:
    return f'<{graph}> <{LOAD_STATE}> "loading" .'


def _unmark(graph: str) -> str:
    """The update that removes every load mark of a graph (this load's, or a stale one)."""
    return f"DELETE WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{LOAD_STATE}> ?state }} }}"


def _media_type(response: http.client.HTTPResponse) -> str:
    return (response.getheader("content-type") or "").split(";")[0].strip().lower()


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


def _looks_like_syntax_error(text: str) -> bool:
    return text.startswith("error at") or "SP030" in text or "SP031" in text or "SQ074" in text


def _engine_message(text: str) -> str:
    return text.strip().split("\n\nSPARQL query:")[0]


def _query_error(status: int, body: bytes, prefix_length: int) -> Exception:
    text = body.decode("utf-8", "replace")
    if status == 400 and _looks_like_syntax_error(text):
        message = _engine_message(text)
        match = _OXIGRAPH_ERROR.match(message)
        if match and match[1] == "1" and prefix_length:  # the BASE we put before the query
            column = max(1, int(match[2]) - prefix_length)
            message = f"error at 1:{column}{message[match.end() :]}"
        return SyntaxError(message)
    lowered = text.lower()
    if "timeout" in lowered or "timed out" in lowered or "S1T00" in text:
        return QueryTimeout(
            f"the engine stopped the query: {text[:300]}", see="SDGKG_QUERY_TIMEOUT_S"
        )
    return StoreError(f"the engine could not answer the query ({status}): {text[:500]}")


def _timeout(timeout_s: float | None) -> QueryTimeout:
    return QueryTimeout(
        f"the engine did not answer within the {timeout_s or 0:g} s limit; "
        "simplify the query, add a LIMIT, or download the dump",
        see="SDGKG_QUERY_TIMEOUT_S",
    )


def _unreachable(url: str, error: object) -> StoreError:
    return StoreError(f"cannot reach the SPARQL engine at {url}: {error}", where=url)


def _blank_nodes(body: bytes) -> bytes:
    """SPARQL results with Virtuoso's blank node labels made plain.

    >>> _blank_nodes(b"<bnode>nodeID://b10447</bnode>")
    b'<bnode>b10447</bnode>'
    """
    return _VIRTUOSO_BLANK_NODE.sub(rb"\1", body)
