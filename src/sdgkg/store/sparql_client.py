"""The client side of the SPARQL 1.1 Protocol for a remote engine: where it answers, the requests.

Queries go over keep-alive ``http.client`` connections (``HttpClient``), the per-request cost that
matters when ``sdgkg serve`` relays small queries; updates and Graph Store Protocol uploads go
through httpx (``WriteClient``), which does digest auth. The endpoints are derived per engine
(``flavour``, see ``store/remote.py``) or set one by one in the settings. The engine's error
bodies become the service's errors here: syntax errors with their position, timeouts, refusals.
"""

from __future__ import annotations

import base64
import http.client
import re
import threading
from dataclasses import dataclass
from typing import IO
from urllib.parse import quote, urlencode, urlsplit

from pyoxigraph import QueryResultsFormat, RdfFormat

from sdgkg.errors import ConfigError, QueryTimeout, StoreClosed, StoreError
from sdgkg.store.base import update_conflict

FLAVOURS = ("auto", "oxigraph", "virtuoso", "generic")
RESULT_FORMATS = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
RDF_FORMATS = {
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
    client = HttpClient(timeout_s=10)
    try:
        for probe in (base.removesuffix("/query") + "/query", base):
            try:
                with client.get(probe, {"query": "ASK {}"}, "*/*") as response:
                    server = (response.getheader("server") or "").lower()
                    response.read()
            except (OSError, http.client.HTTPException):
                continue
            if "oxigraph" in server:
                return "oxigraph"
            if "virtuoso" in server:
                return "virtuoso"
        return "generic"
    finally:
        client.close()


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, read past the prologue; None if it is not plain.

    >>> query_form("# Which goals?\\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\\nASK {}")
    'ASK'
    """
    match = _FORM.match(sparql)
    return match[1].upper() if match else None


@dataclass
class RawAnswer:
    """An engine's answer as it came: its media type and the open response to read from."""

    media_type: str
    body: IO[bytes]


class HttpClient:
    """Keep-alive connections per thread with ``http.client``: the per-request cost that matters
    when ``sdgkg serve`` relays small queries (httpx costs several times more per request)."""

    def __init__(self, *, timeout_s: float | None, headers: dict[str, str] | None = None) -> None:
        self._timeout_s = timeout_s
        self._headers = headers or {}
        self._local = threading.local()
        self._all: set[http.client.HTTPConnection] = set()  # every thread's, to close them
        self._lock = threading.Lock()
        self._closed = False

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
        if self._closed:  # work still running when the server stops ends here, saying why
            raise StoreClosed("the connections to the engine are closed", where=netloc)
        pool: dict[tuple[str, str], http.client.HTTPConnection] = self._local.__dict__.setdefault(
            "pool", {}
        )
        connection = pool.get((scheme, netloc))
        if connection is None or fresh:
            if connection is not None:
                connection.close()
                with self._lock:  # else a server reconnecting for weeks would grow the list
                    self._all.discard(connection)
            kind = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
            connection = kind(netloc, timeout=self._timeout_s)
            pool[(scheme, netloc)] = connection
            with self._lock:
                self._all.add(connection)
        return connection

    def close(self) -> None:
        with self._lock:
            self._closed = True
            connections, self._all = self._all, set()
        for connection in connections:
            connection.close()


class _Response:
    """A request sent on a pooled connection, retried once if the server dropped it idle."""

    def __init__(self, http_: HttpClient, target, method, path, body, headers, timeout_s) -> None:  # type: ignore[no-untyped-def]
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
            # A half-read or broken body leaves the connection unusable: drop it. The response
            # is closed first: it holds the socket open, and an exception's traceback may keep
            # it alive in a cycle whose collection would find the socket still open.
            response.close()
            self._http.connection(self._target.scheme, self._target.netloc, True)
        elif not response.isclosed():
            response.read()


class WriteClient:
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
            raise unreachable(url, error) from None

    def close(self) -> None:
        self._client.close()


def auth_headers(user: str | None, password: str | None, token: str | None) -> dict[str, str]:
    if token:
        return {"authorization": f"Bearer {token}"}
    if user and password:
        pair = base64.b64encode(f"{user}:{password}".encode()).decode()
        return {"authorization": f"Basic {pair}"}
    return {}


def response_media_type(response: http.client.HTTPResponse) -> str:
    return (response.getheader("content-type") or "").split(";")[0].strip().lower()


def _looks_like_syntax_error(text: str) -> bool:
    return text.startswith("error at") or "SP030" in text or "SP031" in text or "SQ074" in text


def _engine_message(text: str) -> str:
    return text.strip().split("\n\nSPARQL query:")[0]


def query_error(status: int, body: bytes, prefix_length: int) -> Exception:
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


def timeout_error(timeout_s: float | None) -> QueryTimeout:
    return QueryTimeout(
        f"the engine did not answer within the {timeout_s or 0:g} s limit; "
        "simplify the query, add a LIMIT, or download the dump",
        see="SDGKG_QUERY_TIMEOUT_S",
    )


def unreachable(url: str, error: object) -> StoreError:
    return StoreError(f"cannot reach the SPARQL engine at {url}: {error}", where=url)
