"""How a sheet's cells are read: Danish folding, suffixes, abbreviations, SDG numbers, IRIs."""

from __future__ import annotations

import pytest

from sdgkg.names import Notation, abbreviations, core_name, name_keys, read_notation
from sdgkg.reconcile.normalise import outside_identifier

SAME_NAME = [
    ("Sønderborg Kommune", "Sønderborg"),
    ("SOENDERBORG", "Sønderborg"),
    ("Sønderborg Municipality", "Sønderborg"),
    ("Municipality of Sønderborg", "Sønderborg"),
    ("Ærø", "Aeroe"),
    ("Høje-Taastrup Kommune", "Høje Taastrup"),
    ("L'Oréal Danmark A/S", "L'Oreal Danmark"),
    ("MAN Energy Solutions ApS", "MAN Energy Solutions"),
    ("København", "Kobenhavn"),
]


@pytest.mark.parametrize(("cell", "label"), SAME_NAME, ids=[c for c, _ in SAME_NAME])
def test_cell_and_label_share_a_key(cell: str, label: str) -> None:
    assert name_keys(cell) & name_keys(label)


@pytest.mark.parametrize(
    ("cell", "label"),
    [("Aarhus", "Aarhus Universitet"), ("Sønderborg", "Sønderbro"), ("Kommune", "Sønderborg")],
)
def test_different_names_share_no_key(cell: str, label: str) -> None:
    assert not name_keys(cell) & name_keys(label)


def test_a_bare_suffix_is_kept_as_the_name() -> None:
    assert core_name("Kommune") == "kommune"


@pytest.mark.parametrize(
    ("label", "short"),
    [
        ("Local Government Denmark (KL)", "kl"),
        ("Danske Handicaporganisationer", "dh"),
        ("Danmarks Tekniske Universitet", "dtu"),
    ],
)
def test_abbreviations_of_a_label(label: str, short: str) -> None:
    assert short in abbreviations(label)


def test_a_one_word_name_has_no_initials() -> None:
    assert abbreviations("Nationalmuseet") == set()


NOTATIONS = [
    ("4.7", Notation("4.7", "Target")),
    ("mål 4", Notation("4", "Goal")),
    ("Mål 4", Notation("4", "Goal")),
    ("SDG 4", Notation("4", "Goal")),
    ("SDG4", Notation("4", "Goal")),
    ("SDG 13.2", Notation("13.2", "Target")),
    ("verdensmål 17", Notation("17", "Goal")),
    ("FN's verdensmål 3", Notation("3", "Goal")),
    ("delmål 4.7", Notation("4.7", "Target")),
    ("Target 14.a", Notation("14.a", "Target")),
    ("indicator 4.7.1", Notation("4.7.1", "Indicator")),
]


@pytest.mark.parametrize(("cell", "notation"), NOTATIONS, ids=[c for c, _ in NOTATIONS])
def test_sdg_notations(cell: str, notation: Notation) -> None:
    assert read_notation(cell) == notation


@pytest.mark.parametrize("cell", ["Aarhus", "4.7 og 4.8", "mål", "123.4", ""])
def test_not_a_notation(cell: str) -> None:
    assert read_notation(cell) is None


@pytest.mark.parametrize(
    ("cell", "iri"),
    [
        ("Q26073", "http://www.wikidata.org/entity/Q26073"),
        ("https://www.wikidata.org/wiki/Q26073", "http://www.wikidata.org/entity/Q26073"),
        ("http://www.wikidata.org/entity/Q26073", "http://www.wikidata.org/entity/Q26073"),
        ("http://metadata.un.org/sdg/4.7", "http://metadata.un.org/sdg/4.7"),
        ("https://metadata.un.org/sdg/13?lang=en", "http://metadata.un.org/sdg/13"),
    ],
)
def test_outside_identifiers(cell: str, iri: str) -> None:
    assert outside_identifier(cell) == iri


def test_a_name_is_not_an_outside_identifier() -> None:
    assert outside_identifier("Quality education") is None
