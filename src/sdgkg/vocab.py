"""The external vocabularies the service writes about itself (SD, VoID, DCAT, SPDX) and prefixes.

These are W3C and community terms, not ``sdgkg:`` terms, so they live here rather than in the
generated ``namespaces.py``.
"""

from __future__ import annotations

from collections.abc import Callable

from pyoxigraph import NamedNode


def _namespace(iri: str) -> Callable[[str], NamedNode]:
    def term(name: str) -> NamedNode:
        return NamedNode(iri + name)

    term.iri = iri  # type: ignore[attr-defined]
    return term


RDF = _namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = _namespace("http://www.w3.org/2000/01/rdf-schema#")
SD = _namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = _namespace("http://rdfs.org/ns/void#")
DCAT = _namespace("http://www.w3.org/ns/dcat#")
DCTERMS = _namespace("http://purl.org/dc/terms/")
FOAF = _namespace("http://xmlns.com/foaf/0.1/")
SPDX = _namespace("http://spdx.org/rdf/terms#")
XSD = _namespace("http://www.w3.org/2001/XMLSchema#")
FORMATS = _namespace("http://www.w3.org/ns/formats/")
SKOS = _namespace("http://www.w3.org/2004/02/skos/core#")
SCHEMA = _namespace("https://schema.org/")
RDF_TYPE = RDF("type")

# The licence the data is published under: VoID and DCAT state it, the home page shows it.
LICENSE = "https://creativecommons.org/licenses/by/4.0/"

# Prefixes for Turtle output and the published JSON-LD @context (the usual ones; see STYLE §4).
PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "spdx": "http://spdx.org/rdf/terms#",
    "sh": "http://www.w3.org/ns/shacl#",
}


def prefixes_for(base_iri: str) -> dict[str, str]:
    """The usual prefixes plus the sdgkg ones under the configured base."""
    return {
        **PREFIXES,
        "sdgkg": f"{base_iri}ontology#",
        "id": f"{base_iri}id/",
    }
