"""Run the service: open the store, load the bundle into an empty one, serve with uvicorn.

uvicorn runs with httptools and uvloop when they are installed (``uvicorn[standard]``) and no
access log: both are measurable on the per-request path (see benchmarks/endpoint_bench.py).
"""

from __future__ import annotations

import importlib.util
import logging

from sdgkg.config import Settings
from sdgkg.store import GraphStore, open_store

log = logging.getLogger(__name__)


def serve(settings: Settings) -> None:
    """Serve ``settings.store`` on ``settings.host:settings.port`` until interrupted."""
    import uvicorn

    from sdgkg.api.app import create_app

    store = open_store(settings)
    try:
        if not store.graph_names():
            _load_bundle(store, settings)
        app = create_app(settings, store=store)
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


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None
