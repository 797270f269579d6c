"""Run the service: open the store, load the bundle into an empty one, serve with uvicorn.

uvicorn runs with httptools and uvloop when they are installed (``uvicorn[standard]``) and no
access log: both are measurable on the per-request path (see benchmarks/endpoint_bench.py).
The app is ``front.LazyService``: SPARQL is answered at once, the FastAPI app (Linked Data pages,
VoID, dumps, /docs) is built on the first request that needs it.

glibc gives each thread that allocates its own malloc arena; with a pool of query workers that
is resident memory held in arenas nobody shares. The arenas are capped (``M_ARENA_MAX``) before
any worker starts, unless ``MALLOC_ARENA_MAX`` is set in the environment.
"""

from __future__ import annotations

import ctypes
import importlib.util
import logging
import os
import sys

from sdgkg.config import Settings
from sdgkg.store import GraphStore, open_store

log = logging.getLogger(__name__)


def serve(settings: Settings) -> None:
    """Serve ``settings.store`` on ``settings.host:settings.port`` until interrupted."""
    import uvicorn

    from sdgkg.api.front import LazyService

    _limit_malloc_arenas()
    store = open_store(settings)
    try:
        if not store.graph_names():
            _load_bundle(store, settings)
        app = LazyService(settings, store)
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            http="httptools" if _installed("httptools") else "auto",
            loop="uvloop" if _installed("uvloop") else "auto",
            access_log=False,
            log_level="info",
            proxy_headers=True,
        )
    finally:
        store.close()


def _load_bundle(store: GraphStore, settings: Settings) -> None:
    from sdgkg.load import load_bundled

    summary = load_bundled(store, settings)
    log.info("loaded the bundled data: %d files, %d triples", len(summary.files), summary.triples)


_M_ARENA_MAX = -8  # mallopt parameter, glibc malloc.h
ARENAS = 2


def _limit_malloc_arenas() -> None:
    if os.environ.get("MALLOC_ARENA_MAX") or sys.platform != "linux":
        return
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(_M_ARENA_MAX, ARENAS)
    except (OSError, AttributeError):  # not glibc (musl has no arenas to cap)
        pass


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None
