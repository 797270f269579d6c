"""The curators' CSV path: template → records → validation → store, with row/column errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from sdgkg import resources
from sdgkg.cli import cli
from sdgkg.csvimport import COLUMNS, REQUIRED
from tests.mutations import CsvMutant, csv_mutants

TEMPLATE = resources.csv_template_file()


def template_row() -> dict[str, str]:
    return next(csv.DictReader(io.StringIO(TEMPLATE.read_text(encoding="utf-8"))))


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def export(runner: CliRunner, store: Path) -> bytes:
    return runner.invoke(cli, ["--store", str(store), "export", "--format", "nquads"]).stdout_bytes


def test_template_imports_loads_and_round_trips(
    runner: CliRunner, store_path: Path, tmp_path: Path
) -> None:
    turtle = tmp_path / "imported.ttl"
    result = runner.invoke(
        cli, ["--store", str(store_path), "import", str(TEMPLATE), "-o", str(turtle), "--load"]
    )
    assert result.exit_code == 0, result.output
    assert runner.invoke(cli, ["validate", str(turtle)]).exit_code == 0
    answer = runner.invoke(
        cli,
        [
            "--store",
            str(store_path),
            "query",
            "--format",
            "csv",
            "-e",
            "PREFIX org: <http://www.w3.org/ns/org#> SELECT ?role WHERE { "
            "?m org:organization "
            "<https://w3id.org/sdgkg/id/partnership/example-learning-city-schools> ; "
            "org:role ?role } ORDER BY ?role",
        ],
    )
    assert answer.output.splitlines()[1:] == [
        "https://w3id.org/sdgkg/id/role/knowledge-partner",
        "https://w3id.org/sdgkg/id/role/lead",
    ]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("stated_sdgs", "18.1", "no SDG target 18.1"),
        ("members", "Nobody Such (lead)", "unknown partner 'Nobody Such'"),
        ("line_start", "first", "not a line number"),
        ("start_date", "next spring", "not a date"),
        ("source", "", "this column is required"),
    ],
)
def test_bad_cell_names_row_and_column_and_loads_nothing(
    runner: CliRunner, store_path: Path, tmp_path: Path, column: str, value: str, message: str
) -> None:
    good, bad = template_row(), template_row()
    bad["id"] = "second-row"
    bad[column] = value
    sheet = write_rows(tmp_path / "sheet.csv", [good, bad])
    before = export(runner, store_path)
    result = runner.invoke(cli, ["--store", str(store_path), "import", str(sheet), "--load"])
    assert result.exit_code == 2
    assert f"{sheet}:row 3, column {column}" in result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert export(runner, store_path) == before


def test_missing_column_is_named(runner: CliRunner, tmp_path: Path) -> None:
    sheet = tmp_path / "short.csv"
    sheet.write_text("id,name_da\nx,y\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", str(sheet)])
    assert (
        result.exit_code == 2 and "lacks column(s)" in result.output and "members" in result.output
    )


def test_not_utf8_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    sheet = tmp_path / "latin1.csv"
    sheet.write_bytes(TEMPLATE.read_text(encoding="utf-8").encode("latin-1"))
    result = runner.invoke(cli, ["import", str(sheet)])
    assert result.exit_code == 2 and "UTF-8" in result.output


# Issue 20: the mutation corpus's mistakes, as far as a CSV cell can make them.
COLUMN_PROPERTIES = {
    "members": "org:hasMember",
    "municipality": "sdgkg:municipality",
    "stated_sdgs": "sdgkg:statedSDG",
    "assigned_sdgs": "sdgkg:assignedSDG",
    "partnership_type": "sdgkg:partnershipType",
    "unesco_domains": "sdgkg:unescoDomain",
    "start_date": "schema:startDate",
    "source": "prov:wasDerivedFrom",
    "line_start": "sdgkg:lineStart",
    "line_end": "sdgkg:lineEnd",
    "key_phrase": "sdgkg:keyPhrase",
}
CSV_MUTANTS = csv_mutants(template_row(), REQUIRED)


@pytest.mark.parametrize("mutant", CSV_MUTANTS, ids=lambda m: m.id)
def test_issue_20_generated_csv_mistake_is_refused_naming_column_or_property(
    runner: CliRunner, tmp_path: Path, mutant: CsvMutant
) -> None:
    row = template_row()
    row[mutant.column] = mutant.value
    sheet = write_rows(tmp_path / "sheet.csv", [row])
    result = runner.invoke(cli, ["import", str(sheet)])
    assert result.exit_code in (1, 2), result.output
    named = f"column {mutant.column}" in result.output or (
        COLUMN_PROPERTIES[mutant.column] in result.output
    )
    assert named, result.output
    assert "Traceback" not in result.output
