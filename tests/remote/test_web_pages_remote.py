"""The web pages over a remote engine show what they show over the embedded store.

Each page is rendered through the app (it must answer 200), and the data it shows is compared:
the results of the library functions the page calls (``read_listing``, ``read_coverage`` …) on
the engine against the same functions on the embedded store, and the list pages' CSV.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from pyoxigraph import BlankNode

from sdgkg.config import Settings
from sdgkg.service.app import create_app
from sdgkg.store.base import GraphStore
from sdgkg.store.embedded import EmbeddedStore
from sdgkg.web.browse import BROWSABLE, Listed, read_catalogue, read_listing, select
from sdgkg.web.coverage import read_coverage, read_partner_goals, read_partner_table
from sdgkg.web.i18n import LANGUAGES
from sdgkg.web.resource import (
    _addressing,
    _inbound,
    _memberships,
    _outgoing,
    _posts,
    _quotations,
    _targets,
)
from sdgkg.web.search_index import build_index
from sdgkg.web.state import count_graph
from tests.remote.conftest import REMOTE_BACKENDS, Backend
from tests.service_fixtures import TestClient

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.parametrize("backend", REMOTE_BACKENDS, indirect=True),
]

BASE = "https://w3id.org/sdgkg/"
RESOURCES = (
    "goal/17",
    "goal/4",
    "municipality/soenderborg",
    "partnership/soenderborg-gnlc",
    "partner/unesco-dk",
    "person/bente-bundgaard-jokumsen",
)
SEARCHES = ("klima", "Sønderborg", "13.2", "uddannelse", "KL", "sonderborg kommune", "unesco")


@pytest.fixture(scope="session")
def client(backend: Backend) -> Iterator[TestClient]:
    with TestClient(create_app(backend.settings, store=backend.store)) as client:
        yield client


@pytest.fixture(scope="session")
def reference_client(
    reference_settings: Settings, embedded_reference: EmbeddedStore
) -> Iterator[TestClient]:
    with TestClient(create_app(reference_settings, store=embedded_reference)) as client:
        yield client


def _listed(records: list[Listed]) -> dict[str, tuple[Any, ...]]:
    return {
        r.iri: (sorted(r.kinds), sorted(r.municipalities), sorted(r.goals.items()), r.domains)
        for r in records
    }


def _filters(records: list[Listed]) -> list[dict[str, str]]:
    """No filter, the goal and the municipality most records of the kind have."""
    goals = Counter(g for r in records for g in r.goals).most_common(1)
    places = Counter(m for r in records for m in r.municipalities).most_common(1)
    return [
        {},
        {"goal": goals[0][0] if goals else "13"},
        {"municipality": places[0][0] if places else f"{BASE}id/municipality/soenderborg"},
    ]


def _csv_rows(client: TestClient, kind: str, chosen: dict[str, str]) -> list[str]:
    answer = client.get(f"/id/{kind}", params={**chosen, "format": "csv"})
    assert answer.status_code == 200, answer.text[:500]
    return sorted(answer.text.splitlines())


@pytest.mark.parametrize("kind", list(BROWSABLE))
def test_list_pages_show_the_embedded_records(
    backend: Backend,
    kind: str,
    embedded_reference: EmbeddedStore,
    client: TestClient,
    reference_client: TestClient,
) -> None:
    expected = read_listing(embedded_reference, BASE, kind)
    assert expected  # every kind has records in the bundle
    found = read_listing(backend.store, BASE, kind)
    assert _listed(found) == _listed(expected)
    for chosen in _filters(expected):
        shown = select(read_catalogue(backend.store, BASE, kind), chosen, "name")
        wanted = select(read_catalogue(embedded_reference, BASE, kind), chosen, "name")
        assert {r.iri for r in shown.records} == {r.iri for r in wanted.records}, chosen
        assert _csv_rows(client, kind, chosen) == _csv_rows(reference_client, kind, chosen)
        assert client.get(f"/id/{kind}", params=chosen).status_code == 200


def test_coverage_shows_the_embedded_counts(
    backend: Backend, embedded_reference: EmbeddedStore, client: TestClient
) -> None:
    found, expected = read_coverage(backend.store, BASE), read_coverage(embedded_reference, BASE)
    assert expected.links
    assert Counter(found.links) == Counter(expected.links)
    assert found.per_goal == expected.per_goal
    for path in ("/coverage", "/coverage/list?goal=4", "/coverage/list?municipality=soenderborg"):
        assert client.get(path).status_code == 200, path


def test_goals_per_partner_shows_the_embedded_table(
    backend: Backend, embedded_reference: EmbeddedStore, client: TestClient
) -> None:
    found = read_partner_table(backend.store, BASE, LANGUAGES)
    expected = read_partner_table(embedded_reference, BASE, LANGUAGES)
    assert expected.rows["da"]
    assert found.rows == expected.rows
    assert client.get("/coverage/partners").status_code == 200


def _resource_facts(store: GraphStore, iri: str) -> dict[str, Any]:
    """What a resource page shows, as its functions read it (blank nodes by their place)."""
    return {
        "outgoing": sorted(
            (p, "_:b" if isinstance(o, BlankNode) else str(o)) for p, o in _outgoing(store, iri)
        ),
        "inbound": sorted(_inbound(store, iri)),  # fewer than a page of links each
        "memberships": _memberships(store, iri),
        "partner goals": sorted(read_partner_goals(store, BASE, iri), key=repr),
        "quotations": sorted(_quotations(store, [iri], BASE), key=repr),
        "posts": _posts(store, iri),
        "addressing": sorted(_addressing(store, iri, BASE), key=repr),
        "targets": _targets(store, iri),
    }


@pytest.mark.parametrize("path", RESOURCES)
def test_resource_pages_show_the_embedded_facts(
    backend: Backend, path: str, embedded_reference: EmbeddedStore, client: TestClient
) -> None:
    iri = f"{BASE}id/{path}"
    expected = _resource_facts(embedded_reference, iri)
    assert any(expected.values())
    assert _resource_facts(backend.store, iri) == expected
    answer = client.get(f"/id/{path}", headers={"accept": "text/html"})
    assert answer.status_code == 200


def test_search_finds_what_the_embedded_store_finds(
    backend: Backend, embedded_reference: EmbeddedStore, client: TestClient
) -> None:
    found, expected = build_index(backend.store, BASE), build_index(embedded_reference, BASE)
    assert [e.iri for e in found.entries] == [e.iri for e in expected.entries]
    for term in SEARCHES:
        hits = [(h.entry.iri, h.score) for h in found.lookup(term, limit=200).hits]
        wanted = [(h.entry.iri, h.score) for h in expected.lookup(term, limit=200).hits]
        assert wanted or term == "sonderborg kommune"
        assert hits == wanted, term
        assert client.get("/search", params={"q": term}).status_code == 200


def test_home_counts_are_the_embedded_counts(
    backend: Backend, embedded_reference: EmbeddedStore, client: TestClient
) -> None:
    assert count_graph(backend.store, BASE) == count_graph(embedded_reference, BASE)
    assert client.get("/").status_code == 200
