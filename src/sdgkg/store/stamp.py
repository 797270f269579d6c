"""The embedded store's data stamp: a random name for one state of its data, kept on disk.

What is derived from the data (VoID counts, dumps, the search index, the coverage tables) is kept
beside the store keyed by this stamp (``execution/kept.py``), so that a restarted server serves
it at once instead of rebuilding it (issue 18). That is only safe if the stamp changes with
every write and never names data it does not describe, even after a crash. So:

- before a write, the stamp file is marked dirty (written and fsynced) unless it already is;
- after the write, and once the store has flushed it to its files, a new random stamp replaces
  the dirty mark.

A store opened with a dirty mark (a process killed during a write) gets a new stamp: nothing kept
under an older one is trusted as current. The file also names the store's RocksDB identity, so a
store directory swapped in by hand does not inherit the stamp of the one it replaced. Only writes
through sdgkg move the stamp: a store written by other tools (``oxigraph load`` run by hand) must
be followed by ``sdgkg prepare`` or a restart with the derived folder removed.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sdgkg.store.durable import write_atomically

STAMP_FILE = "stamp.json"
_DIRTY = "dirty"


def derived_folder(store_path: Path) -> Path:
    """Where values derived from the store at ``store_path`` are kept: ``<store>-derived``."""
    return store_path.parent / f"{store_path.name}-derived"


class DataStamp:
    """The stamp of one writable embedded store; ``current`` is None while a write is under way."""

    def __init__(self, store_path: Path, flush_store: Callable[[], None]) -> None:
        """``flush_store`` writes the store's recent writes into its files, so that a stamp
        written after it names data that survive a crash."""
        self._store_path = store_path
        self._file = derived_folder(store_path) / STAMP_FILE
        self._flush_store = flush_store
        self._lock = threading.Lock()
        self._writes_under_way = 0
        self._unsettled = False  # a new stamp is known in memory but the file still says dirty
        self._on_disk = _read(self._file)
        kept = self._on_disk.get("stamp")
        if kept == _DIRTY or not kept or self._on_disk.get("identity") != self._identity():
            kept = self._write(_new_stamp())
        self._current: str | None = kept

    @property
    def current(self) -> str | None:
        """The stamp of the data as they are now; None while a write is under way."""
        return self._current

    def begin_write(self) -> None:
        """Before a write: from now on nothing derived is current, on disk or in memory."""
        with self._lock:
            self._writes_under_way += 1
            self._current = None
            if self._on_disk.get("stamp") != _DIRTY:
                self._write(_DIRTY)

    def end_write(self, *, flushed: bool) -> None:
        """After a write committed: a new stamp, written at once if the store has ``flushed``
        it, else at the next flush (``settle``)."""
        with self._lock:
            self._writes_under_way -= 1
            if self._writes_under_way:
                return
            self._current = _new_stamp()
            self._unsettled = True
            if flushed:
                self._settle()

    def settle(self) -> None:
        """After the store flushed: the stamp in memory names what its files hold."""
        with self._lock:
            self._settle()

    def make_durable(self, stamp: str) -> bool:
        """Flush the store and write ``stamp`` to disk, if it is still the current one: before a
        value kept under it, so a kill afterwards still finds them matching. False if the data
        changed meanwhile."""
        if self._current != stamp:
            return False
        self._flush_store()
        with self._lock:
            if self._current != stamp:
                return False
            self._settle()
            return True

    def _settle(self) -> None:
        if self._unsettled and not self._writes_under_way and self._current is not None:
            self._write(self._current)
            self._unsettled = False

    def _write(self, stamp: str) -> str:
        self._on_disk = {"stamp": stamp, "identity": self._identity()}
        write_atomically(self._file, json.dumps(self._on_disk).encode())
        return stamp

    def _identity(self) -> str | None:
        try:
            return (self._store_path / "IDENTITY").read_text().strip()
        except OSError:
            return None


@contextmanager
def rewriting(store_path: Path) -> Iterator[None]:
    """Around a change of the store's files with no store open (``restore``): dirty before,
    a new stamp after; an open of the store then reads the new one."""
    stamp_file = derived_folder(store_path) / STAMP_FILE
    write_atomically(stamp_file, json.dumps({"stamp": _DIRTY}).encode())
    yield
    identity = store_path / "IDENTITY"
    record = {
        "stamp": _new_stamp(),
        "identity": identity.read_text().strip() if identity.exists() else None,
    }
    write_atomically(stamp_file, json.dumps(record).encode())


def _read(path: Path) -> dict[str, str | None]:
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _new_stamp() -> str:
    return secrets.token_hex(16)
