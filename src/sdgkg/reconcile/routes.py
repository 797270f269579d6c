"""The HTTP edge of reconciliation: ``/reconcile`` (0.2, OpenRefine 3.x) and ``/reconcile/draft``.

0.2: GET or POST ``/reconcile`` answers the manifest, a ``queries=`` batch or an ``extend=``
query, form-encoded (as OpenRefine sends them), in the URL, or as a JSON body; suggest, flyout,
preview and property proposals sit under it. 1.0 draft: https://reconciliation-api.github.io/specs/draft/#overview-of-possible-routes
under ``/reconcile/draft``. Handlers parse, call the library, and let ``SdgkgError`` map to its
status; the label index is built on first use and rebuilt when the data version moves on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from sdgkg.errors import InputError, LimitExceeded, NotFound
from sdgkg.execution.background import BuiltInBackground, served
from sdgkg.execution.deps import PublicRootDep, ServiceState, StateDep
from sdgkg.reconcile.extend import extension_v02, extension_v1, propose_properties
from sdgkg.reconcile.index import ReconcileIndex, build_index
from sdgkg.reconcile.manifest import manifest_v02, manifest_v1
from sdgkg.reconcile.preview import PREVIEW_POLICY, preview_html
from sdgkg.reconcile.protocol import (
    parse_v02_batch,
    parse_v1_batch,
    read_json,
    v02_results,
    v1_results,
)
from sdgkg.reconcile.suggest import suggest_entities, suggest_properties, suggest_types
from sdgkg.web.i18n import choose_language
from sdgkg.web.state import app_cache

router = APIRouter(prefix="/reconcile", tags=["reconciliation"])
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$.]{0,63}$")


def get_index(request: Request, state: StateDep) -> ReconcileIndex:
    """The label index for the current data, built once per data version."""
    return served(index_cache(request.app.state, state), request.scope, state.data_version)


def index_cache(app_state: object, state: ServiceState) -> BuiltInBackground[ReconcileIndex]:
    """The label index's cache on ``app_state``, made on first use (``sdgkg prepare`` makes it
    too, so that it is kept beside the store before the first ``/reconcile`` request)."""
    base = state.settings.base_iri
    return app_cache(app_state, "reconcile", lambda: build_index(state.store, base), state)


IndexDep = Annotated[ReconcileIndex, Depends(get_index)]


def get_language(request: Request) -> str:
    """The reader's language; a wrapper because web.i18n names ``Request`` only for type checks."""
    return choose_language(request)


LangDep = Annotated[str, Depends(get_language)]


@router.get("", operation_id="reconcile_get", summary="Manifest, query batch or extension (0.2)")
@router.post("", operation_id="reconcile_post", summary="Query batch or extension (0.2)")
async def reconcile_v02(request: Request, state: StateDep, root: PublicRootDep) -> Response:
    fields = await _fields(request, state.settings.max_request_bytes)
    lang = choose_language(request)
    return await run_in_threadpool(_answer_v02, request, fields, root, lang)


def _answer_v02(request: Request, fields: dict[str, Any], root: str, lang: str) -> Response:
    index = get_index(request, request.app.state.sdgkg)  # on a worker thread: may build
    if "queries" in fields:
        queries = parse_v02_batch(_as_json(fields["queries"], "queries"), index)
        return _json(v02_results(index, queries, lang), fields.get("callback"))
    if "extend" in fields:
        return _json(extension_v02(index, _as_json(fields["extend"], "extend"), lang), None)
    return _json(manifest_v02(index, root + "reconcile", lang), fields.get("callback"))


@router.get("/draft", summary="Manifest (1.0 draft)")
def manifest_draft(index: IndexDep, lang: LangDep) -> JSONResponse:
    return JSONResponse(manifest_v1(index, lang))


@router.post("/draft/match", summary="Query batch (1.0 draft)")
async def match_draft(request: Request, state: StateDep) -> Response:
    return await _answer_draft(request, state, _match)


@router.post("/draft/extend", summary="Data extension (1.0 draft)")
async def extend_draft(request: Request, state: StateDep) -> Response:
    return await _answer_draft(request, state, extension_v1)


def _match(index: ReconcileIndex, body: Any, lang: str) -> dict[str, Any]:
    return v1_results(index, parse_v1_batch(body, index), lang)


async def _answer_draft(
    request: Request, state: ServiceState, answer: Callable[[ReconcileIndex, Any, str], Any]
) -> Response:
    """A JSON body in, ``answer``'s document out; the work off the event loop."""
    body = await _json_body(request, state.settings.max_request_bytes)
    lang = choose_language(request)

    def work() -> Response:
        return JSONResponse(answer(get_index(request, state), body, lang))

    return await run_in_threadpool(work)


@dataclass(frozen=True)
class SuggestRequest:
    """What every suggest service is asked: 0.2's and the 1.0 draft's parameters in one place."""

    index: ReconcileIndex
    lang: str
    prefix: str
    type_names: tuple[str, ...]  # catalogue names of the ``type`` parameters the index knows
    limit: int | None
    offset: int
    callback: str | None

    def answer(self, document: dict[str, Any]) -> Response:
        return _json(document, self.callback)


def suggest_request(
    index: IndexDep,
    lang: LangDep,
    prefix: str = "",
    type: Annotated[list[str] | None, Query()] = None,
    limit: Annotated[int | None, Query(ge=1, le=50)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    start: Annotated[int, Query(ge=0)] = 0,  # 0.2's older name for offset
    callback: str | None = None,
) -> SuggestRequest:
    types = tuple(name for t in type or [] if (name := index.type_name(t)) is not None)
    return SuggestRequest(index, lang, prefix, types, limit, max(offset, start), callback)


SuggestDep = Annotated[SuggestRequest, Depends(suggest_request)]


@router.get("/suggest/entity", summary="Suggest entities")
@router.get("/draft/suggest/entity", include_in_schema=False)
def suggest_entity(asked: SuggestDep) -> Response:
    found = suggest_entities(
        asked.index,
        asked.prefix,
        asked.lang,
        types=asked.type_names,
        limit=asked.limit or 10,
        offset=asked.offset,
    )
    return asked.answer(found)


@router.get("/suggest/type", summary="Suggest types")
@router.get("/draft/suggest/type", include_in_schema=False)
def suggest_type(asked: SuggestDep) -> Response:
    return asked.answer(
        suggest_types(asked.index, asked.prefix, asked.lang, limit=asked.limit or 25)
    )


@router.get("/suggest/property", summary="Suggest properties")
@router.get("/draft/suggest/property", include_in_schema=False)
def suggest_property(asked: SuggestDep) -> Response:
    type_name = asked.type_names[0] if asked.type_names else None
    found = suggest_properties(
        asked.index, asked.prefix, asked.lang, type_name=type_name, limit=asked.limit or 25
    )
    return asked.answer(found)


@router.get("/preview", summary="Preview card of an entity")
@router.get("/draft/preview", include_in_schema=False)
def preview(index: IndexDep, lang: LangDep, id: str) -> HTMLResponse:
    record = _record(index, id)
    return HTMLResponse(
        preview_html(index, record, lang), headers={"content-security-policy": PREVIEW_POLICY}
    )


@router.get("/flyout/entity", summary="Flyout of a suggested entity (0.2)")
def flyout(index: IndexDep, lang: LangDep, id: str, callback: str | None = None) -> Response:
    record = _record(index, id)
    return _json({"id": record.iri, "html": preview_html(index, record, lang)}, callback)


@router.get("/extend/propose", summary="Properties to fetch for a type")
@router.get("/draft/extend/propose", include_in_schema=False)
def propose(
    index: IndexDep,
    lang: LangDep,
    type: str,
    limit: Annotated[int | None, Query(ge=1, le=100)] = None,
    callback: str | None = None,
) -> Response:
    return _json(propose_properties(index, type, lang, limit=limit), callback)


def _record(index: ReconcileIndex, iri: str) -> Any:
    record = index.records.get(iri)
    if record is None:
        raise NotFound(f"no reconcilable record {iri!r}", where="id")
    return record


async def _fields(request: Request, max_bytes: int) -> dict[str, Any]:
    """Parameters from the URL, then a form or JSON body (a body's fields win)."""
    fields: dict[str, Any] = dict(request.query_params)
    if request.method != "POST":
        return fields
    body = await _read_body(request, max_bytes)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "application/json":
        parsed = read_json(body.decode("utf-8", "replace"), "body")
        if not isinstance(parsed, dict):
            raise InputError("a JSON body must be an object with queries or extend", where="body")
        fields.update(parsed)
    elif body:
        text = body.decode("utf-8", "replace")
        fields.update({key: values[-1] for key, values in parse_qs(text).items()})
    return fields


async def _json_body(request: Request, max_bytes: int) -> Any:
    return read_json((await _read_body(request, max_bytes)).decode("utf-8", "replace"), "body")


async def _read_body(request: Request, max_bytes: int) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise LimitExceeded(f"request body over {max_bytes} bytes (SDGKG_MAX_REQUEST_BYTES)")
        chunks.append(chunk)
    return b"".join(chunks)


def _as_json(value: Any, field: str) -> Any:
    """A field that a form sends as JSON text and a JSON body sends as an object."""
    return read_json(value, field) if isinstance(value, str) else value


def _json(document: Any, callback: str | None) -> Response:
    """JSON, or JSONP for old clients that ask with ``callback=`` (checked to be a name)."""
    if not callback:
        return JSONResponse(document)
    if not _CALLBACK.match(callback):
        raise InputError("callback must be a JavaScript name", where="callback")
    text = json.dumps(document, ensure_ascii=False)
    return Response(f"/**/{callback}({text});", media_type="application/javascript")
