"""Loads through a running service: ``PUT /store?graph=IRI``, SPARQL 1.1 Graph Store HTTP
Protocol §5.3 (https://www.w3.org/TR/sparql11-http-rdf-update/#http-put), at the path Oxigraph's
own server uses.

``/update`` takes requests of at most ``SDGKG_MAX_REQUEST_BYTES``, so a big file cannot go
through it. Here the holder of the update token streams the file (up to
``SDGKG_MAX_LOAD_BYTES``) to a file beside the store, and the store bulk-loads it out of readers'
sight: a graph that exists keeps its old triples until the new ones replace them in one step, a
new graph appears whole (``load.load_graph_file``). A reader never sees half a load. Only
reference checks run, as for a big file loaded by ``sdgkg load``; ``sdgkg load`` validates small
files before it sends them.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pyoxigraph import NamedNode, RdfFormat

from sdgkg.config import Settings
from sdgkg.errors import InputError, LimitExceeded
from sdgkg.execution.deps import StateDep
from sdgkg.load import load_graph_file
from sdgkg.scratch_folder import own_folder
from sdgkg.service.request_facts import facts_of
from sdgkg.service.sparql import check_update_token
from sdgkg.store.base import CATALOG_GRAPH

router = APIRouter(tags=["operations"])

_GRAPH_FORMATS = (RdfFormat.N_TRIPLES, RdfFormat.TURTLE, RdfFormat.RDF_XML)


@router.put(
    "/store",
    summary="Replace one named graph with the RDF in the body (Authorization: Bearer)",
    status_code=201,
    responses={200: {"description": "Replaced"}, 201: {"description": "Created"}},
)
async def put_graph(
    request: Request,
    state: StateDep,
    graph: str = Query(description="The named graph's IRI"),
) -> JSONResponse:
    check_update_token(state.settings, request.headers.get("authorization"), "a load")
    facts = facts_of(request.scope)
    if facts is not None:
        facts.operation = "load"
    target = _graph_iri(graph)
    fmt = _graph_format(request.headers.get("content-type"))
    settings = state.settings
    upload = await _receive(request, _uploads_folder(settings), fmt, settings.max_load_bytes)
    try:
        store = state.store
        existed = target in store.graph_names()
        loaded = await state.runner.write(lambda: load_graph_file(store, upload, target, settings))
    finally:
        upload.unlink(missing_ok=True)
    state.data_changed()
    return JSONResponse(
        {"graph": target, "triples": loaded.triples}, status_code=200 if existed else 201
    )


def _graph_iri(graph: str) -> str:
    try:
        NamedNode(graph)
    except ValueError as error:
        raise InputError(f"the graph parameter is not an IRI: {error}", where=graph) from None
    if graph == CATALOG_GRAPH:
        raise InputError("that graph is the store's own catalogue", where=graph)
    return graph


def _graph_format(content_type: str | None) -> RdfFormat:
    fmt = None
    with contextlib.suppress(ValueError):
        fmt = RdfFormat.from_media_type(content_type or "")
    if fmt not in _GRAPH_FORMATS:
        names = ", ".join(f.media_type for f in _GRAPH_FORMATS)
        raise InputError(f"send one graph's triples as {names} (got {content_type or 'none'})")
    assert fmt is not None
    return fmt


def _uploads_folder(settings: Settings) -> Path:
    """Beside an embedded store, on its disk (``.sdgkg/store`` -> ``.sdgkg/store-uploads``);
    over a remote engine, this process's own folder under a shared temporary one, so that what a
    killed server was receiving is removed by the next one to receive a file
    (``scratch_folder.py``)."""
    if settings.store_is_remote:
        return own_folder(Path(tempfile.gettempdir()) / "sdgkg-uploads")
    path = settings.store_path
    return path.parent / f"{path.name}-uploads"


async def _receive(request: Request, folder: Path, fmt: RdfFormat, limit: int) -> Path:
    """The body in a file of its own, refused past the load limit before it fills the disk."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_big(limit)
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=folder, suffix=f".{fmt.file_extension}")
    path, size = Path(name), 0
    try:
        with os.fdopen(handle, "wb") as file:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise _too_big(limit)
                file.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _too_big(limit: int) -> LimitExceeded:
    return LimitExceeded(
        f"the file is larger than {limit} bytes, the load limit", see="SDGKG_MAX_LOAD_BYTES"
    )
