"""Label search: folding of case and Danish letters, grouping by kind, rebuilt on new data."""

from __future__ import annotations

import pytest

from sdgkg.store.embedded import EmbeddedStore
from sdgkg.web.search import build_index, fold

BASE = "https://w3id.org/sdgkg/"


@pytest.mark.parametrize(
    "query",
    ["Sønderborg", "sønderborg", "SOENDERBORG", "soenderborg", "Sonderborg"],
    ids=["exact", "lower", "upper-ascii", "oe", "o"],
)
def test_municipality_found_however_spelt(web_store: EmbeddedStore, query: str) -> None:
    hits = build_index(web_store, BASE).search(query)
    assert hits[0].entry.iri == f"{BASE}id/municipality/soenderborg"
    assert hits[0].entry.group == "Municipality"


def test_aa_matches_aa_letter(web_store: EmbeddedStore) -> None:
    hits = build_index(web_store, BASE).search("Aabenraa")
    assert hits[0].entry.iri == f"{BASE}id/municipality/aabenraa"


def test_target_found_by_notation(web_store: EmbeddedStore) -> None:
    hits = build_index(web_store, BASE).search("13.2")
    assert hits[0].entry.iri == f"{BASE}id/target/13.2"
    assert hits[0].entry.group == "Target"


def test_danish_and_english_labels_both_searched(web_store: EmbeddedStore) -> None:
    index = build_index(web_store, BASE)
    assert index.search("Klimaindsats")[0].entry.iri == f"{BASE}id/goal/13"
    assert index.search("climate action")[0].entry.iri == f"{BASE}id/goal/13"


def test_groups_have_labels_in_both_languages(web_store: EmbeddedStore) -> None:
    index = build_index(web_store, BASE)
    assert index.group_label("Municipality", "da") == "kommune"
    assert index.group_label("Municipality", "en") == "municipality"


def test_empty_query_finds_nothing(web_store: EmbeddedStore) -> None:
    assert build_index(web_store, BASE).search("   ") == []


def test_fold_drops_accents_and_hyphens() -> None:
    assert fold("Høje-Taastrup") == "hoeje taastrup"
    assert fold("L'Oréal") == "l'oreal"
