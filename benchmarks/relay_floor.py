"""The least a Python relay can cost: a reference for remote_bench.py, not part of sdgkg.

An ASGI app that passes ``GET ?query=`` to the engine named by ``RELAY_FLOOR_ENGINE`` (its query
URL) and streams the engine's answer back, through the same keep-alive client as ``sdgkg serve``
(``sdgkg.execution.upstream``) and under the same uvicorn (httptools, uvloop, no access log). It has
none of sdgkg's work: no protocol parsing beyond ``query``, no read-only or SERVICE check, no
row limit, deadline, content negotiation or error translation. What it costs over querying the
engine directly is the price of the second HTTP hop itself, which no relay written in Python can
avoid; what ``sdgkg serve`` costs above it is sdgkg's own.

    RELAY_FLOOR_ENGINE=http://127.0.0.1:7878/query \\
        python -m uvicorn relay_floor:app --app-dir benchmarks --port 8001 --loop uvloop \\
        --http httptools --no-access-log
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qs

from sdgkg.execution.upstream import Upstream

_upstream: Upstream | None = None


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    global _upstream
    if scope["type"] != "http":
        return
    if _upstream is None:
        _upstream = Upstream(os.environ["RELAY_FLOOR_ENGINE"], {})
    query = parse_qs(scope["query_string"].decode())["query"][0]
    accept = next((v.decode() for k, v in scope["headers"] if k == b"accept"), "*/*")
    connection = await _upstream.post(query.encode(), accept, "union-default-graph=")
    headers = [(b"content-type", (connection.header(b"content-type") or "").encode())]
    await send({"type": "http.response.start", "status": connection.status, "headers": headers})
    async for piece in connection.body():
        await send({"type": "http.response.body", "body": piece, "more_body": True})
    await send({"type": "http.response.body", "body": b""})
    _upstream.release(connection)
