"""Candidates and match decisions over the bundled graph, and over namesakes added to it."""

from __future__ import annotations

import pytest

from sdgkg.config import Settings
from sdgkg.reconcile import Condition, Query, ReconcileIndex, build_index, reconcile
from sdgkg.store.embedded import EmbeddedStore

ID = "https://w3id.org/sdgkg/id/"
ONT = "https://w3id.org/sdgkg/ontology#"


def named(text: str, *types: str, properties: tuple[tuple[str, str], ...] = ()) -> Query:
    constraints = [Condition("property", (value,), pid) for pid, value in properties]
    return Query(types, (Condition("name", (text,)), *constraints), 5)


CERTAIN = [
    ("Sønderborg Kommune", "municipality/soenderborg"),
    ("SØNDERBORG", "municipality/soenderborg"),
    ("Sonderborg", "municipality/soenderborg"),
    ("Sønderborg Municipality", "municipality/soenderborg"),
    ("540", "municipality/soenderborg"),
    ("København Kommune", "municipality/koebenhavn"),
    ("KL", "partner/kl"),
    ("Red Barnet", "partner/red-barnet"),
    ("Save the Children Denmark", "partner/red-barnet"),
    ("L'Oréal Danmark A/S", "partner/loreal-danmark"),
    ("4.7", "target/4.7"),
    ("mål 4", "goal/4"),
    ("SDG 4", "goal/4"),
    ("verdensmål 17", "goal/17"),
    ("4.7.1", "indicator/4.7.1"),
    ("Q26073", "region/region-hovedstaden"),
    ("http://metadata.un.org/sdg/4.7", "target/4.7"),
    (f"{ID}partner/cisu", "partner/cisu"),
    ("Danske Handicap Organisationer", "partner/danske-handicaporganisationer"),
]


@pytest.mark.parametrize(("cell", "expected"), CERTAIN, ids=[c for c, _ in CERTAIN])
def test_certain_cells_match_one_record(index: ReconcileIndex, cell: str, expected: str) -> None:
    candidates = reconcile(index, named(cell))
    assert candidates[0].record.iri == ID + expected
    assert candidates[0].match
    assert all(not other.match for other in candidates[1:])


def test_an_abbreviation_is_a_candidate_but_not_a_match(index: ReconcileIndex) -> None:
    """DH is nowhere in the data: initials are a good guess, for a curator to confirm."""
    best = reconcile(index, named("DH"))[0]
    assert best.record.iri == ID + "partner/danske-handicaporganisationer"
    assert not best.match and best.score == 90.0


def test_a_misspelling_is_found_with_a_lower_score(index: ReconcileIndex) -> None:
    best = reconcile(index, named("Sønderbrg"))[0]
    assert best.record.iri == ID + "municipality/soenderborg"
    assert 90 <= best.score < 100


def test_a_partial_name_is_no_match(index: ReconcileIndex) -> None:
    candidates = reconcile(index, named("Save the children"))
    assert candidates[0].record.iri == ID + "partner/red-barnet"
    assert not candidates[0].match


def test_type_limits_candidates(index: ReconcileIndex) -> None:
    partnerships = reconcile(index, named("Sønderborg learning city", "Partnership"))
    assert partnerships[0].record.iri == ID + "partnership/soenderborg-gnlc"
    assert all("Partnership" in c.record.types for c in partnerships)
    assert reconcile(index, named("Aarhus", "Municipality"))[0].record.iri == (
        ID + "municipality/aarhus"
    )
    assert reconcile(index, named("Aarhus", "Goal")) == []


def test_a_municipality_is_also_a_partner(index: ReconcileIndex) -> None:
    best = reconcile(index, named("Gladsaxe Kommune", "Partner"))[0]
    assert best.record.iri == ID + "municipality/gladsaxe" and best.match


@pytest.mark.parametrize("goal", ["4", "mål 4", f"{ID}goal/4", "Quality education"])
def test_a_targets_goal_agrees(index: ReconcileIndex, goal: str) -> None:
    best = reconcile(index, named("4.7", "Target", properties=(("goal", goal),)))[0]
    assert best.features["property_0_goal"] == 100.0 and best.match


def test_a_contradicting_property_prevents_a_match(index: ReconcileIndex) -> None:
    best = reconcile(index, named("4.7", "Target", properties=(("goal", "5"),)))[0]
    assert best.record.iri == ID + "target/4.7"
    assert best.score == 50.0 and not best.match


def test_a_required_property_filters(index: ReconcileIndex) -> None:
    query = Query(
        ("Municipality",),
        (
            Condition("name", ("Sønderborg",)),
            Condition("property", ("Region Hovedstaden",), "region", required=True),
        ),
    )
    assert reconcile(index, query) == []


def test_property_alone_finds_records(index: ReconcileIndex) -> None:
    query = Query(("Municipality",), (Condition("property", ("540",), "kommunekode"),))
    best = reconcile(index, query)[0]
    assert best.record.iri == ID + "municipality/soenderborg" and best.match


def test_namesakes_are_never_a_match_until_a_property_decides(
    store: EmbeddedStore, settings: Settings
) -> None:
    store.update(
        f"""PREFIX sdgkg: <{ONT}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX org: <http://www.w3.org/ns/org#>
        INSERT DATA {{ GRAPH <urn:test:namesakes> {{
          <{ID}partner/groen-fremtid-a> a sdgkg:CivilSocietyOrganisation ;
              rdfs:label "Grøn Fremtid"@da .
          <{ID}partner/groen-fremtid-b> a sdgkg:CivilSocietyOrganisation ;
              rdfs:label "Grøn Fremtid"@da .
          <{ID}partnership/groen-fremtid-herning> a sdgkg:Partnership ;
              rdfs:label "Grøn Fremtid i Herning"@da ;
              org:hasMember <{ID}partner/groen-fremtid-b> ;
              sdgkg:municipality <{ID}municipality/herning> .
        }} }}"""
    )
    index = build_index(store, settings.base_iri)
    both = reconcile(index, named("Grøn Fremtid", "Partner"))
    assert {c.record.iri for c in both[:2]} == {
        f"{ID}partner/groen-fremtid-a",
        f"{ID}partner/groen-fremtid-b",
    }
    assert not any(c.match for c in both)
    decided = reconcile(
        index, named("Groen Fremtid", "Partner", properties=(("municipality", "Herning"),))
    )
    assert decided[0].record.iri == f"{ID}partner/groen-fremtid-b" and decided[0].match


def test_limit_caps_candidates(index: ReconcileIndex) -> None:
    query = Query((), (Condition("name", ("Sønderborg",)),), limit=1)
    assert len(reconcile(index, Query((), (Condition("name", ("Target",)),), limit=3))) == 3
    assert len(reconcile(index, query)) == 1
