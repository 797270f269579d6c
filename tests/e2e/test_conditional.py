"""Revalidation by real clients (curl, wget, http.client) against a real ``sdgkg serve``.

Issue 22, item 2: both validators (ETag with If-None-Match, Last-Modified with If-Modified-Since)
work on every kind of answer the server sends: the dumps and their list, static files, HTML and
RDF pages, VoID, and SPARQL GET.
"""

from __future__ import annotations

import http.client
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e

ASK = "sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"
KINDS = {
    "dump": ("dumps/sdgkg.nt.gz", "*/*"),
    "dump-list": ("dumps/", "application/json"),
    "static-file": ("assets/site.css", "text/css"),
    "html-page": ("id/goal/13", "text/html"),
    "rdf-page": ("id/goal/13", "text/turtle"),
    "void": (".well-known/void", "text/turtle"),
    "sparql-get": (ASK, "application/sparql-results+json"),
}


def fetch(server: LiveServer, path: str, **headers: str) -> http.client.HTTPResponse:
    """One GET with Python's own HTTP client; the body is read and the response returned."""
    address = urlsplit(server.url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=30)
    connection.request("GET", "/" + path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def curl(*args: str) -> str:
    done = subprocess.run(
        ["curl", "--silent", "--show-error", *args], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("kind", KINDS)
def test_issue_22_curl_revalidates_with_the_etag(
    live_server: LiveServer, tmp_path: Path, kind: str
) -> None:
    """https://github.com/sdgkg/sdgkg/issues/22: ``curl --etag-compare`` gets a 304."""
    path, accept = KINDS[kind]
    url, saved = live_server.url + path, tmp_path / "etag.txt"
    first = curl("-H", f"Accept: {accept}", "--etag-save", str(saved), "-o", "/dev/null",
                 "-w", "%{http_code}", url)  # fmt: skip
    assert first == "200" and saved.read_text().strip().startswith('W/"')
    again = curl("-H", f"Accept: {accept}", "--etag-compare", str(saved), "-o", "/dev/null",
                 "-w", "%{http_code} %{size_download}", url)  # fmt: skip
    assert again == "304 0"


@pytest.mark.parametrize("kind", KINDS)
def test_issue_22_each_validator_form_is_honoured(live_server: LiveServer, kind: str) -> None:
    """Lists, the weak comparison, ``*`` and dates, as caches and harvesters send them."""
    path, accept = KINDS[kind]
    first = fetch(live_server, path, Accept=accept)
    assert first.status == 200
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert first.headers.get_all("ETag") == [etag]  # one validator, not the file's beside ours
    strong_form = etag.removeprefix("W/")
    cases = {
        "exact": {"If-None-Match": etag},
        "listed": {"If-None-Match": f'"elsewhere", {etag}'},
        "weak-comparison": {"If-None-Match": strong_form},
        "any": {"If-None-Match": "*"},
        "date": {"If-Modified-Since": modified},
    }
    for name, headers in cases.items():
        answer = fetch(live_server, path, Accept=accept, **headers)
        assert (name, answer.status) == (name, 304)
        assert answer.headers["ETag"] == etag and answer.headers["Last-Modified"] == modified
    stale = {
        "other-tag": {"If-None-Match": '"elsewhere"'},
        "old-date": {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"},
        "tag-decides": {"If-None-Match": '"elsewhere"', "If-Modified-Since": modified},
    }
    for name, headers in stale.items():
        assert (name, fetch(live_server, path, Accept=accept, **headers).status) == (name, 200)


def test_issue_22_any_tag_does_not_invent_a_resource(live_server: LiveServer) -> None:
    assert fetch(live_server, "dumps/no-such.nt.gz", **{"If-None-Match": "*"}).status == 404


def test_issue_22_wget_timestamping_skips_a_current_dump(
    live_server: LiveServer, tmp_path: Path
) -> None:
    """``wget -N`` (If-Modified-Since) downloads a dump once, then leaves it."""
    command = ["wget", "-N", "-d", live_server.url + "dumps/sdgkg.nt.gz"]
    first = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0 and "200 OK" in first.stderr
    size = (tmp_path / "sdgkg.nt.gz").stat().st_size
    again = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0
    assert "If-Modified-Since:" in again.stderr and "304 Not Modified" in again.stderr
    assert (tmp_path / "sdgkg.nt.gz").stat().st_size == size
