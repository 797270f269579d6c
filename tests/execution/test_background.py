"""Derived values (VoID, dumps, search, coverage) are built off the request path (issue 18): the
last complete one is served while the next is built, and a failed build or load changes nothing
readers see."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat

from sdgkg.errors import SdgkgError
from sdgkg.execution.background import BuiltInBackground
from sdgkg.iris import graph_iri
from tests.service_fixtures import TestClient


class Gate:
    """A build that returns the next number only when the test lets it."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.calls = 0
        self.fail = False

    def build(self) -> int:
        self.calls += 1
        assert self.open.wait(10)
        if self.fail:
            raise RuntimeError("build failed")
        return self.calls


def test_old_value_is_served_until_the_new_one_is_complete() -> None:
    gate = Gate()
    built = BuiltInBackground(gate.build, name="test")
    gate.open.set()
    assert built.get(1) == 1  # nothing built yet: the first request waits
    gate.open.clear()
    started = time.monotonic()
    assert built.get(2) == 1  # the new version is being built: the old value, at once
    assert time.monotonic() - started < 0.5
    assert built.version == 1
    gate.open.set()
    assert built.wait(2) == 2
    assert built.get(2) == 2 and gate.calls == 2


def test_a_failed_build_keeps_the_old_value_and_is_tried_again() -> None:
    gate = Gate()
    built = BuiltInBackground(gate.build, name="test")
    gate.open.set()
    assert built.get(1) == 1
    gate.fail = True
    with pytest.raises(RuntimeError):
        built.wait(2)
    assert built.get(2) == 1 and built.version == 1
    gate.fail = False
    assert built.wait(2) == 3


def test_first_build_that_fails_raises_to_the_waiting_request() -> None:
    gate = Gate()
    gate.fail = True
    gate.open.set()
    built = BuiltInBackground(gate.build, name="test")
    with pytest.raises(RuntimeError, match="build failed"):
        built.get(1)


def test_stale_answer_carries_no_validators_of_the_new_version(make_client: object) -> None:
    client: TestClient = make_client(update_token="t")  # type: ignore[operator]
    web = client.app.state.web  # type: ignore[attr-defined]
    state = client.app.state.sdgkg  # type: ignore[attr-defined]
    web.index.wait(state.data_version)
    fresh = client.get("/search?q=sonderborg")
    assert fresh.status_code == 200 and "etag" in fresh.headers
    gate = threading.Event()
    build = web.index._build
    web.index._build = lambda: (gate.wait(10), build())[1]
    try:
        _insert_partner(client, "Zyxwv Fonden")
        stale = client.get("/search?q=zyxwv")
        assert stale.status_code == 200
        assert "Zyxwv" not in stale.text  # the old index, served at once
        assert "etag" not in stale.headers  # not validated as the new version
    finally:
        gate.set()
    web.index.wait(state.data_version)
    assert "Zyxwv" in client.get("/search?q=zyxwv").text


def test_search_and_void_stay_consistent_after_a_failed_load(
    make_client: object, tmp_path: Path
) -> None:
    client: TestClient = make_client(bulk_threshold_bytes=1)  # type: ignore[operator]
    state = client.app.state.sdgkg  # type: ignore[attr-defined]
    web = client.app.state.web  # type: ignore[attr-defined]
    harvest = client.app.state.harvest  # type: ignore[attr-defined]
    before_void = harvest.statistics.wait(state.data_version).stats
    before_hits = [h.entry.iri for h in web.index.wait(state.data_version).search("kommune")]
    broken = tmp_path / "broken.ttl"
    lines = "".join(
        f"<https://w3id.org/sdgkg/id/partner/p{i}> a <https://w3id.org/sdgkg/ontology#Partner> ;"
        f' <http://www.w3.org/2000/01/rdf-schema#label> "Kommune broken {i}"@da .\n'
        for i in range(2000)
    )
    broken.write_text(lines + "<unterminated\n")
    graph = graph_iri(state.settings.base_iri, "upload/broken")
    with pytest.raises(SdgkgError):
        state.store.bulk_load_graph(
            graph, broken, RdfFormat.TURTLE, check=lambda s, g: None, replace=False
        )
    version = state.data_version
    assert harvest.statistics.wait(version).stats == before_void
    assert [h.entry.iri for h in web.index.wait(version).search("kommune")] == before_hits
    assert "/id/partner/p17" not in client.get("/search?q=kommune+broken+17").text


def _insert_partner(client: TestClient, label: str) -> None:
    response = client.post(
        "/update",
        content=(
            "INSERT DATA { GRAPH <https://w3id.org/sdgkg/graph/upload/z> {"
            " <https://w3id.org/sdgkg/id/partner/z> a <https://w3id.org/sdgkg/ontology#Partner> ;"
            f' <http://www.w3.org/2000/01/rdf-schema#label> "{label}"@da }} }}'
        ),
        headers={"content-type": "application/sparql-update", "authorization": "Bearer t"},
    )
    assert response.status_code == 204


def test_void_counts_do_not_wait_for_the_dumps(make_client: object) -> None:
    """Issue 18: VoID after a change is ready when its counts are, however long the dumps take;
    it lists the dumps once they are written."""
    client: TestClient = make_client(update_token="t")  # type: ignore[operator]
    state = client.app.state.sdgkg  # type: ignore[attr-defined]
    harvest = client.app.state.harvest  # type: ignore[attr-defined]
    harvest.dumps.wait(state.data_version)
    gate = threading.Event()
    write = harvest.dumps._build
    harvest.dumps._build = lambda: (gate.wait(20), write())[1]
    try:
        before = harvest.statistics.wait(state.data_version).stats.triples
        _insert_partner(client, "Dumpless Fonden")
        harvest.statistics.wait(state.data_version)
        started = time.monotonic()
        void = client.get("/.well-known/void", headers={"accept": "application/n-triples"})
        assert time.monotonic() - started < 5
        assert f'"{before + 2}"^^<http://www.w3.org/2001/XMLSchema#integer>' in void.text
        assert "etag" not in void.headers  # the dumps listed are the older version's
        assert harvest.dumps.version < state.data_version
    finally:
        gate.set()
    harvest.dumps.wait(state.data_version)
    dumps = client.get("/dumps/").json()["dumps"]
    assert dumps[0]["triples"] == before + 2


def test_builds_of_one_lane_run_in_the_order_asked() -> None:
    """Issue 18: VoID's counts, asked for first after a load, are built first, however the
    threads are woken."""
    from sdgkg.execution.background import Lane

    lane = Lane()
    gate = Gate()
    done: list[str] = []
    first = BuiltInBackground(gate.build, name="first", lane=lane)
    first.refresh(1)  # holds the lane until the gate opens
    later = [
        BuiltInBackground(lambda n=name: done.append(n) or len(done), name=name, lane=lane)
        for name in "zyxwvutsrq"
    ]
    for cache in later:
        cache.refresh(1)
    gate.open.set()
    for cache in later:
        cache.wait(1)
    assert done == list("zyxwvutsrq")


def test_a_build_the_closing_store_stops_is_no_failure(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """When the server stops, it closes the store under builds still running: they stop on a
    StoreClosed, logged as a stop, not as a failed build with its traceback."""
    import logging

    from sdgkg.errors import StoreClosed
    from sdgkg.store.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path / "store")
    store.close()
    with pytest.raises(StoreClosed, match="closed"):
        store.query("ASK {}")
    with pytest.raises(AttributeError):
        store.no_such_attribute  # noqa: B018 - only the handle gets the closed store's error
    cache: BuiltInBackground[object] = BuiltInBackground(
        lambda: store.query("ASK {}"), name="counts"
    )
    with (
        caplog.at_level(logging.INFO, logger="sdgkg.execution.background"),
        pytest.raises(StoreClosed),
    ):
        cache.wait(1)
    assert [r.levelname for r in caplog.records] == ["INFO"]
    assert "stopped building counts: the store closed" in caplog.text
