"""Errors as a page for people: a browser asking for HTML gets one in its reader's language, with
the search and a way back; an API client keeps the JSON body it has always had.

The library's messages are English and precise; on a Danish page they sit, marked ``lang="en"``,
under a plain Danish sentence that says what happened.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from sdgkg.errors import NotReadyYet, SdgkgError
from sdgkg.web.i18n import choose_language, message
from sdgkg.web.layout import context_for, page, search_form
from sdgkg.web.markup import element


def install_error_pages(app: FastAPI) -> None:
    """Answer ``SdgkgError``, bad parameters and unknown paths as HTML to browsers."""
    app.add_exception_handler(SdgkgError, sdgkg_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, http_error)  # type: ignore[arg-type]


def wants_html(request: Request) -> bool:
    """A browser names text/html outright; ``*/*`` alone (curl, API clients) keeps JSON.

    >>> from starlette.requests import Request
    >>> browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    >>> wants_html(Request({"type": "http", "headers": [(b"accept", browser.encode())]}))
    True
    >>> wants_html(Request({"type": "http", "headers": [(b"accept", b"*/*")]}))
    False
    """
    html_q = json_q = 0.0
    for item in request.headers.get("accept", "").split(","):
        media, _, params = item.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        media = media.strip().lower()
        if media in ("text/html", "application/xhtml+xml"):
            html_q = max(html_q, q)
        elif media == "application/json" or media.endswith("+json"):
            json_q = max(json_q, q)
    return html_q > 0 and html_q >= json_q


async def sdgkg_error(request: Request, error: SdgkgError) -> Response:
    preparing = isinstance(error, NotReadyYet)
    headers = {"Retry-After": str(NotReadyYet.retry_after_s)} if preparing else None
    if wants_html(request):
        answer = error_page(request, error.http_status, error.message, preparing=preparing)
        answer.headers.update(headers or {})
        return answer
    return JSONResponse(error.to_dict(), status_code=error.http_status, headers=headers)


async def validation_error(request: Request, error: RequestValidationError) -> Response:
    if wants_html(request):
        detail = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg', '')}"
            for e in error.errors()
        )
        return error_page(request, 422, detail)
    return await request_validation_exception_handler(request, error)


async def http_error(request: Request, error: HTTPException) -> Response:
    if wants_html(request) and error.status_code >= 400:
        return error_page(request, error.status_code, str(error.detail))
    return await http_exception_handler(request, error)


def error_page(
    request: Request, status: int, detail: str, *, preparing: bool = False
) -> HTMLResponse:
    """The page: what went wrong in plain words, the precise reason, search, and the way home."""
    lang = choose_language(request)
    key = "error_not_found" if status == 404 else "error_bad_request" if status < 500 else "error"
    if preparing:
        key = "error_preparing"
    title = message(f"{key}_title", lang)
    body = [
        element("h1", None, title),
        element("p", {"class_": "lead"}, message(f"{key}_text", lang)),
        element(
            "details",
            None,
            element("summary", None, f"{message('error_detail', lang)} ({status})"),
            element("p", {"lang": "en"}, detail),
        )
        if detail
        else None,
        search_form(lang),
        element("p", None, element("a", {"href": "/"}, message("back_home", lang))),
    ]
    document = page(context_for(request, lang), title, body)
    return HTMLResponse(document, status_code=status)
