"""Extraction checklists: what each source text states, and that the graph holds it as structure.

``tests/checklists/seed-NNN.toml`` is written by reading seed NNN line by line. Each
``[[statement]]`` names the lines it comes from, what kind of statement it is, and either

- ``record`` (the IRI path under ``https://w3id.org/sdgkg/id/`` of the record that says it) and
  ``ask`` (a SPARQL ASK over the bundled store that holds only if the graph states it as
  structure, not in a description), or
- ``omitted``: why the statement is left out on purpose.

The record must carry a quotation from that seed whose lines overlap the statement's lines, so
every fact keeps its provenance (source, lines, key phrase).
"""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sdgkg.store.embedded import EmbeddedStore
from tests.data import TESTS_DIR

CHECKLISTS = sorted((TESTS_DIR / "checklists").glob("seed-*.toml"))
ID = "https://w3id.org/sdgkg/id/"
KINDS = {
    "person", "post", "organisation", "unit", "place", "country", "event", "date", "membership",
    "figure", "goal", "typology", "name", "initiative", "partnership", "other",
}  # fmt: skip
ID_PREFIXES = (
    "country", "dimension", "fact", "goal", "indicator", "initiative", "job-title",
    "learning-city", "membership", "municipality", "partner", "partnership",
    "partnership-characteristic", "partnership-type", "person", "place", "post", "region", "role",
    "scheme", "source", "target", "topic", "unesco-domain",
)  # fmt: skip
PREFIXES = "\n".join(
    [
        "PREFIX dcterms: <http://purl.org/dc/terms/>",
        "PREFIX org: <http://www.w3.org/ns/org#>",
        "PREFIX prov: <http://www.w3.org/ns/prov#>",
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>",
        "PREFIX schema: <https://schema.org/>",
        "PREFIX sdgkg: <https://w3id.org/sdgkg/ontology#>",
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>",
        "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>",
        *(f"PREFIX {name}: <{ID}{name}/>" for name in ID_PREFIXES),
    ]
)
PASSAGE = """
ASK {
  <%(record)s> prov:qualifiedDerivation ?quotation .
  ?quotation prov:entity ?source ; sdgkg:lineStart ?start ; sdgkg:lineEnd ?end ;
      sdgkg:keyPhrase ?phrase .
  ?source sdgkg:fileName ?file .
  FILTER (STRSTARTS(?file, "%(seed)s_") && ?start <= %(last)d && ?end >= %(first)d)
}
"""


def _statements() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in CHECKLISTS:
        seed = path.stem.removeprefix("seed-")
        for statement in tomllib.loads(path.read_text(encoding="utf-8"))["statement"]:
            found.append((seed, statement))
    return found


@pytest.fixture(scope="module")
def graph(
    bundled_store_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmbeddedStore]:
    """One copy of the bundled store for all statements: they only read it."""
    path = tmp_path_factory.mktemp("checklists") / "store"
    shutil.copytree(bundled_store_template, path)
    opened = EmbeddedStore(path)
    yield opened
    opened.close()


STATEMENTS = _statements()
STATED = [(seed, s) for seed, s in STATEMENTS if "omitted" not in s]


def _id(item: tuple[str, dict[str, Any]]) -> str:
    return f"{item[0]}-{item[1]['id']}"


def test_every_source_text_has_a_checklist() -> None:
    assert [p.stem for p in CHECKLISTS] == [f"seed-00{n}" for n in range(5)]


@pytest.mark.parametrize("item", STATEMENTS, ids=_id)
def test_statement_is_well_formed(item: tuple[str, dict[str, Any]]) -> None:
    _, statement = item
    first, last = statement["lines"]
    assert 1 <= first <= last
    assert statement["kind"] in KINDS
    assert statement["says"].strip() and statement["subject"].strip()
    if "omitted" in statement:
        assert statement["omitted"].strip(), "say why the statement is left out"
        assert "ask" not in statement
    else:
        assert statement["record"] and "ASK" in statement["ask"].upper()


def test_statement_ids_are_unique() -> None:
    ids = [_id(item) for item in STATEMENTS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("item", STATED, ids=_id)
def test_statement_is_in_the_graph_as_structure(
    item: tuple[str, dict[str, Any]], graph: EmbeddedStore
) -> None:
    _, statement = item
    assert graph.query(PREFIXES + "\n" + statement["ask"]), statement["says"]


@pytest.mark.parametrize("item", STATED, ids=_id)
def test_statement_keeps_its_provenance(
    item: tuple[str, dict[str, Any]], graph: EmbeddedStore
) -> None:
    seed, statement = item
    first, last = statement["lines"]
    record = ID + statement["record"]
    query = PASSAGE % {"record": record, "seed": seed, "first": first, "last": last}
    assert graph.query(PREFIXES + query), (
        f"{record} has no quotation from seed {seed} overlapping lines {first}-{last}"
    )
