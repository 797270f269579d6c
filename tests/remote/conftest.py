"""One store per backend, loaded with the bundle once per session: embedded, Oxigraph server and
Virtuoso, each engine started by the tests on 127.0.0.1 (``engines.py``).

Tests that change data change it back, or check that a failure changed nothing, so the loaded
stores can be shared.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sdgkg.config import Settings
from sdgkg.load import load_bundled
from sdgkg.store import open_store
from sdgkg.store.base import GraphStore
from sdgkg.store.embedded import EmbeddedStore
from tests.remote.engines import (
    VIRTUOSO_PASSWORD,
    VIRTUOSO_USER,
    Engine,
    have,
    start_oxigraph,
    start_virtuoso,
)

BACKENDS = ["embedded", "oxigraph", "virtuoso"]
REMOTE_BACKENDS = [name for name in BACKENDS if name != "embedded"]


@dataclass
class Backend:
    name: str
    settings: Settings
    store: GraphStore

    @property
    def remote(self) -> bool:
        return self.name != "embedded"


def _engine(name: str, folder: Path) -> Engine:
    if name == "oxigraph":
        return start_oxigraph(folder)
    binary = "virtuoso-t"
    if not have(binary):
        pytest.fail(f"{binary} is not installed (Debian package virtuoso-opensource; see .ci/run)")
    return start_virtuoso(folder)


def _settings(name: str, location: str) -> Settings:
    if name == "virtuoso":
        return Settings(
            store=location,
            remote_user=VIRTUOSO_USER,
            remote_password=VIRTUOSO_PASSWORD,  # type: ignore[arg-type]
        )
    return Settings(store=location)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Backend]:
    name: str = request.param
    folder = tmp_path_factory.mktemp(name)
    engine = None
    if name == "embedded":
        location = str(folder / "store")
    else:
        engine = _engine(name, folder)
        location = engine.url
    settings = _settings(name, location)
    store = open_store(settings)
    try:
        load_bundled(store, settings)
        yield Backend(name, settings, store)
    finally:
        store.close()
        if engine is not None:
            engine.stop()


@pytest.fixture(scope="session")
def reference_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The settings of ``embedded_reference``: what every remote engine is compared with."""
    return Settings(store=str(tmp_path_factory.mktemp("reference") / "store"))


@pytest.fixture(scope="session")
def embedded_reference(reference_settings: Settings) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(reference_settings.store_path)
    load_bundled(store, reference_settings)
    yield store
    store.close()
