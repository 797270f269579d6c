"""A curator's loop, end to end (issue 17, part 3; docs/curating.md walks it by hand).

A sheet of 20 partnerships from a new source (invented test data: tests/cases/curator-loop)
goes through a real ``sdgkg serve`` and the real CLI: the source's record is loaded, a first
``sdgkg import`` names the two names it cannot resolve, the names are reconciled through
``POST /reconcile`` as OpenRefine sends them and the IRIs written back as ``<column>_iri``
columns, ``sdgkg import`` maps the sheet, the check page finds no violation, ``sdgkg provenance
check`` finds every key phrase in the source text, and ``sdgkg load`` loads through the server
with the update token. Then the partnerships answer SPARQL, search and the coverage views, and
every triple from before is still there.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sdgkg.csvimport import IRI_SUFFIX
from tests.data import CASES_DIR
from tests.e2e.conftest import run_cli as sdgkg
from tests.e2e.conftest import serve_bundle

pytestmark = pytest.mark.e2e

LOOP_DIR = CASES_DIR / "curator-loop"
SHEET = LOOP_DIR / "partnerships.csv"
SOURCE_RECORD = LOOP_DIR / "source.ttl"
SOURCE_TEXTS = LOOP_DIR / "sources"
TOKEN = "curator-token"
ONT = "https://w3id.org/sdgkg/ontology#"
ID = "https://w3id.org/sdgkg/id/"
SOURCE_IRI = ID + "source/test-klimaskoler-2026"
BATCH = 10  # OpenRefine's reconciliation batch size
# Each reconciled column with the type OpenRefine is told to match against (None: any type).
RECONCILED = {
    "members": ONT + "Partner",
    "municipality": ONT + "Municipality",
    "partnership_type": ONT + "PartnershipType",
    "unesco_domains": ONT + "UNESCODomain",
    "stated_sdgs": None,
    "assigned_sdgs": None,
}
MANY_VALUED = ("members", "stated_sdgs", "assigned_sdgs", "unesco_domains")
ROLE = re.compile(r"\s*\([^()]*\)\s*$")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    yield from serve_bundle(tmp_path_factory, "curator", TOKEN)


def test_issue_17_a_sheet_goes_from_spreadsheet_to_graph(
    served: tuple[Path, str], tmp_path: Path
) -> None:
    """https://github.com/sdgkg/sdgkg/issues/17"""
    store, url = served
    before_quads = export_quads(store)
    before_bars = coverage_bars(url)
    rows = read_sheet(SHEET)
    assert len(rows) == 20

    # 1. The new source's record first: the sheet cites it by slug.
    loaded = sdgkg(store, "load", str(SOURCE_RECORD), token=TOKEN)
    assert loaded.returncode == 0, loaded.stderr

    # 2. The raw sheet: names that match no record clearly are listed with candidates, exit 1.
    raw = sdgkg(store, "import", str(SHEET))
    assert raw.returncode == 1, raw.stderr
    assert f"{SHEET}:row 2, column members: unknown partner 'Red Barn'" in raw.stderr
    assert f"<{ID}partner/red-barnet>" in raw.stderr
    assert f"{SHEET}:row 4, column members: unknown partner 'DH'" in raw.stderr
    assert "2 name(s) did not resolve" in raw.stderr

    # 3. Reconciliation as OpenRefine does it; the curator takes the best candidate where the
    # service proposes no match, as they would after looking at the preview.
    reconciled = tmp_path / "reconciled.csv"
    chosen = reconcile_sheet(url, rows)
    assert chosen["Red Barn"] == (ID + "partner/red-barnet", False)
    assert chosen["DH"] == (ID + "partner/danske-handicaporganisationer", False)
    assert chosen["SØNDERBORG KOMMUNE"] == (ID + "municipality/soenderborg", True)
    assert chosen["mål 4.7"] == (ID + "target/4.7", True)
    assert sum(matched for _, matched in chosen.values()) == len(chosen) - 2
    write_reconciled(reconciled, rows, {name: iri for name, (iri, _) in chosen.items()})

    # 4. The import maps the reconciled sheet.
    records = tmp_path / "records.ttl"
    imported = sdgkg(store, "import", str(reconciled), "-o", str(records))
    assert imported.returncode == 0, imported.stderr
    assert "20 row(s) imported" in imported.stderr

    # 5. The check page, on the live graph: no violation.
    checked = httpx.post(
        url + "check",
        params={"lang": "en"},
        files={"file": ("records.ttl", records.read_bytes(), "text/turtle")},
        timeout=60,
    )
    assert checked.status_code == 200
    assert "No problems: the records conform." in checked.text
    problems = re.findall(r'<tr class="problem">(.*?)</tr>', checked.text)
    violations = [p for p in problems if "Advice:" not in p]  # warnings advise, never block
    assert violations == []

    # 6. Every key phrase stands in the source text.
    provenance = sdgkg(
        store, "provenance", "check", str(SOURCE_TEXTS),
        "--data", str(records), "--data", str(SOURCE_RECORD),
    )  # fmt: skip
    assert provenance.returncode == 0, provenance.stdout
    assert "20 quotation(s) checked, 0 problem(s)" in provenance.stdout

    # 7. The load goes through the running server's update path with the token.
    assert sdgkg(store, "load", str(records)).returncode == 3  # no token: refused, says why
    load = sdgkg(store, "load", str(records), token=TOKEN)
    assert load.returncode == 0, load.stderr

    # Queryable: the 20 partnerships, each citing the new source.
    new = {ID + "partnership/" + row["id"] for row in rows}
    found = select_column(
        url,
        f"PREFIX prov: <http://www.w3.org/ns/prov#> SELECT ?p WHERE {{ ?p a <{ONT}Partnership> ;"
        f" prov:wasDerivedFrom <{SOURCE_IRI}> }}",
    )
    assert set(found) == new
    # In search, by name.
    for row in rows[:3]:
        assert wait_for(lambda row=row: f'href="/id/partnership/{row["id"]}"' in search(url, row))
    # In the coverage views: each goal's bar moved by the new partnerships addressing it.
    assert wait_for(lambda: coverage_bars(url) != before_bars)
    after_bars = coverage_bars(url)
    moved = {g: n - before_bars[g] for g, n in after_bars.items() if n != before_bars[g]}
    assert moved == goals_addressed(rows)
    listed = httpx.get(url + "coverage/list", params={"goal": "4"}).text
    assert 'href="/id/partnership/leg-og-laering-billund"' in listed
    # And nothing from before was lost.
    after_quads = export_quads(store)
    assert before_quads <= after_quads
    assert len(after_quads) > len(before_quads)


def read_sheet(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as sheet:
        return list(csv.DictReader(sheet))


def cell_names(column: str, cell: str) -> list[str]:
    """The names in a cell as OpenRefine reconciles them: split, the member's role cut off."""
    parts = [p.strip() for p in cell.split(";")] if column in MANY_VALUED else [cell.strip()]
    return [ROLE.sub("", p) if column == "members" else p for p in parts if p]


def reconcile_sheet(url: str, rows: list[dict[str, str]]) -> dict[str, tuple[str, bool]]:
    """Each distinct name -> (the IRI chosen, whether the service marked it a match)."""
    queries: dict[str, dict[str, object]] = {}
    for column, type_iri in RECONCILED.items():
        for name in {n for row in rows for n in cell_names(column, row[column])}:
            query: dict[str, object] = {"query": name, "limit": 3}
            if type_iri:
                query |= {"type": type_iri, "type_strict": "should"}
            queries[f"q{len(queries)}"] = query
    keys = list(queries)
    chosen: dict[str, tuple[str, bool]] = {}
    for start in range(0, len(keys), BATCH):
        batch = {key: queries[key] for key in keys[start : start + BATCH]}
        answer = httpx.post(url + "reconcile", data={"queries": json.dumps(batch)}, timeout=60)
        assert answer.status_code == 200, answer.text
        for key, result in answer.json().items():
            best = result["result"][0]  # every name here has a candidate
            chosen[str(queries[key]["query"])] = (best["id"], best["match"])
    return chosen


def write_reconciled(path: Path, rows: list[dict[str, str]], iris: dict[str, str]) -> None:
    """The sheet with an ``<column>_iri`` twin per reconciled column, joined with '; '."""
    twins = [column + IRI_SUFFIX for column in RECONCILED]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=[*rows[0], *twins])
        writer.writeheader()
        for row in rows:
            twin_cells = {
                column + IRI_SUFFIX: "; ".join(iris[n] for n in cell_names(column, row[column]))
                for column in RECONCILED
            }
            writer.writerow(row | twin_cells)


def export_quads(store: Path) -> set[str]:
    done = sdgkg(store, "export", "--format", "nquads")
    assert done.returncode == 0, done.stderr
    return set(done.stdout.splitlines())


def select_column(url: str, query: str) -> list[str]:
    answer = httpx.get(
        url + "sparql", params={"query": query}, headers={"Accept": "text/csv"}, timeout=60
    )
    assert answer.status_code == 200, answer.text
    return [line[0] for line in list(csv.reader(io.StringIO(answer.text)))[1:]]


def search(url: str, row: dict[str, str]) -> str:
    return httpx.get(url + "search", params={"q": row["name_da"], "lang": "da"}).text


def coverage_bars(url: str) -> dict[str, int]:
    """Goal -> records addressing it, as the bar chart says them in words to a screen reader."""
    page = httpx.get(url + "coverage", params={"lang": "en"}, timeout=60).text
    chart = page[page.index('<ol class="bar-chart"') :]
    chart = chart[: chart.index("</ol>")]
    bars = re.findall(r'<li class="sdg-(\d+)">.*?visually-hidden">: (\d+), ', chart, re.S)
    assert len(bars) == 17, page[:500]
    return {goal: int(total) for goal, total in bars}


def goals_addressed(rows: list[dict[str, str]]) -> dict[str, int]:
    """How many of the rows address each goal, by a goal or one of its targets."""
    counted: Counter[str] = Counter()
    for row in rows:
        cells = [*row["stated_sdgs"].split(";"), *row["assigned_sdgs"].split(";")]
        goals = {m.group(1) for c in cells if (m := re.search(r"(\d+)(?:\.\d+)?\s*$", c))}
        counted.update(goals)
    return dict(counted)


def wait_for(condition: object, timeout_s: float = 30) -> bool:
    """Views built in the background after a load catch up within seconds."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.5)
    return False
