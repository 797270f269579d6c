"""Paths the tests use; never relative to the working directory."""

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
