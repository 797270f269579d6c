"""Backup and restore of the embedded store (sdgkg/backup.py): a round trip is byte for byte, and
a restore proves the backup whole before it replaces anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, Store

from sdgkg.backup import backup_store, read_manifest, restore_store
from sdgkg.errors import InputError, StoreError
from sdgkg.store.embedded import EmbeddedStore


def nquads(path: Path) -> bytes:
    opened = Store.read_only(str(path))
    try:
        return opened.dump(format=RdfFormat.N_QUADS) or b""
    finally:
        del opened


@pytest.fixture
def backup(store_path: Path, tmp_path: Path) -> Path:
    store = EmbeddedStore(store_path)
    try:
        backup_store(store, tmp_path / "backup")
    finally:
        store.close()
    return tmp_path / "backup"


def test_a_restored_backup_gives_back_the_same_nquads(
    backup: Path, store_path: Path, tmp_path: Path
) -> None:
    before = nquads(store_path)
    manifest = read_manifest(backup)
    assert manifest.quads == before.count(b"\n") and manifest.graphs
    restored, previous = restore_store(backup, tmp_path / "restored")
    assert previous is None and restored == manifest
    assert nquads(tmp_path / "restored") == before


def test_a_restore_keeps_the_store_it_replaces(backup: Path, store_path: Path) -> None:
    before = nquads(store_path)
    _, previous = restore_store(backup, store_path)
    assert previous is not None and nquads(previous) == before == nquads(store_path)


def test_a_tampered_backup_is_refused_and_the_store_left_alone(
    backup: Path, store_path: Path
) -> None:
    before = nquads(store_path)
    victim = next(p for p in sorted((backup / "data").iterdir()) if p.suffix == ".sst")
    victim.write_bytes(victim.read_bytes()[:-1] + b"\x00")
    with pytest.raises(InputError, match=victim.name):
        restore_store(backup, store_path)
    assert nquads(store_path) == before
    # No partial copy is left; beside the store only its data stamp's folder (store/stamp.py).
    left = sorted(p.name for p in store_path.parent.iterdir())
    assert left == ["backup", store_path.name, f"{store_path.name}-derived"]


def test_a_directory_without_a_manifest_is_no_backup(tmp_path: Path, store_path: Path) -> None:
    (tmp_path / "half").mkdir()
    with pytest.raises(InputError, match="no manifest"):
        restore_store(tmp_path / "half", store_path)


def test_a_backup_never_overwrites(backup: Path, store_path: Path) -> None:
    store = EmbeddedStore(store_path)
    try:
        with pytest.raises(StoreError, match="exists already"):
            backup_store(store, backup)
    finally:
        store.close()


def test_a_store_in_use_is_not_restored_over(backup: Path, store_path: Path) -> None:
    store = EmbeddedStore(store_path)
    try:
        with pytest.raises(StoreError, match="in use"):
            restore_store(backup, store_path)
    finally:
        store.close()
