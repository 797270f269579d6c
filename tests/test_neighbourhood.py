"""What validation sees of the records a file refers to (``sdgkg.neighbourhood``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdgkg import resources
from sdgkg.rdfio import parse_file
from sdgkg.validate import neighbourhood_of, validate_files, validate_parsed
from tests.data import CASES_DIR, SHAPE_CASES_DIR

# Defined in another file: a characteristic in the time-perspectives scheme.
CHARACTERISTIC = SHAPE_CASES_DIR / "S24-valid-01.ttl"
TYPE = """@prefix characteristic: <https://w3id.org/sdgkg/id/partnership-characteristic/> .
@prefix partnership-type: <https://w3id.org/sdgkg/id/partnership-type/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix scheme: <https://w3id.org/sdgkg/id/scheme/> .
@prefix sdgkg: <https://w3id.org/sdgkg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix source: <https://w3id.org/sdgkg/id/source/> .

partnership-type:example-type a sdgkg:PartnershipType ;
    rdfs:label "Eksempeltype"@da , "Example type"@en ;
    skos:prefLabel "Eksempeltype"@da , "Example type"@en ;
    skos:inScheme scheme:partnership-types ;
    sdgkg:{facet} characteristic:example-long-term ;
    prov:wasDerivedFrom source:seed-004 .
"""


@pytest.mark.parametrize(("facet", "conforms"), [("timePerspective", True), ("phaseOut", False)])
def test_a_facet_value_from_another_file_is_checked_against_its_scheme(
    tmp_path: Path, facet: str, conforms: bool
) -> None:
    path = tmp_path / "type.ttl"
    path.write_text(TYPE.replace("{facet}", facet), encoding="utf-8")
    parsed = parse_file(path)
    elsewhere = [
        t
        for p in [*resources.reference_data_files(), CHARACTERISTIC]
        for t in parse_file(p).all_triples()
    ]
    report = validate_parsed([parsed], context=neighbourhood_of([parsed], elsewhere))
    assert report.conforms is conforms, "\n".join(v.to_text() for v in report.violations)
    if not conforms:
        assert {v.shape_id for v in report.violations} == {f"S07-PartnershipType-{facet}"}


def test_a_record_extended_in_another_file_is_validated_whole() -> None:
    """The file gives reference goal 17 its colour and links a partnership to it: the goal is
    validated with its notation, labels and source from the reference data."""
    report = validate_files([CASES_DIR / "extends-reference-goal.ttl"])
    assert report.conforms, "\n".join(v.to_text() for v in report.violations)


def test_issue_20_an_initiative_of_a_partnership_conforms_against_the_store(
    store: object, tmp_path: Path
) -> None:
    """S08 needs the partnership's sdgkg:hasInitiative, which lives in the store, not the file."""
    from rdflib import URIRef

    from sdgkg.store.embedded import EmbeddedStore
    from sdgkg.validate import validate_against_store
    from tests.mutations import SDGKG, _curated, _record_triples, to_turtle

    assert isinstance(store, EmbeddedStore)
    initiative = min(s for s in _curated().subjects(SDGKG.partOfPartnership, None))
    assert isinstance(initiative, URIRef)
    path = tmp_path / "initiative.ttl"
    path.write_text(to_turtle(_record_triples(initiative)), encoding="utf-8")
    report = validate_against_store([path], store)
    assert report.conforms, "\n".join(v.to_text() for v in report.violations)
