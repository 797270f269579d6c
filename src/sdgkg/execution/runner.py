"""Runs queries on worker threads with a deadline, and streams their serialisation in chunks.

pyoxigraph cannot cancel a query (oxigraph#1926), so the deadline is enforced in two places:

* the event loop stops waiting when the deadline passes and answers 503 (``QueryTimeout``), so the
  client learns the limit at once and the server keeps serving others;
* the worker thread checks the deadline each time pyoxigraph hands it serialised output (every
  8 KiB), and raises, which stops the Rust serialiser. A query that streams rows is therefore
  stopped within one chunk of its deadline.

What cannot be stopped is a query that computes everything before its first row (an aggregate or
ORDER BY over a huge join): its thread runs on until that first row exists and is then dropped. Such
a thread is *abandoned*: the pool starts a fresh worker in its place, so capacity stays, up to
``max_abandoned`` stuck threads; past that, new queries are refused with 503 until one finishes.
Workers are daemon threads, so a stuck query never blocks shutdown.

Cheap queries skip the thread hop (``QueryRunner.run_inline``): a query of one triple pattern (a
lookup by IRI, an ASK of one pattern, ``DESCRIBE <iri>``) on the embedded store is answered on the
event loop itself, because handing it to a worker and back costs more than answering it. Only that
shape qualifies, since its first result is one index seek; its output is metered, and once it
passes ``INLINE_BUDGET_S`` or one chunk the inline attempt is dropped and the query runs on the
pool like any other. So the loop is never held for more than a few milliseconds, and the
deadline above still governs every query that takes longer.

Results smaller than one chunk (64 KiB) are sent as a single body with a Content-Length: one hop
from the worker to the event loop, which keeps the per-request cost low. Bigger ones are streamed
with back-pressure (at most ``_IN_FLIGHT`` chunks queued), so a slow client cannot make the server
buffer a whole result.

On the embedded store, results in formats whose rows are counted in bytes are serialised with the
GIL released, into a pipe the event loop drains (``piped.py``); the deadline, the row limit and a
client that goes away stop them by closing the loop's end. Other results (RDF/XML and JSON-LD,
counted triple by triple; a remote engine's) go through a Python writer (``_ChunkWriter``).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pyoxigraph import QueryBoolean, QuerySolutions, serialize

from sdgkg.errors import SdgkgError
from sdgkg.execution import piped
from sdgkg.execution.result_stream import CHUNK_BYTES, Abandoned, Head, ResultStream
from sdgkg.execution.row_meter import RowMeter
from sdgkg.protocol.conneg import Representation, ResultKind, negotiate
from sdgkg.protocol.safety import syntax_error
from sdgkg.store.base import GraphStore

log = logging.getLogger(__name__)

# pyoxigraph recurses per nesting level of a query; a Rust stack overflow kills the process.
# Reserved address space, not memory: pages are touched only by deep queries (protocol/safety.py).
WORKER_STACK_BYTES = 128 * 1024 * 1024
INLINE_BUDGET_S = 0.005  # longest an inline attempt may hold the event loop before falling back
MAX_QUEUED_WRITES = 16  # writes waiting behind the running one before more are refused (503)

# One triple pattern, nothing else: the only shape answered inline. Deliberately narrow; anything
# it does not match (FILTER, OPTIONAL, paths, aggregates, ORDER BY, OFFSET, FROM ...) goes to the
# pool.
_IRI = r"<[^<>\"{}|^`\\\s]*>"
_PNAME = r"(?:[A-Za-z][\w-]*)?:[\w-]*"
_VAR = r"[?$]\w+"
_LITERAL = rf'"[^"\\\n]*"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^(?:{_IRI}|{_PNAME}))?'
_TERM = rf"(?:{_VAR}|{_IRI}|{_PNAME}|{_LITERAL}|-?\d+)"
_PATTERN = rf"\{{\s*{_TERM}\s+(?:{_VAR}|{_IRI}|{_PNAME}|a)\s+{_TERM}\s*\.?\s*\}}"
_PROLOGUE = rf"\s*(?:(?:PREFIX\s+(?:[A-Za-z][\w-]*)?:\s*{_IRI}|BASE\s*{_IRI})\s*)*"
_VARIABLE = re.compile(_VAR)
_CHEAP = re.compile(
    _PROLOGUE
    + rf"(?:SELECT\s+(?:\*|(?:{_VAR}\s*)+)\s*(?:WHERE\s*)?{_PATTERN}\s*(?:LIMIT\s+\d+\s*)?"
    + rf"|ASK\s*(?:WHERE\s*)?{_PATTERN}\s*"
    + rf"|DESCRIBE\s+(?:{_IRI}|{_PNAME})\s*)",
    re.IGNORECASE,
)


def is_cheap(query: str) -> bool:
    """True for the one-triple-pattern shapes that may be answered inline.

    >>> is_cheap("SELECT ?p ?o WHERE { <http://x/a> ?p ?o }")
    True
    >>> is_cheap("ASK { ?s a <http://x/C> }"), is_cheap("SELECT * { ?s ?p ?o } ORDER BY ?s")
    (True, False)
    >>> is_cheap("ASK { ?x ?p ?x }")  # a repeated variable filters a scan: not an index seek
    False
    """
    return len(query) <= 4096 and _is_cheap(query)


@lru_cache(maxsize=1024)
def _is_cheap(query: str) -> bool:
    if _CHEAP.fullmatch(query) is None:
        return False
    pattern = query[query.find("{") + 1 : query.rfind("}")]  # IRIs hold no braces
    variables = [name[1:] for name in _VARIABLE.findall(pattern)]
    return len(variables) == len(set(variables))


class ServerBusy(SdgkgError):
    """Every worker is stuck on a query past its deadline, or too many writes wait."""

    http_status = 503
    title = "server busy"


class _Fallback(Exception):
    """Raised inside the serialiser when an inline attempt outgrows its budget."""


@dataclass(frozen=True)
class QueryJob:
    query: str
    default_graphs: Sequence[str] | None
    named_graphs: Sequence[str] | None
    accept: str | None
    format_name: str | tuple[str, ...] | None  # several: the request's aliases, to agree
    base_iri: str | None = None  # resolves relative IRIs: the endpoint's URL
    dumps_url: str = "/dumps/"


class _ChunkWriter:
    """The file object pyoxigraph serialises into: meters rows, checks the deadline, chunks."""

    def __init__(self, stream: ResultStream, representation: Representation, meter: RowMeter):
        self._stream = stream
        self._representation = representation
        self._meter = meter
        self._buffer = bytearray()
        self._started = False
        self._failed = False

    def write(self, data: bytes) -> int:
        if self._failed:
            # pyoxigraph flushes its buffer once more while unwinding: swallow it, or the
            # second exception surfaces as an "unraisable" one.
            return len(data)
        try:
            self._stream.check()
            self._meter.count(data)
            self._buffer += data
            if len(self._buffer) >= CHUNK_BYTES:
                self._ship()
        except BaseException:
            self._failed = True
            raise
        return len(data)

    def flush(self) -> None:
        pass

    def finish(self) -> None:
        if not self._started:
            self._stream.push("done", (self._representation, bytes(self._buffer)))
            return
        if self._buffer:
            self._ship()
        self._stream.push("end", None)

    def _ship(self) -> None:
        body = bytes(self._buffer)
        self._buffer.clear()
        if self._started:
            self._stream.push("chunk", body)
        else:
            self._started = True
            self._stream.push("start", (self._representation, body))


class _InlineWriter:
    """Collects a whole inline result; gives up (``_Fallback``) past the budget or one chunk."""

    def __init__(self, representation: Representation, meter: RowMeter, deadline: float):
        self.representation = representation
        self.buffer = bytearray()
        self.meter = meter
        self._deadline = deadline
        self._failed = False

    def write(self, data: bytes) -> int:
        if self._failed:
            return len(data)  # the final flush while pyoxigraph unwinds: see _ChunkWriter
        try:
            self.meter.count(data)
            self.buffer += data
            if len(self.buffer) > CHUNK_BYTES or time.monotonic() > self._deadline:
                raise _Fallback
        except BaseException:
            self._failed = True
            raise
        return len(data)

    def flush(self) -> None:
        pass

    def finish(self) -> None:
        pass


# Answers a job on the worker thread from a remote engine's own output (``relay.relay_query``),
# given the row limit; False when it cannot, and the runner serialises the result itself.
RelayOnThread = Callable[[QueryJob, ResultStream, int], bool]


class QueryRunner:
    """A bounded pool of daemon worker threads that evaluate and serialise queries."""

    def __init__(
        self,
        store: GraphStore,
        *,
        timeout_s: float,
        max_rows: int,
        workers: int = 8,
        max_abandoned: int = 8,
        relay: RelayOnThread | None = None,
    ) -> None:
        self.store = store
        self._relay = relay
        self.timeout_s = timeout_s
        self.max_rows = max_rows
        self._jobs: queue.SimpleQueue[tuple[Callable[[], None], ResultStream | None]] = (
            queue.SimpleQueue()
        )
        self._lock = threading.Lock()
        self._workers = workers
        self._max_abandoned = max_abandoned
        self._running: dict[int, ResultStream | None] = {}
        self._abandoned = 0
        self._writes: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._queued_writes = 0
        self._writer: threading.Thread | None = None
        self._inline = _answers_inline(store)
        self._piped = self._inline and piped.AVAILABLE  # the embedded store, on Linux
        self.inline_answered = 0
        self.inline_fallbacks = 0
        for _ in range(workers):
            self._spawn()

    # -- public --------------------------------------------------------------------------------
    def start(self, job: QueryJob) -> ResultStream:
        """Queue a query; its output arrives on the returned stream."""
        self._replace_abandoned_workers()
        loop = asyncio.get_running_loop()
        stream = ResultStream(loop, time.monotonic() + self.timeout_s, self.timeout_s)
        if self._piped:
            stream.drain_timer = loop.call_later(piped.DRAIN_AFTER_S, stream.want_drain)
        self._jobs.put((lambda: self._evaluate(job, stream), stream))
        return stream

    def run_inline(self, job: QueryJob) -> Head | None:
        """Answer a cheap query on the calling thread, or ``None``: then ``start`` it instead.

        Errors (syntax, limits, negotiation) are raised here, as ``head()`` would raise them.
        """
        if not self._inline or not is_cheap(job.query):
            return None
        deadline = time.monotonic() + INLINE_BUDGET_S
        writers: list[_InlineWriter] = []

        def make_writer(representation: Representation, meter: RowMeter) -> _InlineWriter:
            writers.append(_InlineWriter(representation, meter, deadline))
            return writers[-1]

        try:
            self._write_result(job, make_writer, _no_check)
        except _Fallback:
            self.inline_fallbacks += 1
            return None
        except SdgkgError:
            raise
        except Exception as error:
            log.exception("query failed")
            raise SdgkgError(f"the query failed: {error}") from None
        self.inline_answered += 1
        writer = writers[0]
        return Head(
            writer.representation, bytes(writer.buffer), complete=True, rows=writer.meter.rows
        )

    async def call(self, function: Callable[[], Any]) -> Any:
        """Run a blocking read (a stats query, the list of graphs) on the pool; await its value."""
        future, work = _future_of(function)
        self._jobs.put((work, None))
        return await future

    async def write(self, function: Callable[[], Any]) -> Any:
        """Run a write (an update, a load, a backup) on the one writer thread, in arrival order,
        and await its value.

        The store takes one write at a time, and a replace that rebuilds a 1M-triple store holds
        it for 15-30 s. Writes waiting for it on query workers would take those from queries
        (eight waiting updates stop every query); on their own thread they wait without doing so.
        Past ``MAX_QUEUED_WRITES`` waiting, a write is refused with 503 at once.
        """
        with self._lock:
            if self._queued_writes >= MAX_QUEUED_WRITES:
                raise ServerBusy(
                    f"{self._queued_writes} writes are waiting for the one running; "
                    "try again when they finish"
                )
            self._queued_writes += 1
            if self._writer is None:
                self._writer = threading.Thread(
                    target=self._write_loop, name="sparql-writer", daemon=True
                )
                self._writer.start()
        future, work = _future_of(function)
        self._writes.put(work)
        return await future

    # -- worker side ---------------------------------------------------------------------------
    def _write_loop(self) -> None:
        while True:
            work = self._writes.get()
            with self._lock:
                self._queued_writes -= 1
            try:
                work()  # reports its own errors to the awaiting coroutine
            except BaseException:  # its loop has closed (the server stopped): keep the thread
                log.exception("write job failed")

    def _spawn(self) -> None:
        thread = threading.Thread(target=self._work_loop, name="sparql-worker", daemon=True)
        previous = threading.stack_size(WORKER_STACK_BYTES)
        try:
            thread.start()
        finally:
            threading.stack_size(previous)

    def _work_loop(self) -> None:
        ident = threading.get_ident()
        while True:
            work, stream = self._jobs.get()
            with self._lock:
                self._running[ident] = stream
            try:
                work()
            except BaseException:  # work() reports its own errors; never lose the thread
                log.exception("worker job failed")
            with self._lock:
                self._running.pop(ident, None)
                if stream is not None and stream.replaced:
                    # A fresh worker took this thread's place while it was stuck: retire.
                    self._abandoned -= 1
                    return

    def _replace_abandoned_workers(self) -> None:
        with self._lock:
            stuck = [
                s
                for s in self._running.values()
                if s is not None and s.abandoned and not s.replaced
            ]
            if not stuck:
                return
            if self._abandoned + len(stuck) > self._max_abandoned:
                raise ServerBusy(
                    f"{self._abandoned + len(stuck)} queries are still running past their "
                    "deadline; try again when they finish",
                    see="SDGKG_QUERY_TIMEOUT_S",
                )
            for stream in stuck:
                stream.replaced = True
            self._abandoned += len(stuck)
        for _ in stuck:
            self._spawn()

    def _evaluate(self, job: QueryJob, stream: ResultStream) -> None:
        try:
            stream.check()
            if self._relay is not None and self._relay(job, stream, self.max_rows):
                return
            self._serialise(job, stream)
        except Abandoned:
            log.info("stopped a query after its deadline: %.80s", job.query)
        except SdgkgError as error:
            # The traceback holds this frame, and so the pyoxigraph result, which must be
            # dropped on the thread that made it: hand over the error without it.
            stream.push("error", error.with_traceback(None))
        except Exception as error:
            log.exception("query failed")
            stream.push("error", SdgkgError(f"the query failed: {error}"))

    def _serialise(self, job: QueryJob, stream: ResultStream) -> None:
        result, representation, meter = self._evaluate_query(job, stream.check)
        stream.meter = meter
        if self._piped and _written_in_rust(representation):
            self._serialise_piped(stream, result, representation, meter)
            return
        writer = _ChunkWriter(stream, representation, meter)
        self._write(result, representation, meter, writer)

    def _serialise_piped(
        self,
        stream: ResultStream,
        result: Any,
        representation: Representation,
        meter: RowMeter,
    ) -> None:
        """Serialise with the GIL released, through a pipe the loop drains (``piped.py``)."""
        try:
            piped.serialise(result, representation, meter, stream.offer_pipe)
        except piped.PipeStopped:
            log.info("stopped a query nobody waits for (deadline, row limit or client gone)")
            return
        except Exception as error:
            # No traceback: its frames hold the result, which must die on this thread.
            log.error("query failed: %s", str(error))
            if piped.is_resource_error(error):
                stream.pipe_ended(ServerBusy(f"the server is short of resources ({error}); retry"))
            else:
                stream.pipe_ended(SdgkgError(f"the query failed: {error}"))
            return
        stream.pipe_ended(None)

    def _write_result(
        self,
        job: QueryJob,
        make_writer: Callable[[Representation, RowMeter], _ChunkWriter | _InlineWriter],
        check: Callable[[], None],
    ) -> None:
        """Evaluate ``job``; serialise the result, in Rust, into the writer from ``make_writer``."""
        result, representation, meter = self._evaluate_query(job, check)
        self._write(result, representation, meter, make_writer(representation, meter))

    def _evaluate_query(
        self, job: QueryJob, check: Callable[[], None]
    ) -> tuple[Any, Representation, RowMeter]:
        """Start evaluating ``job``: its (lazy) result, negotiated representation and row meter."""
        try:
            result = self.store.query(
                job.query,
                default_graphs=job.default_graphs,
                named_graphs=job.named_graphs,
                base_iri=job.base_iri,
            )
        except SyntaxError as error:
            raise syntax_error(error) from None
        check()
        if isinstance(result, QueryBoolean):
            representation = negotiate(ResultKind.BOOLEAN, job.accept, job.format_name)
            return result, representation, RowMeter(None, self.max_rows, "")
        kind = ResultKind.SOLUTIONS if isinstance(result, QuerySolutions) else ResultKind.TRIPLES
        representation = negotiate(kind, job.accept, job.format_name)
        meter = RowMeter(representation.format, self.max_rows, job.dumps_url)
        return result, representation, meter

    @staticmethod
    def _write(
        result: Any,
        representation: Representation,
        meter: RowMeter,
        writer: _ChunkWriter | _InlineWriter,
    ) -> None:
        fmt = representation.format
        if _written_in_rust(representation):
            result.serialize(writer, fmt)
        else:  # RDF/XML, JSON-LD: triples are counted one by one
            serialize(meter.counted(result), writer, fmt)  # type: ignore[arg-type]
        writer.finish()


def _written_in_rust(representation: Representation) -> bool:
    """pyoxigraph writes the whole answer, its rows counted in the bytes: every SELECT and ASK
    format, and the line- and statement-based RDF ones. RDF/XML and JSON-LD are counted triple
    by triple in Python."""
    return RowMeter.counts_bytes(representation.format)


def _no_check() -> None:
    pass


def _answers_inline(store: GraphStore) -> bool:
    """Only the embedded store answers in-process; a remote one would block the loop on I/O."""
    from sdgkg.store.embedded import EmbeddedStore

    return isinstance(store, EmbeddedStore)


def _future_of(function: Callable[[], Any]) -> tuple[asyncio.Future[Any], Callable[[], None]]:
    """A future on the running loop, and the work that calls ``function`` on another thread and
    settles the future with its value or its error."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()

    def work() -> None:
        try:
            value = function()
        except BaseException as error:  # handed to the awaiting coroutine
            loop.call_soon_threadsafe(_set_exception, future, error)
        else:
            loop.call_soon_threadsafe(_set_result, future, value)

    return future, work


def _set_result(future: asyncio.Future[Any], value: Any) -> None:
    if not future.done():
        future.set_result(value)


def _set_exception(future: asyncio.Future[Any], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)
