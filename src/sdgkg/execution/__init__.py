"""Running a query on a store: the worker pool and its deadlines, streaming the serialised
answer, the row limit, the result cache, the relay to a remote engine, and the state one running
service shares between requests (``state.py``, with its FastAPI view in ``deps.py``).

Open this package for "why is this answer slow" (docs/architecture.md).
"""
