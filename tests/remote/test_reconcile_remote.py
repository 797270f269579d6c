"""Reconciliation over every backend (issue 17): the label index is built through GraphStore
only, so Oxigraph server and Virtuoso give the embedded store's candidates and extension values."""

from __future__ import annotations

import pytest

from sdgkg.reconcile import Condition, Query, build_index, reconcile
from tests.remote.conftest import Backend

pytestmark = pytest.mark.e2e
ID = "https://w3id.org/sdgkg/id/"

CELLS = [
    ("Sønderborg Kommune", ("Municipality",), "municipality/soenderborg"),
    ("KL", ("Partner",), "partner/kl"),
    ("mål 4", (), "goal/4"),
    ("Q26073", (), "region/region-hovedstaden"),
    ("Red Barnet", ("CivilSocietyOrganisation",), "partner/red-barnet"),
]


def test_reconcile_over_each_backend(backend: Backend) -> None:
    index = build_index(backend.store, backend.settings.base_iri)
    for cell, types, expected in CELLS:
        best = reconcile(index, Query(types, (Condition("name", (cell,)),)))[0]
        assert (best.record.iri, best.match) == (ID + expected, True), (backend.name, cell)
    target = index.records[ID + "target/4.7"]
    assert target.values["goal"] == [ID + "goal/4"]
    partnership = index.records[ID + "partnership/soenderborg-gnlc"]
    assert ID + "municipality/soenderborg" in partnership.values["municipality"]
