"""The keep-alive HTTP client that reads from a remote engine (``store/sparql_client.py``)."""

from __future__ import annotations

import threading

import pytest

from sdgkg.errors import StoreClosed
from sdgkg.store.sparql_client import HttpClient


def test_reconnecting_replaces_the_connection_it_keeps() -> None:
    """A server that drops idle connections makes the client open fresh ones, for weeks: each
    replaces the one before, so the client keeps one per thread and engine, not one per drop."""
    client = HttpClient(timeout_s=1)
    first = client.connection("http", "127.0.0.1:9", fresh=False)
    for _ in range(5):
        client.connection("http", "127.0.0.1:9", fresh=True)
    other_thread = threading.Thread(target=client.connection, args=("http", "127.0.0.1:9", False))
    other_thread.start()
    other_thread.join()
    assert len(client._all) == 2  # this thread's and the other's
    assert first not in client._all and first.sock is None
    client.close()
    assert not client._all


def test_a_closed_client_says_so() -> None:
    """Work still running when the service stops (a background build over a remote engine) ends
    on a StoreClosed, which it logs as a stop, not on a connection error."""
    client = HttpClient(timeout_s=1)
    client.close()
    with (
        pytest.raises(StoreClosed, match="closed"),
        client.get("http://127.0.0.1:9/sparql", {"query": "ASK {}"}, "*/*"),
    ):
        pass
