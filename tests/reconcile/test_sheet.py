"""sdgkg.reconcile.sheet: a sheet's names settled as /reconcile settles them, or reported."""

from __future__ import annotations

import pytest

from sdgkg.config import Settings
from sdgkg.errors import UnresolvedName
from sdgkg.load import bundled_memory_store
from sdgkg.reconcile import build_index
from sdgkg.reconcile.sheet import IndexNameMatcher
from sdgkg.store.base import GraphStore

ID = "https://w3id.org/sdgkg/id/"
NAMESAKES = f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sdgkg: <https://w3id.org/sdgkg/ontology#>
INSERT DATA {{ GRAPH <urn:x-test:namesakes> {{
  <{ID}partner/groen-fremtid-aarhus> a sdgkg:CivilSocietyOrganisation ;
      rdfs:label "Grøn Fremtid"@da .
  <{ID}partner/groen-fremtid-odense> a sdgkg:CivilSocietyOrganisation ;
      rdfs:label "Grøn Fremtid"@da .
}} }}"""


@pytest.fixture(scope="module")
def matcher() -> IndexNameMatcher:
    store: GraphStore = bundled_memory_store(Settings(store="/nonexistent"))
    store.update(NAMESAKES)
    return IndexNameMatcher(build_index(store, Settings().base_iri))


@pytest.mark.parametrize(
    ("text", "kinds", "iri"),
    [
        ("SØNDERBORG KOMMUNE", ("partner", "municipality"), ID + "municipality/soenderborg"),
        ("KL", ("partner",), ID + "partner/kl"),
        ("Alliancepartner", ("partnership-type",), ID + "partnership-type/alliance-partner"),
        ("Uddannelse", ("unesco-domain",), ID + "unesco-domain/education"),
    ],
)
def test_a_clear_name_resolves(
    matcher: IndexNameMatcher, text: str, kinds: tuple[str, ...], iri: str
) -> None:
    assert matcher.match(text, kinds).iri == iri


def test_namesakes_are_ambiguous_with_both_as_candidates(matcher: IndexNameMatcher) -> None:
    found = matcher.match("Groen Fremtid", ("partner",))
    assert found.iri is None and found.ambiguous
    assert {iri for iri, _, _ in found.candidates} == {
        ID + "partner/groen-fremtid-aarhus",
        ID + "partner/groen-fremtid-odense",
    }


def test_a_near_name_is_not_a_match_but_a_candidate(matcher: IndexNameMatcher) -> None:
    found = matcher.match("DH", ("partner",))
    assert found.iri is None and not found.ambiguous
    assert found.candidates[0][0] == ID + "partner/danske-handicaporganisationer"


def test_kinds_reconciliation_does_not_hold_match_nothing(matcher: IndexNameMatcher) -> None:
    """Sources and roles are named by slug or label; the import looks them up itself."""
    assert matcher.match("seed-002", ("source",)).candidates == ()


def test_the_terminal_shows_candidates_the_page_lists_apart() -> None:
    error = UnresolvedName(
        "unknown partner 'DH'", where="s.csv:row 2, column members", text="DH",
        candidates=((ID + "partner/dh", "DH", 90.0),),
    )  # fmt: skip
    assert error.message == "unknown partner 'DH'"
    assert str(error).endswith(f"unknown partner 'DH'; candidates: DH <{ID}partner/dh> (90)")
