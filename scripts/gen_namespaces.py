"""Write src/sdgkg/namespaces.py, the term constants of the sdgkg ontology, from ontology/sdgkg.ttl.

The output is an rdflib ``DefinedNamespace`` with ``_fail = True``, so a misspelt term raises at
once instead of minting a new IRI (STYLE.md §2.5; compare rdflib's ``rdflib/namespace/_SKOS.py``).

Usage::

    python scripts/gen_namespaces.py          # (re)write the module
    python scripts/gen_namespaces.py --check  # exit 1 if the module on disk is out of date
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

REPO_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_PATH = REPO_ROOT / "ontology" / "sdgkg.ttl"
MODULE_PATH = REPO_ROOT / "src" / "sdgkg" / "namespaces.py"
NAMESPACE_IRI = "https://w3id.org/sdgkg/ontology#"
TERM_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)

log = logging.getLogger("gen_namespaces")


def read_terms(ontology_path: Path) -> dict[str, str]:
    """Return {local name: English label} for every term the ontology declares in its namespace."""
    graph = Graph().parse(ontology_path, format="turtle")
    terms: dict[str, str] = {}
    for kind in TERM_KINDS:
        for term in graph.subjects(RDF.type, kind):
            if isinstance(term, URIRef) and str(term).startswith(NAMESPACE_IRI):
                terms[str(term)[len(NAMESPACE_IRI) :]] = english_label(graph, term)
    return terms


def english_label(graph: Graph, term: URIRef) -> str:
    labels = [
        str(label)
        for label in graph.objects(term, RDFS.label)
        if getattr(label, "language", None) == "en"
    ]
    return min(labels) if labels else ""


def render_module(terms: dict[str, str]) -> str:
    """Render the module text; the same terms always give the same text, so --check can compare."""
    lines = [
        '"""Term constants of the sdgkg ontology.',
        "",
        "Generated from: ontology/sdgkg.ttl — do not edit; run scripts/gen_namespaces.py.",
        '"""',
        "",
        "from rdflib.namespace import DefinedNamespace, Namespace",
        "from rdflib.term import URIRef",
        "",
        "",
        "class SDGKG(DefinedNamespace):",
        '    """The sdgkg ontology: https://w3id.org/sdgkg/ontology"""',
        "",
        "    _fail = True",
        f'    _NS = Namespace("{NAMESPACE_IRI}")',
        "",
    ]
    for name in sorted(terms):
        comment = f"  # {terms[name]}" if terms[name] else ""
        lines.append(f"    {name}: URIRef{comment}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the module on disk is out of date"
    )
    args = parser.parse_args(argv)

    expected = render_module(read_terms(ONTOLOGY_PATH))
    relative_path = MODULE_PATH.relative_to(REPO_ROOT)
    if args.check:
        actual = MODULE_PATH.read_text(encoding="utf-8") if MODULE_PATH.exists() else ""
        if actual != expected:
            log.error("%s is out of date: run python scripts/gen_namespaces.py", relative_path)
            return 1
        log.info("%s is up to date", relative_path)
        return 0
    MODULE_PATH.parent.mkdir(parents=True, exist_ok=True)
    MODULE_PATH.write_text(expected, encoding="utf-8")
    log.info("wrote %s", relative_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
