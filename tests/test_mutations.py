"""The mutation corpus (issue 20): every generated mistake fails ``sdgkg validate --against-store``.

https://github.com/sdgkg/sdgkg/issues/20 -- the mutants come from tests/mutations.py. All of them
go through the library function the CLI calls, in one file (each under its own IRIs); a sample
goes through the real command line, one mutant per file, under the record's own IRI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from sdgkg.results import display_term
from sdgkg.store.embedded import EmbeddedStore
from sdgkg.validate import ValidationReport, Violation, validate_against_store
from tests.mutations import Mutant, baselines, generate_mutants, renamed, to_turtle

# Mistakes the gate lets through on purpose, with the reason.
KNOWN_MISSES = {
    "Fact--object-of-the-wrong-class--sdgkg:about": (
        "sdgkg:about may point at any record the data defines; a fact about a target is fine"
    ),
    "Membership--no-quotation--prov:qualifiedDerivation": (
        "advice only (a Warning): a membership may rest on its partnership's quotation"
    ),
}
CLI_SAMPLE_SIZE = 5

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def mutants() -> list[Mutant]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # ill-typed literals are the point here
        return generate_mutants()


@pytest.fixture(scope="module")
def store_copy(bundled_store_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mutations") / "store"
    shutil.copytree(bundled_store_template, path)
    return path


@pytest.fixture(scope="module")
def bundle_store(store_copy: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(store_copy)
    yield store
    store.close()


def _validate_batch(
    items: list[Mutant], folder: Path, store: EmbeddedStore
) -> tuple[dict[str, str], ValidationReport]:
    records: dict[str, str] = {}
    triples = []
    for number, mutant in enumerate(items):
        record, mutated = renamed(mutant, number)
        records[mutant.id] = str(record)
        triples.extend(mutated)
    path = folder / "mutants.ttl"
    path.write_text(to_turtle(triples), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return records, validate_against_store([path], store)


def _names(violation: Violation, mutant: Mutant) -> bool:
    """The violation names the property (as its path or in its message) and what is expected."""
    name = display_term(NamedNode(str(mutant.property)))
    named = name in (violation.path or "") or name in violation.message
    return named and violation.severity == "Violation" and violation.message != "does not conform"


def test_every_sample_record_conforms_before_it_is_mutated(
    bundle_store: EmbeddedStore, tmp_path: Path
) -> None:
    _, report = _validate_batch(baselines(), tmp_path, bundle_store)
    assert report.conforms, "\n".join(v.to_text() for v in report.violations)


def test_every_mutant_is_caught_and_named(
    mutants: list[Mutant], bundle_store: EmbeddedStore, tmp_path: Path
) -> None:
    records, report = _validate_batch(mutants, tmp_path, bundle_store)
    by_record: dict[str, list[Violation]] = {}
    for violation in report.violations:
        by_record.setdefault(violation.record, []).append(violation)
    missed = {
        m.id for m in mutants if not any(_names(v, m) for v in by_record.get(records[m.id], []))
    }
    caught = len(mutants) - len(missed)
    print(f"mutation corpus: {caught}/{len(mutants)} caught ({100 * caught / len(mutants):.1f} %)")
    assert len(mutants) > 300, "the generator lost most of its mutants"
    assert missed - set(KNOWN_MISSES) == set(), f"mutants that pass validation: {sorted(missed)}"
    assert set(KNOWN_MISSES) - missed == set(), "a known miss is caught now: drop it from the list"


def test_a_sample_fails_the_real_command_with_exit_1(
    mutants: list[Mutant], store_path: Path, tmp_path: Path
) -> None:
    """One mutant of each of a few kinds of mistake, spread over the corpus, through ``sdgkg``."""
    mistakes = sorted({m.mistake for m in mutants})
    step = max(1, len(mistakes) // CLI_SAMPLE_SIZE)
    sample = [next(m for m in mutants if m.mistake == x) for x in mistakes[::step]]
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "COLUMNS": "250"}
    for mutant in sample[:CLI_SAMPLE_SIZE]:
        path = tmp_path / "mutant.ttl"
        path.write_text(mutant.turtle(), encoding="utf-8")
        command = [sys.executable, "-m", "sdgkg", "--store", str(store_path), "validate"]
        result = subprocess.run(
            [*command, "--against-store", str(path)],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )
        assert result.returncode == 1, f"{mutant.id}: {result.stdout}{result.stderr}"
        assert display_term(NamedNode(str(mutant.property))) in result.stdout, mutant.id
        assert "Traceback" not in result.stderr, mutant.id
