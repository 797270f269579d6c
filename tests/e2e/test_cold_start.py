"""Issue 18 at start-up: a restarted ``sdgkg serve`` serves what ``sdgkg prepare`` (or an earlier
server) built and kept beside the store, without building it again; after a write, the kept
values are served as an older version's while the new ones build, and never trusted as current."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import httpx
import pytest

from sdgkg.store.stamp import STAMP_FILE, derived_folder
from tests.e2e.conftest import TOKEN, run_cli, start_server, stop_server

pytestmark = pytest.mark.e2e

PAGES = [
    "",
    "coverage",
    "coverage/partners",
    "id/partnership",
    "search?q=sonderborg",
    ".well-known/void",
    "dumps/",
    "dumps/sdgkg.nt.gz",
]
SERVER = {"SDGKG_METRICS": "1", "SDGKG_UPDATE_TOKEN": TOKEN}
PARTNER = (
    "INSERT DATA { GRAPH <https://w3id.org/sdgkg/graph/upload/cold> {"
    " <https://w3id.org/sdgkg/id/partner/cold> a <https://w3id.org/sdgkg/ontology#Partner> ;"
    ' <http://www.w3.org/2000/01/rdf-schema#label> "Kold Fonden"@da } }'
)


def stamp(store: Path) -> str:
    value: str = json.loads((derived_folder(store) / STAMP_FILE).read_text())["stamp"]
    return value


def wait_for_new_stamp(store: Path, old: str, timeout_s: float = 60) -> str:
    """The server writes a new stamp once a write is flushed (at the latest when it keeps the
    values it rebuilt after the write)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        now = stamp(store)
        if now not in (old, "dirty"):
            return now
        time.sleep(0.1)
    raise AssertionError(f"the stamp stayed {stamp(store)!r} after a write")


def metric(samples: str, family: str, name: str, label: str) -> float:
    found = re.search(rf'^{family}_total{{name="{name}",{label}}} (\S+)$', samples, re.MULTILINE)
    assert found, f"no {family} for {name} {label}"
    return float(found.group(1))


def first_answers(url: str) -> dict[str, httpx.Response]:
    """Each page once, the first requests the server gets; each must answer within seconds."""
    answers = {}
    for page in PAGES:
        started = time.monotonic()
        answers[page] = httpx.get(url + page, headers={"accept": "text/html"}, timeout=30)
        assert time.monotonic() - started < 5, f"/{page} took {time.monotonic() - started:.1f} s"
        assert answers[page].status_code == 200, (page, answers[page].text[:300])
    return answers


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the bundle loaded with ``sdgkg load`` and prepared with ``sdgkg prepare``."""
    store = tmp_path_factory.mktemp("cold") / "store"
    loaded = run_cli(store, "load")
    assert loaded.returncode == 0, loaded.stderr
    done = run_cli(store, "prepare")
    assert done.returncode == 0, done.stderr
    assert "dumps: built" in done.stderr and "coverage: built" in done.stderr
    return store


def test_a_restart_serves_the_kept_values_without_building_them(prepared: Path) -> None:
    before = stamp(prepared)
    etags = []
    for _start in range(2):
        process, url = start_server(prepared, SERVER)
        try:
            answers = first_answers(url)
            etags.append(answers["dumps/sdgkg.nt.gz"].headers["etag"])
            samples = httpx.get(url + "metrics").text
        finally:
            stop_server(process)
        names = set(re.findall(r'^sdgkg_background_builds_total\{name="([^"]+)"', samples, re.M))
        assert {"VoID statistics", "dumps", "counts", "coverage", "goals per partner"} <= names
        assert "search index" in names
        assert "list of partnership records" in names
        for name in names:
            assert metric(samples, "sdgkg_background_builds", name, 'outcome="success"') == 0
            assert metric(samples, "sdgkg_background_read_back", name, 'state="current"') == 1
    assert etags[0] == etags[1]  # the same dump file, with its strong SHA-256 ETag
    assert stamp(prepared) == before  # reads and restarts leave the stamp alone


def test_writes_through_the_server_and_the_cli_make_kept_values_stale(
    prepared: Path, tmp_path: Path
) -> None:
    process, url = start_server(prepared, SERVER)
    auth = {"authorization": f"Bearer {TOKEN}"}
    try:
        old = stamp(prepared)
        answer = httpx.post(
            url + "update",
            content=PARTNER,
            headers={"content-type": "application/sparql-update", **auth},
            timeout=30,
        )
        assert answer.status_code == 204, answer.text
        for page in ("coverage/partners", "dumps/", "search?q=kold"):  # old or new, never a wait
            started = time.monotonic()
            assert httpx.get(url + page, timeout=30).status_code == 200
            assert time.monotonic() - started < 5
        after_update = wait_for_new_stamp(prepared, old)
        graph = "https://w3id.org/sdgkg/graph/upload/cold-put"
        body = '<https://w3id.org/sdgkg/id/partner/put> <http://www.w3.org/2000/01/rdf-schema#label> "Put"@da .\n'  # noqa: E501
        put = httpx.put(
            url + "store",
            params={"graph": graph},
            content=body.encode(),
            headers={"content-type": "application/n-triples", **auth},
            timeout=60,
        )
        assert put.status_code in (200, 201), put.text
        after_put = wait_for_new_stamp(prepared, after_update)
    finally:
        stop_server(process)
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        '<https://w3id.org/sdgkg/id/partner/cli> <http://www.w3.org/2000/01/rdf-schema#label> "Cli"@da .\n'  # noqa: E501
    )
    loaded = run_cli(prepared, "load", str(extra))
    assert loaded.returncode == 0, loaded.stderr
    assert stamp(prepared) not in (after_put, "dirty")  # a CLI load moves it too
    process, url = start_server(prepared, SERVER)
    try:
        first_answers(url)  # the older values at once, never a 503 or a wait
        samples = httpx.get(url + "metrics").text
    finally:
        stop_server(process)
    assert metric(samples, "sdgkg_background_read_back", "coverage", 'state="stale"') == 1
    assert metric(samples, "sdgkg_background_read_back", "coverage", 'state="current"') == 0
