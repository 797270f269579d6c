"""Bad input to the CLI: a clear error, a non-zero exit, no traceback, an unchanged store.

Issue 8, item 2. Each file in ``tests/cases/bad/`` states what it expects on line 1 (or, for a
file whose first line cannot carry it, in ``<file>.expect``)::

    # Expect: exit 1; 'S04-Partnership-statedSDG'

``.csv`` files go through ``sdgkg import --load``, all others through ``sdgkg load``. The shape
cases ``tests/shapes/Snn-invalid-01.ttl`` are loaded too: each must fail naming its own shape.
Property-based tests then throw mutated Turtle, N-Triples and CSV at the CLI, in process, with
``catch_exceptions=False``: any exception that escapes the CLI fails the test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdgkg.cli import cli
from tests.data import BAD_CASES_DIR, CASES_DIR, REPO_DIR, SHAPE_CASES_DIR

_EXPECT = re.compile(r"#\s*Expect:\s*exit\s+(\d+);\s*'([^']+)'")
BAD_CASES = sorted(p for p in BAD_CASES_DIR.iterdir() if p.suffix != ".expect")
# S10-invalid-01 only adds a second skos:broader to target 13.2, which the store already holds:
# the load must validate it together with the store's own description of that target.
SHAPE_CASES = sorted(SHAPE_CASES_DIR.glob("S*-invalid-01.ttl"))
VALID_TURTLE = (CASES_DIR / "partnership-valid.ttl").read_text(encoding="utf-8")
TEMPLATE_CSV = (REPO_DIR / "data" / "templates" / "partnerships.csv").read_text(encoding="utf-8")


def expectation(case: Path) -> tuple[int, str]:
    sidecar = case.with_name(case.name + ".expect")
    source = sidecar if sidecar.exists() else case
    first_line = source.read_bytes().split(b"\n", 1)[0].decode("latin-1")
    match = _EXPECT.search(first_line)
    assert match, f"{source}: line 1 must read # Expect: exit N; 'fragment'"
    return int(match[1]), match[2]


def invoke(runner: CliRunner, store: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["--store", str(store), *args], catch_exceptions=False)
    return result.exit_code, result.output


def command_for(case: Path) -> list[str]:
    return ["import", "--load", str(case)] if case.suffix == ".csv" else ["load", str(case)]


def nquads(runner: CliRunner, store: Path) -> bytes:
    result = runner.invoke(
        cli, ["--store", str(store), "export", "--format", "nquads"], catch_exceptions=False
    )
    assert result.exit_code == 0
    return result.stdout_bytes


@pytest.mark.parametrize("case", BAD_CASES, ids=lambda p: p.name)
def test_bad_input_is_refused_clearly_and_changes_nothing(
    runner: CliRunner, store_path: Path, case: Path
) -> None:
    exit_code, fragment = expectation(case)
    before = nquads(runner, store_path)
    code, output = invoke(runner, store_path, *command_for(case))
    assert code == exit_code, output
    assert fragment in output, output
    assert "Traceback" not in output
    assert nquads(runner, store_path) == before


@pytest.mark.parametrize("case", SHAPE_CASES, ids=lambda p: getattr(p, "name", ""))
def test_each_shape_violation_names_its_shape_and_line(
    runner: CliRunner, store_path: Path, case: Path
) -> None:
    before = nquads(runner, store_path)
    code, output = invoke(runner, store_path, "load", str(case))
    assert code == 1, output
    assert f"[{case.name[:3]}" in output, output  # the shape id, e.g. [S07-PartnershipType…]
    assert re.search(rf"{re.escape(str(case))}:\d+: ", output), output
    assert "Traceback" not in output
    assert nquads(runner, store_path) == before


def test_huge_file_with_an_error_near_its_end(
    runner: CliRunner, store_path: Path, tmp_path: Path
) -> None:
    """40 MB of N-Triples, bulk path, broken 10 lines before the end: named by line, nothing kept."""  # noqa: E501
    path = tmp_path / "huge.nt"
    lines = 300_000
    with path.open("w", encoding="utf-8") as out:
        for n in range(lines):
            if n == lines - 10:
                out.write(
                    f'<https://w3id.org/sdgkg/id/partner/h{n}> <http://www.w3.org/2000/01/rdf-schema#label> "open .\n'  # noqa: E501
                )
            else:
                out.write(
                    f"<https://w3id.org/sdgkg/id/partner/h{n}> <http://www.w3.org/2000/01/rdf-schema#label> "  # noqa: E501
                    f'"{"Partner nummer " * 6}{n}"@da .\n'
                )
    before = nquads(runner, store_path)
    code, output = invoke(runner, store_path, "load", str(path))
    assert code == 2, output
    assert f"{path}:{lines - 9}:" in output
    assert "Traceback" not in output
    assert nquads(runner, store_path) == before


# -- property-based: malformed input never escapes as an exception ------------------------------

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> bytes:
    """``text`` with a few random cuts, insertions and byte flips."""
    data = bytearray(text.encode("utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["cut", "insert", "flip", "truncate"]))
        if action == "cut":
            del data[position : position + draw(st.integers(1, 40))]
        elif action == "insert":
            data[position:position] = draw(
                st.one_of(
                    st.binary(min_size=1, max_size=8),
                    st.sampled_from(
                        [
                            b'"',
                            b"<",
                            b">",
                            b"@",
                            b";",
                            b",",
                            b".",
                            b"\\u00",
                            b"^^",
                            b"_:",
                            b"\n",
                            b"\x00",
                            b"\xff",
                        ]
                    ),
                )
            )
        elif action == "flip" and data:
            data[min(position, len(data) - 1)] ^= 1 << draw(st.integers(0, 7))
        else:
            del data[position:]
    return bytes(data)


def _ntriples_sample() -> str:
    from pyoxigraph import RdfFormat, parse, serialize

    return serialize(
        list(parse(VALID_TURTLE.encode(), format=RdfFormat.TURTLE)), format=RdfFormat.N_TRIPLES
    ).decode()


@FUZZ
@given(data=mutated(VALID_TURTLE))
def test_mutated_turtle_never_raises(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.ttl"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["validate", str(path)], catch_exceptions=False)
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.output


@FUZZ
@given(data=mutated(_ntriples_sample()))
def test_mutated_ntriples_never_raises(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.nt"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["validate", str(path)], catch_exceptions=False)
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.output


@settings(FUZZ, max_examples=15)
@given(data=mutated(TEMPLATE_CSV))
def test_mutated_csv_never_raises(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["import", str(path)], catch_exceptions=False)
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.output
