"""Conditional GET (protocol/conditional.py): validators on data-derived answers, 304 for a
current copy, a new validator once the data change."""

from __future__ import annotations

from typing import Any

import pytest

from tests.service_fixtures import TestClient

ASK = {"query": "ASK { ?s ?p ?o }"}
INSERT = (
    "INSERT DATA { GRAPH <https://w3id.org/sdgkg/graph/upload/t> { "
    '<https://w3id.org/sdgkg/id/partner/t> <http://www.w3.org/2000/01/rdf-schema#label> "T"@en } }'
)


@pytest.mark.parametrize(
    ("path", "params", "accept"),
    [
        ("/sparql", ASK, "application/sparql-results+json"),
        ("/id/goal/13", {}, "text/turtle"),
        ("/id/goal/13", {}, "text/html"),
        ("/.well-known/void", {}, "text/turtle"),
    ],
)
def test_a_current_copy_gets_304(client: TestClient, path: str, params: Any, accept: str) -> None:
    first = client.get(path, params=params, headers={"accept": accept})
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert etag.startswith('W/"') and first.headers["last-modified"].endswith("GMT")
    again = client.get(path, params=params, headers={"accept": accept, "if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    listed = client.get(
        path, params=params, headers={"accept": accept, "if-none-match": f'"other", {etag}'}
    )
    assert listed.status_code == 304
    dated = client.get(
        path,
        params=params,
        headers={"accept": accept, "if-modified-since": first.headers["last-modified"]},
    )
    assert dated.status_code == 304


def test_each_representation_has_its_own_validator(client: TestClient) -> None:
    json_answer = client.get("/sparql", params=ASK, headers={"accept": "application/json"})
    xml_answer = client.get(
        "/sparql", params=ASK, headers={"accept": "application/sparql-results+xml"}
    )
    assert json_answer.headers["etag"] != xml_answer.headers["etag"]
    crossed = client.get(
        "/sparql",
        params=ASK,
        headers={
            "accept": "application/sparql-results+xml",
            "if-none-match": json_answer.headers["etag"],
        },
    )
    assert crossed.status_code == 200 and crossed.text.startswith("<?xml")


def test_old_dates_and_unreadable_ones_get_the_answer(client: TestClient) -> None:
    for since in ("Mon, 01 Jan 2001 00:00:00 GMT", "yesterday", ""):
        response = client.get("/sparql", params=ASK, headers={"if-modified-since": since})
        assert response.status_code == 200 and response.json()["boolean"] is True


def test_an_update_changes_the_validator(make_client: Any) -> None:
    client = make_client(update_token="s3cret")
    before = client.get("/sparql", params=ASK)
    etag = before.headers["etag"]
    updated = client.post(
        "/update", data={"update": INSERT}, headers={"authorization": "Bearer s3cret"}
    )
    assert updated.status_code == 204
    after = client.get("/sparql", params=ASK, headers={"if-none-match": etag})
    assert after.status_code == 200 and after.headers["etag"] != etag


def test_live_and_failed_answers_carry_no_validator(client: TestClient) -> None:
    assert "etag" not in client.get("/health").headers
    bad = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert bad.status_code == 400 and "etag" not in bad.headers
    posted = client.post("/sparql", data=ASK)
    assert posted.status_code == 200 and "etag" not in posted.headers
