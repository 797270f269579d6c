"""Revalidation by real clients (curl, wget, http.client) against a real ``sdgkg serve``.

Issue 22, item 2: both validators (ETag with If-None-Match, Last-Modified with If-Modified-Since)
work on every kind of answer the server sends: the dumps and their list, static files, HTML and
RDF pages, VoID, and SPARQL GET.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import subprocess
from dataclasses import dataclass
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
    # Dumps are static files with a strong ETag (their SHA-256); everything else a weak one.
    assert first == "200" and saved.read_text().strip().startswith('"' if kind == "dump" else 'W/"')
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


def _dump(server: LiveServer) -> tuple[bytes, str, str]:
    """The whole dump, its ETag and Last-Modified."""
    whole = fetch_body(server, "dumps/sdgkg.nt.gz")
    return whole.body, whole.headers["ETag"], whole.headers["Last-Modified"]


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def fetch_body(server: LiveServer, path: str, **headers: str) -> Answer:
    address = urlsplit(server.url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=30)
    connection.request("GET", "/" + path, headers=headers)
    response = connection.getresponse()
    answer = Answer(response.status, response.headers, response.read())
    connection.close()
    return answer


def test_issue_22_a_dump_has_a_strong_etag_from_its_sha256(live_server: LiveServer) -> None:
    body, etag, _ = _dump(live_server)
    assert etag == f'"{hashlib.sha256(body).hexdigest()}"'
    listed = fetch_body(live_server, "dumps/", Accept="application/json")
    checksums = {d["name"]: d["sha256"] for d in json.loads(listed.body)["dumps"]}
    assert etag == f'"{checksums["sdgkg.nt.gz"]}"'


def test_issue_22_if_range_resumes_a_dump_only_while_it_is_the_same(
    live_server: LiveServer,
) -> None:
    """RFC 9110 §13.1.5 with http.client: a matching If-Range (the ETag, strongly compared, or
    the exact Last-Modified date) gets 206 and the rest; any other gets 200 and the whole."""
    body, etag, modified = _dump(live_server)
    half = len(body) // 2
    matching = {"etag": etag, "date": modified}
    for name, validator in matching.items():
        answer = fetch_body(
            live_server, "dumps/sdgkg.nt.gz", Range=f"bytes={half}-", **{"If-Range": validator}
        )
        assert (name, answer.status) == (name, 206)
        assert answer.headers["Content-Range"] == f"bytes {half}-{len(body) - 1}/{len(body)}"
        assert answer.body == body[half:]
    mismatching = {
        "other-etag": '"0000"',
        "weak-form": "W/" + etag,  # a weak tag never matches If-Range
        "other-date": "Mon, 01 Jan 2001 00:00:00 GMT",
        "unreadable": "yesterday",
    }
    for name, validator in mismatching.items():
        answer = fetch_body(
            live_server, "dumps/sdgkg.nt.gz", Range=f"bytes={half}-", **{"If-Range": validator}
        )
        assert (name, answer.status, answer.body == body) == (name, 200, True)
    plain = fetch_body(live_server, "dumps/sdgkg.nt.gz", Range=f"bytes={half}-")
    assert plain.status == 206 and plain.body == body[half:]


def test_issue_22_curl_resumes_a_cut_dump(live_server: LiveServer, tmp_path: Path) -> None:
    """``curl -C -`` after a cut download, with If-Range from ``--etag-save``: 206, and the
    file is whole; a stale ETag in If-Range gets the whole file again."""
    url, saved, target = live_server.url + "dumps/sdgkg.nt.gz", tmp_path / "etag", tmp_path / "d"
    whole = tmp_path / "whole"
    curl("--etag-save", str(saved), "-o", str(whole), url)
    data = whole.read_bytes()
    target.write_bytes(data[: len(data) // 3])  # a download cut off after a third
    etag = saved.read_text().strip()
    status = curl("-C", "-", "-H", f"If-Range: {etag}", "-o", str(target), "-w", "%{http_code}",
                  url)  # fmt: skip
    assert status == "206" and target.read_bytes() == data
    out = ("-o", str(tmp_path / "range"), "-w", "%{http_code} %{size_download}")
    assert curl("-r", "100-199", "-H", f"If-Range: {etag}", *out, url) == "206 100"
    assert (tmp_path / "range").read_bytes() == data[100:200]
    assert curl("-r", "100-199", "-H", 'If-Range: "stale"', *out, url) == f"200 {len(data)}"
