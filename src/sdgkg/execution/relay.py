"""Relays a query to a remote engine and its serialised answer to the client, unre-encoded.

Over a remote Oxigraph server the engine's output is byte for byte what sdgkg would write (the
same serialisers), so ``sdgkg serve`` passes it through, in two ways:

* ``Relay`` (the usual one): on the event loop, over ``upstream.py``'s keep-alive connections,
  when the engine can write the format the client asked for and the row meter can count it
  (SPARQL results, N-Triples, Turtle, TriG). No thread hop: a relayed ASK costs one request to
  the engine and the HTTP client's Python (see benchmarks/relay_floor.py for what that costs).
* ``relay_query`` (the rest): on a worker thread, for answers that must be re-encoded (RDF/XML
  or JSON-LD from CONSTRUCT, counted triple by triple) and while the list of graphs must be
  fetched from the engine first.

Either way the row meter, the deadline and the chunking of ``runner.py`` apply to the bytes as
they arrive, and the engine's time limit is the service's (``SDGKG_QUERY_TIMEOUT_S``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results, serialize

from sdgkg.execution.result_stream import CHUNK_BYTES, Head, ResultStream, timeout_error
from sdgkg.execution.row_meter import RowMeter
from sdgkg.execution.runner import QueryJob, QueryRunner, _ChunkWriter
from sdgkg.execution.upstream import Upstream, UpstreamError, _Connection
from sdgkg.protocol.conneg import ResultKind, negotiate
from sdgkg.protocol.safety import syntax_error
from sdgkg.store.sparql_client import RESULT_FORMATS, query_error, query_form, unreachable

if TYPE_CHECKING:
    from sdgkg.store.remote import RemoteStore

_READ_BYTES = 64 * 1024
_KINDS = {
    "SELECT": ResultKind.SOLUTIONS,
    "ASK": ResultKind.BOOLEAN,
    "CONSTRUCT": ResultKind.TRIPLES,
    "DESCRIBE": ResultKind.TRIPLES,
}


def relay_query(store: RemoteStore, job: QueryJob, stream: ResultStream, max_rows: int) -> bool:
    """Answer ``job`` from the engine's own output; False if this engine or query cannot be."""
    kind = _KINDS.get(query_form(job.query) or "")
    if kind is None:
        return False
    representation = negotiate(kind, job.accept, job.format_name)
    asked = "application/n-triples" if kind is ResultKind.TRIPLES else representation.media_type
    try:
        with store.proxy_query(
            job.query,
            accept=asked,
            default_graphs=job.default_graphs,
            named_graphs=job.named_graphs,
            base_iri=job.base_iri,
            timeout_s=max(0.001, stream.remaining()),
        ) as answer:
            if answer is None:
                return False
            stream.check()
            meter_format = representation.format if kind is not ResultKind.BOOLEAN else None
            meter = RowMeter(meter_format, max_rows, job.dumps_url)
            stream.meter = meter
            writer = _ChunkWriter(stream, representation, meter)
            if answer.media_type == representation.media_type:
                try:
                    while chunk := answer.body.read(_READ_BYTES):
                        writer.write(chunk)
                except TimeoutError:
                    raise stream.timeout_error() from None
            elif kind is ResultKind.TRIPLES:
                triples = parse(answer.body, format=RdfFormat.N_TRIPLES)
                serialize(meter.counted(triples), writer, representation.format)  # type: ignore[arg-type]
            else:
                fmt = _result_format(answer.media_type)
                results = parse_query_results(answer.body.read(), format=fmt)
                results.serialize(writer, representation.format)  # type: ignore[arg-type]
            writer.finish()
    except SyntaxError as error:
        raise syntax_error(error) from None
    return True


def _result_format(media_type: str) -> QueryResultsFormat:
    return RESULT_FORMATS[media_type]


@dataclass
class RelayedAnswer:
    """The start of a relayed answer, and the rest of its body if it did not fit in the head."""

    head: Head
    rest: AsyncIterator[bytes] | None
    _relay: Relay
    _connection: _Connection | None

    def abort(self) -> None:
        """The client's response broke off: the engine's connection cannot be reused."""
        if self._connection is not None:
            self._relay.upstream.discard(self._connection)
            self._connection = None


class Relay:
    """Answers queries from a remote Oxigraph server on the event loop (see the module doc)."""

    def __init__(self, store: RemoteStore, runner: QueryRunner) -> None:
        self.store = store
        self.runner = runner
        self.upstream = Upstream(store.endpoints.query, store.read_headers)

    async def answer(self, job: QueryJob) -> RelayedAnswer | None:
        """The engine's answer to ``job``; None when it must take the threaded path instead."""
        kind = _KINDS.get(query_form(job.query) or "")
        if kind is None:
            return None
        representation = negotiate(kind, job.accept, job.format_name)
        fmt = representation.format if kind is not ResultKind.BOOLEAN else None
        if fmt is not None and not RowMeter.counts_bytes(fmt):
            return None
        request = self._request(job)
        if request is None:  # the list of graphs is stale: refresh it off the loop, once
            await self.runner.call(self.store.graph_names)
            request = self._request(job)
            if request is None:
                return None
        parameters, query, prefix_length = request
        timeout_s = self.runner.timeout_s
        deadline = asyncio.get_running_loop().time() + timeout_s
        connection: _Connection | None = None
        try:
            async with asyncio.timeout_at(deadline):
                connection = await self.upstream.post(query, representation.media_type, parameters)
                if connection.status != 200:
                    raise await self._engine_error(connection, prefix_length)
                media_type = (connection.header(b"content-type") or "").split(";")[0].strip()
                if media_type.lower() != representation.media_type:
                    self.upstream.discard(connection)
                    return None
                meter = RowMeter(fmt, self.runner.max_rows, job.dumps_url)
                pieces = connection.body()
                first = bytearray()
                async for piece in pieces:
                    meter.count(piece)
                    first += piece
                    if len(first) >= CHUNK_BYTES:
                        break
                else:
                    self.upstream.release(connection)
                    return RelayedAnswer(Head(representation, bytes(first), True), None, self, None)
        except BaseException as error:
            if connection is not None:
                self.upstream.discard(connection)
            if not isinstance(error, Exception):
                raise  # cancellation
            raise _translate(error, timeout_s, self.upstream.url) from None
        answer = RelayedAnswer(Head(representation, bytes(first), False), None, self, connection)
        answer.rest = self._rest(answer, pieces, meter, deadline, timeout_s)
        return answer

    def _request(self, job: QueryJob) -> tuple[str, bytes, int] | None:
        return self.store.relay_request(
            job.query,
            default_graphs=job.default_graphs,
            named_graphs=job.named_graphs,
            base_iri=job.base_iri,
        )

    async def _rest(
        self,
        answer: RelayedAnswer,
        pieces: AsyncIterator[bytes],
        meter: RowMeter,
        deadline: float,
        timeout_s: float,
    ) -> AsyncIterator[bytes]:
        try:
            while True:
                # The deadline bounds each wait for the engine, not the client's reading.
                async with asyncio.timeout_at(deadline):
                    piece = await anext(pieces, None)
                if piece is None:
                    break
                meter.count(piece)
                yield piece
        except Exception as error:
            answer.abort()
            raise _translate(error, timeout_s, self.upstream.url) from None
        connection, answer._connection = answer._connection, None
        if connection is not None:
            self.upstream.release(connection)

    async def _engine_error(self, connection: _Connection, prefix_length: int) -> Exception:
        text = b"".join([piece async for piece in connection.body()])
        self.upstream.release(connection)
        error = query_error(connection.status, text, prefix_length)
        return syntax_error(error) if isinstance(error, SyntaxError) else error

    def close(self) -> None:
        self.upstream.close()


def _translate(error: Exception, timeout_s: float, url: str) -> Exception:
    """The service's own errors for what can go wrong on the way to the engine."""
    if isinstance(error, TimeoutError):
        return timeout_error(timeout_s)
    if isinstance(error, UpstreamError):
        return unreachable(url, error)
    return error
