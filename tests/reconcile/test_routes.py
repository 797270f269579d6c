"""The HTTP service as OpenRefine 3.x and 1.0-draft clients call it, answers checked against the
specification's JSON Schemas (tests/reconcile/schemas)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sdgkg.reconcile import ReconcileIndex
from tests.reconcile.conftest import assert_valid
from tests.service_fixtures import UPDATE_TOKEN

ID = "https://w3id.org/sdgkg/id/"
ONT = "https://w3id.org/sdgkg/ontology#"
FORM = {"content-type": "application/x-www-form-urlencoded"}


def municipality_rows(index: ReconcileIndex, count: int) -> dict[str, Any]:
    """A batch as OpenRefine sends it: "<name> Kommune" cells typed Municipality, with the
    region column as a property constraint (Danish names)."""
    municipalities = sorted(
        (r for r in index.records.values() if "Municipality" in r.types), key=lambda r: r.iri
    )[:count]
    return {
        f"q{n}": {
            "query": f"{record.name('da')} Kommune",
            "type": ONT + "Municipality",
            "type_strict": "should",
            "properties": [
                {"pid": "region", "v": index.records[record.values["region"][0]].name("da")}
            ],
        }
        for n, record in enumerate(municipalities)
    }


def test_manifest_0_2(client: TestClient) -> None:
    response = client.get("/reconcile")
    assert response.status_code == 200
    manifest = response.json()
    assert_valid(manifest, "0.2", "manifest")
    assert manifest["identifierSpace"] == ID
    assert manifest["preview"]["url"].startswith("http://testserver/reconcile/preview?id={{id}}")


def test_manifest_1_0_draft(client: TestClient) -> None:
    manifest = client.get("/reconcile/draft").json()
    assert_valid(manifest, "1.0-draft", "manifest")
    assert manifest["versions"] == ["1.0-draft"]


def test_openrefine_batch_of_50_rows(client: TestClient, index: ReconcileIndex) -> None:
    queries = municipality_rows(index, 50)
    assert_valid(queries, "0.2", "reconciliation-query-batch")
    response = client.post("/reconcile", data={"queries": json.dumps(queries)}, headers=FORM)
    assert response.status_code == 200
    results = response.json()
    assert_valid(results, "0.2", "reconciliation-result-batch")
    assert set(results) == set(queries)
    for key, query in queries.items():
        best = results[key]["result"][0]
        assert best["match"], (query, best)
        assert f"{best['name']} Kommune" == query["query"]


def test_openrefine_guesses_types_from_a_few_rows(client: TestClient) -> None:
    """Before the dialog shows types, OpenRefine sends the first cells without a type."""
    queries = {"q0": {"query": "Red Barnet", "limit": 3}, "q1": {"query": "KL", "limit": 3}}
    results = client.get("/reconcile", params={"queries": json.dumps(queries)}).json()
    assert_valid(results, "0.2", "reconciliation-result-batch")
    types = {t["id"] for r in results.values() for t in r["result"][0]["type"]}
    assert ONT + "Partner" in types


def test_queries_as_a_json_body(client: TestClient) -> None:
    body = {"queries": {"q0": {"query": "mål 4"}}}
    results = client.post("/reconcile", json=body).json()
    assert results["q0"]["result"][0]["id"] == ID + "goal/4"


def test_draft_match(client: TestClient) -> None:
    batch = {
        "queries": [
            {"type": ONT + "Target", "conditions": [{"matchType": "name", "propertyValue": "4.7"}]},
            {
                "conditions": [
                    {"matchType": "id", "propertyValue": "Q26073"},
                ]
            },
            {
                "type": ONT + "Municipality",
                "conditions": [
                    {"matchType": "property", "propertyId": "kommunekode", "propertyValue": "540"}
                ],
            },
        ]
    }
    assert_valid(batch, "1.0-draft", "reconciliation-query-batch")
    results = client.post("/reconcile/draft/match", json=batch).json()
    assert_valid(results, "1.0-draft", "reconciliation-result-batch")
    ids = [r["candidates"][0]["id"] for r in results["results"]]
    assert ids == [
        ID + "target/4.7",
        ID + "region/region-hovedstaden",
        ID + "municipality/soenderborg",
    ]


@pytest.mark.parametrize("version", ["", "/draft"])
def test_suggest_entity_type_property(client: TestClient, version: str) -> None:
    schema_version = "1.0-draft" if version else "0.2"
    entities = client.get(
        f"/reconcile{version}/suggest/entity", params={"prefix": "sønderb"}
    ).json()
    assert_valid(entities, schema_version, "suggest-entities-response")
    assert entities["result"][0]["id"] == ID + "municipality/soenderborg"
    types = client.get(f"/reconcile{version}/suggest/type", params={"prefix": "kommu"}).json()
    assert_valid(types, schema_version, "suggest-types-response")
    assert [t["id"] for t in types["result"]] == [ONT + "Municipality"]
    properties = client.get(
        f"/reconcile{version}/suggest/property", params={"prefix": "", "type": ONT + "Target"}
    ).json()
    assert_valid(properties, schema_version, "suggest-properties-response")
    assert "goal" in {p["id"] for p in properties["result"]}


def test_suggest_entity_filters_by_type_and_takes_an_sdg_number(client: TestClient) -> None:
    found = client.get(
        "/reconcile/suggest/entity", params={"prefix": "4.7", "type": ONT + "Target"}
    ).json()
    assert found["result"][0]["id"] == ID + "target/4.7"


def test_preview_is_a_framable_escaped_card(client: TestClient) -> None:
    response = client.get("/reconcile/preview", params={"id": ID + "target/4.7", "lang": "da"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "frame-ancestors *" in response.headers["content-security-policy"]
    assert "Delmål 4.7" in response.text and "<script" not in response.text


def test_flyout_0_2(client: TestClient) -> None:
    flyout = client.get("/reconcile/flyout/entity", params={"id": ID + "partner/kl"}).json()
    assert flyout["id"] == ID + "partner/kl" and "<h1>" in flyout["html"]


@pytest.mark.parametrize("version", ["", "/draft"])
def test_propose_properties(client: TestClient, version: str) -> None:
    schema_version = "1.0-draft" if version else "0.2"
    proposal = client.get(
        f"/reconcile{version}/extend/propose", params={"type": ONT + "Partner"}
    ).json()
    assert_valid(proposal, schema_version, "data-extension-property-proposal")
    assert "municipality" in {p["id"] for p in proposal["properties"]}


def test_extension_0_2(client: TestClient) -> None:
    query = {
        "ids": [ID + "target/4.7", ID + "municipality/soenderborg", ID + "partner/unknown"],
        "properties": [{"id": "goal"}, {"id": "region"}, {"id": "kommunekode"}],
    }
    assert_valid(query, "0.2", "data-extension-query")
    response = client.post(
        "/reconcile", params={"lang": "en"}, data={"extend": json.dumps(query)}, headers=FORM
    )
    extension = response.json()
    assert_valid(extension, "0.2", "data-extension-response")
    rows = extension["rows"]
    assert rows[ID + "target/4.7"]["goal"] == [{"id": ID + "goal/4", "name": "Quality education"}]
    assert rows[ID + "municipality/soenderborg"]["kommunekode"] == [{"str": "540"}]
    assert rows[ID + "partner/unknown"]["goal"] == []


def test_extension_1_0_draft(client: TestClient) -> None:
    query = {"ids": [ID + "target/4.7"], "properties": [{"id": "goal"}]}
    extension = client.post("/reconcile/draft/extend", json=query).json()
    assert_valid(extension, "1.0-draft", "data-extension-response")
    assert extension["rows"][0]["properties"][0]["values"][0]["id"] == ID + "goal/4"


def test_jsonp_for_old_clients(client: TestClient) -> None:
    response = client.get("/reconcile", params={"callback": "jQuery123_456"})
    assert response.headers["content-type"].startswith("application/javascript")
    assert response.text.startswith("/**/jQuery123_456({")


BAD = [
    ({"queries": "{not json"}, "queries:1:2"),
    ({"queries": json.dumps({"q0": {"query": "x", "type": "Foo"}})}, "queries.q0.type"),
    ({"queries": json.dumps({"q0": {"query": "x", "limit": 0}})}, "queries.q0.limit"),
    ({"queries": json.dumps({"q0": {"properties": [{"pid": "colour", "v": "x"}]}})}, None),
    ({"queries": json.dumps(["q0"])}, "queries"),
    ({"extend": json.dumps({"ids": [], "properties": []})}, "extend.properties"),
    ({"callback": "alert(1)//"}, "callback"),
]


@pytest.mark.parametrize(("fields", "where"), BAD, ids=[str(w) for _, w in BAD])
def test_bad_input_is_a_clear_400(
    client: TestClient, fields: dict[str, str], where: str | None
) -> None:
    response = client.post("/reconcile", data=fields, headers=FORM)
    assert response.status_code == 400
    body = response.json()
    assert body["message"]
    if where is not None:
        assert body["where"] == where


def test_unknown_preview_id_is_404(client: TestClient) -> None:
    assert client.get("/reconcile/preview", params={"id": ID + "partner/nobody"}).status_code == 404


def test_oversized_batch_is_413(make_client: Any) -> None:
    small = make_client(max_request_bytes=2_000)
    queries = {f"q{n}": {"query": "Sønderborg Kommune"} for n in range(100)}
    response = small.post("/reconcile", data={"queries": json.dumps(queries)}, headers=FORM)
    assert response.status_code == 413


def test_index_follows_updates(make_client: Any) -> None:
    """A partner added through /update is found by the next batch: the index follows the data
    version, as the search page does."""
    writable = make_client(update_token=UPDATE_TOKEN)
    query = {"q0": {"query": "Grøn Omstilling Sønderjylland", "type": ONT + "Partner"}}
    before = writable.post("/reconcile", data={"queries": json.dumps(query)}, headers=FORM)
    assert not before.json()["q0"]["result"] or not before.json()["q0"]["result"][0]["match"]
    update = f"""PREFIX sdgkg: <{ONT}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    INSERT DATA {{ GRAPH <urn:test:new> {{
      <{ID}partner/groen-omstilling> a sdgkg:Network ;
          rdfs:label "Grøn Omstilling Sønderjylland"@da .
    }} }}"""
    answer = writable.post(
        "/update",
        content=update,
        headers={
            "content-type": "application/sparql-update",
            "authorization": f"Bearer {UPDATE_TOKEN}",
        },
    )
    assert answer.status_code == 204
    # The index is rebuilt in the background; the old one answers until the new one is ready.
    writable.app.state.reconcile.wait(writable.app.state.sdgkg.data_version)
    after = writable.post("/reconcile", data={"queries": json.dumps(query)}, headers=FORM).json()
    assert after["q0"]["result"][0]["id"] == ID + "partner/groen-omstilling"
    assert after["q0"]["result"][0]["match"]
