"""A keep-alive HTTP/1.1 client on the event loop, for relaying queries to a remote engine.

``sdgkg serve`` in front of an Oxigraph server answers each query with one request to the engine.
Doing that on a worker thread costs two thread hops and ``http.client``'s Python parsing per
query, which doubled the latency of sub-millisecond queries; httpx's async client costs more still.
This client is an ``asyncio.Protocol`` whose responses are parsed by httptools (llhttp, the parser
uvicorn uses), so a relayed query costs one socket write and the engine's answer, on the loop.

It does only what the relay needs: POST a query (the protocol's direct POST) to one URL, read
the status, headers and body as they arrive, with back-pressure (the socket is paused while
unread body exceeds ``_HIGH_WATER``), and reuse connections the engine keeps alive.
"""

from __future__ import annotations

import asyncio
import ssl
from collections import deque
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import httptools

_HIGH_WATER = 1024 * 1024  # unread body bytes after which the socket is paused
_MAX_IDLE = 16


class UpstreamError(Exception):
    """The engine closed the connection or sent something that is not HTTP."""


class _Connection(asyncio.Protocol):
    """One connection; parses one response at a time (httptools parser callbacks)."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self._parser = httptools.HttpResponseParser(self)
        self._body: deque[bytes] = deque()
        self._paused = False
        self._expect_response()
        self.closed = False
        self.error: Exception | None = None
        self.used = False  # has answered at least one request: it may have gone stale
        self._wakeup: asyncio.Future[None] | None = None

    # -- asyncio.Protocol ----------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as error:
            self.error = UpstreamError(f"the engine's answer is not valid HTTP: {error}")
            self._close()
        self._wake()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if not self.complete and self.error is None:
            self.error = UpstreamError(
                f"the engine closed the connection{f': {exc}' if exc else ''}"
            )
        self._wake()

    # -- httptools callbacks -------------------------------------------------------------------
    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name.lower(), value))

    def on_headers_complete(self) -> None:
        self.status = self._parser.get_status_code()
        self.headers_done = True

    def on_body(self, body: bytes) -> None:
        self._body.append(body)
        self._buffered += len(body)
        if self._buffered > _HIGH_WATER and not self._paused and self.transport is not None:
            self._paused = True
            self.transport.pause_reading()

    def on_message_complete(self) -> None:
        self.complete = True
        # Only meaningful inside the callbacks: the parser resets once the message is done.
        self.keep_alive = self._parser.should_keep_alive()

    # -- the request side ----------------------------------------------------------------------
    def start(self, request: bytes) -> None:
        self._expect_response()
        assert self.transport is not None
        self.transport.write(request)

    def _expect_response(self) -> None:
        """Forget the previous response (a kept-alive connection answers one after another)."""
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self._body.clear()
        self._buffered = 0
        self.complete = False
        self.keep_alive = False
        self.headers_done = False

    async def response_head(self) -> None:
        while not self.headers_done:
            await self._wait()

    def header(self, name: bytes) -> str | None:
        for key, value in self.headers:
            if key == name:
                return value.decode("latin-1")
        return None

    async def body(self) -> AsyncIterator[bytes]:
        """The body as it arrives; ends when the response is complete."""
        while True:
            while self._body:
                piece = self._body.popleft()
                self._buffered -= len(piece)
                if self._paused and self._buffered < _HIGH_WATER // 2:
                    self._paused = False
                    if self.transport is not None:
                        self.transport.resume_reading()
                yield piece
            if self.complete:
                return
            await self._wait()

    def reusable(self) -> bool:
        return self.complete and self.keep_alive and not self.closed and self.error is None

    def _close(self) -> None:
        if self.transport is not None:
            self.transport.close()
        self.closed = True

    async def _wait(self) -> None:
        if self.error is not None:
            raise self.error
        if self.closed and not self.complete:
            raise UpstreamError("the engine closed the connection")
        self._wakeup = asyncio.get_running_loop().create_future()
        await self._wakeup
        if self.error is not None:
            raise self.error

    def _wake(self) -> None:
        if self._wakeup is not None and not self._wakeup.done():
            self._wakeup.set_result(None)


class Upstream:
    """POSTs queries to one URL over pooled keep-alive connections."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        target = urlsplit(url)
        self.url = url
        self._secure = target.scheme == "https"
        self._host = target.hostname or "127.0.0.1"
        self._port = target.port or (443 if self._secure else 80)
        self._path = (target.path or "/") + (f"?{target.query}" if target.query else "")
        self._joiner = "&" if target.query else "?"  # before the dataset parameters
        fixed = {"host": target.netloc, **headers}
        self._headers = (
            "".join(f"{name}: {value}\r\n" for name, value in fixed.items())
            + "content-type: application/sparql-query\r\n"
        ).encode("latin-1")
        self._idle: list[_Connection] = []

    async def post(self, query: bytes, accept: str, parameters: str = "") -> _Connection:
        """Send ``query`` with the URL ``parameters`` (already encoded); return the connection
        once the response's headers are in.

        A kept-alive connection the engine closed meanwhile is retried once on a new one.
        """
        target = f"{self._path}{self._joiner}{parameters}" if parameters else self._path
        request = (
            f"POST {target} HTTP/1.1\r\n".encode("latin-1")
            + self._headers
            + f"accept: {accept}\r\ncontent-length: {len(query)}\r\n\r\n".encode("latin-1")
            + query
        )
        while True:
            connection = self._idle_connection() or await self._connect()
            connection.start(request)
            try:
                await connection.response_head()
            except UpstreamError:
                connection._close()
                if connection.used and not connection.headers_done:
                    continue  # stale keep-alive connection: once more on a fresh one
                raise
            except BaseException:  # cancelled at the deadline: the answer is not wanted
                connection._close()
                raise
            connection.used = True
            return connection

    def release(self, connection: _Connection) -> None:
        """Take a connection back: kept for reuse if its response was read to the end."""
        if connection.reusable() and len(self._idle) < _MAX_IDLE:
            self._idle.append(connection)
        else:
            connection._close()

    def discard(self, connection: _Connection) -> None:
        connection._close()

    def _idle_connection(self) -> _Connection | None:
        while self._idle:
            connection = self._idle.pop()
            if not connection.closed:
                return connection
        return None

    def close(self) -> None:
        while self._idle:
            self._idle.pop()._close()

    async def _connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        context = ssl.create_default_context() if self._secure else None
        try:
            _, connection = await loop.create_connection(
                _Connection, self._host, self._port, ssl=context
            )
        except OSError as error:
            raise UpstreamError(f"cannot connect: {error}") from None
        return connection
