"""The note a running ``sdgkg serve`` leaves beside its store, so the CLI can find it.

An embedded store has one writer: while the server holds it, ``sdgkg load`` cannot open it, and
sends the load to the server's ``/update`` instead (``load.load_through_server``). The note says
where the server listens; it lies beside the store (``.sdgkg/store`` → ``.sdgkg/store.serving``),
never inside the store's own directory, and goes when the server stops.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ServingNote:
    url: str  # http://host:port/ with a trailing slash
    pid: int


def note_path(store_path: Path) -> Path:
    return store_path.parent / f"{store_path.name}.serving"


@contextmanager
def serving_note(store_path: Path, host: str, port: int) -> Iterator[None]:
    """Leave the note while the server runs."""
    local_host = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host
    if ":" in local_host:
        local_host = f"[{local_host}]"
    path = note_path(store_path)
    note = {"url": f"http://{local_host}:{port}/", "pid": os.getpid()}
    path.write_text(json.dumps(note), encoding="utf-8")
    try:
        yield
    finally:
        path.unlink(missing_ok=True)


def read_serving_note(store_path: Path) -> ServingNote | None:
    """The note of the server that holds the store, if one left a readable note."""
    try:
        note = json.loads(note_path(store_path).read_text(encoding="utf-8"))
        return ServingNote(url=str(note["url"]), pid=int(note["pid"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
