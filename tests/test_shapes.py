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
    assert violations
    strangers = [v.to_text() for v in violations if not v.shape.startswith(own)]
    assert not strangers, "fails on other shapes too:\n" + "\n".join(strangers)
    assert all(v.line for v in violations), "every violation is located in the file"
