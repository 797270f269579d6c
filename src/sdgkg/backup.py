"""Backup and restore of the embedded store: a consistent copy with a manifest, and a restore
that checks the copy before it replaces anything.

A backup is a new directory holding

* ``data/``: a RocksDB checkpoint of the store (pyoxigraph ``Store.backup``), consistent as of one
  moment and taken by the process that has the store open, so ``sdgkg serve`` keeps answering;
  on the same file system its immutable files are hard links, so it costs little room;
* ``manifest.json``: the sdgkg version, when, how long it took, each graph with its triple count,
  the SHA-256 of the copy's N-Quads dump and of every file in ``data/``.

It is written beside the target as ``.<name>.partial-<random>`` and renamed to the target only
when complete: a backup cut off at any point (the server killed) leaves no directory of that name,
only a partial one that nothing restores from.

``restore_store`` checks every file against the manifest, copies the data beside the store,
checks the copy's graphs, counts and N-Quads checksum, and only then moves the current store aside
(``<store>.before-restore-<time>``, kept for the operator to delete) and the copy into its place.
The store must not be in use: stop ``sdgkg serve`` first.

Fuseki's backups are N-Quads and GraphDB's a copy of its files: this is the second kind, checked
by the first (the N-Quads checksum), so a restore is as fast as a copy and proven byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, QuerySolutions, RdfFormat, Store

from sdgkg import __version__
from sdgkg.errors import ConfigError, InputError, StoreError
from sdgkg.store.embedded import EmbeddedStore
from sdgkg.store.stamp import rewriting

MANIFEST = "manifest.json"
DATA = "data"
FORMAT = 1  # the layout of a backup directory; a restore refuses others
_READ_BYTES = 1024 * 1024
_GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@dataclass(frozen=True)
class Manifest:
    """What a backup holds, and the checksums a restore proves it by."""

    format: int
    sdgkg_version: str
    created: str  # ISO 8601, UTC
    took_s: float
    store: str  # the store it was taken from
    graphs: dict[str, int]  # graph IRI -> triples
    quads: int
    nquads_sha256: str  # of the N-Quads dump, the store's own serialisation
    files: dict[str, str]  # file under data/ -> SHA-256

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def backup_store(store: EmbeddedStore, target: Path) -> Manifest:
    """Back ``store`` up into the new directory ``target``; safe while the store is serving.

    Raises:
        StoreError: ``target`` exists, the store is in memory, or the copy fails.
    """
    if store.path is None:
        raise StoreError("an in-memory store has nothing to back up")
    target = Path(os.path.abspath(target))
    if target.exists():
        raise StoreError("the backup directory exists already; name a new one", where=str(target))
    started = time.monotonic()
    partial = target.parent / f".{target.name}.partial-{uuid.uuid4().hex[:8]}"
    partial.mkdir(parents=True)
    try:
        manifest = _write_backup(store, partial, started)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)  # a kill leaves it; a failure cleans up
        raise
    os.replace(partial, target)
    return manifest


def _write_backup(store: EmbeddedStore, partial: Path, started: float) -> Manifest:
    try:
        store.checkpoint(partial / DATA)
    except OSError as error:
        raise StoreError(f"the backup failed: {error}", where=str(partial)) from None
    graphs, quads, digest = _contents(partial / DATA)
    manifest = Manifest(
        format=FORMAT,
        sdgkg_version=__version__,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        took_s=round(time.monotonic() - started, 3),
        store=str(store.path),
        graphs=graphs,
        quads=quads,
        nquads_sha256=digest,
        files=_file_digests(partial / DATA),
    )
    _write_json(partial / MANIFEST, manifest.to_dict())
    return manifest


def read_manifest(backup: Path) -> Manifest:
    """The manifest of a complete backup.

    Raises:
        InputError: no manifest (not a backup, or one cut off), or one of another format.
    """
    path = backup / MANIFEST
    try:
        fields = json.loads(path.read_text(encoding="utf-8"))
        manifest = Manifest(**fields)
    except FileNotFoundError:
        raise InputError(
            "not a complete sdgkg backup: no manifest.json", where=str(backup)
        ) from None
    except (ValueError, TypeError) as error:
        raise InputError(f"the manifest is unreadable: {error}", where=str(path)) from None
    if manifest.format != FORMAT:
        raise InputError(
            f"the backup is in format {manifest.format}; this sdgkg restores format {FORMAT}",
            where=str(path),
        )
    return manifest


def restore_store(backup: Path, store_path: Path) -> tuple[Manifest, Path | None]:
    """Replace the store at ``store_path`` with the backup, after proving the backup whole;
    the backup's manifest, and where the replaced store was moved (None if there was none).

    Raises:
        InputError: the backup is incomplete, or a file or the data differs from its manifest.
        StoreError: the store is in use (a running ``sdgkg serve``).
    """
    manifest = read_manifest(backup)
    store_path = Path(os.path.abspath(store_path))
    ensure_free(store_path)  # before copying anything: a running server keeps its store
    changed = _changed_files(backup / DATA, manifest.files)
    if changed:
        raise InputError(
            f"the backup differs from its manifest: {', '.join(changed[:5])}", where=str(backup)
        )
    staging = store_path.parent / f".{store_path.name}.restoring-{uuid.uuid4().hex[:8]}"
    store_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(backup / DATA, staging)
    try:
        _check_contents(staging, manifest, backup)
        with rewriting(store_path):  # what was derived from the old data is no longer current
            previous = _swap_in(staging, store_path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest, previous


class _NQuadsDigest:
    """A file pyoxigraph writes N-Quads into: keeps their SHA-256 and counts the quads (one per
    line: N-Quads escapes line breaks in literals)."""

    def __init__(self) -> None:
        self.sha256 = hashlib.sha256()
        self.quads = 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.quads += data.count(b"\n")
        return len(data)

    def flush(self) -> None:
        pass


def _contents(data: Path) -> tuple[dict[str, int], int, str]:
    """Graphs with their triple counts, the number of quads and the N-Quads checksum of a copy."""
    copy = Store.read_only(str(data))
    try:
        result = copy.query(_GRAPH_COUNTS)
        if not isinstance(result, QuerySolutions):
            raise StoreError("counting the copy's graphs gave no rows", where=str(data))
        graphs = {
            str(row["g"].value): int(row["n"].value)
            for row in result
            if isinstance(row["g"], NamedNode)
        }
        digest = _NQuadsDigest()
        copy.dump(digest, RdfFormat.N_QUADS)  # type: ignore[arg-type]
        return dict(sorted(graphs.items())), digest.quads, digest.sha256.hexdigest()
    finally:
        del copy


def _check_contents(data: Path, manifest: Manifest, backup: Path) -> None:
    graphs, quads, digest = _contents(data)
    if (graphs, quads, digest) != (manifest.graphs, manifest.quads, manifest.nquads_sha256):
        raise InputError(
            "the restored data differ from the backup's manifest (graphs, counts or N-Quads "
            "checksum); the store was left as it was",
            where=str(backup),
        )


def _swap_in(staging: Path, store_path: Path) -> Path | None:
    """Move the current store aside and the checked copy into its place, once it is free."""
    previous = None
    if store_path.exists():
        ensure_free(store_path)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        previous = store_path.with_name(f"{store_path.name}.before-restore-{stamp}")
        os.replace(store_path, previous)
    os.replace(staging, store_path)
    return previous


def store_in_use(store_path: Path) -> bool:
    """Whether another process (a running ``sdgkg serve``) has the store open: opening it for
    writing then fails on RocksDB's lock."""
    if not store_path.is_dir():
        return False
    try:
        Store(str(store_path))
    except OSError as error:
        if "lock" in str(error).lower():
            return True
        raise StoreError(f"cannot open the store: {error}", where=str(store_path)) from None
    return False


def ensure_free(store_path: Path) -> None:
    if store_in_use(store_path):
        raise StoreError(
            "the store is in use (a running `sdgkg serve`?); stop it before a restore",
            where=str(store_path),
        )


def _file_digests(data: Path) -> dict[str, str]:
    return {
        path.relative_to(data).as_posix(): _sha256(path)
        for path in sorted(data.rglob("*"))
        if path.is_file()
    }


def _changed_files(data: Path, expected: dict[str, str]) -> list[str]:
    """The files missing, added or altered since the backup was written."""
    if not data.is_dir():
        return [DATA + "/"]
    actual = _file_digests(data)
    names = expected.keys() | actual.keys()
    return sorted(name for name in names if expected.get(name) != actual.get(name))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(_READ_BYTES):
            digest.update(block)
    return digest.hexdigest()


def _write_json(path: Path, value: object) -> None:
    with path.open("w", encoding="utf-8") as file:
        json.dump(value, file, indent=2, ensure_ascii=False)
        file.write("\n")
        file.flush()
        os.fsync(file.fileno())


def backup_through_server(root_url: str, token: str | None, target: Path) -> Manifest:
    """Ask the ``sdgkg serve`` at ``root_url``, which has the store open, to back it up into
    ``target`` (a path on its machine): ``POST /admin/backup`` with the update token.

    Raises:
        ConfigError: no update token to ask with.
        StoreError: the server cannot be reached, or refuses.
    """
    import httpx

    if token is None:
        raise ConfigError(
            "the store is in use by a running server; set the update token to back up through it",
            see="SDGKG_UPDATE_TOKEN",
        )
    url = root_url.rstrip("/") + "/admin/backup"
    try:
        answer = httpx.post(
            url,
            json={"directory": os.path.abspath(target)},
            headers={"authorization": f"Bearer {token}"},
            timeout=httpx.Timeout(10.0, read=None),  # a big store takes a while; a dead one ends it
        )
    except httpx.HTTPError as error:
        raise StoreError(f"the store is in use, and {url} did not answer: {error}") from None
    if answer.status_code != 200:
        raise StoreError(f"{url} refused the backup ({answer.status_code}): {_message(answer)}")
    return Manifest(**answer.json())


def _message(answer: Any) -> str:
    try:
        return str(answer.json()["message"])
    except (ValueError, KeyError, TypeError):
        return str(answer.text[:300])
