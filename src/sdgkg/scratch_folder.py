"""A folder of this process's own under a shared temporary one, and the clean-up of the folders
that stopped processes left there.

Over a remote engine there is no store folder to keep dumps and uploads beside, so they go under
the system's temporary folder, which any number of sdgkg servers share. A server that is killed
leaves its files behind (a full set of dumps per data version), and no other server may remove a
folder that a running one still serves from. So each process works in a folder of its own,
``p-XXXXXXXX``, holding an exclusive ``flock`` on the ``.lock`` file inside it for as long as it
runs; the kernel lets go of the lock when the process ends, however it ends. At start a process
removes every sibling whose lock it can take: their owners are gone.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from pathlib import Path

from sdgkg.errors import ConfigError

LOCK_NAME = ".lock"
_PREFIX = "p-"
_held: dict[Path, tuple[Path, int]] = {}  # parent -> (this process's folder, its lock's fd)


def own_folder(parent: Path) -> Path:
    """This process's folder under ``parent``, made (and the leftovers of stopped processes
    removed) on the first call; the same folder on later ones."""
    parent = parent.resolve()
    held = _held.get(parent)
    if held is not None and held[0].is_dir():
        return held[0]
    try:
        parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(parent)
        # Made hidden and locked, then renamed: a sibling's clean-up never sees it unlocked.
        hidden = Path(tempfile.mkdtemp(dir=parent, prefix="." + _PREFIX))
        fd = os.open(hidden / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        folder = parent / hidden.name[1:]
        hidden.rename(folder)
    except OSError as error:
        raise ConfigError(
            f"cannot make a working folder under {parent}: {error.strerror or error}; "
            "point TMPDIR at a writable folder",
            see="TMPDIR",
        ) from None
    _held[parent] = (folder, fd)
    return folder


def remove_leftovers(parent: Path) -> list[Path]:
    """Remove the folders under ``parent`` whose process has stopped; the ones removed.

    A hidden folder (one being made) without its lock file yet is left alone.
    """
    removed = []
    for folder in [*parent.glob(_PREFIX + "*"), *parent.glob("." + _PREFIX + "*")]:
        if any(folder == mine for mine, _ in _held.values()):
            continue
        try:
            fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CLOEXEC)
        except OSError:  # no lock file yet, or not ours to open
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held: its process runs
            os.close(fd)
            continue
        try:
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            os.close(fd)
        removed.append(folder)
    return removed
