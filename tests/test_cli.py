"""The curator's CLI, through click's runner and as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import Dataset, RdfFormat, parse

from sdgkg.cli import VIOLATION_COLUMNS, cli
from tests.data import CASES_DIR


def run(runner: CliRunner, store: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["--store", str(store), *args], catch_exceptions=False)
    return result.exit_code, result.output


def nquads(runner: CliRunner, store: Path) -> bytes:
    result = runner.invoke(
        cli, ["--store", str(store), "export", "--format", "nquads"], catch_exceptions=False
    )
    assert result.exit_code == 0
    return result.stdout_bytes


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and "sdgkg" in result.output


def test_stats_counts_the_bundle(runner: CliRunner, store_path: Path) -> None:
    code, output = run(runner, store_path, "stats", "--format", "json")
    stats = json.loads(output)
    classes = stats["classes"]
    assert code == 0
    assert classes["https://w3id.org/sdgkg/ontology#Goal"] == 17
    assert classes["https://w3id.org/sdgkg/ontology#Target"] == 169
    assert classes["https://w3id.org/sdgkg/ontology#Municipality"] == 98
    assert any(g["graph"].endswith("graph/ontology/sdgkg") for g in stats["graphs"])
    kinds = stats["kinds"]  # with subclasses, as on the home page
    assert kinds["Goal"] == 17 and kinds["Municipality"] == 98
    assert kinds["Partner"] > kinds["Municipality"]
    assert {"Person", "Post", "Place", "Event", "OrganisationalUnit"} <= set(kinds)


def test_stats_table_lists_the_kinds(runner: CliRunner, store_path: Path) -> None:
    code, output = run(runner, store_path, "stats")
    assert code == 0
    for kind in ("Person", "Post", "Place", "Event", "OrganisationalUnit"):
        assert f"sdgkg:{kind}" in output


def test_query_text_as_csv(runner: CliRunner, store_path: Path) -> None:
    code, output = run(
        runner,
        store_path,
        "query",
        "--format",
        "csv",
        "-e",
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?n WHERE { <https://w3id.org/sdgkg/id/target/13.2> skos:broader/skos:notation ?n }",
    )
    assert code == 0
    assert output.splitlines() == ["n", "13"]


def test_bad_query_names_line_and_column(runner: CliRunner, store_path: Path) -> None:
    code, output = run(runner, store_path, "query", "-e", "SELECT ?s\nWHERE { ?s ?p }")
    assert code == 2
    assert "query:2:" in output
    assert "Traceback" not in output


def test_validate_exit_codes(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["validate", str(CASES_DIR / "partnership-valid.ttl")]).exit_code == 0
    invalid = runner.invoke(cli, ["validate", str(CASES_DIR / "unknown-target.ttl")])
    assert invalid.exit_code == 1
    assert "18.1" in invalid.output and "S04-Partnership-statedSDG" in invalid.output
    broken = runner.invoke(cli, ["validate", str(CASES_DIR / "syntax-error.ttl")])
    assert broken.exit_code == 2
    assert f"{CASES_DIR / 'syntax-error.ttl'}:4:" in broken.output


def test_validate_unknown_partner_names_file_line_and_shape(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["validate", "--format", "json", str(CASES_DIR / "unknown-partner.ttl")]
    )
    assert result.exit_code == 1
    violations = json.loads(result.output)["violations"]
    member = [v for v in violations if v["shape"].endswith("S05-Membership-member")]
    assert member and member[0]["line"] and member[0]["value"] == "id:partner/no-such-partner"


def test_validate_against_store(runner: CliRunner, store_path: Path) -> None:
    code, _ = run(
        runner, store_path, "validate", "--against-store", str(CASES_DIR / "partnership-valid.ttl")
    )
    assert code == 0
    code, _ = run(
        runner, store_path, "validate", "--against-store", str(CASES_DIR / "unknown-target.ttl")
    )
    assert code == 1


@pytest.mark.parametrize("case", ["syntax-error.ttl", "unknown-target.ttl", "unknown-partner.ttl"])
def test_failed_load_leaves_store_byte_identical(
    runner: CliRunner, store_path: Path, case: str
) -> None:
    before = nquads(runner, store_path)
    code, output = run(runner, store_path, "load", str(CASES_DIR / case))
    assert code in (1, 2)
    assert "Traceback" not in output
    assert nquads(runner, store_path) == before


def test_load_extends_a_reference_record(runner: CliRunner, store_path: Path) -> None:
    """Validation sees the rest of goal 17 (and the source it cites) in the store."""
    code, output = run(runner, store_path, "load", str(CASES_DIR / "extends-reference-goal.ttl"))
    assert code == 0, output


def test_load_then_replace(runner: CliRunner, store_path: Path) -> None:
    valid = str(CASES_DIR / "partnership-valid.ttl")
    assert run(runner, store_path, "load", valid)[0] == 0
    code, output = run(runner, store_path, "load", valid)
    assert code == 2 and "--replace" in output
    assert run(runner, store_path, "load", "--replace", valid)[0] == 0


def test_export_load_round_trip_is_isomorphic(
    runner: CliRunner, store_path: Path, tmp_path: Path
) -> None:
    exported = tmp_path / "all.nq"
    assert run(runner, store_path, "export", "--format", "nquads", "-o", str(exported))[0] == 0
    copy = tmp_path / "copy"
    code, output = run(runner, copy, "load", str(exported))
    assert code == 0, output
    again = nquads(runner, copy)
    original = Dataset(parse(exported.read_bytes(), format=RdfFormat.N_QUADS))
    reloaded = Dataset(parse(again, format=RdfFormat.N_QUADS))
    original.canonicalize(_algorithm())
    reloaded.canonicalize(_algorithm())
    assert original == reloaded


def _algorithm() -> object:
    from pyoxigraph import CanonicalizationAlgorithm

    return CanonicalizationAlgorithm.RDFC_1_0


def test_unknown_file_type_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    odd = tmp_path / "records.docx"
    odd.write_text("x")
    result = runner.invoke(cli, ["validate", str(odd)])
    assert result.exit_code == 2 and "unknown RDF file type" in result.output


def test_installed_command_runs_outside_the_repository(tmp_path: Path) -> None:
    """The bundle ships with the package: `sdgkg load` works from any folder."""
    env = {**os.environ, "SDGKG_STORE": str(tmp_path / "store")}
    command = [sys.executable, "-m", "sdgkg", "load"]
    done = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "graph(s)" in done.stdout
    queries = subprocess.run(
        [sys.executable, "-m", "sdgkg", "queries", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert queries.returncode == 0 and len(json.loads(queries.stdout)) >= 25


def test_configured_base_iri_rebases_data_queries_and_shapes(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SDGKG_BASE_IRI", "https://example.org/kg/")
    store = tmp_path / "store"
    assert run(runner, store, "load")[0] == 0
    code, output = run(
        runner,
        store,
        "query",
        "--format",
        "csv",
        "-e",
        "SELECT (COUNT(*) AS ?n) WHERE { ?goal a <https://example.org/kg/ontology#Goal> }",
    )
    assert code == 0 and output.splitlines()[1] == "17"
    assert run(runner, store, "validate", str(CASES_DIR / "partnership-valid.ttl"))[0] == 0
    assert run(runner, store, "validate", str(CASES_DIR / "unknown-target.ttl"))[0] == 1


def test_sparql_rule_reports_its_own_english_message() -> None:
    """pySHACL adds the shape's messages to a SPARQL rule's result and drops their language tags."""
    result = CliRunner().invoke(
        cli, ["validate", "--format", "json", str(CASES_DIR / "unknown-partner.ttl")]
    )
    rule = [
        v
        for v in json.loads(result.output)["violations"]
        if v["shape"].endswith("S04-Partnership-memberWithoutMembership")
    ]
    assert rule, result.output
    assert rule[0]["message"].startswith("Partnership https://w3id.org/sdgkg/id/partnership/")
    assert "{$this}" not in rule[0]["message"]


def test_a_bad_setting_names_the_variable_and_value(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sdgkg.cli import cli

    result = CliRunner().invoke(
        cli,
        ["--store", str(tmp_path / "store"), "stats"],
        env={"SDGKG_REMOTE_WRITERS": "everyone", "SDGKG_QUERY_TIMEOUT_S": "-1"},
    )
    assert result.exit_code == 2, result.output
    assert "SDGKG_REMOTE_WRITERS='everyone': Input should be 'any' or 'sdgkg'" in result.output
    assert "SDGKG_QUERY_TIMEOUT_S='-1'" in result.output
    assert "Traceback" not in result.output


def test_a_bad_secret_setting_is_named_but_not_shown() -> None:
    from sdgkg.cli import _setting_problem

    problem = _setting_problem({"loc": ("update_token",), "input": "hunter2", "msg": "too short"})
    assert problem == "SDGKG_UPDATE_TOKEN: too short"
    assert _setting_problem({"loc": (), "input": {}, "msg": "contradictory"}) == "contradictory"


def test_issue_16_store_and_base_iri_after_the_command(
    runner: CliRunner, store_path: Path, tmp_path: Path
) -> None:
    """https://github.com/sdgkg/sdgkg/issues/16: ``sdgkg stats --store X`` was "No such option"."""
    after = runner.invoke(cli, ["stats", "--store", str(store_path), "--format", "json"])
    assert after.exit_code == 0, after.output
    assert json.loads(after.output)["triples"] > 10_000
    # Given after the command, it wins over the one before it.
    empty = tmp_path / "empty"
    both = runner.invoke(cli, ["--store", str(empty), "stats", "--store", str(store_path)])
    assert both.exit_code == 0 and not empty.exists()
    iri = "SELECT (STR(<https://w3id.org/sdgkg/id/goal/13>) AS ?iri) {}"
    rebased = runner.invoke(
        cli, ["query", "-e", iri, "--format", "csv", "--store", str(store_path),
              "--base-iri", "https://example.org/kg/"],
    )  # fmt: skip
    assert rebased.exit_code == 0, rebased.output
    assert rebased.output.splitlines() == ["iri", "https://example.org/kg/id/goal/13"]


def test_issue_16_queries_piped_are_plain_lines_with_whole_names(runner: CliRunner) -> None:
    """https://github.com/sdgkg/sdgkg/issues/16: ``sdgkg queries | less`` cut the names."""
    from sdgkg.queries import list_curated

    names = [q.name for q in list_curated()]
    plain = runner.invoke(cli, ["queries"]).output.splitlines()
    assert [line.split("\t")[0] for line in plain] == names
    assert all(line.count("\t") == 2 and "…" not in line for line in plain)
    tsv = runner.invoke(cli, ["queries", "--format", "tsv"]).output.splitlines()
    assert tsv[0] == "name\tquestion\tparameters" and tsv[1:] == plain


def test_issue_16_stats_and_query_piped_are_tab_separated(
    runner: CliRunner, store_path: Path
) -> None:
    code, output = run(runner, store_path, "stats")
    lines = [line.split("\t") for line in output.splitlines()]
    assert code == 0 and lines[0][0] == "triples" and int(lines[0][2]) > 10_000
    assert ["class", "https://w3id.org/sdgkg/ontology#Goal", "17"] in lines
    assert {len(line) for line in lines} == {3}
    code, output = run(runner, store_path, "stats", "--format", "tsv")
    assert output.splitlines()[0] == "kind\tname\tcount"
    goal = "SELECT ?goal ?label WHERE { ?goal a <https://w3id.org/sdgkg/ontology#Goal> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?goal LIMIT 2"  # noqa: E501
    code, output = run(runner, store_path, "query", "-e", goal)
    rows = output.splitlines()
    assert rows[0] == "goal\tlabel" and rows[1].startswith("id:goal/1\t") and len(rows) == 3


def test_issue_16_validate_as_tsv(runner: CliRunner) -> None:
    case = CASES_DIR / "unknown-partner.ttl"
    result = runner.invoke(cli, ["validate", "--format", "tsv", str(case)])
    header, *rows = [line.split("\t") for line in result.output.splitlines()]
    assert result.exit_code == 1
    assert header == VIOLATION_COLUMNS
    assert VIOLATION_COLUMNS[:2] == ["file", "line"] and VIOLATION_COLUMNS[-1] == "shape"
    assert rows and all(len(row) == 9 and row[0] == str(case) and row[1].isdigit() for row in rows)


def test_issue_16_a_terminal_still_gets_tables(tmp_path: Path) -> None:
    """Under a pseudo-terminal (as a person sees it) the table stays."""
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "sdgkg", "queries"],
        stdout=follower,
        env={**os.environ, "COLUMNS": "200"},
    )
    os.close(follower)  # the child holds its own: reading ends when it exits
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # Linux: EIO once the child has closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert process.wait(timeout=60) == 0
    assert "┃" in output.decode() or "│" in output.decode()
    assert "CQ01-partners-of-partnership" in output.decode()


def test_issue_16_a_read_is_done_again_on_a_fresh_handle(store_path: Path) -> None:
    """A file compacted away under a read-only handle (a server writing beside it) is read again
    on a new handle; an error of another kind is not retried."""
    import click

    from sdgkg.cli import _reading
    from sdgkg.errors import StoreError

    calls: list[object] = []

    def flaky(store: object) -> str:
        calls.append(store)
        if len(calls) == 1:
            raise RuntimeError("Corruption: IO error: No such file or directory: 000082.sst")
        return "read"

    with click.Context(cli, obj={"store": str(store_path)}) as ctx:
        assert _reading(ctx, flaky) == "read"
        assert len(calls) == 2 and calls[0] is not calls[1]
        with pytest.raises(StoreError, match="during 3 reads in a row"):
            _reading(ctx, lambda store: (_ for _ in ()).throw(RuntimeError("No such file")))
        with pytest.raises(RuntimeError, match="something else"):
            _reading(ctx, lambda store: (_ for _ in ()).throw(RuntimeError("something else")))
