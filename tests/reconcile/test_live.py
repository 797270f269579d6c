"""Reconciliation from a real ``sdgkg serve`` on 127.0.0.1, as OpenRefine reaches it over HTTP."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.e2e.conftest import LiveServer, live_server
from tests.reconcile.conftest import assert_valid

__all__ = ["live_server"]

pytestmark = pytest.mark.e2e
ONT = "https://w3id.org/sdgkg/ontology#"


def test_openrefine_dialog_against_a_running_server(live_server: LiveServer) -> None:
    root = live_server.url + "reconcile"
    manifest = httpx.get(root, timeout=30).json()
    assert_valid(manifest, "0.2", "manifest")
    queries = {
        "q0": {"query": "Sønderborg Kommune", "type": ONT + "Municipality"},
        "q1": {"query": "KL", "type": ONT + "Partner"},
        "q2": {
            "query": "delmål 4.7",
            "type": ONT + "Target",
            "properties": [{"pid": "goal", "v": "4"}],
        },
    }
    response = httpx.post(
        root,
        data={"queries": json.dumps(queries)},
        headers={"origin": "http://127.0.0.1:3333"},  # OpenRefine's own web page
        timeout=30,
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    results = response.json()
    assert_valid(results, "0.2", "reconciliation-result-batch")
    assert all(results[key]["result"][0]["match"] for key in queries)
    preview_url = manifest["preview"]["url"].replace("{{id}}", results["q2"]["result"][0]["id"])
    assert "4.7" in httpx.get(preview_url, timeout=30).text
    suggest = manifest["suggest"]["entity"]
    found = httpx.get(
        suggest["service_url"] + suggest["service_path"], params={"prefix": "red bar"}, timeout=30
    ).json()
    assert found["result"][0]["id"].endswith("/partner/red-barnet")
