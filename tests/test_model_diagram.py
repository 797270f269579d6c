"""docs/model.svg, the diagram of the model, is generated from the ontology and kept in sync.

scripts/gen_model_diagram.py draws it (STYLE.md habit 13: one editable source, the rest derived
and checked by machine).
"""

from __future__ import annotations

import subprocess
import sys
from xml.etree import ElementTree

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from tests.data import REPO_DIR

SCRIPT = REPO_DIR / "scripts" / "gen_model_diagram.py"
SVG = REPO_DIR / "docs" / "model.svg"
ONTOLOGY = REPO_DIR / "ontology" / "sdgkg.ttl"
SDGKG = "https://w3id.org/sdgkg/ontology#"
SVG_NS = "{http://www.w3.org/2000/svg}"


def test_diagram_is_in_sync_with_the_ontology() -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_diagram_draws_every_class_of_the_ontology() -> None:
    graph = Graph().parse(ONTOLOGY, format="turtle")
    classes = {
        str(c)[len(SDGKG) :]
        for c in graph.subjects(RDF.type, OWL.Class)
        if isinstance(c, URIRef) and str(c).startswith(SDGKG) and not graph.value(c, OWL.deprecated)
    }
    root = ElementTree.parse(SVG).getroot()
    drawn = {g.get("id", "").removeprefix("class-") for g in root.iter(f"{SVG_NS}g")}
    assert classes and classes <= drawn


def test_diagram_names_the_typology_facets_and_the_new_links() -> None:
    root = ElementTree.parse(SVG).getroot()
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG_NS}text"))
    for term in ("jobTitle", "country", "timePerspective", "phaseOut", "emphasisedSDG", "speaker"):
        assert term in texts, term
