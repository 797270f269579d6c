"""Content negotiation: q-values, specificity, aliases, the format parameter."""

from __future__ import annotations

import pytest

from sdgkg.errors import SdgkgError
from sdgkg.protocol.conneg import NotAcceptable, ResultKind, negotiate


@pytest.mark.parametrize(
    ("kind", "accept", "expected"),
    [
        (ResultKind.SOLUTIONS, None, "application/sparql-results+json"),
        (ResultKind.SOLUTIONS, "*/*", "application/sparql-results+json"),
        (ResultKind.SOLUTIONS, "application/sparql-results+xml", "application/sparql-results+xml"),
        (
            ResultKind.SOLUTIONS,
            "text/csv;q=0.5, text/tab-separated-values",
            "text/tab-separated-values",
        ),
        (ResultKind.SOLUTIONS, "application/json", "application/sparql-results+json"),
        (
            ResultKind.SOLUTIONS,
            "application/xml;q=0.9, */*;q=0.1",
            "application/sparql-results+xml",
        ),
        (ResultKind.SOLUTIONS, "text/*", "text/csv"),
        (ResultKind.BOOLEAN, "text/xml", "application/sparql-results+xml"),
        (ResultKind.TRIPLES, None, "text/turtle"),
        (ResultKind.TRIPLES, "application/rdf+xml, text/turtle;q=0.2", "application/rdf+xml"),
        (ResultKind.TRIPLES, "application/json", "application/ld+json"),
        (ResultKind.TRIPLES, "application/n-triples", "application/n-triples"),
        (
            ResultKind.PAGE,
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "text/html",
        ),
        (ResultKind.PAGE, "text/turtle, text/html;q=0.5", "text/turtle"),
        (ResultKind.PAGE, "*/*", "text/turtle"),
    ],
    ids=lambda value: str(value),
)
def test_accept_header_picks_registered_type(
    kind: ResultKind, accept: str | None, expected: str
) -> None:
    assert negotiate(kind, accept).media_type == expected


def test_format_parameter_wins_over_accept() -> None:
    assert negotiate(ResultKind.SOLUTIONS, "text/csv", "xml").name == "xml"
    assert negotiate(ResultKind.TRIPLES, None, "ttl").media_type == "text/turtle"
    assert negotiate(ResultKind.TRIPLES, None, "application/ld+json").name == "jsonld"


def test_q_zero_excludes_a_type() -> None:
    assert negotiate(ResultKind.SOLUTIONS, "application/sparql-results+json;q=0, */*").name == "xml"


@pytest.mark.parametrize(
    ("kind", "accept", "format_name"),
    [
        (ResultKind.SOLUTIONS, "image/png", None),
        (ResultKind.BOOLEAN, "application/n-triples", None),
        (ResultKind.TRIPLES, None, "csv"),
    ],
)
def test_nothing_acceptable_is_406(
    kind: ResultKind, accept: str | None, format_name: str | None
) -> None:
    with pytest.raises(NotAcceptable) as caught:
        negotiate(kind, accept, format_name)
    assert caught.value.http_status == 406


def test_issue_16_format_aliases_that_agree_are_one_request() -> None:
    """https://github.com/sdgkg/sdgkg/issues/16: SPARQLWrapper's ``format=tsv`` beside
    ``format=text/tab-separated-values`` (and the same under ``output``) name one format."""
    agreeing = ("tsv", "text/tab-separated-values")
    assert negotiate(ResultKind.SOLUTIONS, None, agreeing).name == "tsv"
    json_ld = ("json-ld", "application/ld+json,application/x-json+ld")
    assert negotiate(ResultKind.TRIPLES, "*/*", json_ld).name == "jsonld"
    assert negotiate(ResultKind.BOOLEAN, None, ("csv",)).name == "csv"
    assert negotiate(ResultKind.TRIPLES, None, "n3").media_type == "text/turtle"


def test_issue_16_format_parameters_that_disagree_are_a_400() -> None:
    with pytest.raises(SdgkgError) as caught:
        negotiate(ResultKind.SOLUTIONS, None, ("csv", "json"))
    assert caught.value.http_status == 400
    assert "'csv' is text/csv" in str(caught.value) and "disagree" in str(caught.value)
