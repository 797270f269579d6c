"""The app factory: ``create_app(settings)`` builds the whole service, nothing is built at import.

``/sparql`` and ``/update`` are answered by ``SparqlEndpoint``, a plain ASGI callable, before
FastAPI's middleware and routing (see ``sparql.py`` for why); they are still documented in the
OpenAPI schema at ``/docs``. Everything else is ordinary FastAPI: Linked Data pages, VoID, dumps,
``/health``, with CORS open for GET and POST and every ``SdgkgError`` mapped to its status and the
fixed body ``{"error", "message", "where"?, "see"?}``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import RedirectResponse

from sdgkg import __version__
from sdgkg.config import Settings
from sdgkg.execution.deps import StateDep
from sdgkg.execution.state import ServiceState, build_state
from sdgkg.publishing import pages, void
from sdgkg.reconcile import check_page
from sdgkg.reconcile import routes as reconcile_routes
from sdgkg.service import graph_store, operations
from sdgkg.service.observe import attach_app, install_observer
from sdgkg.service.sparql import QUERY_PATHS, UPDATE_PATHS, SparqlEndpoint
from sdgkg.store import GraphStore, open_store
from sdgkg.web.error_pages import install_error_pages
from sdgkg.web.router import install_web

_FAST_PATHS = QUERY_PATHS | UPDATE_PATHS


class SdgkgApp(FastAPI):
    """FastAPI with the SPARQL protocol paths answered before any middleware or routing."""

    sparql_endpoint: SparqlEndpoint

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        await self.state.sdgkg.respond(scope, receive, send, self._dispatch)

    async def _dispatch(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["path"] in _FAST_PATHS:
            await self.sparql_endpoint(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def create_app(
    settings: Settings, *, store: GraphStore | None = None, state: ServiceState | None = None
) -> SdgkgApp:
    """Build the service over ``store`` (opened from ``settings`` if not given).

    ``state`` reuses a running service's state (its store and query runner): ``front.py`` builds
    this app on the first request that is not SPARQL.
    """
    owns_state = state is None
    if state is not None:
        store = state.store
    owns_store = store is None
    opened = store if store is not None else open_store(settings)
    if state is None:
        state = build_state(settings, opened)
        install_observer(state)  # metrics and the access log, if a setting turns them on
    service = state

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if owns_state:
            service.start_watching()
        yield
        if owns_state:
            service.close_connections()
        if owns_store:
            opened.close()

    app = SdgkgApp(
        title="sdgkg",
        version=__version__,
        summary="Danish sustainability partnerships as SPARQL and Linked Data",
        lifespan=lifespan,
        docs_url=None,  # /docs is the web part's page, with Swagger UI from the package
        redoc_url=None,
    )
    app.state.sdgkg = state
    app.state.harvest = harvest = void.HarvestCache(
        void.dumps_folder(settings),
        state.store,
        exclusive=not settings.store_is_remote,
        first_wait_s=settings.first_build_wait_s,
    )
    app.sparql_endpoint = SparqlEndpoint(state)
    state.validators.files_under.add("/dumps/")  # a dump's ETag is its SHA-256 (void.get_dump)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
        allow_headers=["accept", "content-type", "authorization"],
    )
    install_error_pages(app)  # HTML to browsers, JSON to API clients (issue 21)
    # VoID's counts first (seconds; harvesters ask right after a load); the dumps, which take
    # longest, build in a lane of their own beside the pages' search index and tables.
    state.on_new_version(lambda _version: harvest.refresh(service))
    install_web(app, settings)  # issue 6 pages; before the "/" route and the catch-all
    app.add_api_route("/health", health, methods=["GET"], tags=["service"], summary="Liveness")
    app.add_api_route("/", home, methods=["GET"], include_in_schema=False)
    app.include_router(void.router)
    app.include_router(operations.router)
    app.include_router(graph_store.router)  # PUT /store: big loads, never seen half done
    app.include_router(reconcile_routes.router)  # issue 17: /reconcile for OpenRefine
    app.include_router(check_page.router)  # issue 17: /check, records checked before they go in
    app.include_router(pages.router)  # last: its catch-all serves every IRI under the base
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    attach_app(state, app.state)  # the metrics count the builds of VoID, dumps, search …
    return app


def health(state: StateDep) -> dict[str, object]:
    """The service is up and its store answers."""
    cache = state.result_cache
    return {
        "status": "ok",
        "version": __version__,
        "store": state.store.description,
        "graphs": len(state.store.graph_names()),
        "data_version": state.data_version,
        "result_cache": None if cache is None else cache.stats(),
        "engine": _engine_watch(state),
    }


def _engine_watch(state: ServiceState) -> dict[str, object] | None:
    """Over a remote engine: who may write to it, how many changes the watcher has seen, and
    how old its view of the engine's graphs is (seconds); None over the embedded store."""
    age = getattr(state.store, "graph_state_age", None)
    if age is None:
        return None
    seconds = age()
    return {
        "writers": state.settings.remote_writers,
        "changes_seen": state.store.writes,
        "graphs_age_s": None if seconds is None else round(seconds, 3),
    }


def home() -> RedirectResponse:
    return RedirectResponse("/sparql", status_code=303)


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
    schema["paths"] = {**_protocol_paths(), **schema["paths"]}
    app.openapi_schema = schema
    return schema


def _protocol_paths() -> dict[str, Any]:
    """OpenAPI for the paths served outside FastAPI's routing."""
    query_params = [
        {"name": "query", "in": "query", "schema": {"type": "string"}},
        {
            "name": "default-graph-uri",
            "in": "query",
            "schema": {"type": "array", "items": {"type": "string"}},
        },
        {
            "name": "named-graph-uri",
            "in": "query",
            "schema": {"type": "array", "items": {"type": "string"}},
        },
        {
            "name": "format",
            "in": "query",
            "schema": {"type": "string"},
            "description": "json, xml, csv, tsv, turtle, ntriples, rdfxml, jsonld, nquads, trig",
        },
    ]
    errors = {
        "400": {"description": "Malformed request or query (with line:column)"},
        "403": {"description": "SERVICE to an endpoint not allow-listed, or an update"},
        "406": {"description": "No acceptable result format"},
        "413": {"description": "Request or result over the configured limit"},
        "503": {"description": "Query timeout, or server busy"},
    }
    return {
        "/sparql": {
            "get": {
                "tags": ["sparql"],
                "summary": "SPARQL 1.1 query via GET; without a query, the Service Description",
                "parameters": query_params,
                "responses": {"200": {"description": "Results or Service Description"}, **errors},
            },
            "post": {
                "tags": ["sparql"],
                "summary": "SPARQL 1.1 query via POST (form-encoded or application/sparql-query)",
                "parameters": query_params[1:],
                "requestBody": {
                    "content": {
                        "application/sparql-query": {"schema": {"type": "string"}},
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "properties": {"query": {"type": "string"}},
                            }
                        },
                    }
                },
                "responses": {"200": {"description": "Query results"}, **errors},
            },
        },
        "/update": {
            "post": {
                "tags": ["sparql"],
                "summary": "SPARQL 1.1 Update (Authorization: Bearer <SDGKG_UPDATE_TOKEN>)",
                "requestBody": {
                    "content": {
                        "application/sparql-update": {"schema": {"type": "string"}},
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "properties": {"update": {"type": "string"}},
                            }
                        },
                    }
                },
                "responses": {
                    "204": {"description": "Applied"},
                    "401": {"description": "No bearer token"},
                    "403": {"description": "Wrong token, or updates disabled"},
                    **errors,
                },
            }
        },
    }
