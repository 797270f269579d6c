"""The one SPARQL update that replaces whole graphs, written and recognised in one place.

`sdgkg load` beside a running server sends its small files as one update (all or nothing):
``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { …N-Triples… } }`` per graph. The store cannot
see which graphs an arbitrary update changed, so derived values such as the search index would be
read whole after it (issue 18); ``graphs_replaced_by`` recognises this exact form and names its
graphs, so they are followed graph by graph like a bulk load.

The recognition is sound because the form leaves nothing to interpretation: every line is a
keyword line of the form, a closing ``} }``, or an N-Triples statement, and the statements of each
graph must parse as N-Triples (pyoxigraph). N-Triples has no multi-line literals, so no line can
belong to a literal that hides a keyword, and an N-Triples line means the same in SPARQL. Any
other update, however close, is "any graph" (None).
"""

from __future__ import annotations

import re

from pyoxigraph import RdfFormat, Triple, parse, serialize

_GRAPH_REPLACED = re.compile(
    r"DROP SILENT GRAPH <([^<>\s]+)> ;\n"
    r"INSERT DATA \{ GRAPH <\1> \{\n"
    r"((?:[^\n]*\n)*?)"  # whole lines of N-Triples, none of them the closing line
    r"\} \}(?: ;\n|\Z)"
)


def replace_graphs_update(batch: dict[str, list[Triple]]) -> str:
    """One SPARQL update that replaces each graph of ``batch`` with its triples.

    >>> from pyoxigraph import NamedNode as N
    >>> print(replace_graphs_update({"urn:g": [Triple(N("urn:s"), N("urn:p"), N("urn:o"))]}))
    DROP SILENT GRAPH <urn:g> ;
    INSERT DATA { GRAPH <urn:g> {
    <urn:s> <urn:p> <urn:o> .
    } }
    """
    operations = []
    for graph, triples in batch.items():
        ntriples = (serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode()
        operations.append(
            f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{ntriples}}} }}"
        )
    return " ;\n".join(operations)


def graphs_replaced_by(update: str) -> set[str] | None:
    """The graphs an update of ``replace_graphs_update``'s form replaces; None for any other.

    >>> from pyoxigraph import NamedNode as N
    >>> sorted(graphs_replaced_by(replace_graphs_update({"urn:g": [], "urn:h": []})) or [])
    ['urn:g', 'urn:h']
    >>> graphs_replaced_by("DELETE WHERE { ?s ?p ?o }") is None
    True
    """
    graphs: set[str] = set()
    position = 0
    while position < len(update):
        match = _GRAPH_REPLACED.match(update, position)
        if match is None:
            return None
        try:
            list(parse(match.group(2).encode(), format=RdfFormat.N_TRIPLES))
        except SyntaxError:
            return None
        graphs.add(match.group(1))
        position = match.end()
    return graphs or None
