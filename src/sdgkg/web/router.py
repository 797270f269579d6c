"""The web pages' routes, their static files, and the security headers of every HTML response.

``install_web(app, settings)`` must run before the Linked Data catch-all route is added, so that
``/``, ``/search``, ``/query``, ``/coverage`` and ``/assets`` are matched first.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi import Path as PathParameter
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from sdgkg import resources
from sdgkg.config import Settings
from sdgkg.diagram import render as render_diagram
from sdgkg.errors import NotFound
from sdgkg.execution.background import served
from sdgkg.execution.deps import ServiceState, StateDep
from sdgkg.iris import record_iri
from sdgkg.queries import CuratedQuery
from sdgkg.vocab import LICENSE, prefixes_for
from sdgkg.web import views
from sdgkg.web.browse import BROWSABLE, listing_csv, listing_page, select
from sdgkg.web.coverage import CoverageChoice
from sdgkg.web.graph import describe_iris, solutions
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
    for kind in BROWSABLE:
        router.add_api_route(
            f"/id/{kind}", browse, methods=["GET", "HEAD"], response_class=HTMLResponse
        )
    router.add_api_route(
        "/docs",
        api_docs,
        methods=["GET", "HEAD"],
        response_class=HTMLResponse,
        include_in_schema=False,
    )
    router.add_api_route(  # before /ontology/{version}, which would take "model.svg"
        "/ontology/model.svg",
        model_diagram,
        methods=["GET", "HEAD"],
        response_class=Response,
        summary="A diagram of the ontology's classes and properties (SVG)",
    )
    router.add_api_route(
        "/ontology/{version}",
        ontology_version,
        methods=["GET", "HEAD"],
        response_class=HTMLResponse,
        include_in_schema=False,
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
    request: Request,
    state: StateDep,
    web: WebDep,
    q: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=1, le=100)] = 1,
) -> HTMLResponse:
    lang = choose_language(request)
    index = served(web.index, request.scope, state.data_version)
    return html(
        views.search_page(
            context_for(request, lang), index, q.strip(), state.settings.base_iri, page
        )
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
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    lang = choose_language(request)
    base = state.settings.base_iri
    municipality_iri = record_iri(base, "municipality", municipality) if municipality else None
    document = views.coverage_list_page(
        context_for(request, lang),
        served(web.coverage, request.scope, state.data_version),
        base,
        CoverageChoice(goal, municipality_iri, how),
        page,
    )
    return html(document)


def browse(
    request: Request,
    state: StateDep,
    web: WebDep,
    goal: Annotated[str | None, Query(pattern=r"^(1[0-7]|[1-9])$")] = None,
    municipality: Annotated[str | None, Query(max_length=300)] = None,
    kind: Annotated[str | None, Query(max_length=300)] = None,
    domain: Annotated[str | None, Query(max_length=300)] = None,
    sort: Annotated[str, Query(pattern=r"^(name|kind|municipality)$")] = "name",
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    format: Annotated[str | None, Query(pattern=r"^(html|csv)$")] = None,
) -> Response:
    """A list page per kind of record: ``/id/partnership?goal=4&municipality=…&sort=kind``."""
    lang = choose_language(request)
    base = state.settings.base_iri
    records_kind = request.url.path.rstrip("/").rsplit("/", 1)[-1]
    catalogue = served(web.catalogues[records_kind], request.scope, state.data_version)
    chosen = {
        "goal": goal or "",
        "municipality": municipality or "",
        "kind": kind or "",
        "domain": domain or "",
    }
    listing = select(catalogue, chosen, sort)
    if format == "csv":
        return Response(
            listing_csv(listing, lang),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{records_kind}.csv"'},
        )
    return html(listing_page(context_for(request, lang), listing, base, chosen, sort, page))


def model_diagram() -> Response:
    """Drawn from the bundled ontology: the same figure as docs/model.svg (issue 15)."""
    return Response(_diagram(), media_type="image/svg+xml")


@cache
def _diagram() -> bytes:
    return render_diagram(resources.ontology_file()).encode()


def ontology_version(
    request: Request,
    state: StateDep,
    version: Annotated[str, PathParameter(pattern=r"^[0-9]+\.[0-9]+\.[0-9]+$")],
) -> Response:
    """A version IRI of the ontology: the current one is ``/ontology``; an earlier one is
    described (what it was, where the changes are), since only the current one is served."""
    base = state.settings.base_iri
    result = state.store.query(
        f"SELECT ?v WHERE {{ <{base}ontology> <http://www.w3.org/2002/07/owl#versionInfo> ?v }}"
    )
    current = next((row["v"].value for row in solutions(result)), None)
    if version == current:
        return RedirectResponse("/ontology", status_code=303)
    lang = choose_language(request)
    return html(views.ontology_version_page(context_for(request, lang), version, current))


def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI over ``/openapi.json``, in the site's frame, from the vendored bundle."""
    lang = choose_language(request)
    return html(views.api_docs_page(context_for(request, lang), request.app.openapi_url or ""))


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
