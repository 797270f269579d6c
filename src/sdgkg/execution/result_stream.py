"""One query's output on its way from a worker thread to the event loop, and on to the client.

A worker either pushes the output itself (``push``: the head, chunks, the end or an error, with
at most ``_IN_FLIGHT`` chunks queued so a slow client holds the serialiser back), or hands over
the read end of a pipe it serialises into with the GIL released (``offer_pipe``, ``piped.py``),
which the loop drains. Either way the loop side reads ``head()`` and then ``rest()``, and
``abandon()`` stops the worker at its next write.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from sdgkg.errors import LimitExceeded, QueryTimeout, SdgkgError
from sdgkg.execution import piped
from sdgkg.execution.row_meter import RowMeter
from sdgkg.protocol.conneg import Representation

CHUNK_BYTES = 64 * 1024
_IN_FLIGHT = 4


def timeout_error(timeout_s: float) -> QueryTimeout:
    """The answer to a query stopped at its deadline: names the limit and the way out."""
    return QueryTimeout(
        f"the query ran longer than the {timeout_s:g} s limit and was stopped; "
        "simplify it, add a LIMIT, or download the dump",
        see="SDGKG_QUERY_TIMEOUT_S",
    )


class Abandoned(Exception):
    """Raised inside the serialiser to stop a query nobody waits for any more."""


@dataclass
class Head:
    """The start of a response: its representation and either the whole body or its first chunk."""

    representation: Representation
    body: bytes
    complete: bool
    rows: int | None = None  # counted by an inline answer; a stream's meter counts the rest


class ResultStream:
    """One query's output, handed from a worker thread to the event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, deadline: float, timeout_s: float) -> None:
        self.loop = loop
        self.deadline = deadline
        self.timeout_s = timeout_s
        self.abandoned = False  # nobody waits for the output any more
        self.replaced = False  # a fresh worker took the place of the thread running it
        self._items: deque[tuple[str, Any]] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self._credit = threading.Semaphore(_IN_FLIGHT)
        # A piped result (piped.py): handed over by the worker, drained and closed by the loop.
        self._lock = threading.Lock()
        self._pipe: piped.PipeOutput | None = None
        self._drain_wanted = False
        self._reading = False
        self._held_back = False  # not reading until the client takes some of what is queued
        self._head_sent = False
        self._head_buffer = bytearray()
        self.drain_timer: asyncio.TimerHandle | None = None
        self.meter: RowMeter | None = None  # set by the worker: rows sent, for metrics and logs

    # -- worker side -------------------------------------------------------------------------
    def check(self) -> None:
        if self.abandoned:
            raise Abandoned
        if time.monotonic() > self.deadline:
            raise self.timeout_error()

    def push(self, kind: str, value: Any) -> None:
        if kind == "chunk" and not self._credit.acquire(timeout=max(0.0, self.remaining())):
            raise self.timeout_error()
        self.loop.call_soon_threadsafe(self._deliver, kind, value)

    def offer_pipe(self, pipe: piped.PipeOutput) -> bool:
        """Hand the loop the read end of a result's pipe; False if nobody waits any more."""
        with self._lock:
            if self.abandoned:
                return False
            self._pipe = pipe
            drain_now = self._drain_wanted
        if drain_now:
            self.loop.call_soon_threadsafe(self._start_reading)
        return True

    def pipe_ended(self, error: SdgkgError | None) -> None:
        """The serialiser is done (``error`` is None) or failed: the loop reads the rest."""
        self.loop.call_soon_threadsafe(self._finish_pipe, error)

    def timeout_error(self) -> QueryTimeout:
        return timeout_error(self.timeout_s)

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    # -- event loop side ---------------------------------------------------------------------
    def _deliver(self, kind: str, value: Any) -> None:
        self._items.append((kind, value))
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def next_item(self) -> tuple[str, Any]:
        while not self._items:
            self._waiter = self.loop.create_future()
            try:
                async with asyncio.timeout(max(0.0, self.remaining())):
                    await self._waiter
            except TimeoutError:
                self.abandon()
                raise self.timeout_error() from None
        kind, value = self._items.popleft()
        if kind == "chunk":
            if self._pipe is None:
                self._credit.release()
            elif self._held_back and len(self._items) < _IN_FLIGHT:
                self._held_back = False
                self._start_reading()  # the client caught up: read the pipe again
        return kind, value

    def abandon(self) -> None:
        """Nobody reads the output any more: the worker stops at its next write."""
        with self._lock:
            self.abandoned = True
        self._close_pipe()

    # -- event loop side, piped results ------------------------------------------------------
    def want_drain(self) -> None:
        """The result was not done in time to come in one hop: read the pipe as it fills."""
        with self._lock:
            self._drain_wanted = True
            ready = self._pipe is not None
        if ready:
            self._start_reading()

    def _start_reading(self) -> None:
        pipe = self._pipe
        if pipe is None or pipe.fd < 0 or self._reading:
            return
        os.set_blocking(pipe.fd, False)
        self.loop.add_reader(pipe.fd, self._on_readable)
        self._reading = True

    def _stop_reading(self) -> None:
        if self._reading and self._pipe is not None:
            self.loop.remove_reader(self._pipe.fd)
        self._reading = False

    def _on_readable(self) -> None:
        pipe = self._pipe
        assert pipe is not None
        try:
            data = os.read(pipe.fd, piped.READ_BYTES)
        except BlockingIOError:
            return
        if not data:  # the writer closed; the rest comes with pipe_ended
            self._stop_reading()
            return
        self._take(data)
        if len(self._items) >= _IN_FLIGHT:
            self._stop_reading()  # back-pressure: the pipe fills and the serialiser waits
            self._held_back = True
        elif len(data) < piped.READ_BYTES:
            # Caught up with the serialiser, which writes 8 KiB at a time: let it fill the pipe
            # a while rather than wake the loop for every write.
            self._stop_reading()
            self.loop.call_later(piped.REFILL_S, self._start_reading)

    def _take(self, data: bytes) -> bool:
        """Count ``data``'s rows and queue it; False once the result has failed."""
        pipe = self._pipe
        assert pipe is not None
        try:
            pipe.meter.count(data)
        except LimitExceeded as error:
            self._fail(error)
            return False
        if self._head_sent:
            self._deliver("chunk", data)
            return True
        self._head_buffer += data
        if len(self._head_buffer) >= CHUNK_BYTES:
            self._head_sent = True
            self._deliver("start", (pipe.representation, bytes(self._head_buffer)))
            self._head_buffer.clear()
        return True

    def _finish_pipe(self, error: SdgkgError | None) -> None:
        pipe = self._pipe
        if self.drain_timer is not None:
            self.drain_timer.cancel()
        if pipe is not None and pipe.fd < 0:  # stopped already: nobody waits for the answer
            return
        if error is not None:  # also before a pipe was made (no descriptors left, say)
            self._fail(error)
            return
        assert pipe is not None
        self._stop_reading()
        try:
            rest = piped.read_to_end(pipe.fd)
        except SdgkgError as failure:
            self._fail(failure)
            return
        for data in rest:
            if not self._take(data):
                return
        self._close_pipe()
        if self._head_sent:
            self._deliver("end", None)
        else:
            self._deliver("done", (pipe.representation, bytes(self._head_buffer)))

    def _fail(self, error: SdgkgError) -> None:
        self._close_pipe()  # a serialiser still writing stops at its next write (EPIPE)
        self._deliver("error", error)

    def _close_pipe(self) -> None:
        with self._lock:
            pipe = self._pipe
            if pipe is None or pipe.fd < 0:
                return
            self._stop_reading()
            os.close(pipe.fd)
            pipe.fd = -1

    async def head(self) -> Head:
        kind, value = await self.next_item()
        if kind == "error":
            raise value
        representation, body = value
        return Head(representation, body, complete=kind == "done")

    async def rest(self) -> AsyncIterator[bytes]:
        """The chunks after the head; raises if the query fails or times out mid-stream."""
        while True:
            kind, value = await self.next_item()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
