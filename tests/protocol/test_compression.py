"""gzip for clients that ask for it (protocol/compression.py): on answers worth it, never twice."""

from __future__ import annotations

import gzip
from typing import Any

import pytest

from sdgkg.protocol.compression import MINIMUM_BYTES, accepts_gzip
from tests.service_fixtures import TestClient

EVERYTHING = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
GOALS = "SELECT ?g ?label WHERE { ?g a <https://w3id.org/sdgkg/ontology#Goal> ; ?p ?label }"
GZIP = {"accept-encoding": "gzip"}
IDENTITY = {"accept-encoding": "identity"}


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("br;q=1.0, gzip;q=0.8, *;q=0.1", True),
        ("GZIP ; q=0.5", True),
        ("gzip;q=0", False),
        ("*;q=0.1, gzip;q=0", False),
        ("identity", False),
        ("x-gzip", False),
    ],
)
def test_accept_encoding_is_read_with_its_weights(header: str, accepted: bool) -> None:
    assert accepts_gzip({"headers": [(b"accept-encoding", header.encode())]}) is accepted


def raw(client: TestClient, path: str, headers: dict[str, str], **params: str) -> Any:
    """The response with its body as sent (httpx would otherwise decode the gzip)."""
    with client.stream("GET", path, params=params, headers=headers) as response:
        body = b"".join(response.iter_raw())
    return response, body


def test_a_big_answer_is_gzipped_for_a_client_that_asks(client: TestClient) -> None:
    plain, plain_body = raw(client, "/sparql", IDENTITY, query=GOALS)
    assert "content-encoding" not in plain.headers
    assert "accept-encoding" not in plain.headers["vary"].lower()
    packed, packed_body = raw(client, "/sparql", GZIP, query=GOALS)
    assert packed.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in packed.headers["vary"].lower()
    assert int(packed.headers["content-length"]) == len(packed_body) < len(plain_body) / 3
    assert gzip.decompress(packed_body) == plain_body
    refused, _ = raw(client, "/sparql", {"accept-encoding": "gzip;q=0"}, query=GOALS)
    assert "content-encoding" not in refused.headers


def test_small_answers_and_revalidations_are_sent_as_they_are(client: TestClient) -> None:
    ask, body = raw(client, "/sparql", GZIP, query="ASK { ?s ?p ?o }")
    assert len(body) < MINIMUM_BYTES and "content-encoding" not in ask.headers
    first, _ = raw(client, "/sparql", GZIP, query=GOALS)
    revalidate = {**GZIP, "if-none-match": first.headers["etag"]}
    again, body = raw(client, "/sparql", revalidate, query=GOALS)
    assert again.status_code == 304 and body == b""


def test_a_streamed_answer_stays_streamed(client: TestClient) -> None:
    _, plain_body = raw(client, "/sparql", IDENTITY, query=EVERYTHING)
    packed, packed_body = raw(client, "/sparql", GZIP, query=EVERYTHING)
    assert len(plain_body) > 1024 * 1024  # more than the pipe: streamed
    assert "content-length" not in packed.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert gzip.decompress(packed_body) == plain_body


def test_pages_are_gzipped_and_dumps_are_not_gzipped_twice(client: TestClient) -> None:
    page, page_body = raw(client, "/id/goal/13", {**GZIP, "accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-encoding"] == "gzip"
    assert b"<html" in gzip.decompress(page_body).lower()
    dump, dump_body = raw(client, "/dumps/sdgkg.nt.gz", GZIP)
    assert dump.status_code == 200 and "content-encoding" not in dump.headers
    assert gzip.decompress(dump_body).count(b"\n") > 1000  # the file itself, gzipped once


def test_the_sparql_front_loads_no_starlette_until_someone_asks_for_gzip() -> None:
    """front.py answers SPARQL without FastAPI to keep the server small; gzip must not undo it."""
    import subprocess
    import sys

    probe = (
        "import sys, sdgkg.service.front; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'starlette', 'anyio', 'fastapi'}))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
