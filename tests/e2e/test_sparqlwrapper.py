"""SPARQLWrapper, every return format it offers, for every query form, by GET and by POST (form
or direct), against a real ``sdgkg serve``.

Issue 16, item 1: SPARQLWrapper repeats the format as ``format``, ``output`` and ``results``
(twice each for TSV, RDF/XML and JSON-LD: a name and a media type). Parameters that agree are
one request; parameters that disagree are a 400. A form and format SPARQLWrapper itself warns
about (Turtle for a SELECT) is a 406 that names the formats there are.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from typing import Any
from urllib.error import HTTPError

import httpx
import pytest
from rdflib import Graph
from SPARQLWrapper import GET, POST, POSTDIRECTLY, SPARQLWrapper
from SPARQLWrapper.Wrapper import _allowedFormats

from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e

GOAL = "<https://w3id.org/sdgkg/ontology#Goal>"
QUERIES = {
    "SELECT": f"SELECT ?goal WHERE {{ ?goal a {GOAL} }}",
    "ASK": f"ASK {{ ?goal a {GOAL} }}",
    "CONSTRUCT": f"CONSTRUCT {{ ?goal a {GOAL} }} WHERE {{ ?goal a {GOAL} }}",
    "DESCRIBE": "DESCRIBE <https://w3id.org/sdgkg/id/goal/13>",
}
# What each form can be answered in, by SPARQLWrapper's own table of expected formats.
ANSWERABLE = {
    "SELECT": {"json", "xml", "csv", "tsv"},
    "ASK": {"json", "xml", "csv", "tsv"},
    "CONSTRUCT": {"json", "xml", "turtle", "n3", "rdf", "rdf+xml", "json-ld"},
    "DESCRIBE": {"json", "xml", "turtle", "n3", "rdf", "rdf+xml", "json-ld"},
}
RDF_PARSERS = {
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}
CASES = [
    (form, method, fmt) for form in QUERIES for method in (GET, POST) for fmt in _allowedFormats
]


def ask(server: LiveServer, form: str, method: str, fmt: str) -> Any:
    wrapper = SPARQLWrapper(server.endpoint)
    wrapper.setQuery(QUERIES[form])
    wrapper.setMethod(GET if method == GET else POST)
    if method == POSTDIRECTLY:  # the query as the body, the format parameters in the URL
        wrapper.setRequestMethod(POSTDIRECTLY)
    wrapper.setReturnFormat(fmt)
    return wrapper.query().response


def rows_or_triples(form: str, content_type: str, body: bytes) -> Any:
    """The answer, read as its media type says: rows, a boolean, or a number of triples."""
    media_type = content_type.split(";")[0].strip()
    if form in ("CONSTRUCT", "DESCRIBE"):
        return len(Graph().parse(data=body, format=RDF_PARSERS[media_type]))
    if media_type == "application/sparql-results+json":
        answer = json.loads(body)
        return answer["boolean"] if form == "ASK" else len(answer["results"]["bindings"])
    if media_type == "application/sparql-results+xml":
        text = body.decode()
        return "<boolean>true</boolean>" in text if form == "ASK" else text.count("<result>")
    delimiter = "\t" if "tab-separated" in media_type else ","
    rows = list(csv.reader(io.StringIO(body.decode()), delimiter=delimiter))
    return rows == [["true"]] if form == "ASK" else len(rows) - 1


EXPECTED = {"SELECT": 17, "ASK": True, "CONSTRUCT": 17}


@pytest.mark.parametrize(("form", "method", "fmt"), CASES, ids=lambda v: str(v))
def test_issue_16_sparqlwrapper_every_format(
    live_server: LiveServer, form: str, method: str, fmt: str
) -> None:
    """https://github.com/sdgkg/sdgkg/issues/16"""
    with warnings.catch_warnings():
        # SPARQLWrapper warns (RuntimeWarning) when it sends a format the form cannot take.
        warnings.simplefilter("ignore", RuntimeWarning)
        if fmt not in ANSWERABLE[form]:
            with pytest.raises(HTTPError) as refused:
                ask(live_server, form, method, fmt)
            assert refused.value.code == 406
            assert "cannot represent this result" in refused.value.read().decode()
            return
        response = ask(live_server, form, method, fmt)
    assert response.status == 200
    answer = rows_or_triples(form, response.headers["content-type"], response.read())
    if form == "DESCRIBE":
        assert answer > 5
    else:
        assert answer == EXPECTED[form]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_issue_16_format_parameters_that_disagree_are_a_400(
    live_server: LiveServer, method: str
) -> None:
    params = {"query": QUERIES["SELECT"], "format": "csv", "output": "json"}
    if method == "GET":
        response = httpx.get(live_server.endpoint, params=params, timeout=30)
    else:
        response = httpx.post(live_server.endpoint, data=params, timeout=30)
    assert response.status_code == 400
    assert "disagree" in response.json()["message"]
    again = {**params, "output": "text/csv", "results": "csv"}
    assert httpx.get(live_server.endpoint, params=again, timeout=30).status_code == 200
