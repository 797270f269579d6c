"""The search a running server answers agrees with the store after interrupted and served loads.

Issue 18: a ``sdgkg load`` killed mid bulk load leaves a partial graph that the store removes at
its next open, so the server's search must answer exactly as a whole build over the store; a
load or replace through a running server shows in search once the background build is done.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from pyoxigraph import NamedNode, Store

from sdgkg.load import graph_for_file
from sdgkg.store.base import LOAD_STATE
from sdgkg.store.embedded import EmbeddedStore
from sdgkg.web.search import GROUPS, LabelIndex
from sdgkg.web.search_index import build_index
from sdgkg.web.views import SEARCH_PAGE
from tests.e2e.conftest import start_server, stop_server
from tests.reliability.conftest import SDGKG
from tests.reliability.test_crash import BULK_FALLBACK, kill_load_after

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

BASE = "https://w3id.org/sdgkg/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
TOKEN = "search-token"
QUERIES = ["sønderborg", "kommune", "partner", "mål 4", "KL", "klima", "sønderbrog", "4.7"]
_SECTION = re.compile(r'<section class="hits".*?</section>', re.S)
_HREF = re.compile(r'href="([^"]+)"')


def hit_links(html: str) -> list[str]:
    """The hits' links on a search page, in the order shown."""
    return [link for section in _SECTION.findall(html) for link in _HREF.findall(section)]


def expected_links(index: LabelIndex, query: str) -> list[str]:
    """The links the page shows for ``query`` from ``index``: its first page, by group."""
    hits = index.lookup(query, limit=SEARCH_PAGE + 1).hits[:SEARCH_PAGE]
    return [
        "/" + hit.entry.iri.removeprefix(BASE)
        for group in GROUPS
        for hit in hits
        if hit.entry.group == group
    ]


def search(url: str, query: str) -> list[str]:
    answer = httpx.get(url + "search", params={"q": query}, timeout=120)
    assert answer.status_code == 200
    return hit_links(answer.text)


def has_marker(store: Path) -> bool:
    """Whether a bulk load's "loading" marker is in the store (read without recovering it)."""
    raw = Store.read_only(str(store))
    return any(True for _ in raw.quads_for_pattern(None, NamedNode(LOAD_STATE), None, None))


def test_search_after_an_interrupted_load_answers_as_a_whole_build(
    store_copy: Path, synthetic_200k: tuple[Path, int]
) -> None:
    data, _ = synthetic_200k
    for delay_s in (1.0, 2.0, 3.0, 5.0):  # until a kill lands inside the bulk load
        running = kill_load_after(store_copy, data, delay_s, BULK_FALLBACK)
        assert running, "the load finished before the kill: the case proves nothing"
        if has_marker(store_copy):
            break
    else:
        pytest.fail("no kill landed inside the bulk load")
    process, url = start_server(store_copy, {})
    try:
        served = {query: search(url, query) for query in QUERIES}
    finally:
        stop_server(process)
    store = EmbeddedStore(store_copy, read_only=True)
    try:
        whole = build_index(store, BASE)
        assert not any("synthetic" in graph for graph in store.graph_names())
    finally:
        store.close()
    for query in QUERIES:
        assert served[query] == expected_links(whole, query), query
    assert not any("synthetic" in link for links in served.values() for link in links)
    assert served["partner"], "the query finds the bundle's partners: the check can fail"


def partners_file(path: Path, name: str, count: int = 200) -> Path:
    """``count`` partners named "<name> <n>", referring to nothing: they pass the load's checks."""
    lines = []
    for n in range(count):
        record = f"<{BASE}id/partner/served-{n}>"
        lines.append(f"{record} <{RDF_TYPE}> <{BASE}ontology#Partner> .")
        lines.append(f'{record} <http://www.w3.org/2000/01/rdf-schema#label> "{name} {n}"@da .')
    path.write_text("\n".join(lines) + "\n")
    return path


def found_within(url: str, query: str, link: str, *, present: bool, timeout_s: float = 90) -> bool:
    """Whether ``link`` is (or is not, with ``present=False``) among the hits within the time:
    the background build serves the old index until the new one is complete."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if (link in search(url, query)) == present:
            return True
        time.sleep(0.3)
    return False


def test_loads_through_a_running_server_show_in_search(store_copy: Path, tmp_path: Path) -> None:
    first = partners_file(tmp_path / "served-partners.nt", "Vindmøllelaug")
    graph = graph_for_file(first, BASE)
    process, url = start_server(store_copy, {"SDGKG_UPDATE_TOKEN": TOKEN})
    try:
        before = search(url, "sønderborg")
        # `sdgkg load` beside `sdgkg serve`: a bulk file goes through PUT /store
        env = {**os.environ, "SDGKG_UPDATE_TOKEN": TOKEN, "SDGKG_BULK_THRESHOLD_BYTES": "1024"}
        loaded = subprocess.run(
            [*SDGKG, "--store", str(store_copy), "load", str(first)],
            env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert loaded.returncode == 0, loaded.stderr
        assert found_within(url, "vindmøllelaug 17", "/id/partner/served-17", present=True)
        assert search(url, "vindmollelaug 17")[0] == "/id/partner/served-17"
        # the same graph replaced through the Graph Store Protocol: new names in, old names out
        second = partners_file(tmp_path / "second.nt", "Solcellefællesskab")
        answer = httpx.put(
            url + "store",
            params={"graph": graph},
            content=second.read_bytes(),
            headers={"Content-Type": "application/n-triples", "Authorization": f"Bearer {TOKEN}"},
            timeout=300,
        )
        assert answer.status_code == 200, answer.text
        assert found_within(url, "solcellefællesskab 17", "/id/partner/served-17", present=True)
        assert search(url, "vindmøllelaug") == []
        assert search(url, "sønderborg") == before
    finally:
        stop_server(process)
