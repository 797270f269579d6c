"""Hygiene checks: every ``queries/checks/*-violation.rq`` returns zero rows on the whole bundle,
and each check with a bad case (``tests/cases/checks/<check>.ttl``) finds what that case breaks.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyoxigraph import Quad

from sdgkg.rdfio import parse_file
from sdgkg.results import table_rows
from sdgkg.store.embedded import EmbeddedStore
from tests.data import CHECK_CASES_DIR, CHECKS_DIR

CHECKS = sorted(CHECKS_DIR.glob("*-violation.rq"))
BAD_CASES = sorted(CHECK_CASES_DIR.glob("*-violation.ttl"))


def test_there_are_checks() -> None:
    assert len(CHECKS) >= 5


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_check_finds_nothing(check: Path, store: EmbeddedStore) -> None:
    columns, rows = table_rows(store.query(check.read_text(encoding="utf-8")))
    shown = "\n".join(" | ".join(row) for row in rows[:20])
    assert not rows, f"{check.name} found {len(rows)} problem(s):\n{' | '.join(columns)}\n{shown}"


@pytest.mark.parametrize("case", BAD_CASES, ids=lambda p: p.stem)
def test_check_finds_what_its_bad_case_breaks(case: Path) -> None:
    """A check that finds nothing on purpose-made bad data would pass on anything."""
    expected = re.search(r"^# Expected rows: (\d+)$", case.read_text(encoding="utf-8"), re.M)
    assert expected, "line 2 states '# Expected rows: N'"
    memory = EmbeddedStore(None)
    memory.oxigraph.extend(
        Quad(t.subject, t.predicate, t.object) for t in parse_file(case).all_triples()
    )
    query = (CHECKS_DIR / f"{case.stem}.rq").read_text(encoding="utf-8")
    _, rows = table_rows(memory.query(query))
    assert len(rows) == int(expected.group(1)), "\n".join(" | ".join(row) for row in rows)
