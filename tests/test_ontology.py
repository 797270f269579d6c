"""The ontology: it conforms to its meta-shapes, and the generated term constants are in sync."""

from __future__ import annotations

import subprocess
import sys

import pyshacl
from rdflib import Graph

from sdgkg import resources
from tests.data import REPO_DIR


def test_ontology_conforms_to_its_meta_shapes() -> None:
    ontology = Graph()
    for path in resources.schema_files():
        ontology.parse(path)
    conforms, _, text = pyshacl.validate(
        ontology,
        shacl_graph=Graph().parse(resources.ontology_shapes_file()),
        inference="none",
        advanced=True,
    )
    assert conforms, text


def test_generated_namespace_module_is_in_sync() -> None:
    script = REPO_DIR / "scripts" / "gen_namespaces.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
