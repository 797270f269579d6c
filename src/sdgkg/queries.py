"""Curated SPARQL queries: find them, read their stated question, run them with parameters.

A curated query is ``queries/competency/CQnn-<slug>.rq``. Its opening comments state the question
in English and Danish and its parameters; a parameter is a variable bound by a ``VALUES`` block
whose default the caller may replace.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sdgkg import resources
from sdgkg.errors import NotFound, QuerySyntaxError
from sdgkg.store.base import GraphStore, QueryResult

_HEADER = re.compile(r"^#\s*(Question \(en\)|Spørgsmål \(da\)|Parameters?)\s*:\s*(.*)$", re.I)
_POSITION = re.compile(r"(?:error at |line )(\d+)[:, column]+(\d+)")


@dataclass(frozen=True)
class CuratedQuery:
    name: str
    path: Path
    question_en: str
    question_da: str
    parameters: str
    text: str = field(repr=False)

    @property
    def number(self) -> str:
        return self.name.split("-", 1)[0]


def read_curated(path: Path) -> CuratedQuery:
    """Parse a curated query's header comments."""
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match:
            header[match[1].lower()[:5]] = match[2].strip()
    return CuratedQuery(
        name=path.stem,
        path=path,
        question_en=header.get("quest", ""),
        question_da=header.get("spørg", ""),
        parameters=header.get("param", "none"),
        text=text,
    )


def list_curated(folder: Path | None = None) -> list[CuratedQuery]:
    folder = folder or resources.competency_queries_dir()
    return [read_curated(p) for p in sorted(folder.glob("*.rq"))]


def find_curated(name: str) -> CuratedQuery:
    """By full name (``CQ01-partnerships-per-goal``), number (``CQ01``) or slug."""
    wanted = name.lower().removesuffix(".rq")
    for query in list_curated():
        lowered = query.name.lower()
        if wanted in (lowered, query.number.lower(), lowered.split("-", 1)[-1]):
            return query
    raise NotFound(f"no curated query named {name!r}; `sdgkg queries` lists them")


def bind_parameters(text: str, parameters: Mapping[str, str]) -> str:
    """Replace the ``VALUES ?name { … }`` default of each parameter by the given SPARQL term.

    >>> bind_parameters("SELECT * { VALUES ?goal { <urn:a> } }", {"goal": "<urn:b>"})
    'SELECT * { VALUES ?goal { <urn:b> } }'
    """
    for name, term in parameters.items():
        pattern = re.compile(r"VALUES\s+\?" + re.escape(name) + r"\s*\{[^}]*\}", re.I)
        if not pattern.search(text):
            raise NotFound(f"the query has no parameter ?{name}")
        replacement = f"VALUES ?{name} {{ {term} }}"
        text = pattern.sub(_verbatim(replacement), text, count=1)
    return text


def _verbatim(replacement: str) -> Callable[[re.Match[str]], str]:
    """A ``re.sub`` replacement that inserts the text as is (backslashes are no escapes)."""
    return lambda _: replacement


def run_query(store: GraphStore, sparql: str, *, source: str = "query") -> QueryResult:
    """Evaluate a query; a syntax error names its line and column."""
    try:
        return store.query(sparql)
    except SyntaxError as error:
        raise query_syntax_error(error, source) from None


def query_syntax_error(error: SyntaxError, source: str = "query") -> QuerySyntaxError:
    message = str(error)
    match = _POSITION.search(message)
    where = f"{source}:{match[1]}:{match[2]}" if match else source
    problem = re.sub(r"^error at \d+:\d+:\s*", "", message)
    return QuerySyntaxError(problem, where=where)
