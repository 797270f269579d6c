"""How long the list of a remote engine's graphs is trusted (store/graph_catalogue.py).

The engine is a real pyoxigraph store asked through the same SELECT the catalogue sends; only
the clock is ours, so that expiry is tested without sleeping.
"""

from __future__ import annotations

import types

import pytest
from pyoxigraph import NamedNode, Quad, Store

from sdgkg.store import graph_catalogue
from sdgkg.store.graph_catalogue import GRAPHS_TTL_S, TRUST_MAX_S, GraphCatalogue


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(graph_catalogue, "time", types.SimpleNamespace(monotonic=clock.monotonic))
    return clock


@pytest.fixture
def catalogue() -> GraphCatalogue:
    engine = Store()
    thing = NamedNode("https://example.org/thing")
    engine.add(Quad(thing, thing, thing, NamedNode("https://example.org/graph")))
    return GraphCatalogue("oxigraph", lambda query: list(engine.query(query)))  # type: ignore[arg-type]


def test_a_list_expires_after_its_lifetime(clock: Clock, catalogue: GraphCatalogue) -> None:
    assert catalogue.cached_state() is None
    assert catalogue.refresh() == (["https://example.org/graph"], frozenset())
    clock.now += GRAPHS_TTL_S * 0.9
    assert catalogue.cached_state() is not None
    clock.now += GRAPHS_TTL_S * 0.2
    assert catalogue.cached_state() is None


def test_the_watchers_word_keeps_a_list_until_its_next_refresh(
    clock: Clock, catalogue: GraphCatalogue
) -> None:
    catalogue.refresh()
    catalogue.trust_for(GRAPHS_TTL_S * 2)  # a loaded machine: the watcher waits longer
    clock.now += GRAPHS_TTL_S * 1.9
    assert catalogue.cached_state() is not None
    clock.now += GRAPHS_TTL_S * 0.2
    assert catalogue.cached_state() is None


def test_the_watchers_word_is_bounded_and_a_write_voids_it(
    clock: Clock, catalogue: GraphCatalogue
) -> None:
    catalogue.trust_for(60)  # nothing asked yet: nothing to vouch for
    assert catalogue.cached_state() is None
    catalogue.refresh()
    catalogue.trust_for(60)
    clock.now += TRUST_MAX_S + 0.1
    assert catalogue.cached_state() is None
    catalogue.refresh()
    catalogue.trust_for(60)
    catalogue.forget()  # after a write of this process: ask the engine again
    assert catalogue.cached_state() is None
