"""The "check records" page: paste or upload Turtle or a CSV sheet, see what to fix (issue 17).

``GET /check`` shows the form; ``POST /check`` (a form, with or without a file) shows the report
of ``sdgkg.reconcile.check``; ``POST /check/turtle`` gives the Turtle a CSV became, as a
download. Nothing is written. The body, the file and the checking time are limited; bad input
gets the page back with a message and a 4xx status, never a 5xx.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from sdgkg.csvimport import KnownRecords
from sdgkg.errors import InputError, LimitExceeded, QueryTimeout, SdgkgError
from sdgkg.execution.background import BuiltInBackground, served
from sdgkg.execution.deps import ServiceState
from sdgkg.reconcile.check import CheckReport, Problem, Unresolved, check_records
from sdgkg.reconcile.routes import get_index
from sdgkg.reconcile.sheet import known_records
from sdgkg.web.i18n import choose_language, message
from sdgkg.web.layout import PageContext, page, section, table
from sdgkg.web.markup import Html, element
from sdgkg.web.state import app_cache

router = APIRouter(tags=["web pages"], include_in_schema=False)
MAX_FIELDS = 8


@router.get("/check", response_class=HTMLResponse)
def check_form(request: Request) -> HTMLResponse:
    lang = choose_language(request)
    return _html(check_page(PageContext(lang, "/check"), "", None, None))


@router.post("/check", response_class=HTMLResponse)
async def check_upload(request: Request) -> HTMLResponse:
    lang = choose_language(request)
    context = PageContext(lang, "/check")
    state: ServiceState = request.app.state.sdgkg
    text = ""
    try:
        text, content, filename = await _read_form(request, state.settings.max_request_bytes)
        if filename:  # shown in the form again, to edit and check once more
            text = content.decode("utf-8", "replace")
        report = await _within_time(state, lambda: _check(request, state, content, filename, lang))
    except SdgkgError as error:
        return _html(check_page(context, text, None, error), error.http_status)
    return _html(check_page(context, text, report, None))


@router.post("/check/turtle")
async def check_turtle(request: Request) -> Response:
    """The Turtle that the posted CSV's mapped rows became, as a file to save."""
    lang = choose_language(request)
    state: ServiceState = request.app.state.sdgkg
    try:
        text, content, filename = await _read_form(request, state.settings.max_request_bytes)
        report = await _within_time(
            state, lambda: _check(request, state, content, filename or "records.csv", lang)
        )
        if report.turtle is None:
            raise InputError("no row of the sheet could be turned into records")
    except SdgkgError as error:
        context = PageContext(lang, "/check")
        return _html(check_page(context, text, None, error), error.http_status)
    return Response(
        report.turtle,
        media_type="text/turtle; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="records.ttl"'},
    )


async def _read_form(request: Request, max_bytes: int) -> tuple[str, bytes, str]:
    """The pasted text, and the content to check: the file if one was chosen, else the text."""
    length = int(request.headers.get("content-length") or 0)
    if length > 2 * max_bytes:
        raise LimitExceeded(f"the request is {length} bytes; at most {max_bytes} are checked")
    try:
        # Parts up to twice the limit are read, so that check_records names the size (413).
        async with request.form(
            max_files=1, max_fields=MAX_FIELDS, max_part_size=2 * max_bytes
        ) as form:
            text = form.get("text")
            text = text if isinstance(text, str) else ""
            upload = form.get("file")
            if isinstance(upload, UploadFile) and upload.filename:
                content = await upload.read(max_bytes + 1)
                if len(content) > max_bytes:
                    raise LimitExceeded(
                        f"the file is over {max_bytes} bytes; at most that is checked"
                    )
                return text, content, upload.filename
    except SdgkgError:
        raise
    except Exception as error:  # Starlette's MultiPartException and parser errors
        raise InputError(f"the form could not be read: {error}") from None
    return text, text.encode("utf-8"), ""


async def _within_time(state: ServiceState, work: Any) -> CheckReport:
    timeout_s = state.settings.query_timeout_s
    try:
        report: CheckReport = await asyncio.wait_for(run_in_threadpool(work), timeout_s)
    except TimeoutError:
        raise QueryTimeout(
            f"checking took more than {timeout_s:g} s (SDGKG_QUERY_TIMEOUT_S); check fewer "
            "records at a time, or use sdgkg validate --against-store"
        ) from None
    return report


def known_cache(app_state: object, state: ServiceState) -> BuiltInBackground[KnownRecords]:
    """The records the store knows, for the check, cached on ``app_state`` (made on first use
    or by ``sdgkg prepare``)."""
    base = state.settings.base_iri
    return app_cache(app_state, "check_known", lambda: known_records(state.store, base), state)


def _check(
    request: Request, state: ServiceState, content: bytes, filename: str, lang: str
) -> CheckReport:
    known = known_cache(request.app.state, state)
    return check_records(
        content,
        filename,
        state.store,
        get_index(request, state),
        served(known, request.scope, state.data_version),
        lang=lang,
        max_bytes=state.settings.max_request_bytes,
    )


def _html(document: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(document, status_code=status, headers={"Vary": "Accept-Language, Cookie"})


def check_page(
    context: PageContext, text: str, report: CheckReport | None, error: SdgkgError | None
) -> str:
    lang = context.lang
    body = [
        element("h1", None, message("check", lang)),
        element("p", None, message("check_intro", lang)),
        _form(lang, text),
    ]
    if error is not None:
        body.append(_error(error, lang))
    if report is not None:
        body.append(_report(report, text, lang))
    return page(context, message("check", lang), body)


def _posting_form(path: str, lang: str, *children: Html, class_: str | None = None) -> Html:
    """A form posting multipart data to ``path``, in the page's language."""
    attributes: dict[str, object] = {"method": "post", "action": f"{path}?lang={lang}"}
    attributes |= {"enctype": "multipart/form-data", "class_": class_}
    return element("form", attributes, *children)


def _form(lang: str, text: str) -> Html:
    return _posting_form(
        "/check",
        lang,
        element("label", {"for": "check-text"}, message("check_paste", lang)),
        element(
            "textarea",
            {
                "id": "check-text",
                "name": "text",
                "rows": "14",
                "cols": "100",
                "spellcheck": "false",
            },
            text,
        ),
        element("label", {"for": "check-file"}, message("check_file", lang)),
        element(
            "input",
            {"id": "check-file", "type": "file", "name": "file", "accept": ".ttl,.csv"},
        ),
        element("button", {"type": "submit"}, message("check_submit", lang)),
        class_="check",
    )


def _error(error: SdgkgError, lang: str) -> Html:
    where = f"{error.where}: " if error.where else ""
    return element(
        "section",
        {"class_": "check-error", "role": "alert", "aria-labelledby": "check-error-h"},
        element("h2", {"id": "check-error-h"}, message("check_error", lang)),
        element("p", None, where + error.message),
    )


def _report(report: CheckReport, text: str, lang: str) -> Html:
    verdict = (
        element("p", {"class_": "check-ok", "role": "status"}, message("check_ok", lang))
        if report.conforms
        else None
    )
    parts: list[Html] = [
        element(
            "p", {"class_": "check-count"}, f"{report.records} {message('check_records_n', lang)}"
        ),
        verdict or Html(""),
    ]
    if report.problems:
        parts.append(_problems(report.problems, lang))
    if report.unresolved:
        parts.append(_unresolved(report.unresolved, lang))
    if report.links:
        items = [
            element("li", None, element("a", {"href": _site_path(link.iri)}, link.name))
            for link in report.links
        ]
        parts.append(section(message("check_links", lang), element("ul", None, items), id_="links"))
    if report.turtle is not None and report.kind == "csv":
        parts.append(_download(text, lang))
    return element("div", {"id": "report"}, parts)


def _problems(problems: list[Problem], lang: str) -> Html:
    headings = ("check_where", "check_record", "property", "value", "check_fix", "check_shape")
    rows = [
        element(
            "tr",
            {"class_": "problem"},
            element("td", None, _where(problem, lang)),
            element("td", None, problem.label or problem.record or ""),
            element("td", None, element("code", None, problem.path) if problem.path else ""),
            element("td", None, element("code", None, problem.value) if problem.value else ""),
            element("td", None, problem.message),
            element("td", None, problem.shape_id or ""),
        )
        for problem in problems
    ]
    note = element("p", None, message("check_messages_en", lang)) if lang == "da" else Html("")
    title = f"{message('check_problems', lang)} ({len(problems)})"
    columns = [message(h, lang) for h in headings]
    return section(title, note, table(columns, rows, name=title, class_="problems"), id_="problems")


def _where(problem: Problem | Unresolved, lang: str) -> str:
    if problem.line is not None:
        return f"{message('line', lang)} {problem.line}"
    if problem.row is not None:
        column = f", {message('check_column', lang)} {problem.column}" if problem.column else ""
        return f"{message('check_row', lang)} {problem.row}{column}"
    return ""


def _unresolved(unresolved: list[Unresolved], lang: str) -> Html:
    items = []
    for name in unresolved:
        candidates = [
            element(
                "li",
                None,
                element("a", {"href": _site_path(c.iri)}, c.name),
                f" ({c.score:g})",
            )
            for c in name.candidates
        ]
        suggestion = (
            [message("check_candidates", lang), ": ", element("ul", None, candidates)]
            if candidates
            else [element("em", None, message("check_no_candidates", lang))]
        )
        items.append(
            element(
                "li",
                {"class_": "unresolved"},
                element("code", None, name.text),
                f" ({_where(name, lang)}) ",
                suggestion,
            )
        )
    return section(message("check_unresolved", lang), element("ul", None, items), id_="unresolved")


def _download(text: str, lang: str) -> Html:
    return _posting_form(
        "/check/turtle",
        lang,
        element("input", {"type": "hidden", "name": "text", "value": text}),
        element("button", {"type": "submit", "id": "download"}, message("check_download", lang)),
    )


def _site_path(iri: str) -> str:
    """A record's page on this site: its path under the base (``/id/partner/kl``)."""
    marker = "/id/"
    return iri[iri.index(marker) :] if marker in iri else iri
