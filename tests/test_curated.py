"""Curated records: every file conforms, and every record rests on a quoted passage."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdgkg import resources
from sdgkg.store.embedded import EmbeddedStore
from sdgkg.validate import validate_files

CURATED = resources.curated_data_files()


def test_there_is_one_curated_file_per_source_text() -> None:
    assert len(CURATED) == 5


@pytest.mark.parametrize("path", CURATED, ids=lambda p: p.stem)
def test_curated_file_conforms(path: Path) -> None:
    report = validate_files([path])
    assert report.conforms, "\n".join(v.to_text() for v in report.violations)


RECORDS_WITHOUT_PASSAGE = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX sdgkg: <https://w3id.org/sdgkg/ontology#>
SELECT ?record WHERE {
  VALUES ?kind { sdgkg:Partnership sdgkg:Initiative sdgkg:Fact }
  ?record a/rdfs:subClassOf* ?kind .
  FILTER NOT EXISTS {
    ?record prov:wasDerivedFrom ?source ; prov:qualifiedDerivation ?quotation .
    ?quotation prov:entity ?source ; sdgkg:lineStart ?start ; sdgkg:lineEnd ?end ;
               sdgkg:keyPhrase ?phrase .
    ?source sdgkg:fileName ?file .
  }
}
"""


def test_every_partnership_initiative_and_fact_has_source_locator_and_key_phrase(
    store: EmbeddedStore,
) -> None:
    query = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + RECORDS_WITHOUT_PASSAGE
    missing = [str(row["record"].value) for row in store.query(query)]  # type: ignore[index,union-attr]
    assert not missing


def test_the_figures_the_texts_give_are_recorded(store: EmbeddedStore) -> None:
    values = {
        row["value"].value  # type: ignore[index]
        for row in store.query(  # type: ignore[union-attr]
            "PREFIX schema: <https://schema.org/> PREFIX sdgkg: <https://w3id.org/sdgkg/ontology#> "
            "SELECT ?value WHERE { ?fact a sdgkg:Fact ; schema:value ?value }"
        )
    }
    for figure in ("76", "115", "28", "25"):
        assert figure in values, f"no fact with value {figure}"
