"""Errors as pages for browsers, JSON for API clients; /docs and the ontology's version IRIs
served from the package (issue 21, item 7)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

BROWSER = {
    "accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
}


@pytest.mark.parametrize(
    ("path", "status", "title"),
    [
        ("/id/partnership/xyz", 404, "Siden findes ikke"),
        ("/query?cq=CQ99", 404, "Siden findes ikke"),
        ("/coverage/list?goal=99", 422, "Adressen kan ikke bruges"),
        ("/nowhere/at/all", 404, "Siden findes ikke"),
    ],
)
def test_browser_gets_a_danish_error_page(
    web_client: TestClient, path: str, status: int, title: str
) -> None:
    sep = "&" if "?" in path else "?"
    response = web_client.get(f"{path}{sep}lang=da", headers=BROWSER)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert f"<h1>{title}</h1>" in response.text
    assert 'role="search"' in response.text or 'name="q"' in response.text
    assert '<a href="/">Tilbage til forsiden</a>' in response.text


@pytest.mark.parametrize(
    "path", ["/id/partnership/xyz", "/query?cq=CQ99", "/coverage/list?goal=99"]
)
def test_api_client_keeps_json(web_client: TestClient, path: str) -> None:
    response = web_client.get(path, headers={"accept": "application/json"})
    assert response.status_code in (404, 422)
    assert response.headers["content-type"].startswith("application/json")


def test_english_error_page(web_client: TestClient) -> None:
    response = web_client.get("/id/partnership/xyz?lang=en", headers=BROWSER)
    assert "<h1>Page not found</h1>" in response.text


def test_current_version_iri_leads_to_the_ontology(web_client: TestClient) -> None:
    page = web_client.get("/ontology?lang=da", headers=BROWSER).text
    versions = set(re.findall(r'href="(/ontology/[0-9.]+)"', page))
    assert versions, "the ontology page links its version IRIs"
    for href in versions:
        response = web_client.get(href, headers=BROWSER, follow_redirects=True)
        assert response.status_code == 200


def test_docs_are_served_from_the_package(web_client: TestClient) -> None:
    page = web_client.get("/docs?lang=da", headers=BROWSER).text
    assert '<html lang="da">' in page
    assert "cdn." not in page and "unpkg" not in page
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert "/assets/vendor/swagger-ui/swagger-ui-bundle.js" in scripts
    for src in scripts:
        assert web_client.get(src).status_code == 200
