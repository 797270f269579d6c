"""Reads RDF files into triples, with errors that name the file, line and column.

pyoxigraph does the parsing (in Rust); this module only picks the format, rebases IRIs when a
non-default base is configured, and turns parser errors into ``RdfSyntaxError``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Triple, parse

from sdgkg.errors import InputError, RdfSyntaxError
from sdgkg.iris import DEFAULT_BASE_IRI, rebase_iri

FORMATS_BY_SUFFIX: dict[str, RdfFormat] = {
    ".ttl": RdfFormat.TURTLE,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".trig": RdfFormat.TRIG,
    ".rdf": RdfFormat.RDF_XML,
    ".owl": RdfFormat.RDF_XML,
    ".xml": RdfFormat.RDF_XML,
    ".jsonld": RdfFormat.JSON_LD,
    ".n3": RdfFormat.N3,
}
FORMATS_BY_NAME: dict[str, RdfFormat] = {
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "nquads": RdfFormat.N_QUADS,
    "trig": RdfFormat.TRIG,
    "rdfxml": RdfFormat.RDF_XML,
    "jsonld": RdfFormat.JSON_LD,
}
QUAD_FORMATS = (RdfFormat.N_QUADS, RdfFormat.TRIG)
_POSITION = re.compile(r"line (\d+) column (\d+)")

ProgressCallback = Callable[[int], None]
"""Called with the number of bytes read so far."""


@dataclass
class ParsedFile:
    """One file's triples; quad formats may carry several graphs (``None`` = the file's own)."""

    path: Path
    graphs: dict[str | None, list[Triple]] = field(default_factory=dict)

    @property
    def triple_count(self) -> int:
        return sum(len(triples) for triples in self.graphs.values())

    def all_triples(self) -> Iterator[Triple]:
        for triples in self.graphs.values():
            yield from triples


def rdf_format_for(path: Path) -> RdfFormat:
    """The RDF format a file's suffix names; ``InputError`` for any other suffix."""
    fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise InputError(
            f"unknown RDF file type {path.suffix!r}; use one of {known}", where=str(path)
        )
    return fmt


def parse_file(path: Path, *, base_iri: str = DEFAULT_BASE_IRI) -> ParsedFile:
    """Parse a whole file; ``RdfSyntaxError`` at the first error, ``InputError`` if unreadable."""
    fmt = rdf_format_for(path)
    data = read_bytes(path)
    parsed = ParsedFile(path)
    for quad in _parse_quads(data, fmt, path):
        graph = None if isinstance(quad.graph_name, DefaultGraph) else str(quad.graph_name.value)
        parsed.graphs.setdefault(graph, []).append(_rebase(quad.triple, base_iri))
    if parsed.triple_count == 0:
        raise InputError("the file holds no triples", where=str(path))
    return parsed


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or ``InputError`` naming what is wrong with it."""
    if not path.exists():
        raise InputError("no such file", where=str(path))
    if path.is_dir():
        raise InputError("is a folder, not a file", where=str(path))
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read the file: {error.strerror}", where=str(path)) from None


def syntax_error(error: SyntaxError, path: Path | str) -> RdfSyntaxError:
    """Turn a pyoxigraph parser error into ``file:line:column: problem``."""
    message = str(error.msg if hasattr(error, "msg") else error)
    match = _POSITION.search(message)
    line, column = (int(match[1]), int(match[2])) if match else (error.lineno, error.offset)
    problem = message.split(": ", 1)[-1] if ": " in message else message
    where = f"{path}:{line}:{column}" if line else str(path)
    return RdfSyntaxError(problem, where=where)


class ProgressReader(io.RawIOBase):
    """A binary file that reports how far it has been read, for the bulk loader's progress bar."""

    def __init__(self, raw: IO[bytes], on_progress: ProgressCallback) -> None:
        self._raw = raw
        self._on_progress = on_progress
        self._read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        count = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        self._read += count or 0
        self._on_progress(self._read)
        return count or 0


def _parse_quads(data: bytes, fmt: RdfFormat, path: Path) -> Iterator[Quad]:
    try:
        yield from parse(data, format=fmt, base_iri=path.resolve().as_uri())
    except SyntaxError as error:
        raise syntax_error(error, path) from None
    except (ValueError, OSError) as error:
        raise InputError(str(error), where=str(path)) from None


def _rebase(triple: Triple, base_iri: str) -> Triple:
    if base_iri == DEFAULT_BASE_IRI:
        return triple
    subject, predicate, obj = triple.subject, triple.predicate, triple.object
    return Triple(
        _rebase_node(subject, base_iri) if isinstance(subject, NamedNode) else subject,
        _rebase_node(predicate, base_iri),
        _rebase_node(obj, base_iri) if isinstance(obj, NamedNode) else obj,
    )


def _rebase_node(node: NamedNode, base_iri: str) -> NamedNode:
    return NamedNode(rebase_iri(node.value, base_iri))
