"""Mints and parses IRIs under the configured base; the only module that builds record IRIs.

Bundled files are written against the default base. When another base is configured, the loader
rebases every IRI that starts with the default base (``rebase_iri``).
"""

from __future__ import annotations

import re
import unicodedata

DEFAULT_BASE_IRI = "https://w3id.org/sdgkg/"  # the default of Settings.base_iri
ONTOLOGY_PATH = "ontology#"
SHAPES_PATH = "shapes#"
GRAPH_PATH = "graph/"
ID_PATH = "id/"

_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by ``-``, with Danish letters spelt out.

    >>> slugify("Sønderborg Kommune")
    'soenderborg-kommune'
    >>> slugify("Høje-Taastrup")
    'hoeje-taastrup'
    """
    ascii_text = unicodedata.normalize("NFKD", text.translate(_DANISH_LETTERS))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def ontology_ns(base: str) -> str:
    return base + ONTOLOGY_PATH


def shapes_ns(base: str) -> str:
    return base + SHAPES_PATH


def record_iri(base: str, kind: str, slug: str) -> str:
    """``<base>id/<kind>/<slug>``.

    >>> record_iri("https://w3id.org/sdgkg/", "partner", "cisu")
    'https://w3id.org/sdgkg/id/partner/cisu'
    """
    return f"{base}{ID_PATH}{kind}/{slug}"


def graph_iri(base: str, name: str) -> str:
    """The named graph a loaded file lives in.

    >>> graph_iri("https://w3id.org/sdgkg/", "data/reference/sdg")
    'https://w3id.org/sdgkg/graph/data/reference/sdg'
    """
    return f"{base}{GRAPH_PATH}{name}"


def upload_graph_name(file_stem: str) -> str:
    """The graph name of a file loaded from outside the bundle."""
    return f"upload/{slugify(file_stem) or 'file'}"


def rebase_iri(iri: str, base: str) -> str:
    """Move an IRI written against the default base onto ``base``; others pass unchanged."""
    if base != DEFAULT_BASE_IRI and iri.startswith(DEFAULT_BASE_IRI):
        return base + iri[len(DEFAULT_BASE_IRI) :]
    return iri


def rebase_text(text: str, base: str) -> str:
    """Move IRIs written inside text (SPARQL, SHACL patterns) onto ``base``.

    >>> rebase_text("^https://w3id.org/sdgkg/id/goal/", "https://example.org/kg/")
    '^https://example.org/kg/id/goal/'
    """
    return text if base == DEFAULT_BASE_IRI else text.replace(DEFAULT_BASE_IRI, base)


def is_record_iri(iri: str, base: str) -> bool:
    return iri.startswith(base + ID_PATH)
