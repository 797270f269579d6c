"""sdgkg: a semantic knowledge graph of sustainability partnerships.

The public API is small: open a store, load files into it, validate records, run queries.
Heavy modules are imported lazily so that ``sdgkg --help`` stays fast.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
