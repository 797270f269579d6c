"""Writes query results in the format a person or program asked for.

Machine formats are pyoxigraph's own serialisers (SPARQL JSON/XML/CSV/TSV, RDF formats); the
``table`` format gives rows of display strings for rich, with IRIs shortened by known prefixes.
"""

from __future__ import annotations

from typing import BinaryIO

from pyoxigraph import Literal, NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions

from sdgkg.errors import InputError
from sdgkg.rdfio import FORMATS_BY_NAME
from sdgkg.store.base import QueryResult

SOLUTION_FORMATS: dict[str, QueryResultsFormat] = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}
RESULT_FORMATS = ("table", *SOLUTION_FORMATS, *FORMATS_BY_NAME)

DISPLAY_PREFIXES = {
    "sdgkg": "https://w3id.org/sdgkg/ontology#",
    "id": "https://w3id.org/sdgkg/id/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "un": "http://metadata.un.org/sdg/",
    "wd": "http://www.wikidata.org/entity/",
}


def write_result(result: QueryResult, out: BinaryIO, fmt_name: str) -> None:
    """Serialise in Rust; ``InputError`` if the format does not fit the query form."""
    if isinstance(result, QuerySolutions | QueryBoolean):
        if fmt_name not in SOLUTION_FORMATS:
            raise InputError(
                f"a SELECT or ASK result is written as {', '.join(SOLUTION_FORMATS)} or table"
            )
        result.serialize(out, SOLUTION_FORMATS[fmt_name])
        return
    if fmt_name not in FORMATS_BY_NAME:
        raise InputError(
            f"a CONSTRUCT or DESCRIBE result is written as {', '.join(FORMATS_BY_NAME)} or table"
        )
    result.serialize(out, FORMATS_BY_NAME[fmt_name])


def table_rows(result: QueryResult) -> tuple[list[str], list[list[str]]]:
    """Column names and display rows."""
    if isinstance(result, QueryBoolean):
        return ["answer"], [[str(bool(result)).lower()]]
    if isinstance(result, QuerySolutions):
        names = [v.value for v in result.variables]
        return names, [[display_term(row[name]) for name in names] for row in result]
    return ["subject", "predicate", "object"], [
        [display_term(t.subject), display_term(t.predicate), display_term(t.object)] for t in result
    ]


def display_term(term: object) -> str:
    """A term as a person reads it: ``id:partner/cisu``, ``"Klimaindsats"@da``, ``42``.

    >>> display_term(NamedNode("https://w3id.org/sdgkg/id/goal/13"))
    'id:goal/13'
    """
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        for prefix, namespace in DISPLAY_PREFIXES.items():
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace) :]}"
        return f"<{term.value}>"
    if isinstance(term, Literal):
        if term.language:
            return f"{term.value} @{term.language}"
        return term.value
    return str(term)
