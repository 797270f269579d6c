"""Validating files against the bundled data (sdgkg.validate)."""

from __future__ import annotations

from sdgkg.validate import validate_files
from tests.data import CASES_DIR


def test_a_file_that_extends_a_reference_record_is_validated_with_the_rest_of_it() -> None:
    """goal:1 gains a Danish definition; its notation, scheme and source live in sdg.ttl."""
    report = validate_files([CASES_DIR / "goal-definition-da.ttl"])
    assert report.conforms, "\n".join(v.to_text() for v in report.violations)


def test_an_extension_that_breaks_the_reference_record_fails() -> None:
    """A second notation for goal:1 is caught although the file never says it is a goal."""
    report = validate_files([CASES_DIR / "goal-second-notation.ttl"])
    assert not report.conforms
    assert {v.shape_id for v in report.violations} == {"S09-Goal-notation"}
