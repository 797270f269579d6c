"""Fixtures for the web pages: the bundle plus a record with hostile labels, an app, a live server.

The store is built like the API tests build theirs (each bundled file in its graph, no validation),
with ``cases/xss-record.ttl`` in a graph of its own.
"""

from __future__ import annotations

import socket
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from pyoxigraph import NamedNode, RdfFormat

with warnings.catch_warnings():
    # Starlette 1.x asks for httpx2 behind its TestClient; httpx works and is what we install.
    from starlette.exceptions import StarletteDeprecationWarning

    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from sdgkg.config import Settings
from sdgkg.iris import graph_iri
from sdgkg.service.app import SdgkgApp, create_app
from sdgkg.store.embedded import EmbeddedStore
from tests.service_fixtures import build_bundle_store

CASES = Path(__file__).resolve().parent / "cases"
XSS_RECORD = CASES / "xss-record.ttl"
XSS_PARTNERSHIP = "https://w3id.org/sdgkg/id/partnership/xss-test"


@pytest.fixture(scope="session")
def web_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(store=str(tmp_path_factory.mktemp("web") / "store"))


@pytest.fixture(scope="session")
def web_store(web_settings: Settings) -> Iterator[EmbeddedStore]:
    store = build_bundle_store(web_settings.store_path, web_settings)
    store.oxigraph.load(
        path=str(XSS_RECORD),
        format=RdfFormat.TURTLE,
        to_graph=NamedNode(graph_iri(web_settings.base_iri, "upload/xss-record")),
    )
    store.flush()
    yield store
    store.close()


@pytest.fixture(scope="session")
def web_app(web_settings: Settings, web_store: EmbeddedStore) -> SdgkgApp:
    return create_app(web_settings, store=web_store)


@pytest.fixture(scope="session")
def web_client(web_app: SdgkgApp) -> Iterator[TestClient]:
    with TestClient(web_app) as client:
        yield client


@pytest.fixture(scope="session")
def live_server(web_app: SdgkgApp) -> Iterator[str]:
    """A real uvicorn on a free 127.0.0.1 port, serving the web app; yields its root URL."""
    port = _free_port()
    config = uvicorn.Config(
        web_app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
