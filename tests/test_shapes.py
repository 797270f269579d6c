"""Shape cases: ``tests/shapes/Snn-valid-NN.ttl`` must conform, ``Snn-invalid-NN.ttl`` must fail
on its own shape only. Each case is validated with the bundled ontology and reference data as
context, so references to unknown targets or partners fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sdgkg import resources
from sdgkg.rdfio import parse_file
from sdgkg.validate import validate_parsed
from tests.data import SHAPE_CASES_DIR

VALID_CASES = sorted(SHAPE_CASES_DIR.glob("S*-valid-*.ttl"))
INVALID_CASES = sorted(SHAPE_CASES_DIR.glob("S*-invalid-*.ttl"))
SHAPES_NS = "https://w3id.org/sdgkg/shapes#"


@pytest.fixture(scope="module")
def reference_context() -> list[object]:
    return [t for p in resources.reference_data_files() for t in parse_file(p).all_triples()]


def shape_id(case: Path) -> str:
    return case.name.split("-", 1)[0]


def test_every_record_shape_has_cases() -> None:
    from rdflib import SH, Graph
    from rdflib.namespace import RDF

    shapes = Graph().parse(resources.record_shapes_file())
    ids = {
        str(s).removeprefix(SHAPES_NS).split("-", 1)[0]
        for s in shapes.subjects(RDF.type, SH.NodeShape)
    }
    with_valid = {shape_id(c) for c in VALID_CASES}
    with_invalid = {shape_id(c) for c in INVALID_CASES}
    assert ids <= with_valid, f"shapes without a valid case: {sorted(ids - with_valid)}"
    assert ids <= with_invalid, f"shapes without an invalid case: {sorted(ids - with_invalid)}"


@pytest.mark.parametrize("case", VALID_CASES, ids=lambda p: p.stem)
def test_valid_case_conforms(case: Path, reference_context: list[object]) -> None:
    report = validate_parsed([parse_file(case)], context=reference_context)  # type: ignore[arg-type]
    assert report.conforms, "\n".join(v.to_text() for v in report.violations)


@pytest.mark.parametrize("case", INVALID_CASES, ids=lambda p: p.stem)
def test_invalid_case_fails_on_its_own_shape_only(
    case: Path, reference_context: list[object]
) -> None:
    first_line = case.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("# Invalid:"), "line 1 must state why the case is invalid"
    report = validate_parsed([parse_file(case)], context=reference_context)  # type: ignore[arg-type]
    assert not report.conforms
    own = SHAPES_NS + shape_id(case) + "-"
    violations = [v for v in report.violations if v.severity == "Violation"]
    assert [v for v in violations if v.shape.startswith(own)], "fails, but not on its own shape"
    # S28 restates the ontology's domains and ranges, which record shapes also state (issue 20).
    restated = SHAPES_NS + "S28-"
    strangers = [v.to_text() for v in violations if not v.shape.startswith((own, restated))]
    assert not strangers, "fails on other shapes too:\n" + "\n".join(strangers)
    assert all(v.line for v in violations), "every violation is located in the file"


# Issue 20: the shapes say what the ontology says, and agree with it under inference.


@pytest.mark.slow
@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_issue_20_bundled_data_conforms_with_and_without_rdfs_inference(
    inference: str, bundle_graph: object
) -> None:
    """https://github.com/sdgkg/sdgkg/issues/20: 70 violations under RDFS inference before."""
    import pyshacl
    from rdflib import SH, Graph

    from sdgkg._prepared_sparql import prepared_sparql
    from sdgkg.validate import _shapes_graph

    assert isinstance(bundle_graph, Graph)
    with prepared_sparql():
        conforms, report, _ = pyshacl.validate(
            bundle_graph,
            shacl_graph=_shapes_graph(),
            inference=inference,
            advanced=True,
            allow_warnings=True,
        )
    assert isinstance(report, Graph)
    failures = sorted(
        f"{report.value(r, SH.focusNode)} {report.value(r, SH.resultPath)} "
        f"[{report.value(r, SH.sourceShape)}]"
        for r in report.subjects(SH.resultSeverity, SH.Violation)
    )
    assert conforms, "\n".join(failures[:30])


def test_every_domain_and_range_has_a_shape() -> None:
    """Each rdfs:domain is an S28 node shape's sh:class, each rdfs:range its property's."""
    from rdflib import RDFS, SH, Graph
    from rdflib.collection import Collection

    ontology = Graph().parse(resources.ontology_file())
    shapes = Graph().parse(resources.record_shapes_file())
    missing = []
    for prop, domain in ontology.subject_objects(RDFS.domain):
        shape = next(shapes.subjects(SH.targetSubjectsOf, prop), None)
        if shape is None or (shape, SH["class"], domain) not in shapes:
            missing.append(f"{prop} rdfs:domain {domain}")
    for prop, range_ in ontology.subject_objects(RDFS.range):
        constraints = {
            o
            for shape in shapes.subjects(SH.targetSubjectsOf, prop)
            for p in shapes.objects(shape, SH.property)
            if shapes.value(p, SH.path) == prop
            for o in (*shapes.objects(p, SH["class"]), *shapes.objects(p, SH.datatype))
        } | {
            o
            for shape in shapes.subjects(SH.targetSubjectsOf, prop)
            for p in shapes.objects(shape, SH.property)
            for alternatives in shapes.objects(p, SH["or"])
            for member in Collection(shapes, alternatives)
            for o in shapes.objects(member, SH.datatype)
        }
        if range_ not in constraints:
            missing.append(f"{prop} rdfs:range {range_}")
    assert not missing, "\n".join(sorted(missing))


def test_closed_shapes_allow_the_paths_of_every_related_shape() -> None:
    """A property shape on a class, its superclass or subclass is allowed by the closed shape."""
    from rdflib import RDF, RDFS, SH, Graph, URIRef
    from rdflib.collection import Collection

    ontology = Graph()
    for path in resources.schema_files():
        ontology.parse(path)
    shapes = Graph().parse(resources.record_shapes_file())

    def related(one: object, other: object) -> bool:
        return other in set(ontology.transitive_objects(one, RDFS.subClassOf)) or one in set(
            ontology.transitive_objects(other, RDFS.subClassOf)
        )

    gaps = []
    for closed in shapes.subjects(SH.closed, None):
        allowed = set(Collection(shapes, shapes.value(closed, SH.ignoredProperties)))
        classes = set(shapes.objects(closed, SH.targetClass))
        for shape in shapes.subjects(RDF.type, SH.NodeShape):
            targets = set(shapes.objects(shape, SH.targetClass))
            if not any(related(a, b) for a in classes for b in targets):
                continue
            for prop_shape in shapes.objects(shape, SH.property):
                path = shapes.value(prop_shape, SH.path)
                if isinstance(path, URIRef) and path not in allowed:
                    gaps.append(f"{closed} does not allow {path}")
    assert not gaps, "\n".join(sorted(set(gaps)))


def test_closed_shapes_allow_every_entailed_super_property() -> None:
    """Issue 20 item 4: scripts/gen_closed_shapes.py has added each rdfs:subPropertyOf closure."""
    import subprocess
    import sys

    from tests.data import REPO_DIR

    script = REPO_DIR / "scripts" / "gen_closed_shapes.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_unknown_property_names_the_nearest_known_one(
    reference_context: list[object], tmp_path: Path
) -> None:
    case = SHAPE_CASES_DIR / "S01-valid-01.ttl"
    text = case.read_text(encoding="utf-8").replace("schema:url", "schema:ulr")
    misspelt = tmp_path / "misspelt.ttl"
    misspelt.write_text(text, encoding="utf-8")
    report = validate_parsed([parse_file(misspelt)], context=reference_context)  # type: ignore[arg-type]
    texts = [v.to_text() for v in report.violations if v.shape_id == "S01-Partner-closed"]
    assert texts and "Did you mean schema:url?" in texts[0], texts
