"""gzip from a real ``sdgkg serve`` to a plain HTTP client (tests/protocol/test_compression.py has
the rest)."""

from __future__ import annotations

import gzip
import http.client
from urllib.parse import urlencode, urlsplit

from tests.e2e.conftest import LiveServer

GOALS = "SELECT ?g ?label WHERE { ?g a <https://w3id.org/sdgkg/ontology#Goal> ; ?p ?label }"
GZIP = {"accept-encoding": "gzip"}
IDENTITY = {"accept-encoding": "identity"}


def test_a_real_server_gzips_for_a_plain_http_client(live_server: LiveServer) -> None:
    """What a browser or ``curl --compressed`` gets from ``sdgkg serve``, not the test client."""
    target = urlsplit(live_server.endpoint)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    try:
        path = f"{target.path}?{urlencode({'query': GOALS})}"
        for headers in (GZIP, IDENTITY):
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            assert response.status == 200
            if headers is GZIP:
                assert response.getheader("content-encoding") == "gzip"
                packed = body
            else:
                assert response.getheader("content-encoding") is None
                assert gzip.decompress(packed) == body
    finally:
        connection.close()
