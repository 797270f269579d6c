"""The clients researchers reach for first, each against a real ``sdgkg serve`` (issue 16).

SPARQLWrapper has its own file (``test_sparqlwrapper.py``), YASGUI runs in Chromium
(``tests/web/test_browser.py``); here: rdflib's ``SPARQLStore`` and ``SPARQLUpdateStore`` (with
the update token), ``pandas.read_csv`` on CSV and TSV results, ``curl --compressed``, and a
harvester's crawl: VoID, then the dumps and their checksums, then every record IRI dereferenced
as Turtle and as JSON-LD and parsed by rdflib.
"""

from __future__ import annotations

import gzip
import hashlib
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

from tests.e2e.conftest import TOKEN, LiveServer

pytestmark = pytest.mark.e2e

BASE = "https://w3id.org/sdgkg/"
VOID = Namespace("http://rdfs.org/ns/void#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
GOALS = (
    "PREFIX sdgkg: <https://w3id.org/sdgkg/ontology#> "
    "SELECT ?goal ?notation WHERE { ?goal a sdgkg:Goal ; "
    "<http://www.w3.org/2004/02/skos/core#notation> ?notation } ORDER BY ?goal"
)
TARGETS = (
    "PREFIX sdgkg: <https://w3id.org/sdgkg/ontology#> "
    "SELECT ?target ?label WHERE { ?target a sdgkg:Target ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"
)


def test_issue_16_rdflib_update_store_with_the_token(live_server: LiveServer) -> None:
    """https://github.com/sdgkg/sdgkg/issues/16: write through SPARQLUpdateStore, read back."""
    graph_iri = URIRef(BASE + "graph/upload/rdflib-client")
    partner = URIRef(BASE + "id/partner/rdflib-client")
    store = SPARQLUpdateStore(
        query_endpoint=live_server.endpoint,
        update_endpoint=live_server.url + "update",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    graph = Graph(store=store, identifier=graph_iri)
    try:
        graph.add((partner, RDFS.label, Literal("rdflib client", lang="en")))
        page = httpx.get(live_server.url + "id/partner/rdflib-client.ttl", timeout=30)
        assert page.status_code == 200 and "rdflib client" in page.text
        refused = SPARQLUpdateStore(
            query_endpoint=live_server.endpoint, update_endpoint=live_server.url + "update"
        )
        with pytest.raises(Exception, match="401"):
            Graph(store=refused, identifier=graph_iri).add((partner, RDFS.comment, Literal("x")))
    finally:
        store.update(f"DROP SILENT GRAPH <{graph_iri}>")
        store.close()
    assert httpx.get(live_server.url + "id/partner/rdflib-client.ttl").status_code == 404


@pytest.mark.parametrize(("fmt", "sep"), [("csv", ","), ("tsv", "\t")])
def test_issue_16_pandas_reads_csv_and_tsv_results(
    live_server: LiveServer, fmt: str, sep: str
) -> None:
    import pandas

    url = live_server.endpoint + "?" + urlencode({"query": GOALS, "format": fmt})
    frame = pandas.read_csv(url, sep=sep)
    assert len(frame) == 17
    goal, notation = ("goal", "notation") if fmt == "csv" else ("?goal", "?notation")
    assert list(frame.columns) == [goal, notation]
    first = frame[goal].iloc[0]
    assert first == (f"{BASE}id/goal/1" if fmt == "csv" else f"<{BASE}id/goal/1>")


def test_issue_16_curl_compressed(live_server: LiveServer, tmp_path: Path) -> None:
    headers = tmp_path / "headers.txt"
    url = live_server.endpoint + "?" + urlencode({"query": TARGETS})
    done = subprocess.run(
        ["curl", "--silent", "--compressed", "-D", str(headers), "-H", "Accept: text/csv", url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "content-encoding: gzip" in headers.read_text().lower()
    lines = done.stdout.splitlines()
    assert lines[0] == "target,label" and len(lines) > 169


def local(iri: str, server: LiveServer) -> str:
    return server.url + iri[len(BASE) :]


def test_issue_16_harvester_crawl(live_server: LiveServer) -> None:
    """VoID → dumps → checksums → every record IRI of the dump, in Turtle and in JSON-LD."""
    with httpx.Client(timeout=60) as client:
        void = Graph().parse(data=_current_void(client, live_server.url), format="turtle")
        dumps = sorted(str(o) for o in void.objects(None, VOID.dataDump))
        checksums = {str(v) for v in void.objects(None, SPDX.checksumValue)}
        assert len(dumps) >= 2
        data = Graph()
        for url in dumps:
            body = client.get(url).content
            assert hashlib.sha256(body).hexdigest() in checksums, url
            if url.endswith(".nt.gz"):
                data.parse(data=gzip.decompress(body), format="nt")
        records = sorted({str(s) for s in data.subjects() if str(s).startswith(BASE + "id/")})
        assert len(records) > 500

        def dereference(iri: str) -> str | None:
            """Whether the IRI's own page, in both formats, holds what the dump says of it."""
            said = {(p, o) for p, o in data.predicate_objects(URIRef(iri))}
            for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld")):
                response = client.get(local(iri, live_server), headers={"Accept": accept})
                if response.status_code != 200:
                    return f"{iri} as {accept}: {response.status_code}"
                page = Graph().parse(data=response.content, format=fmt)
                kept = {(p, o) for p, o in page.predicate_objects(URIRef(iri))}
                missing = {pair for pair in said if not _blank(pair[1])} - kept
                if missing:
                    return f"{iri} as {accept} lacks {sorted(missing)[:3]}"
            return None

        with ThreadPoolExecutor(max_workers=4) as pool:
            problems = [p for p in pool.map(dereference, records) if p]
    assert problems == []


def _current_void(client: httpx.Client, url: str) -> bytes:
    """VoID once it describes the data as they are now. Earlier tests in this module change the
    data; until the background builds catch up, VoID lists the previous dumps and carries no ETag
    (issue 18), and a harvester that trusts only validated answers waits for one that has it."""
    deadline = time.monotonic() + 120
    while True:
        response = client.get(url + ".well-known/void")
        if "etag" in response.headers or time.monotonic() > deadline:
            assert "etag" in response.headers, "VoID never became current"
            return response.content
        time.sleep(0.5)


def _blank(term: object) -> bool:
    from rdflib import BNode

    return isinstance(term, BNode)
