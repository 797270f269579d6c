"""Run the service: open the store, load the bundle into an empty one, serve with uvicorn.

uvicorn runs with httptools and uvloop when they are installed (``uvicorn[standard]``) and no
access log: both are measurable on the per-request path (see benchmarks/endpoint_bench.py).
The app is ``front.LazyService``: SPARQL is answered at once, the FastAPI app (Linked Data pages,
VoID, dumps, /docs) is built on the first request that needs it.

glibc gives each thread that allocates its own malloc arena, up to eight per core. Query workers
need one each: sharing one makes RocksDB's block cache, which frees blocks that other threads
allocated, wait on the arena's lock (a cap of 2 arenas cost 8-10 % of the throughput of unseen
queries at c=8; benchmarks/README.md). Threads beyond that (the event loop, background builds)
need no arena of their own, so the arenas are capped at one per query worker plus
``SPARE_ARENAS`` (``M_ARENA_MAX``) before any worker starts, unless ``MALLOC_ARENA_MAX`` is set in
the environment.
"""

from __future__ import annotations

import ctypes
import importlib.util
import logging
import os
import subprocess
import sys
from contextlib import AbstractContextManager, nullcontext

from sdgkg.config import Settings
from sdgkg.errors import StoreError
from sdgkg.serving import serving_note
from sdgkg.store import open_store

log = logging.getLogger(__name__)


def serve(settings: Settings) -> None:
    """Serve ``settings.store`` on ``settings.host:settings.port`` until interrupted."""
    import uvicorn

    from sdgkg.service.front import LazyService

    _limit_malloc_arenas(settings.query_workers + SPARE_ARENAS)
    store = open_store(settings)
    if not store.graph_names():
        store.close()
        _load_bundle(settings)
        store = open_store(settings)
    try:
        app = LazyService(settings, store)
        with _serving_note(settings):
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


def _serving_note(settings: Settings) -> AbstractContextManager[None]:
    """Tells `sdgkg load` where to send a load while this server holds the store (serving.py)."""
    if settings.store_is_remote:
        return nullcontext()
    return serving_note(settings.store_path, settings.host, settings.port)


def _load_bundle(settings: Settings) -> None:
    """Load the bundle into the empty store with ``sdgkg load``, in a child process.

    The loader parses and validates (rdflib, pySHACL): ~60 MiB the server would otherwise keep
    resident for its whole life (measured: 114 vs 50 MiB idle after a first start).
    """
    env = {**os.environ, "SDGKG_STORE": settings.store, "SDGKG_BASE_IRI": settings.base_iri}
    done = subprocess.run([sys.executable, "-m", "sdgkg", "load"], env=env, check=False)
    if done.returncode != 0:
        raise StoreError(
            f"loading the bundled data into the empty store failed (exit {done.returncode}); "
            "see the messages above",
            where=str(settings.store),
        )
    log.info("loaded the bundled data into %s", settings.store)


_M_ARENA_MAX = -8  # mallopt parameter, glibc malloc.h
SPARE_ARENAS = 4  # the event loop, background builds, RocksDB's own threads


def _limit_malloc_arenas(arenas: int) -> None:
    if os.environ.get("MALLOC_ARENA_MAX") or sys.platform != "linux":
        return
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(_M_ARENA_MAX, arenas)
    except (OSError, AttributeError):  # not glibc (musl has no arenas to cap)
        pass


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None
