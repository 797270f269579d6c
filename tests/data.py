"""Paths the tests use; never relative to the working directory; and the synthetic data."""

import sys
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent
REPO_DIR = TESTS_DIR.parent
SHAPE_CASES_DIR = TESTS_DIR / "shapes"
CASES_DIR = TESTS_DIR / "cases"
GOLDEN_DIR = TESTS_DIR / "golden"
CHECKS_DIR = REPO_DIR / "queries" / "checks"
COMPETENCY_DIR = REPO_DIR / "queries" / "competency"
BAD_CASES_DIR = CASES_DIR / "bad"
CHECK_CASES_DIR = CASES_DIR / "checks"


def write_synthetic(path: Path, triples: int, **options: int) -> int:
    """Write ``benchmarks/synthetic_data.py``'s records to ``path`` (``seed=`` to vary them): the
    one generator the benchmarks use, not a package module, so it is imported from its folder."""
    sys.path.insert(0, str(REPO_DIR / "benchmarks"))
    try:
        from synthetic_data import write
    finally:
        sys.path.pop(0)
    count: int = write(path, triples, **options)
    return count
