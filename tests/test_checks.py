"""Hygiene checks: every ``queries/checks/*-violation.rq`` returns zero rows on the whole bundle."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdgkg.results import table_rows
from sdgkg.store.embedded import EmbeddedStore
from tests.data import CHECKS_DIR

CHECKS = sorted(CHECKS_DIR.glob("*-violation.rq"))


def test_there_are_checks() -> None:
    assert len(CHECKS) >= 5


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_check_finds_nothing(check: Path, store: EmbeddedStore) -> None:
    columns, rows = table_rows(store.query(check.read_text(encoding="utf-8")))
    shown = "\n".join(" | ".join(row) for row in rows[:20])
    assert not rows, f"{check.name} found {len(rows)} problem(s):\n{' | '.join(columns)}\n{shown}"
