"""gzip for clients that ask for it (``Accept-Encoding``), through Starlette's GZipMiddleware.

SPARQL results, RDF and HTML pages are text that compresses several times over, which matters
more over a real network than the CPU it costs: at level 3, zlib compresses the 100k-row JSON
result of benchmarks/synthetic_data.py (24 MB) at ~600 MB/s here, and Starlette moves bodies of
128 KiB and more to a worker thread, so the event loop is not held. Streamed answers stay
streamed (each chunk is flushed). Only requests that accept gzip go through the middleware: the
others pay nothing. Already compressed bodies (the dumps, ``application/gzip``) pass as they are,
and so do answers under ``MINIMUM_BYTES``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
App = Callable[[Scope, Any, Any], Awaitable[None]]

LEVEL = 3
MINIMUM_BYTES = 1024


def accepts_gzip(scope: Scope) -> bool:
    """Whether the request's Accept-Encoding names gzip with a weight above 0 (``gzip;q=0``
    refuses it; a bare ``*`` is left alone, as the middleware leaves it)."""
    for name, value in scope["headers"]:
        if name == b"accept-encoding":
            for entry in value.lower().split(b","):
                coding, _, parameters = entry.partition(b";")
                if coding.strip() == b"gzip":
                    return _weight(parameters) > 0
            return False
    return False


def _weight(parameters: bytes) -> float:
    name, _, value = parameters.partition(b"=")
    if name.strip() != b"q":
        return 1.0
    try:
        return float(value)
    except ValueError:  # a malformed weight: as if none were given
        return 1.0


async def gzipped(scope: Scope, receive: Any, send: Any, app: App) -> None:
    """``app``'s answer, gzipped when it is worth it."""
    # Imported here: Starlette (and anyio) stay out of a process that only answers SPARQL to
    # clients that do not ask for gzip (service/front.py keeps FastAPI out for the same reason).
    from starlette.middleware.gzip import GZipMiddleware

    middleware = GZipMiddleware(app, minimum_size=MINIMUM_BYTES, compresslevel=LEVEL)
    await middleware(scope, receive, send)
