"""`sdgkg provenance check`: key phrases must stand within their locator's lines."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sdgkg.cli import cli
from sdgkg.provenance import check_provenance

RECORD = """\
@prefix sdgkg: <https://w3id.org/sdgkg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/sdgkg/id/source/doc> a sdgkg:Source ; sdgkg:fileName "doc.txt" .
<https://w3id.org/sdgkg/id/partner/p> prov:qualifiedDerivation [
    prov:entity <https://w3id.org/sdgkg/id/source/doc> ;
    sdgkg:lineStart "{start}"^^xsd:positiveInteger ; sdgkg:lineEnd "{end}"^^xsd:positiveInteger ;
    sdgkg:keyPhrase "{phrase}"@da ] .
"""


def setup(tmp_path: Path, start: int, end: int, phrase: str) -> tuple[Path, Path]:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "doc.txt").write_text(
        "Første linje.\nVi samarbejder om\nverdensmål 17.\nSidste linje.\n", encoding="utf-8"
    )
    record = tmp_path / "record.ttl"
    record.write_text(RECORD.format(start=start, end=end, phrase=phrase), encoding="utf-8")
    return record, sources


def test_phrase_across_a_line_break_is_found(tmp_path: Path) -> None:
    record, sources = setup(tmp_path, 2, 3, "samarbejder om verdensmål 17")
    report = check_provenance([record], sources)
    assert report.checked == 1 and not report.problems


def test_phrase_outside_its_lines_is_reported_with_file_and_line(tmp_path: Path) -> None:
    record, sources = setup(tmp_path, 1, 1, "Sidste linje")
    result = CliRunner().invoke(cli, ["provenance", "check", str(sources), "--data", str(record)])
    assert result.exit_code == 1
    assert "doc.txt:1: https://w3id.org/sdgkg/id/partner/p" in result.output


def test_lines_past_the_end_are_reported(tmp_path: Path) -> None:
    record, sources = setup(tmp_path, 9, 12, "x")
    problems = check_provenance([record], sources).problems
    assert problems and "outside the document" in problems[0].problem
