"""The W3C SPARQL 1.1 Protocol tests (query and update side) and Service Description tests.

Cases come from the vendored manifests in ``tests/w3c/`` (one pytest case per manifest entry),
run in-process; ``tests/e2e/test_w3c_live.py`` runs the same cases against a live server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from sdgkg.config import Settings
from sdgkg.service.app import create_app
from sdgkg.store.embedded import EmbeddedStore
from tests.service_fixtures import TestClient, inline_context
from tests.w3c.cases import (
    UNSUPPORTED,
    ProtocolCase,
    check_service_description,
    load_graph_data,
    protocol_cases,
    run_case,
    service_description_cases,
)

CASES = protocol_cases()
TOKEN = "w3c-token"


def _marks(case: ProtocolCase) -> list[pytest.MarkDecorator]:
    reason = UNSUPPORTED.get(case.name)
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


@pytest.fixture
def w3c_client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(store=str(tmp_path / "store"), update_token=TOKEN)  # type: ignore[arg-type]
    store = EmbeddedStore(settings.store_path)
    load_graph_data(store.oxigraph, CASES)
    with TestClient(create_app(settings, store=store)) as client:
        yield client
    store.close()


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=c.name, marks=_marks(c)) for c in CASES],
)
def test_w3c_protocol(case: ProtocolCase, w3c_client: TestClient) -> None:
    headers = {"authorization": f"Bearer {TOKEN}"} if case.is_update else None
    run_case(case, w3c_client, headers)


@pytest.mark.parametrize("case", [c for c, _ in service_description_cases()])
@pytest.mark.parametrize("accept", ["text/turtle", "application/rdf+xml", "application/ld+json"])
def test_w3c_service_description(case: str, accept: str, client: TestClient) -> None:
    response = client.get("/sparql", headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    fmt = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld"}
    data = response.content
    if accept == "application/ld+json":  # the published context, fetched here, not over DNS
        data = inline_context(data, client.get("/context.jsonld").json())
    graph = Graph().parse(data=data, format=fmt[accept])
    check_service_description(case, graph, "http://testserver/sparql")
