"""Values that do not fit their datatype: one plain line each from the CLI, never a traceback.

Issue 22, item 1. The datatypes tested are those the ontology, the shapes and the data use
(found by a grep over their Turtle, so a new one cannot go untested).
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sdgkg.cli import cli
from sdgkg.literals import LEXICAL_SPACES, XSD, datatype_problem
from tests.data import CASES_DIR, REPO_DIR

USED_DATATYPES = sorted(
    {
        name
        for folder in ("ontology", "shapes", "data")
        for path in (REPO_DIR / folder).rglob("*.ttl")
        for name in re.findall(r"xsd:([A-Za-z]+)", path.read_text(encoding="utf-8"))
    }
)
# For each datatype: values that fit, values that do not, and the property a record gives it.
EXAMPLES: dict[str, tuple[list[str], list[str], str]] = {
    "anyURI": (["https://w3id.org/sdgkg/", "page.html"], ["https://a b/"], "schema:url"),
    "boolean": (["true", "false", "1", "0"], ["yes", "True"], "sdgkg:crossBorder"),
    "date": (
        ["2024-05-01", "2024-02-29", "2024-05-01Z"],
        ["2023-02-29", "1.5.2024"],
        "dcterms:date",
    ),
    "decimal": (["0.8", "-3", ".5"], ["1,5", "0.8e1"], "schema:value"),
    "double": (["1.5", "2.5E3", "INF", "NaN"], ["1,5", "e3"], "schema:value"),
    "gYear": (["2024", "-0044", "2024Z"], ["24", "2024-05"], "dcterms:date"),
    "gYearMonth": (["2016-07", "2017-09Z"], ["2017-13", "2016-7"], "schema:startDate"),
    "integer": (["42", "-7", "+3"], ["yes", "1.0", " 12"], "schema:value"),
    "positiveInteger": (["1", "95"], ["0", "-3", "yes"], "sdgkg:lineStart"),
    "string": (["anything at all", ""], [], "schema:alternateName"),
}
RECORD = CASES_DIR / "partnership-valid.ttl"
NO_TRACE = ("Traceback", "Failed to convert", "Warning")


def test_every_datatype_in_use_is_checked() -> None:
    assert "positiveInteger" in USED_DATATYPES and "gYear" in USED_DATATYPES
    unchecked = [n for n in USED_DATATYPES if n not in EXAMPLES]
    assert not unchecked, f"add examples for {unchecked}"
    assert [n for n in USED_DATATYPES if n != "string"] == sorted(
        n for n in USED_DATATYPES if n in LEXICAL_SPACES
    )


@pytest.mark.parametrize("name", USED_DATATYPES)
def test_lexical_space(name: str) -> None:
    good, bad, _ = EXAMPLES[name]
    assert [v for v in good if datatype_problem(v, XSD + name)] == []
    assert all(f"xsd:{name}" in (datatype_problem(v, XSD + name) or "") for v in bad)


def record_with(tmp_path: Path, name: str, value: str) -> tuple[Path, int]:
    """The valid test record with one more statement, ``value`` typed ``name``; and its line."""
    prop = EXAMPLES[name][2]
    lines = RECORD.read_text(encoding="utf-8").splitlines()
    lines.insert(0, "@prefix schema: <https://schema.org/> .")
    at = next(i for i, line in enumerate(lines) if line.startswith("partnership:")) + 2
    lines.insert(at, f'    {prop} "{value}"^^xsd:{name} ;')
    path = tmp_path / f"ill-typed-{name}.ttl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, at + 1


CHECKED = [n for n in USED_DATATYPES if EXAMPLES[n][1]]


@pytest.mark.parametrize("name", CHECKED)
def test_issue_22_validate_names_an_ill_typed_value_once(
    runner: CliRunner, tmp_path: Path, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    """https://github.com/sdgkg/sdgkg/issues/22: file, line, property, value, datatype; exit 1."""
    value = EXAMPLES[name][1][0]
    path, line = record_with(tmp_path, name, value)
    with caplog.at_level(logging.WARNING):
        result = runner.invoke(cli, ["validate", str(path)], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    problems = [line for line in result.output.splitlines() if "Violation" in line]
    assert len(problems) == 1, result.output
    record = "id:partnership/test-solar-schools (Solar panels on schools)"
    expected = (
        f"{path}:{line}: Violation {record} {EXAMPLES[name][2]}: "
        f'value "{value}"^^xsd:{name}: does not fit xsd:{name}'
    )
    assert problems[0].startswith(expected), result.output
    assert not any(word in result.output for word in NO_TRACE)
    assert not [r for r in caplog.records if r.name.startswith("rdflib")]


@pytest.mark.parametrize("name", ["positiveInteger", "date"])
def test_issue_22_load_refuses_an_ill_typed_value_and_changes_nothing(
    runner: CliRunner, store_path: Path, tmp_path: Path, name: str
) -> None:
    path, line = record_with(tmp_path, name, EXAMPLES[name][1][0])
    result = runner.invoke(cli, ["--store", str(store_path), "load", str(path)])
    assert result.exit_code == 1
    assert [ln for ln in result.output.splitlines() if f"{path}:{line}:" in ln] != []
    assert len([ln for ln in result.output.splitlines() if "Violation" in ln]) == 1
    assert not any(word in result.output for word in NO_TRACE)
    assert "nothing was loaded" in result.output
    against = runner.invoke(
        cli, ["--store", str(store_path), "validate", "--against-store", str(path)]
    )
    assert against.exit_code == 1 and f"does not fit xsd:{name}" in against.output


def test_issue_22_quotation_value_is_reported_for_its_record(tmp_path: Path) -> None:
    """A blank-node quotation's bad line number is reported once per record, on its own line."""
    text = RECORD.read_text(encoding="utf-8").replace(
        'sdgkg:lineEnd "95"', 'sdgkg:lineEnd "ninety-five"', 1
    )
    path = tmp_path / "quotation.ttl"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    problems = [ln for ln in result.output.splitlines() if "Violation" in ln]
    assert result.exit_code == 1
    assert len(problems) == 1 and problems[0].startswith(f"{path}:20: Violation id:partner/")
    assert "sdgkg:lineEnd" in problems[0] and "xsd:positiveInteger" in problems[0]


def test_issue_22_real_process_prints_no_traceback(tmp_path: Path) -> None:
    """The installed command, as a curator runs it: nothing on stderr but the summary."""
    path, line = record_with(tmp_path, "integer", "yes")
    env = {**os.environ, "SDGKG_STORE": str(tmp_path / "store")}
    done = subprocess.run(
        [sys.executable, "-m", "sdgkg", "validate", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "Failed to convert" not in done.stderr
    assert done.stderr == ""
    assert done.stdout.count(f"{path}:{line}:") == 1
    assert 'value "yes"^^xsd:integer: does not fit xsd:integer' in done.stdout
