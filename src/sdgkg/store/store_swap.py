"""A store directory rebuilt beside the live one and swapped in atomically (``load --replace``).

Deleting a big graph from RocksDB costs more than writing it (1M quads: 25-28 s against 7.5-8 s
for a bulk load, issue 18), so a replace that deletes its old graph cannot stay near a fresh load.
Instead the new contents are bulk-loaded into ``<store>.next``; once it is complete and checked,
one ``renameat2(RENAME_EXCHANGE)`` swaps it with ``<store>``: any path lookup sees the old
directory or the new one, never neither. The old one, now at ``<store>.next``, is renamed to
``<store>.old`` and deleted.

On a file system without RENAME_EXCHANGE the swap is two renames (``<store>`` -> ``.old``, then
``.next`` -> ``<store>``), and ``<store>.next`` carries a ``COMPLETE`` mark written once it was
whole, so a crash between the renames is settled at the next open (``restore_missing``).

The rule at a writer's open (``clean_leftovers``, run while it holds the store's lock, so no
rebuild is under way): whatever ``.next`` and ``.old`` hold is an unfinished build or the store
replaced by a finished one, and goes. RocksDB names files by path, so a handle on a directory is
closed before that directory is renamed; read-only handles keep their open files.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import logging
import os
import shutil
import threading
from pathlib import Path

from sdgkg.errors import StoreError
from sdgkg.store.durable import sync_folder

log = logging.getLogger(__name__)

COMPLETE = "SDGKG-COMPLETE"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def next_location(store: Path) -> Path:
    return _real(store).with_name(_real(store).name + ".next")


def old_location(store: Path) -> Path:
    return _real(store).with_name(_real(store).name + ".old")


def _real(store: Path) -> Path:
    """Beside the directory itself, on its file system, when ``store`` is a symbolic link."""
    return Path(os.path.realpath(store))


def fresh_next_location(store: Path) -> Path:
    """``<store>.next``, emptied of anything an earlier build left."""
    target = next_location(store)
    _remove(target)
    return target


def mark_complete(built: Path) -> None:
    """Written after the built store was closed: from now on it may replace the live one."""
    mark = built / COMPLETE
    with mark.open("wb") as file:
        os.fsync(file.fileno())
    sync_folder(built)


def swap_in(store: Path) -> None:
    """Put the complete ``<store>.next`` in the place of ``<store>``; the old one goes to
    ``<store>.old`` (delete it with ``discard_old``). Raises ``StoreError``, with ``<store>``
    as it was, when the file system refuses."""
    store = _real(store)
    built, old = next_location(store), old_location(store)
    _remove(old)
    try:
        _exchange(store, built)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise _not_swapped(store, error) from None
        _swap_by_two_renames(store, built, old)
    else:
        os.rename(built, old)
    with contextlib.suppress(FileNotFoundError):
        (store / COMPLETE).unlink()
    sync_folder(store.parent)


def _swap_by_two_renames(store: Path, built: Path, old: Path) -> None:
    """The swap where RENAME_EXCHANGE is missing; if the second rename fails, the old store goes
    back, so a failed swap leaves ``store`` as it was."""
    try:
        os.rename(store, old)
    except OSError as error:
        raise _not_swapped(store, error) from None
    try:
        os.rename(built, store)
    except OSError as error:
        os.rename(old, store)
        raise _not_swapped(store, error) from None


def _not_swapped(store: Path, error: OSError) -> StoreError:
    return StoreError(
        f"the file system refused to put the rebuilt store in place ({error.strerror or error}); "
        "the store is unchanged",
        where=str(store),
    )


def discard_next(store: Path) -> None:
    """Delete an unfinished ``<store>.next``."""
    _remove(next_location(store))


def discard_old(store: Path, *, background: bool) -> None:
    """Delete ``<store>.old``; in a thread when a server should not wait for it."""
    old = old_location(store)
    if background:
        threading.Thread(target=_remove, args=(old,), name="sdgkg-discard-old", daemon=True).start()
    else:
        _remove(old)


def restore_missing(store: Path) -> None:
    """Before a writer opens ``store``: a crash between the two renames of the fallback swap
    left no ``store``; the complete new one takes its place, else the old one goes back."""
    if store.exists():
        return
    built, old = next_location(store), old_location(store)
    if (built / COMPLETE).exists():
        log.warning("finishing the swap of %s that a crash interrupted", store)
        os.rename(built, store)
    elif old.is_dir() and built.exists():  # both exist only between the fallback's renames
        log.warning("restoring %s, which a crash during a swap left aside", store)
        os.rename(old, store)


def clean_leftovers(store: Path) -> None:
    """With the store's lock held: remove an unfinished build and a replaced store."""
    for leftover in (next_location(store), old_location(store)):
        if leftover.exists():
            log.warning("removing %s, left by an interrupted replace", leftover)
            _remove(leftover)
    with contextlib.suppress(FileNotFoundError):
        (store / COMPLETE).unlink()


def _exchange(first: Path, second: Path) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    done = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if done != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(first))


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
