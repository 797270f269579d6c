"""Fixtures for the web pages: the bundle plus a record with hostile labels, an app, a live server.

The store is built by the API tests' builder (each bundled file in its graph, no validation), with
``cases/xss-record.ttl`` in a graph of its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from sdgkg.config import Settings
from sdgkg.service.app import SdgkgApp, create_app
from sdgkg.store.embedded import EmbeddedStore
from tests.e2e.conftest import free_port
from tests.service_fixtures import TestClient, build_bundle_store

CASES = Path(__file__).resolve().parent / "cases"
XSS_RECORD = CASES / "xss-record.ttl"
XSS_PARTNERSHIP = "https://w3id.org/sdgkg/id/partnership/xss-test"


@pytest.fixture(scope="session")
def web_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(store=str(tmp_path_factory.mktemp("web") / "store"))


@pytest.fixture(scope="session")
def web_store(web_settings: Settings) -> Iterator[EmbeddedStore]:
    store = build_bundle_store(
        web_settings.store_path, web_settings, {"upload/xss-record": XSS_RECORD}
    )
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
    port = free_port()
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


@pytest.fixture
def page(browser_context: Any, live_server: str) -> Iterator[Any]:
    """A fresh tab on the live server (``page.base_url``); fails the test on any console error
    (a CSP violation shows up there)."""
    tab = browser_context.new_page()
    errors: list[str] = []
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.base_url = live_server
    yield tab
    tab.close()
    assert errors == [], f"console errors: {errors}"
