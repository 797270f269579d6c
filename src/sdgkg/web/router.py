"""The web pages' routes, their static files, and the security headers of every HTML response.

``install_web(app, settings)`` must run before the Linked Data catch-all route is added, so that
``/``, ``/search``, ``/query``, ``/coverage`` and ``/assets`` are matched first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from sdgkg.config import Settings
from sdgkg.errors import NotFound
from sdgkg.execution.background import served
from sdgkg.execution.deps import ServiceState, StateDep
from sdgkg.iris import record_iri
from sdgkg.queries import CuratedQuery
from sdgkg.vocab import LICENSE, prefixes_for
from sdgkg.web import views
from sdgkg.web.graph import describe_iris
from sdgkg.web.i18n import choose_language, pick_label
from sdgkg.web.layout import ASSETS, context_for
from sdgkg.web.security import SecurityHeadersMiddleware
from sdgkg.web.state import COUNTED_CLASSES, WebState

STATIC_DIR = Path(__file__).resolve().parent / "static"


def install_web(app: FastAPI, settings: Settings) -> None:
    """Add the web pages, their assets and the security-header middleware to ``app``."""
    state: ServiceState = app.state.sdgkg
    app.state.web = web = WebState(state.store, settings)
    state.on_new_version(web.refresh)
    app.include_router(web_router())
    app.mount(ASSETS, StaticFiles(directory=STATIC_DIR), name="web-assets")
    app.add_middleware(SecurityHeadersMiddleware)


def get_web(request: Request) -> WebState:
    web: WebState = request.app.state.web
    return web


WebDep = Annotated[WebState, Depends(get_web)]


def web_router() -> APIRouter:
    router = APIRouter(tags=["web pages"], include_in_schema=False)
    router.add_api_route("/", home, methods=["GET", "HEAD"], response_class=HTMLResponse)
    router.add_api_route("/search", search, methods=["GET", "HEAD"], response_class=HTMLResponse)
    router.add_api_route("/query", editor, methods=["GET", "HEAD"], response_class=HTMLResponse)
    router.add_api_route(
        "/coverage", coverage, methods=["GET", "HEAD"], response_class=HTMLResponse
    )
    router.add_api_route(
        "/coverage/list", coverage_list, methods=["GET", "HEAD"], response_class=HTMLResponse
    )
    router.add_api_route(
        "/coverage/partners", partners, methods=["GET", "HEAD"], response_class=HTMLResponse
    )
    router.add_api_route("/favicon.ico", favicon, methods=["GET", "HEAD"])
    return router


def favicon() -> FileResponse:
    """Pages without an icon link (the endpoint's own) make browsers ask for this one."""
    return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")


def html(document: str) -> HTMLResponse:
    return HTMLResponse(document, headers={"Vary": "Accept-Language, Cookie"})


def home(request: Request, state: StateDep, web: WebDep) -> HTMLResponse:
    lang = choose_language(request)
    base = state.settings.base_iri
    classes = [f"{base}ontology#{name}" for name in COUNTED_CLASSES]
    described = describe_iris(state.store, classes)
    class_labels = {
        iri.rsplit("#", 1)[-1]: pick_label(described.labels.get(iri, {}), lang, iri)
        for iri in classes
    }
    document = views.home_page(
        context_for(request, lang),
        served(web.counts, request.scope, state.data_version),
        class_labels,
        web.curated,
        state.modified,
        LICENSE,
    )
    return html(document)


def search(
    request: Request, state: StateDep, web: WebDep, q: Annotated[str, Query(max_length=200)] = ""
) -> HTMLResponse:
    lang = choose_language(request)
    index = served(web.index, request.scope, state.data_version)
    return html(
        views.search_page(context_for(request, lang), index, q.strip(), state.settings.base_iri)
    )


def editor(
    request: Request,
    state: StateDep,
    web: WebDep,
    cq: Annotated[str, Query(max_length=40)] = "",
    query: Annotated[str, Query(max_length=100_000)] = "",
) -> HTMLResponse:
    lang = choose_language(request)
    initial = _curated(web.curated, cq) if cq else None
    document = views.editor_page(
        context_for(request, lang),
        web.curated,
        prefixes_for(state.settings.base_iri),
        initial,
        query,
        state.settings.base_iri,
    )
    return html(document)


def _curated(curated: list[CuratedQuery], wanted: str) -> CuratedQuery:
    for query in curated:
        if wanted.lower() in (query.number.lower(), query.name.lower()):
            return query
    raise NotFound(f"no curated query {wanted!r}; the editor lists them")


def coverage(request: Request, state: StateDep, web: WebDep) -> HTMLResponse:
    lang = choose_language(request)
    document = views.coverage_page(
        context_for(request, lang),
        state.store,
        served(web.coverage, request.scope, state.data_version),
        state.settings.base_iri,
    )
    return html(document)


def coverage_list(
    request: Request,
    state: StateDep,
    web: WebDep,
    goal: Annotated[str | None, Query(pattern=r"^(1[0-7]|[1-9])$")] = None,
    municipality: Annotated[str | None, Query(pattern=r"^[a-z0-9-]{1,80}$")] = None,
    how: Annotated[str | None, Query(pattern=r"^(stated|assigned)$")] = None,
) -> HTMLResponse:
    lang = choose_language(request)
    base = state.settings.base_iri
    municipality_iri = record_iri(base, "municipality", municipality) if municipality else None
    document = views.coverage_list_page(
        context_for(request, lang),
        state.store,
        served(web.coverage, request.scope, state.data_version),
        base,
        goal,
        municipality_iri,
        how,
    )
    return html(document)


def partners(
    request: Request,
    state: StateDep,
    web: WebDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    lang = choose_language(request)
    table = served(web.partners, request.scope, state.data_version)
    rows = table.ordered(lang)
    document = views.partners_page(
        context_for(request, lang), state.store, rows, state.settings.base_iri, page
    )
    return html(document)
