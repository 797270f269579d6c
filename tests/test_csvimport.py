"""The curators' CSV path: template → records → validation → store, with row/column errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import NamedNode, RdfFormat, parse

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
    ("column", "value", "message", "exit_code"),
    [
        ("stated_sdgs", "18.1", "no SDG target 18.1", 2),
        ("members", "Nobody Such (lead)", "unknown partner 'Nobody Such'", 1),
        ("line_start", "first", "not a line number", 2),
        ("start_date", "next spring", "not a date", 2),
        ("source", "", "this column is required", 2),
    ],
)
def test_bad_cell_names_row_and_column_and_loads_nothing(
    runner: CliRunner,
    store_path: Path,
    tmp_path: Path,
    column: str,
    value: str,
    message: str,
    exit_code: int,
) -> None:
    good, bad = template_row(), template_row()
    bad["id"] = "second-row"
    bad[column] = value
    sheet = write_rows(tmp_path / "sheet.csv", [good, bad])
    before = export(runner, store_path)
    result = runner.invoke(cli, ["--store", str(store_path), "import", str(sheet), "--load"])
    assert result.exit_code == exit_code
    assert f"{sheet}:row 3, column {column}" in result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert export(runner, store_path) == before


ID = "https://w3id.org/sdgkg/id/"


def imported_objects(runner: CliRunner, store_path: Path, sheet: Path) -> set[str]:
    """The IRIs the imported records point at."""
    result = runner.invoke(cli, ["--store", str(store_path), "import", str(sheet)])
    assert result.exit_code == 0, result.output
    triples = parse(result.stdout_bytes, format=RdfFormat.TURTLE)
    return {t.object.value for t in triples if isinstance(t.object, NamedNode)}


@pytest.mark.parametrize(
    ("column", "cell", "iri"),
    [
        ("members", "SØNDERBORG KOMMUNE (lead)", ID + "municipality/soenderborg"),
        ("members", "Sonderborg Municipality", ID + "municipality/soenderborg"),
        ("municipality", "Soenderborg Kommune", ID + "municipality/soenderborg"),
        ("stated_sdgs", "mål 4", ID + "goal/4"),
        ("stated_sdgs", "SDG 13", ID + "goal/13"),
        ("assigned_sdgs", "delmål 4.7", ID + "target/4.7"),
        ("assigned_sdgs", "http://metadata.un.org/sdg/4.7", ID + "target/4.7"),
    ],
)
def test_names_resolve_as_reconciliation_matches_them(
    runner: CliRunner, store_path: Path, tmp_path: Path, column: str, cell: str, iri: str
) -> None:
    """Issue 17, part 3: the sheet's names resolve with /reconcile's folding and notations."""
    row = template_row()
    row[column] = cell
    objects = imported_objects(runner, store_path, write_rows(tmp_path / "sheet.csv", [row]))
    assert iri in objects


def test_reconciled_iri_columns_win_over_names(
    runner: CliRunner, store_path: Path, tmp_path: Path
) -> None:
    """OpenRefine writes reconciled IRIs into a twin column: they are used, names kept as text."""
    row = template_row()
    row["municipality"] = "a name no record has"
    row["municipality_iri"] = ID + "municipality/aarhus"
    sheet = tmp_path / "sheet.csv"
    with sheet.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=[*COLUMNS, "municipality_iri"])
        writer.writeheader()
        writer.writerow(row)
    objects = imported_objects(runner, store_path, sheet)
    assert ID + "municipality/aarhus" in objects


def test_every_unresolved_name_is_listed_with_candidates_and_exits_1(
    runner: CliRunner, store_path: Path, tmp_path: Path
) -> None:
    first, second = template_row(), template_row()
    first["members"] = "Sønderborg (lead); UNESCO Nationalkommission (member)"
    first["partnership_type"] = "no such type"
    second["id"] = "second-row"
    second["municipality"] = "Nowhere Town"
    sheet = write_rows(tmp_path / "sheet.csv", [first, second])
    before = export(runner, store_path)
    result = runner.invoke(cli, ["--store", str(store_path), "import", str(sheet), "--load"])
    assert result.exit_code == 1, result.output
    unknown = "unknown partner 'UNESCO Nationalkommission'"
    assert f"{sheet}:row 2, column members: {unknown}" in result.output
    assert "candidates:" in result.output and "partner/unesco-dk>" in result.output
    assert f"{sheet}:row 2, column partnership_type: unknown partnership type" in result.output
    assert f"{sheet}:row 3, column municipality: unknown municipality 'Nowhere Town'" in (
        result.output
    )
    assert "3 name(s) did not resolve" in result.output and "Traceback" not in result.output
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
