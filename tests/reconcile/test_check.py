"""sdgkg.reconcile.check: a curator's Turtle or CSV checked against the live graph; never writes."""

from __future__ import annotations

import pytest
from pyoxigraph import RdfFormat, parse

from sdgkg.config import Settings
from sdgkg.csvimport import KnownRecords
from sdgkg.errors import InputError, LimitExceeded
from sdgkg.reconcile import ReconcileIndex, build_index
from sdgkg.reconcile.check import CheckReport, check_records
from sdgkg.reconcile.sheet import known_records
from sdgkg.store.embedded import EmbeddedStore
from tests.data import CASES_DIR, REPO_DIR

ID = "https://w3id.org/sdgkg/id/"
TEMPLATE = (REPO_DIR / "data" / "templates" / "partnerships.csv").read_bytes()
BAD_ROWS = (
    "bad-member,Grøn skole,Green school,,Red Barn (lead),Sønderborg,4,,,,,seed-002,1,1,x\n"
    "no-members,Blå skole,Blue school,,,Sønderborg,4,,,,,seed-002,1,1,x\n"
).encode()


@pytest.fixture(scope="module")
def graph(
    tmp_path_factory: pytest.TempPathFactory, bundled_store_template: object
) -> tuple[EmbeddedStore, ReconcileIndex, KnownRecords]:
    import shutil

    path = tmp_path_factory.mktemp("check") / "store"
    shutil.copytree(str(bundled_store_template), path)
    store = EmbeddedStore(path)
    base = Settings(store=str(path)).base_iri
    return store, build_index(store, base), known_records(store, base)


def check(
    graph: tuple[EmbeddedStore, ReconcileIndex, KnownRecords], content: bytes, name: str
) -> CheckReport:
    store, index, known = graph
    return check_records(content, name, store, index, known, lang="en", max_bytes=100_000)


def test_the_csv_template_conforms_and_becomes_turtle(
    graph: tuple[EmbeddedStore, ReconcileIndex, KnownRecords],
) -> None:
    report = check(graph, TEMPLATE, "partnerships.csv")
    violations = [p for p in report.problems if p.severity == "Violation"]
    assert report.kind == "csv" and report.conforms and violations == []
    assert report.records == 1
    assert ID + "municipality/soenderborg" in {link.iri for link in report.links}
    triples = list(parse(report.turtle, format=RdfFormat.TURTLE))
    assert any(t.subject.value == ID + "partnership/example-learning-city-schools" for t in triples)


def test_every_bad_row_is_named_with_its_column(
    graph: tuple[EmbeddedStore, ReconcileIndex, KnownRecords],
) -> None:
    report = check(graph, TEMPLATE + BAD_ROWS, "sheet.csv")
    assert not report.conforms
    where = {(p.row, p.column) for p in report.problems if p.severity == "Violation"}
    assert where == {(3, "members"), (4, "members")}
    assert report.records == 1  # the template's own row still maps
    unresolved = report.unresolved[0]
    assert (unresolved.text, unresolved.row, unresolved.column) == ("Red Barn", 3, "members")
    assert unresolved.candidates[0].iri == ID + "partner/red-barnet"


def test_a_turtle_violation_has_line_label_property_and_shape(
    graph: tuple[EmbeddedStore, ReconcileIndex, KnownRecords],
) -> None:
    report = check(graph, (CASES_DIR / "unknown-target.ttl").read_bytes(), "records.ttl")
    assert not report.conforms
    problem = next(p for p in report.problems if p.path and "SDG" in p.path)
    assert problem.line is not None and problem.shape_id and problem.value
    assert ID + "target/18.1" in {u.text for u in report.unresolved}


def test_an_unknown_partner_iri_gets_candidates(
    graph: tuple[EmbeddedStore, ReconcileIndex, KnownRecords],
) -> None:
    content = (CASES_DIR / "unknown-partner.ttl").read_bytes()
    report = check(graph, content, "records.ttl")
    unresolved = {u.text: u for u in report.unresolved}
    assert ID + "partner/no-such-partner" in unresolved
    assert unresolved[ID + "partner/no-such-partner"].line == 39


def test_a_syntax_error_names_its_line(
    graph: tuple[EmbeddedStore, ReconcileIndex, KnownRecords],
) -> None:
    report = check(graph, (CASES_DIR / "syntax-error.ttl").read_bytes(), "records.ttl")
    assert not report.conforms and report.problems[0].line == 4


def test_a_valid_turtle_file_conforms_and_lists_its_links(
    graph: tuple[EmbeddedStore, ReconcileIndex, KnownRecords],
) -> None:
    report = check(graph, (CASES_DIR / "partnership-valid.ttl").read_bytes(), "records.ttl")
    assert report.conforms, report.problems
    assert ID + "municipality/soenderborg" in {link.iri for link in report.links}


def test_checking_writes_nothing(graph: tuple[EmbeddedStore, ReconcileIndex, KnownRecords]) -> None:
    store = graph[0]
    before = (len(store.oxigraph), store.writes)
    check(graph, TEMPLATE + BAD_ROWS, "sheet.csv")
    check(graph, (CASES_DIR / "partnership-valid.ttl").read_bytes(), "records.ttl")
    assert (len(store.oxigraph), store.writes) == before


def test_empty_and_oversized_input_are_refused(
    graph: tuple[EmbeddedStore, ReconcileIndex, KnownRecords],
) -> None:
    with pytest.raises(InputError, match="nothing to check"):
        check(graph, b"  \n", "x.ttl")
    with pytest.raises(LimitExceeded, match="at most 100000"):
        check(graph, b"#" * 100_001, "x.ttl")


def test_a_csv_violation_names_row_and_column(
    graph: tuple[EmbeddedStore, ReconcileIndex, KnownRecords],
) -> None:
    """A row that maps but breaks a shape: the property's template column is named."""
    long_phrase = " ".join(["ord"] * 14)
    cells = "long-phrase,Lang,Long,,Sønderborg (lead),Sønderborg,4,,,,2021,seed-002,95,95"
    row = f"{cells},{long_phrase}\n"
    report = check(graph, TEMPLATE + row.encode(), "sheet.csv")
    problem = next(p for p in report.problems if p.shape_id == "S17-Quotation-keyPhrase")
    assert (problem.row, problem.column) == (3, "key_phrase")
