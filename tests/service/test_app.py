"""The app factory: health, OpenAPI, error bodies, CORS on ordinary routes."""

from __future__ import annotations

from tests.service_fixtures import TestClient


def test_health(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["graphs"] > 5
    assert body["engine"] is None  # the embedded store: nothing to watch


def test_openapi_documents_the_protocol_paths(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/sparql", "/update", "/health", "/.well-known/void", "/dumps/"} <= set(paths)
    assert client.get("/docs").status_code == 200


def test_cors_on_pages(client: TestClient) -> None:
    response = client.get("/id/goal/13.ttl", headers={"origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"


def test_error_body_is_fixed(client: TestClient) -> None:
    body = client.get("/id/partner/nobody").json()
    assert set(body) <= {"error", "message", "where", "see"}
