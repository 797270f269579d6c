"""The state one running service shares between requests, without importing FastAPI.

``/sparql`` needs only this (see ``service/sparql.py``); ``deps.py`` re-exports it for FastAPI
handlers. Keeping FastAPI out of this module lets ``sdgkg serve`` answer SPARQL before, or
without, loading the Linked Data app (``service/front.py``).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from sdgkg.execution.result_cache import ResultCache
from sdgkg.execution.runner import QueryRunner, RelayOnThread
from sdgkg.protocol.compression import accepts_gzip, gzipped
from sdgkg.protocol.conditional import Validators
from sdgkg.store.base import GraphStore

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from sdgkg.config import Settings
    from sdgkg.execution.relay import Relay

log = logging.getLogger(__name__)

_WATCH_MAX_WAIT_S = 10.0  # the longest the engine watcher waits between two refreshes


@dataclass
class ServiceState:
    """Everything one running service shares between requests."""

    settings: Settings
    store: GraphStore
    runner: QueryRunner
    relay: Relay | None = None  # answers queries from a remote Oxigraph server on the event loop
    validators: Validators = field(default_factory=lambda: Validators(enabled=False))
    result_cache: ResultCache | None = None  # only where every writer goes through sdgkg
    modified: datetime = field(default_factory=lambda: datetime.now(UTC))
    _version: int = 0
    _seen_writes: int = 0  # the store's write count when _version was last moved on
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _watcher: asyncio.Task[None] | None = None
    _listeners: list[Callable[[int], None]] = field(default_factory=list)
    # Wraps every HTTP request (metrics, access log: service/observe.py); None when both are off.
    observe: Callable[[Any, Any, Any, Any], Awaitable[None]] | None = None

    @property
    def data_version(self) -> int:
        """Moves on with every change of the data: caches, validators, dumps and VoID key on it.

        Updates through the service call ``data_changed``; any other write to an embedded store
        (an embedding application, a load in this process), and a change seen on a remote engine
        (another process's load), shows in the store's ``writes``.
        """
        writes = self.store.writes
        if writes != self._seen_writes:
            with self._lock:
                moved = writes != self._seen_writes
                if moved:
                    self._seen_writes = writes
                    self._version += 1
                    self.modified = datetime.now(UTC)
                version = self._version
            if moved:
                self._announce(version)
        return self._version

    def on_new_version(self, listener: Callable[[int], None]) -> None:
        """Call ``listener`` with every new data version, and now with the current one: what is
        derived from the data (VoID, dumps, search, coverage) is rebuilt in the background as
        soon as the data change, not on the request that first needs it."""
        self._listeners.append(listener)
        listener(self.data_version)

    def _announce(self, version: int) -> None:
        for listener in list(self._listeners):
            try:
                listener(version)
            except Exception:  # a listener only starts a build; never fail the request over it
                log.exception("could not start rebuilding for data version %s", version)

    def start_watching(self) -> None:
        """Over a remote engine, refresh its list of graphs and data stamp in the background, on
        the running loop, twice per their lifetime: no query waits for them, and data_version
        follows loads made by other processes (``RemoteStore.writes``)."""
        refresh = getattr(self.store, "refresh_graph_state", None)
        if refresh is not None and self._watcher is None:
            trust_for = self.store.trust_graph_state_for  # type: ignore[attr-defined]
            self._watcher = asyncio.ensure_future(self._watch(refresh, trust_for))

    async def _watch(self, refresh: Any, trust_for: Callable[[float], None]) -> None:
        """Refresh, then wait half the lifetime, or 20 times what the refresh took if longer: on
        an engine that scans to list its graphs (Virtuoso: 15 ms at 1M triples, growing with the
        data) or under load, watching takes at most a twentieth of the time. Never more than
        ``_WATCH_MAX_WAIT_S``: a refresh that hung until its timeout says nothing about the next.
        A refreshed state is trusted until the next refresh is due, with half a lifetime to spare,
        so a longer wait never sends queries to ask the engine themselves; a failed refresh is
        not, and expires as usual."""
        from sdgkg.store.graph_catalogue import GRAPHS_TTL_S

        while True:
            started = time.monotonic()
            refreshed = False
            try:
                await self.runner.call(refresh)
                refreshed = True
            except Exception as error:  # the engine is down: queries report it themselves
                log.debug("could not refresh the engine's graphs: %s", error)
            took = time.monotonic() - started
            wait = min(_WATCH_MAX_WAIT_S, max(GRAPHS_TTL_S / 2, 20 * took))
            if refreshed:
                trust_for(wait + took + GRAPHS_TTL_S / 2)
            await asyncio.sleep(wait)

    def close_connections(self) -> None:
        """Stop watching, and close the relay's connections to a remote engine: on the loop
        that opened them."""
        if self._watcher is not None:
            self._watcher.cancel()
            self._watcher = None
        if self.relay is not None:
            self.relay.close()

    async def respond(self, scope: Any, receive: Any, send: Any, app: Any) -> None:
        """``app``'s answer: with validators, or a 304 (``protocol/conditional.py``); gzipped for
        clients that accept it (``protocol/compression.py``); observed, if ``observe`` is set."""
        if self.observe is not None:
            await self.observe(scope, receive, send, partial(self._respond, app=app))
        else:
            await self._respond(scope, receive, send, app)

    async def _respond(self, scope: Any, receive: Any, send: Any, app: Any) -> None:
        if accepts_gzip(scope):
            await gzipped(scope, receive, send, lambda s, r, w: self.conditional(s, r, w, app))
        else:
            await self.conditional(scope, receive, send, app)

    async def conditional(self, scope: Any, receive: Any, send: Any, app: Any) -> None:
        """``app``'s answer, with validators; or 304 if the client's copy is current."""
        await self.validators(
            scope, receive, send, app, data_version=self.data_version, modified=self.modified
        )

    def data_changed(self) -> None:
        with self._lock:
            self._version += 1
            self.modified = datetime.now(UTC)
            version = self._version
        self._announce(version)


def build_state(settings: Settings, store: GraphStore) -> ServiceState:
    """The state for a service over ``store``, with its query runner."""
    runner = QueryRunner(
        store,
        timeout_s=settings.query_timeout_s,
        max_rows=settings.max_result_rows,
        workers=settings.query_workers,
        relay=_relay_on_thread(store),
    )
    # Answers may be cached and validated where they change only with data_version: only this
    # process writes an embedded store, and a remote engine whose only writers are sdgkg
    # processes changes with the data stamp they leave (store/remote.py).
    trusted = _is_embedded(store) or settings.remote_writers == "sdgkg"
    cache_bytes = settings.result_cache_bytes
    return ServiceState(
        settings=settings,
        store=store,
        runner=runner,
        relay=_relay(store, runner),
        validators=Validators(enabled=trusted),
        result_cache=ResultCache(cache_bytes) if trusted and cache_bytes else None,
    )


def _is_embedded(store: GraphStore) -> bool:
    from sdgkg.store.embedded import EmbeddedStore

    return isinstance(store, EmbeddedStore)


def _relay_on_thread(store: GraphStore) -> RelayOnThread | None:
    """Over a remote engine, the runner answers from the engine's own output where it can."""
    from sdgkg.store.remote import RemoteStore

    if not isinstance(store, RemoteStore):
        return None
    from sdgkg.execution.relay import relay_query

    return partial(relay_query, store)


def _relay(store: GraphStore, runner: QueryRunner) -> Relay | None:
    if getattr(store, "flavour", None) != "oxigraph":  # only a remote Oxigraph server
        return None
    from sdgkg.execution.relay import Relay

    return Relay(store, runner)  # type: ignore[arg-type]


def public_root(settings: Settings, scheme: str, host: str | None) -> str:
    """The URL the service is reached at, with a trailing slash.

    ``SDGKG_PUBLIC_URL`` when set; otherwise the request's own scheme and Host, so the Service
    Description names the very endpoint the client called.
    """
    if settings.public_url:
        return settings.public_url.rstrip("/") + "/"
    return f"{scheme}://{host or f'{settings.host}:{settings.port}'}/"
