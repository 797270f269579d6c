"""Comunica, the JavaScript SPARQL client, run with node against a real ``sdgkg serve`` (issue 16).

Comunica 4 (5 does not start on Debian's Node 20, FACTS.md) is pinned in ``comunica/``; install it
once with ``npm ci --prefix tests/e2e/comunica`` (CI does): the test downloads nothing. Missing, it
is a failure that says so, not a skip. Comunica's CLI drops language tags from the JSON it prints
(against ``oxigraph serve`` too), so no test relies on them.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from rdflib import Graph

from tests.data import TESTS_DIR
from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e

COMUNICA = TESTS_DIR / "e2e" / "comunica" / "node_modules" / ".bin" / "comunica-sparql"
GOAL = "<https://w3id.org/sdgkg/ontology#Goal>"


def comunica(server: LiveServer, query: str, *args: str) -> str:
    if not COMUNICA.is_file():
        pytest.fail(f"{COMUNICA} is missing: npm ci --prefix tests/e2e/comunica")
    done = subprocess.run(
        [str(COMUNICA), f"sparql@{server.endpoint}", query, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_issue_16_comunica_select(live_server: LiveServer) -> None:
    """https://github.com/sdgkg/sdgkg/issues/16"""
    rows = json.loads(comunica(live_server, f"SELECT ?goal WHERE {{ ?goal a {GOAL} }}"))
    assert len(rows) == 17
    assert {"goal": "https://w3id.org/sdgkg/id/goal/13"} in rows


def test_issue_16_comunica_ask(live_server: LiveServer) -> None:
    assert comunica(live_server, f"ASK {{ ?goal a {GOAL} }}").strip() == "true"


def test_issue_16_comunica_construct(live_server: LiveServer) -> None:
    query = f"CONSTRUCT {{ ?goal a {GOAL} }} WHERE {{ ?goal a {GOAL} }}"
    turtle = comunica(live_server, query, "-t", "text/turtle")
    assert len(Graph().parse(data=turtle, format="turtle")) == 17
