"""Shared fixtures: settings on a temporary store, a store loaded with the bundle, a CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from sdgkg.config import Settings
from sdgkg.load import load_bundled
from sdgkg.store.embedded import EmbeddedStore
from tests.browser_fixtures import browser_context  # noqa: F401
from tests.service_fixtures import api_settings, api_store, app, client, make_client  # noqa: F401


@pytest.fixture(scope="session")
def bundled_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store directory holding the whole bundle, built once per test session."""
    path = tmp_path_factory.mktemp("bundled") / "store"
    store = EmbeddedStore(path)
    load_bundled(store, Settings(store=str(path)))
    store.close()
    return path


@pytest.fixture
def store_path(tmp_path: Path, bundled_store_template: Path) -> Path:
    """A private copy of the bundled store, free to change."""
    path = tmp_path / "store"
    shutil.copytree(bundled_store_template, path)
    return path


@pytest.fixture
def settings(store_path: Path) -> Settings:
    return Settings(store=str(store_path))


@pytest.fixture
def store(store_path: Path) -> Iterator[EmbeddedStore]:
    opened = EmbeddedStore(store_path)
    yield opened
    opened.close()


@pytest.fixture
def empty_settings(tmp_path: Path) -> Settings:
    return Settings(store=str(tmp_path / "empty-store"))


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for name in ("SDGKG_STORE", "SDGKG_BASE_IRI"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


@pytest.fixture(scope="session")
def bundle_graph() -> object:
    """The ontology, its extracts and every bundled record in one rdflib graph; do not change it."""
    from rdflib import Graph

    from sdgkg import resources

    graph = Graph()
    for path in [
        *resources.schema_files(),
        *resources.reference_data_files(),
        *resources.curated_data_files(),
    ]:
        graph.parse(path)
    return graph
