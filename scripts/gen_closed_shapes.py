"""Close the allowed lists of the closed record shapes under rdfs:subPropertyOf.

A closed shape (``sh:closed true``) lists in ``sh:ignoredProperties`` the properties a record of its
class may carry. Curators state sub-properties (``sdgkg:unescoDomain``); under RDFS inference the
record also carries each super-property (``dcterms:subject``), which the list must then allow too,
or the bundled data fails validation with ``inference="rdfs"`` (issue 20). The hand-kept part of
each list is what a record states; this script adds every super-property the ontology and its
pinned extracts entail, so that a new ``rdfs:subPropertyOf`` axiom needs no edit of the shapes
by hand.

Usage::

    python scripts/gen_closed_shapes.py          # rewrite the lists in shapes/sdgkg-shapes.ttl
    python scripts/gen_closed_shapes.py --check  # exit 1 if a list lacks an entailed super-property
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from _sync import write_or_check
from rdflib import RDFS, Graph, URIRef

REPO_ROOT = Path(__file__).resolve().parent.parent
SHAPES_PATH = REPO_ROOT / "shapes" / "sdgkg-shapes.ttl"
SCHEMA_PATHS = [
    REPO_ROOT / "ontology" / "sdgkg.ttl",
    *sorted(REPO_ROOT.glob("ontology/imports/*.ttl")),
]

_LIST_LINE = re.compile(
    r"^(?P<indent>\s*)sh:ignoredProperties \( (?P<items>[^)]*) \) ;$", re.MULTILINE
)


def _schema() -> Graph:
    graph = Graph()
    for path in SCHEMA_PATHS:
        graph.parse(path)
    return graph


def _closed_list(items: str, schema: Graph, shapes: Graph) -> str:
    """The list's prefixed names with every super-property added, sorted as the file sorts them."""
    names = set(items.split())
    for name in list(names):
        prop = shapes.namespace_manager.expand_curie(name)
        for super_prop in schema.transitive_objects(prop, RDFS.subPropertyOf):
            if isinstance(super_prop, URIRef) and super_prop != prop:
                names.add(super_prop.n3(shapes.namespace_manager))
    return " ".join(sorted(names))


def render(text: str) -> str:
    """The shapes file's text with each closed list closed under rdfs:subPropertyOf."""
    schema = _schema()
    shapes = Graph().parse(data=text, format="turtle")

    def close(match: re.Match[str]) -> str:
        items = _closed_list(match["items"], schema, shapes)
        return f"{match['indent']}sh:ignoredProperties ( {items} ) ;"

    return _LIST_LINE.sub(close, text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a list is not closed")
    args = parser.parse_args()
    text = render(SHAPES_PATH.read_text(encoding="utf-8"))
    return write_or_check(SHAPES_PATH, text, check=args.check, script=__file__)


if __name__ == "__main__":
    sys.exit(main())
