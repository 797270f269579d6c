"""SPARQL 1.1 Protocol, query and update operations: https://www.w3.org/TR/sparql11-protocol/

``/sparql`` is served by a plain ASGI callable that the app calls before FastAPI's routing: no
middleware, no dependency solving, no request object. Oxigraph's own server answers a small query
in well under a millisecond, and a full FastAPI route costs 1-2 ms on top of that; this path
keeps the Python work per request to parsing the protocol and one hop to a worker thread, or
none for a query of one triple pattern, which is answered inline (``execution/runner.py``).

* query via GET, POST form-encoded and POST ``application/sparql-query``;
* ``default-graph-uri`` / ``named-graph-uri`` override the query's FROM / FROM NAMED; without
  either, the default graph is the union of all named graphs;
* results are serialised by pyoxigraph on a worker thread and streamed (``execution/runner.py``);
* updates only at ``/update`` (or POST ``update=`` to ``/sparql``), with a bearer token;
* CORS headers are written here, since this path bypasses the CORS middleware.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from sdgkg.errors import LimitExceeded, NotAuthorized, QueryNotAllowed, QueryTimeout, SdgkgError
from sdgkg.execution.result_cache import cache_key
from sdgkg.execution.result_stream import Head, ResultStream
from sdgkg.execution.row_meter import count_rows
from sdgkg.execution.runner import QueryJob
from sdgkg.execution.state import ServiceState, public_root
from sdgkg.protocol.conneg import Representation, ResultKind, negotiate
from sdgkg.protocol.safety import (
    CACHED_TEXT_CHARS,
    check_query_cached,
    check_update,
    looks_like_update,
    needs_parsing,
    syntax_error,
)
from sdgkg.publishing.documents import render_rdf
from sdgkg.publishing.service_description import service_description
from sdgkg.service.request_facts import facts_of
from sdgkg.vocab import prefixes_for
from sdgkg.web.i18n import language_from_headers
from sdgkg.web.layout import PageContext
from sdgkg.web.security import HTML_HEADERS
from sdgkg.web.service_pages import render_endpoint_page

if TYPE_CHECKING:
    from pydantic import SecretStr

    from sdgkg.config import Settings

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

QUERY_PATHS = frozenset({"/sparql", "/sparql/"})
UPDATE_PATHS = frozenset({"/update", "/update/"})

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"

CORS_HEADERS = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", b"content-type, content-length"),
    # This path bypasses SecurityHeadersMiddleware too: no response may be content-sniffed.
    (b"x-content-type-options", b"nosniff"),
]
# send_bytes adds CORS_HEADERS to every answer: listing them here too doubled each one
# ("Access-Control-Allow-Origin: *, *"), which browsers refuse.
_PREFLIGHT_HEADERS = [
    (b"access-control-allow-methods", b"GET, HEAD, POST, OPTIONS"),
    (b"access-control-allow-headers", b"accept, content-type, authorization"),
    (b"access-control-max-age", b"86400"),
]
_VARY = (b"vary", b"accept")
_VARY_HTML = (b"vary", b"accept, accept-language, cookie")  # pages are in the reader's language
_FORMAT_PARAMS = frozenset({"format", "output", "results"})
_ALLOW = b"GET, HEAD, POST, OPTIONS"


class MethodNotAllowed(SdgkgError):
    http_status = 405
    title = "method not allowed"


class Forbidden(QueryNotAllowed):
    """A refused update: updates are disabled, or the token is wrong."""


@dataclass(frozen=True)
class ProtocolRequest:
    """The parameters of one protocol request, whatever way they were sent."""

    method: str
    content_type: str | None
    params: list[tuple[str, str]]
    body_query: str | None  # the body of a direct POST

    def values(self, name: str) -> list[str]:
        return [value for key, value in self.params if key == name]

    def single(self, name: str, what: str) -> str | None:
        values = self.values(name)
        if len(values) > 1:
            raise SdgkgError(f"the request has {len(values)} {what}s; send exactly one")
        return values[0] if values else None

    def format_names(self) -> str | tuple[str, ...] | None:
        """The result format asked for by ``format`` and its aliases ``output`` and ``results``
        (SPARQLWrapper sends all three, some twice); ``negotiate`` checks that they agree."""
        names = [value for key, value in self.params if key in _FORMAT_PARAMS and value.strip()]
        distinct = tuple(dict.fromkeys(names))
        return distinct[0] if len(distinct) == 1 else distinct or None


class SparqlEndpoint:
    """The ASGI app behind ``/sparql`` and ``/update``."""

    def __init__(self, state: ServiceState) -> None:
        self.state = state
        self.settings = state.settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self._dispatch(scope, receive, send)
        except SdgkgError as error:
            facts = facts_of(scope)
            if facts is not None and isinstance(error, QueryTimeout):
                facts.timed_out = True
            await send_error(send, error)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope["method"]
        if method == "OPTIONS":
            await send_bytes(send, 204, b"", None, _PREFLIGHT_HEADERS)
            return
        if method not in ("GET", "HEAD", "POST"):
            raise MethodNotAllowed(f"{method} is not a SPARQL protocol operation; use GET or POST")
        request = await read_request(scope, receive, self.settings.max_request_bytes)
        if scope["path"] in UPDATE_PATHS or _is_update(request):
            await self._update(scope, request, send)
            return
        query = _query_text(request)
        if query is None:
            await self._service_description(scope, request, send)
            return
        facts = facts_of(scope)
        if facts is not None:
            facts.query = query
        runner = self.state.runner
        if needs_parsing(query):
            job = await runner.call(lambda: self._job(scope, request, query))
        else:
            job = self._job(scope, request, query)
        cache = self.state.result_cache
        if cache is not None:
            key, version = cache_key(job), self.state.data_version
            hit = cache.get(key, version)
            if facts is not None:
                facts.cache = "miss" if hit is None else "hit"
            if hit is not None:
                if facts is not None:
                    facts.rows = partial(count_rows, hit[0], hit[1])
                await send_bytes(send, 200, hit[1], None, _result_headers(hit[0]))
                return
        head = runner.run_inline(job)
        if head is None:
            relay = self.state.relay
            relayed = await relay.answer(job) if relay is not None else None
            if relayed is not None:
                head, rest, abort = relayed.head, relayed.rest, relayed.abort
            else:
                stream = runner.start(job)
                if facts is not None:
                    facts.rows = partial(_rows_of, stream)
                head = await stream.head()
                rest = None if head.complete else stream.rest()
                abort = stream.abandon
            if rest is not None:  # more than one chunk: streamed
                if cache is not None:
                    representation = head.representation
                    rest = _kept(
                        rest,
                        head.body,
                        cache.max_answer_bytes,
                        lambda body: cache.put(key, version, representation, body),
                    )
                await _respond(send, head, rest, abort)
                return
        elif facts is not None:
            facts.rows = partial(_rows_of, head)
        if cache is not None:
            cache.put(key, version, head.representation, head.body)
        await send_bytes(send, 200, head.body, None, _result_headers(head.representation))

    def _job(self, scope: Scope, request: ProtocolRequest, query: str) -> QueryJob:
        dataset = check_query_cached(query, tuple(self.settings.service_allowlist))
        default_graphs: list[str] | None = request.values("default-graph-uri")
        named_graphs: list[str] | None = request.values("named-graph-uri")
        if not default_graphs and not named_graphs:
            default_graphs = named_graphs = None
            if dataset is not None:
                default_graphs, named_graphs = dataset.default_graphs, dataset.named_graphs
        return QueryJob(
            query=query,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            accept=request_header(scope, b"accept"),
            format_name=request.format_names(),
            base_iri=self._root(scope) + "sparql",
            dumps_url=self._root(scope) + "dumps/",
        )

    async def _service_description(
        self, scope: Scope, request: ProtocolRequest, send: Send
    ) -> None:
        if request.method != "GET":
            raise SdgkgError("the request has no query; send one in a 'query' parameter")
        representation = negotiate(
            ResultKind.PAGE, request_header(scope, b"accept"), request.format_names()
        )
        root = self._root(scope)
        graph_names = await self.state.runner.call(self.state.store.graph_names)
        headers = [(b"content-type", representation.content_type.encode()), _VARY]
        if representation.is_html:
            lang = language_from_headers(
                next(iter(request.values("lang")), None),
                request_header(scope, b"cookie") or "",
                request_header(scope, b"accept-language") or "",
            )
            context = PageContext(lang, "/sparql")
            page = render_endpoint_page(context, root + "sparql", graph_names)
            body = page.encode()
            headers = [headers[0], _VARY_HTML, *HTML_HEADERS]
        else:
            triples = service_description(
                root + "sparql",
                graph_names,
                federated=bool(self.settings.service_allowlist),
                update_url=root + "update" if self.settings.update_token else None,
            )
            prefixes = prefixes_for(self.settings.base_iri)
            body = render_rdf(triples, representation, prefixes, root + "context.jsonld")
        await send_bytes(send, 200, body, None, headers)

    async def _update(self, scope: Scope, request: ProtocolRequest, send: Send) -> None:
        if request.method != "POST":
            raise MethodNotAllowed("SPARQL Update needs POST (to /update)")
        check_update_token(self.settings, request_header(scope, b"authorization"))
        facts = facts_of(scope)
        if facts is not None:
            facts.operation = "update"
        update = _update_text(request)
        for name in ("using-graph-uri", "using-named-graph-uri"):
            if request.values(name):
                raise SdgkgError(
                    f"the {name} parameter is not supported; use USING / WITH in the update"
                )
        check_update(update, self.settings.service_allowlist)
        store = self.state.store
        base_iri = self._root(scope) + "sparql"
        try:
            await self.state.runner.write(lambda: store.update(update, base_iri=base_iri))
        except SyntaxError as error:
            raise syntax_error(error, "update") from None
        self.state.data_changed()
        await send_bytes(send, 204, b"", None, [])

    def _root(self, scope: Scope) -> str:
        return public_root(
            self.settings, scope.get("scheme", "http"), request_header(scope, b"host")
        )


def _rows_of(source: ResultStream | Head) -> int | None:
    """Rows an answer sent: counted by its meter, or by an inline answer's."""
    if isinstance(source, Head):
        return source.rows
    return source.meter.rows if source.meter is not None else None


def check_update_token(
    settings: Settings, authorization: str | None, action: str = "SPARQL Update"
) -> None:
    """Only the holder of ``SDGKG_UPDATE_TOKEN`` may change the data or run operations."""
    token = settings.update_token
    if token is None:
        raise Forbidden(
            f"this endpoint is read-only: {action} is disabled",
            see="SDGKG_UPDATE_TOKEN",
        )
    check_bearer(token, authorization, action, "SDGKG_UPDATE_TOKEN")


def check_bearer(expected: SecretStr, authorization: str | None, action: str, setting: str) -> None:
    """401 without a bearer token, 403 with a wrong one (compared in constant time)."""
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise NotAuthorized(
            f"{action} needs an 'Authorization: Bearer <token>' header", see=setting
        )
    if not hmac.compare_digest(given.strip().encode(), expected.get_secret_value().encode()):
        raise Forbidden(f"the bearer token is not valid for {action}", see=setting)


@lru_cache(maxsize=64)
def _result_headers(representation: Representation) -> list[tuple[bytes, bytes]]:
    """Content-Type and Vary for a result, built once per representation."""
    return [(b"content-type", representation.content_type.encode()), _VARY]


async def _kept(
    rest: AsyncIterator[bytes], first: bytes, limit: int, keep: Callable[[bytes], None]
) -> AsyncIterator[bytes]:
    """``rest`` as it comes, and the whole answer to ``keep`` once it has all been sent, if it
    is at most ``limit`` bytes: a streamed answer is cached too."""
    parts: list[bytes] | None = [first]
    size = len(first)
    async for chunk in rest:
        if parts is not None:
            size += len(chunk)
            if size <= limit:
                parts.append(chunk)
            else:
                parts = None  # too big to keep: stream on, keep nothing
        yield chunk
    if parts is not None:
        keep(b"".join(parts))


class ResponseAborted(Exception):
    """A streamed response failed after its headers were sent."""


async def _respond(
    send: Send, head: Head, rest: AsyncIterator[bytes] | None, abort: Callable[[], None]
) -> None:
    """A query's answer: in one body if it is complete, else streamed after its first chunk."""
    headers = _result_headers(head.representation)
    if head.complete or rest is None:
        await send_bytes(send, 200, head.body, None, headers)
        return
    await send({"type": "http.response.start", "status": 200, "headers": headers + CORS_HEADERS})
    await send({"type": "http.response.body", "body": head.body, "more_body": True})
    try:
        async for chunk in rest:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
    except (SdgkgError, OSError) as error:
        abort()
        # Headers are gone: end the connection without a final chunk, so the client sees a
        # broken response instead of a quietly truncated 200.
        raise ResponseAborted(str(error)) from error
    await send({"type": "http.response.body", "body": b"", "more_body": False})


async def read_request(scope: Scope, receive: Receive, max_bytes: int) -> ProtocolRequest:
    """Parse a protocol request from the URL and body (SPARQL 1.1 Protocol §2.1)."""
    query_string = scope.get("query_string", b"")
    if len(query_string) > max_bytes:
        raise _too_big(max_bytes)
    params = _parse_params(query_string)
    method = scope["method"]
    if method in ("GET", "HEAD"):  # HEAD: a GET whose body the server leaves out
        return ProtocolRequest("GET", None, params, None)
    content_type = request_header(scope, b"content-type")
    body = await _read_body(scope, receive, max_bytes)
    media_type, charset = _media_type(content_type)
    if charset not in (None, "utf-8", "utf8", "us-ascii"):
        raise SdgkgError(f"the request body is in {charset}; the SPARQL protocol needs UTF-8")
    if media_type == FORM:
        return ProtocolRequest(method, media_type, params + _parse_params(body), None)
    if media_type in (QUERY_TYPE, UPDATE_TYPE):
        return ProtocolRequest(method, media_type, params, _decode(body))
    raise SdgkgError(
        f"a POST needs Content-Type {FORM}, {QUERY_TYPE} or {UPDATE_TYPE}"
        f" (got {content_type or 'none'})"
    )


def _query_text(request: ProtocolRequest) -> str | None:
    if request.content_type == QUERY_TYPE:
        if request.values("query"):
            raise SdgkgError("the request has a query in both the body and the URL; send one")
        return request.body_query
    query = request.single("query", "query parameter")
    if query is None and request.method == "POST":
        raise SdgkgError("the request has no query; send one in a 'query' parameter")
    if query is not None and looks_like_update(query):
        raise QueryNotAllowed(
            "this is a SPARQL Update; the query endpoint is read-only, send updates to /update"
        )
    return query


def _is_update(request: ProtocolRequest) -> bool:
    return request.content_type == UPDATE_TYPE or bool(request.values("update"))


def _update_text(request: ProtocolRequest) -> str:
    if request.content_type == UPDATE_TYPE:
        return request.body_query or ""
    if request.content_type != FORM:
        raise SdgkgError(f"an update needs Content-Type {UPDATE_TYPE} or {FORM}")
    update = request.single("update", "update parameter")
    if update is None:
        raise SdgkgError("the request has no update; send one in an 'update' parameter")
    return update


async def _read_body(scope: Scope, receive: Receive, max_bytes: int) -> bytes:
    declared = request_header(scope, b"content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise _too_big(max_bytes)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise SdgkgError("the client went away while sending the request")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > max_bytes:
            raise _too_big(max_bytes)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _too_big(max_bytes: int) -> LimitExceeded:
    return LimitExceeded(
        f"the request is larger than {max_bytes} bytes, the limit of this endpoint",
        see="SDGKG_MAX_REQUEST_BYTES",
    )


def _parse_params(data: bytes) -> list[tuple[str, str]]:
    if not data:
        return []
    if len(data) > CACHED_TEXT_CHARS:
        return list(_parse_params_cached.__wrapped__(data))
    return list(_parse_params_cached(data))


@lru_cache(maxsize=512)
def _parse_params_cached(data: bytes) -> tuple[tuple[str, str], ...]:
    """Decoding a long percent-encoded query costs more than answering a lookup; clients repeat
    the same URLs, so the decoded parameters of recent ones are kept."""
    try:
        return tuple(parse_qsl(data.decode("utf-8"), keep_blank_values=True, errors="strict"))
    except UnicodeDecodeError:
        raise SdgkgError("the request parameters are not valid UTF-8") from None


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SdgkgError(f"the request body is not valid UTF-8 ({error})") from None


def _media_type(content_type: str | None) -> tuple[str | None, str | None]:
    if not content_type:
        return None, None
    media_type, *params = (part.strip() for part in content_type.split(";"))
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.lower(), charset


def request_header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


async def send_bytes(
    send: Send,
    status: int,
    body: bytes,
    content_type: str | None,
    headers: list[tuple[bytes, bytes]],
) -> None:
    """A whole response in one body, with CORS headers."""
    all_headers = [*headers, *CORS_HEADERS, (b"content-length", str(len(body)).encode())]
    if content_type:
        all_headers.append((b"content-type", content_type.encode()))
    await send({"type": "http.response.start", "status": status, "headers": all_headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def send_error(
    send: Send, error: SdgkgError, *, realm: bytes = b"sdgkg update", allow: bytes = _ALLOW
) -> None:
    """The fixed error body ``{"error", "message", "where"?, "see"?}`` with the error's status;
    ``realm`` names what a 401 asks a token for, ``allow`` the methods a 405 lists."""
    import json

    headers: list[tuple[bytes, bytes]] = []
    if isinstance(error, NotAuthorized):
        headers.append((b"www-authenticate", b'Bearer realm="' + realm + b'"'))
    if isinstance(error, MethodNotAllowed):
        headers.append((b"allow", allow))
    body = json.dumps(error.to_dict(), ensure_ascii=False).encode()
    await send_bytes(send, error.http_status, body, "application/json", headers)
