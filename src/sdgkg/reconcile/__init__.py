"""Entity reconciliation for curators' sheets: the W3C Entity Reconciliation API over the graph.

https://reconciliation-api.github.io/specs/0.2/ (what OpenRefine 3.x speaks) and the 1.0 draft.
The library (index, matching, suggest, extend, preview, manifest) asks the store only through
``GraphStore``; ``routes.py`` is the HTTP edge.
"""

from sdgkg.reconcile.index import ReconcileIndex, build_index
from sdgkg.reconcile.matching import Candidate, Condition, Query, reconcile

__all__ = ["Candidate", "Condition", "Query", "ReconcileIndex", "build_index", "reconcile"]
