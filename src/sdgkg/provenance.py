"""Checks that every quoted key phrase stands verbatim within its locator's lines.

A curated record rests on a passage: ``prov:qualifiedDerivation [ prov:entity <source> ;
sdgkg:lineStart a ; sdgkg:lineEnd b ; sdgkg:keyPhrase "…" ]``, and the source names its file.
The source texts are not in the repository, so the check takes the folder that holds them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, Quad, QuerySolution, QuerySolutions, Store

from sdgkg.rdfio import parse_file

_QUOTATIONS = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX sdgkg: <https://w3id.org/sdgkg/ontology#>
SELECT ?record ?file ?start ?end ?phrase WHERE {
  ?record prov:qualifiedDerivation ?quotation .
  ?quotation prov:entity ?source ; sdgkg:keyPhrase ?phrase .
  OPTIONAL { ?quotation sdgkg:lineStart ?start ; sdgkg:lineEnd ?end }
  OPTIONAL { ?source sdgkg:fileName ?file }
} ORDER BY ?file ?start ?record
"""
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class ProvenanceProblem:
    record: str
    file: str
    line: int
    problem: str

    def to_text(self) -> str:
        return f"{self.file}:{self.line}: {self.record}: {self.problem}"


@dataclass(frozen=True)
class ProvenanceReport:
    checked: int
    problems: list[ProvenanceProblem]


def check_provenance(data_files: Sequence[Path], sources_dir: Path) -> ProvenanceReport:
    """Check every quotation in ``data_files`` against the documents in ``sources_dir``."""
    store = Store()
    for path in data_files:
        graph = NamedNode(path.resolve().as_uri())
        store.extend(
            Quad(t.subject, t.predicate, t.object, graph) for t in parse_file(path).all_triples()
        )
    problems = []
    result = store.query(_QUOTATIONS, use_default_graph_as_union=True)
    rows = list(result) if isinstance(result, QuerySolutions) else []
    for row in rows:
        problem = _check_row(row, sources_dir)
        if problem:
            problems.append(problem)
    return ProvenanceReport(len(rows), problems)


def _check_row(row: QuerySolution, sources_dir: Path) -> ProvenanceProblem | None:
    record = str(row["record"].value)
    file = row["file"]
    start, end = row["start"], row["end"]
    if file is None:
        return ProvenanceProblem(record, "?", 0, "the source names no sdgkg:fileName")
    name = str(file.value)
    if start is None or end is None:
        return ProvenanceProblem(record, name, 0, "the quotation has no sdgkg:lineStart/lineEnd")
    first, last = int(start.value), int(end.value)
    document = sources_dir / name
    if not document.is_file():
        return ProvenanceProblem(record, name, first, f"source document not found in {sources_dir}")
    lines = document.read_text(encoding="utf-8", errors="replace").splitlines()
    if not 1 <= first <= last <= len(lines):
        return ProvenanceProblem(
            record,
            name,
            first,
            f"lines {first}-{last} are outside the document ({len(lines)} lines)",
        )
    phrase = str(row["phrase"].value)
    if not phrase_in_lines(phrase, lines[first - 1 : last]):
        return ProvenanceProblem(
            record, name, first, f"key phrase {phrase!r} not found in lines {first}-{last}"
        )
    return None


def phrase_in_lines(phrase: str, lines: Sequence[str]) -> bool:
    """Whether the phrase occurs in the lines (runs of whitespace and line breaks count as one).

    >>> phrase_in_lines("fire dimensioner", ["I Sønderborg ser vi fire", " dimensioner af"])
    True
    """
    text = _SPACES.sub(" ", " ".join(lines))
    return _SPACES.sub(" ", phrase.strip()) in text
