"""The update `sdgkg load` sends beside a server names the graphs it replaces, and only that form.

Issue 18: after such a load the search index is updated for those graphs instead of read whole
(``EmbeddedStore.changed_graphs_since``). Recognising any other update as naming graphs would
leave a derived value stale, so the look-alikes below must all answer None (any graph).
"""

from __future__ import annotations

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from sdgkg.store.embedded import EmbeddedStore
from sdgkg.store.replace_update import graphs_replaced_by, replace_graphs_update

S, P = NamedNode("urn:s"), NamedNode("urn:p")
AWKWARD = [  # literals that look like the form's own lines once written out
    Triple(S, P, Literal("} } ;\nDROP SILENT GRAPH <urn:other> ;")),
    Triple(S, P, Literal('INSERT DATA { GRAPH <urn:other> {\n"""', language="da")),
    Triple(BlankNode("b1"), P, Literal("# not a comment } }")),
    Triple(S, P, Literal("Sønderborg æøå ✓")),
]


def test_the_form_names_its_graphs_whatever_the_literals_hold() -> None:
    update = replace_graphs_update({"urn:g": AWKWARD, "urn:h": [], "urn:i": AWKWARD[:1]})
    assert graphs_replaced_by(update) == {"urn:g", "urn:h", "urn:i"}


def test_the_store_notes_exactly_those_graphs(tmp_path: object) -> None:
    store = EmbeddedStore(None)
    store.replace_graphs({"urn:kept": [Triple(S, P, Literal("kept"))]})
    mark = store.writes
    store.update(replace_graphs_update({"urn:g": AWKWARD}))
    assert store.changed_graphs_since(mark) == {"urn:g"}
    assert len(list(store.oxigraph.quads_for_pattern(None, None, None, NamedNode("urn:g")))) == 4
    mark = store.writes
    store.update("DELETE WHERE { GRAPH <urn:kept> { ?s ?p ?o } }")
    assert store.changed_graphs_since(mark) is None  # any other update: any graph


@pytest.mark.parametrize(
    "update",
    [
        # a default-graph triple beside the form
        "DROP SILENT GRAPH <urn:g> ;\nINSERT DATA { GRAPH <urn:g> {\n<urn:s> <urn:p> <urn:o> .\n} }"
        " ;\nINSERT DATA { <urn:s> <urn:p> <urn:o> }",
        # a SPARQL long literal hiding the next operation's keywords from a line-by-line reader
        'DROP SILENT GRAPH <urn:g> ;\nINSERT DATA { GRAPH <urn:g> {\n<urn:s> <urn:p> """x\n} } ;\n'
        'DROP SILENT GRAPH <urn:h> ;\nINSERT DATA { GRAPH <urn:h> {\n""" .\n} }',
        # the drop and the insert name different graphs
        "DROP SILENT GRAPH <urn:g> ;\nINSERT DATA { GRAPH <urn:h> {\n} }",
        # a prefixed name is SPARQL, not N-Triples
        "DROP SILENT GRAPH <urn:g> ;\nINSERT DATA { GRAPH <urn:g> {\nex:s <urn:p> <urn:o> .\n} }",
        # another operation after the form
        "DROP SILENT GRAPH <urn:g> ;\nINSERT DATA { GRAPH <urn:g> {\n} } ;\nCLEAR ALL",
        "DELETE WHERE { GRAPH <urn:g> { ?s ?p ?o } }",
        "",
    ],
    ids=["default-graph", "long-literal", "two-graphs", "prefixed", "then-clear", "other", "empty"],
)
def test_look_alikes_name_no_graphs(update: str) -> None:
    assert graphs_replaced_by(update) is None
