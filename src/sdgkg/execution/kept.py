"""Values derived from the data, kept on disk beside an embedded store under its data stamp.

A restarted server loads what it built before (VoID counts, dumps, search index, coverage
tables) instead of building it again; a value kept under an older stamp is served as the last
complete version while the current one builds (``execution/background.py``, issue 18).

The files are pickles. ``<store>-derived/`` is written only by sdgkg, for this store, and read
only by sdgkg: never copy pickles into it from elsewhere (unpickling runs code). A file of
another sdgkg version (``FORMAT``), or one that cannot be read, is ignored and rebuilt. A value
that does not pickle is served from memory only: the search index until ``LabelIndex`` pickles
its SQLite table (``__getstate__``/``__setstate__``), from then on it is kept like the others.
"""

from __future__ import annotations

import gc
import logging
import pickle
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from sdgkg import __version__
from sdgkg.store.durable import write_atomically
from sdgkg.store.stamp import DataStamp, derived_folder

log = logging.getLogger(__name__)

T = TypeVar("T")

# Changes whenever what a kept file holds changes shape; a sdgkg release changes it too.
FORMAT = f"{__version__}/2"


@dataclass(frozen=True)
class Kept(Generic[T]):
    """A value read back, and the data stamp it was built under."""

    value: T
    stamp: str


class KeptValue(Generic[T]):
    """One derived value's file: ``<store>-derived/<name>.pickle`` holding format, stamp, value."""

    def __init__(
        self, folder: Path, name: str, stamp: DataStamp, usable: Callable[[T], bool] | None = None
    ) -> None:
        """``usable``: whether a value read back can still be served (the dumps: their files)."""
        self.path = folder / f"{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.pickle"
        self._stamp = stamp
        self._usable = usable

    @property
    def stamp(self) -> str | None:
        """The store's stamp now: a value built from here on is kept under it."""
        return self._stamp.current

    def load(self) -> Kept[T] | None:
        """The value kept last, if any and readable."""
        try:
            with self.path.open("rb") as file, _no_collection():
                form, stamp, value = pickle.load(file)
        except FileNotFoundError:
            return None
        except Exception as error:  # a half-known format, a class that moved: build it anew
            log.warning("ignoring %s: %s", self.path, error)
            return None
        if form != FORMAT or (self._usable is not None and not self._usable(value)):
            return None
        return Kept(value, stamp)

    def save(self, stamp: str, value: T) -> bool:
        """Keep ``value``, built from the data stamped ``stamp``; False if the data changed
        meanwhile or the value does not pickle (it is then served from memory only)."""
        try:
            data = pickle.dumps((FORMAT, stamp, value), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:
            log.info("cannot keep %s on disk: %s", self.path.name, error)
            return False
        try:
            if not self._stamp.make_durable(stamp):
                return False
            write_atomically(self.path, data)
        except Exception as error:  # the store closed under a late build, a full disk
            log.warning("could not keep %s on disk: %s", self.path.name, error)
            return False
        return True


_collection_lock = threading.Lock()
_loading = 0  # read-backs under way, in any thread


@contextmanager
def _no_collection() -> Iterator[None]:
    """Python's cycle collector paused while a value is read back, and the objects read moved
    out of its sight afterwards (``gc.freeze``). Unpickling creates millions of objects, and every
    700 allocations the collector walks them again: at 5M triples reading the kept values took
    18 s with it and 6 s without (coverage 1.26 -> 0.66 s, search index 4.7 -> 1.4 s), and the
    GIL it held was what made requests right after a restart wait. Frozen, these long-lived
    aggregates are not walked again by every later collection; they are freed by reference
    counting when a newer version replaces them."""
    global _loading
    with _collection_lock:
        _loading += 1
        gc.disable()
    try:
        yield
    finally:
        with _collection_lock:
            _loading -= 1
            if _loading == 0:
                gc.freeze()
                gc.enable()


def kept_value(
    store: Any, name: str, usable: Callable[[T], bool] | None = None
) -> KeptValue[T] | None:
    """Where ``store`` keeps the value ``name``: beside a writable embedded store, else None
    (a remote engine, whose writes sdgkg does not all see, or an in-memory store)."""
    stamp: DataStamp | None = getattr(store, "stamp", None)
    path: Path | None = getattr(store, "path", None)
    if stamp is None or path is None:
        return None
    return KeptValue(derived_folder(path), name, stamp, usable)
