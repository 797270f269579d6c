"""Records per kind: what the home page and ``sdgkg stats`` count (issue 15: the new kinds too)."""

from __future__ import annotations

from pyoxigraph import Quad

from sdgkg import resources
from sdgkg.iris import DEFAULT_BASE_IRI
from sdgkg.kinds import RECORD_KINDS, count_kinds
from sdgkg.rdfio import parse_file
from sdgkg.store.embedded import EmbeddedStore
from tests.data import SHAPE_CASES_DIR

# Valid shape cases: a post in a municipal body held by a person; an event, a policy and a
# recommendation at a place; a hall in a city in a country.
CASES = ("S20-valid-01.ttl", "S08-valid-04.ttl", "S22-valid-01.ttl")


def test_new_kinds_are_counted_with_their_subclasses() -> None:
    store = EmbeddedStore(None)
    paths = [*resources.schema_files(), *(SHAPE_CASES_DIR / name for name in CASES)]
    store.oxigraph.extend(
        Quad(t.subject, t.predicate, t.object) for p in paths for t in parse_file(p).all_triples()
    )
    counts = count_kinds(store, DEFAULT_BASE_IRI)
    assert list(counts) == list(RECORD_KINDS)
    assert counts["Person"] == 1  # the same person in two files is one record
    assert counts["Post"] == 1
    assert counts["Place"] == 2
    assert counts["Event"] == 1
    assert counts["Initiative"] == 3  # event, policy and recommendation
    assert counts["OrganisationalUnit"] == 1  # a sdgkg:MunicipalBody
    assert counts["Partner"] == 1  # the unit; the municipality it belongs to is not in the store
    assert counts["Municipality"] == 0
