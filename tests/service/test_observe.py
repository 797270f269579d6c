"""Metrics and the access log in-process (service/observe.py, metrics.py, access_log.py): the
settings' policy, a registry per app, route templates, query forms and the PUT /store edge.
tests/e2e/test_operations.py checks the same against a real server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from prometheus_client.parser import text_string_to_metric_families
from pydantic import ValidationError

from sdgkg.cli import cli
from sdgkg.config import Settings
from sdgkg.service.metrics import query_form
from tests.service_fixtures import UPDATE_TOKEN, TestClient


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.5"])
def test_metrics_on_a_loopback_host_need_no_token(host: str) -> None:
    assert Settings(metrics=True, host=host).metrics


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.7", "::", "sdgkg.example"])
def test_metrics_on_a_host_others_reach_need_a_token(host: str) -> None:
    with pytest.raises(ValidationError, match="SDGKG_METRICS_TOKEN"):
        Settings(metrics=True, host=host)
    assert Settings(metrics=True, host=host, metrics_token="s3cret").metrics_token


def test_serve_refuses_public_metrics_without_a_token_before_it_starts(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SDGKG_METRICS", "1")
    done = runner.invoke(cli, ["--store", str(tmp_path / "s"), "serve", "--host", "0.0.0.0"])
    assert done.exit_code != 0 and "SDGKG_METRICS_TOKEN" in done.output
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * { ?s ?p ?o }", "select"),
        ("prefix a: <http://x/select#> ask { ?s a:ask 'SELECT' }", "ask"),
        ("# DESCRIBE in a comment\nCONSTRUCT WHERE { ?s ?p ?o }", "construct"),
        ("DESCRIBE <http://x/construct>", "describe"),
        ("nothing here", "unknown"),
    ],
)
def test_query_form_ignores_iris_strings_and_comments(query: str, form: str) -> None:
    assert query_form(query) == form


def _samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    answer = client.get("/metrics")
    assert answer.status_code == 200 and "etag" not in answer.headers
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(answer.text)
        for s in family.samples
    }


def test_each_app_counts_in_a_registry_of_its_own(make_client: Any) -> None:
    first, second = make_client(metrics=True), make_client(metrics=True)
    for _ in range(3):
        assert first.get("/sparql", params={"query": "ASK {}"}).status_code == 200
    assert second.get("/sparql", params={"query": "ASK {}"}).status_code == 200
    key = (
        "sdgkg_http_requests_total",
        (("method", "GET"), ("route", "/sparql"), ("status", "200")),
    )
    assert _samples(first)[key] == 3 and _samples(second)[key] == 1


def test_routes_are_counted_by_template(make_client: Any) -> None:
    client = make_client(metrics=True)
    for path in ("/id/goal/13", "/id/goal/14", "/assets/site.css", "/dumps/nothing.gz"):
        client.get(path)
    samples = _samples(client)
    routes = {dict(labels)["route"] for name, labels in samples if name.endswith("requests_total")}
    assert {"/{path:path}", "/assets/{path}", "/dumps/{name}"} <= routes
    assert not any("goal/13" in route for route in routes)


def test_without_the_setting_there_are_no_metrics(client: TestClient) -> None:
    assert client.get("/metrics").status_code == 404


def test_access_log_lines_go_to_stderr_by_default(
    make_client: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    client = make_client(access_log="json", access_log_queries=True)
    client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"user-agent": "t/1"})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    (entry,) = [line for line in lines if line.get("route") == "/sparql"]
    assert entry["query"] == "ASK { ?s ?p ?o }" and entry["rows"] == 0
    assert entry["user_agent"] == "t/1" and entry["status"] == 200


def test_put_store_needs_the_token_an_iri_and_a_graph_format(make_client: Any) -> None:
    client = make_client(update_token=UPDATE_TOKEN)
    body = b'<https://w3id.org/sdgkg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n'
    put = {"content": body, "params": {"graph": "urn:x-test:g"}}
    nt = {"content-type": "application/n-triples"}
    assert client.put("/store", **put, headers=nt).status_code == 401
    auth = {"authorization": f"Bearer {UPDATE_TOKEN}"}
    assert (
        client.put("/store", **put, headers={**nt, "authorization": "Bearer x"}).status_code == 403
    )
    bad_iri = client.put(
        "/store", content=body, params={"graph": "not an iri"}, headers={**nt, **auth}
    )
    assert bad_iri.status_code == 400 and "IRI" in bad_iri.json()["message"]
    quads = client.put("/store", **put, headers={"content-type": "application/n-quads", **auth})
    assert quads.status_code == 400
    broken = client.put("/store", content=b"<a> <b", params=put["params"], headers={**nt, **auth})
    assert broken.status_code == 400
    created = client.put("/store", **put, headers={**nt, **auth})
    assert created.status_code == 201 and created.json() == {"graph": "urn:x-test:g", "triples": 1}
    assert client.put("/store", **put, headers={**nt, **auth}).status_code == 200  # replaced


def test_put_store_refuses_a_file_over_the_load_limit(make_client: Any) -> None:
    client = make_client(update_token=UPDATE_TOKEN, max_load_bytes=10)
    answer = client.put(
        "/store",
        content=b"<urn:x-test:a> <urn:x-test:b> <urn:x-test:c> .\n",
        params={"graph": "urn:x-test:g"},
        headers={
            "content-type": "application/n-triples",
            "authorization": f"Bearer {UPDATE_TOKEN}",
        },
    )
    assert answer.status_code == 413 and "SDGKG_MAX_LOAD_BYTES" in answer.json()["see"]
