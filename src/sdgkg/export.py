"""Serialises the store, or one graph, in the RDF format asked for."""

from __future__ import annotations

from typing import BinaryIO

from pyoxigraph import RdfFormat

from sdgkg.errors import InputError
from sdgkg.rdfio import FORMATS_BY_NAME, QUAD_FORMATS
from sdgkg.store.base import GraphStore

EXPORT_FORMATS = tuple(FORMATS_BY_NAME)


def export_format(name: str) -> RdfFormat:
    try:
        return FORMATS_BY_NAME[name]
    except KeyError:
        raise InputError(
            f"unknown format {name!r}; use one of {', '.join(EXPORT_FORMATS)}"
        ) from None


def export_store(
    store: GraphStore, out: BinaryIO, fmt_name: str, *, graph: str | None = None
) -> None:
    """Quad formats keep every named graph; triple formats write the union (or one graph)."""
    fmt = export_format(fmt_name)
    if graph is not None and fmt in QUAD_FORMATS:
        raise InputError(
            "a single graph exports as triples: choose turtle, ntriples, rdfxml or jsonld"
        )
    if graph is not None and graph not in store.graph_names():
        from sdgkg.errors import NotFound

        raise NotFound(f"no graph <{graph}> in the store")
    store.dump(out, fmt, graph=graph)
