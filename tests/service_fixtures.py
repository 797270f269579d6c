"""Fixtures for the HTTP service: one read-only store of the bundle per session, apps over it.

``tests/conftest.py`` imports the fixtures, so every test folder that mirrors a part of the
service (service/, protocol/, execution/, publishing/, web/) can use them.

The store is built with pyoxigraph directly (each bundled file in the graph ``sdgkg load`` would
give it), so these tests do not depend on validation passing for data still being written.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from pyoxigraph import NamedNode

with warnings.catch_warnings():
    # Starlette 1.x asks for httpx2 behind its TestClient; httpx works and is what we install.
    from starlette.exceptions import StarletteDeprecationWarning

    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from sdgkg import resources
from sdgkg.config import Settings
from sdgkg.iris import graph_iri
from sdgkg.load import graph_for_file
from sdgkg.rdfio import rdf_format_for
from sdgkg.service.app import SdgkgApp, create_app
from sdgkg.store.embedded import EmbeddedStore

UPDATE_TOKEN = "test-token"


def build_bundle_store(
    path: Path, settings: Settings, extra: Mapping[str, Path] | None = None
) -> EmbeddedStore:
    """The bundle loaded file by file into its named graphs, without validation; ``extra`` maps
    more graphs (named below the base, ``upload/x``) to the Turtle file each holds."""
    store = EmbeddedStore(path)
    for file in resources.bundled_load_files():
        if file.is_file():
            store.oxigraph.load(
                path=str(file),
                format=rdf_format_for(file),
                to_graph=NamedNode(graph_for_file(file, settings.base_iri)),
            )
    for name, file in (extra or {}).items():
        graph = NamedNode(graph_iri(settings.base_iri, name))
        store.oxigraph.load(path=str(file), format=rdf_format_for(file), to_graph=graph)
    store.flush()
    return store


@pytest.fixture(scope="session")
def api_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(store=str(tmp_path_factory.mktemp("api") / "store"))


@pytest.fixture(scope="session")
def api_store(api_settings: Settings) -> Iterator[EmbeddedStore]:
    store = build_bundle_store(api_settings.store_path, api_settings)
    yield store
    store.close()


@pytest.fixture(scope="session")
def app(api_settings: Settings, api_store: EmbeddedStore) -> SdgkgApp:
    return create_app(api_settings, store=api_store)


@pytest.fixture(scope="session")
def client(app: SdgkgApp) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator[object]:
    """A client over a private copy of the bundle, with settings overridden: for updates, limits."""
    clients: list[TestClient] = []
    stores: list[EmbeddedStore] = []

    def make(**overrides: object) -> TestClient:
        settings = Settings(store=str(tmp_path / f"store{len(stores)}"), **overrides)  # type: ignore[arg-type]
        store = build_bundle_store(settings.store_path, settings)
        stores.append(store)
        test_client = TestClient(create_app(settings, store=store))
        clients.append(test_client.__enter__())
        return test_client

    yield make
    for test_client in clients:
        test_client.__exit__(None, None, None)
    for store in stores:
        store.close()


def inline_context(document: bytes, context: dict[str, object]) -> bytes:
    """A JSON-LD document with its remote ``@context`` replaced by the given one."""
    import json

    parsed = json.loads(document)
    parsed["@context"] = context["@context"]
    return json.dumps(parsed).encode()


def check_deadline(client: Any, slow_query: str, timeout_s: float) -> None:
    """A query past the deadline gets a 503 naming the limit, at the deadline, while a cheap
    query sent meanwhile is answered at once."""
    import threading
    import time

    results: dict[str, Any] = {}

    def slow() -> None:
        started = time.perf_counter()
        results["slow"] = client.get("/sparql", params={"query": slow_query})
        results["slow_s"] = time.perf_counter() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(timeout_s / 6)
    started = time.perf_counter()
    fast = client.get("/sparql", params={"query": "ASK {}"})
    fast_s = time.perf_counter() - started
    thread.join()
    assert fast.status_code == 200 and fast_s < timeout_s
    slow_response = results["slow"]
    assert slow_response.status_code == 503
    body = slow_response.json()
    assert body["error"] == "query timeout"
    assert f"{timeout_s:g} s" in body["message"]
    assert results["slow_s"] < timeout_s + 0.7  # answered at the deadline, not at the end
