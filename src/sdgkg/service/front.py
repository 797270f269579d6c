"""The ASGI app `sdgkg serve` runs: SPARQL at once, the FastAPI app only when first needed.

``/sparql`` and ``/update`` never touch FastAPI (``sparql.py``), yet importing FastAPI, Starlette's
routing, pydantic's models and the Linked Data pages costs about 11 MiB of resident memory and a
second of start-up. A SPARQL endpoint that is only ever queried does not need them, so this front
answers the protocol paths itself and builds the full app (``create_app``, over the same state:
store, query runner, data version) on the first other request, importing it on a worker thread so
queries go on being answered meanwhile. After that every other request goes to that app, exactly
as if it had been built at start-up.

Tests and embedders keep using ``create_app``; this front is only what ``server.serve`` runs.
"""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING, Any

from sdgkg.execution.state import build_state
from sdgkg.service.observe import install_observer
from sdgkg.service.sparql import QUERY_PATHS, UPDATE_PATHS, Receive, Scope, Send, SparqlEndpoint
from sdgkg.store.base import GraphStore

if TYPE_CHECKING:
    from sdgkg.config import Settings

_FAST_PATHS = QUERY_PATHS | UPDATE_PATHS


class LazyService:
    """ASGI: the protocol paths directly, everything else through a FastAPI app built on demand."""

    def __init__(self, settings: Settings, store: GraphStore) -> None:
        self.settings = settings
        self.state = build_state(settings, store)
        install_observer(self.state)  # metrics and the access log, if a setting turns them on
        self.sparql = SparqlEndpoint(self.state)
        self._app: Any = None
        self._building: asyncio.Future[Any] | None = None
        self._lock = threading.Lock()
        self._warming: asyncio.Future[Any] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http" and scope["path"] in _FAST_PATHS:
            await self.state.respond(scope, receive, send, self.sparql)
            return
        if kind == "lifespan":
            await self._lifespan(receive, send)
            return
        app = self._app if self._app is not None else await self._full_app()
        await app(scope, receive, send)

    async def _full_app(self) -> Any:
        if self._building is None:
            self._building = asyncio.ensure_future(asyncio.to_thread(self._build))
        return await asyncio.shield(self._building)

    def _build(self) -> Any:
        with self._lock:
            if self._app is None:
                from sdgkg.service.app import create_app

                self._app = create_app(self.settings, state=self.state)
            return self._app

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        # The store belongs to server.serve, which closes it; nothing else starts or stops here.
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.state.start_watching()
                await send({"type": "lifespan.startup.complete"})
                # Build the pages' app now, in the background: it starts building VoID, dumps,
                # search and coverage, so that the first page request does not wait for them.
                self._warming = asyncio.ensure_future(self._full_app())
            elif message["type"] == "lifespan.shutdown":
                self.state.close_connections()
                await send({"type": "lifespan.shutdown.complete"})
                return
