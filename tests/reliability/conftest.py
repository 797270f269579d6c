"""Fixtures for the reliability tests: a generated 200k-triple file and the real ``sdgkg`` command.

Everything runs on 127.0.0.1 and in temporary folders; nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.data import write_synthetic

SDGKG = [sys.executable, "-c", "from sdgkg.cli import main; main()"]
CRASH_TRIPLES = 200_000


def sdgkg(
    store: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run the real CLI on ``store`` and wait for it."""
    return subprocess.run(
        [*SDGKG, "--store", str(store), *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        timeout=600,
    )


def stats_triples(store: Path) -> tuple[int, list[str]]:
    """Triples and graph names as ``sdgkg stats`` reports them (this opens, so recovers, the store)."""  # noqa: E501
    done = sdgkg(store, "stats", "--format", "json")
    assert done.returncode == 0, done.stderr.decode()
    stats = json.loads(done.stdout)
    return int(stats["triples"]), sorted(g["graph"] for g in stats["graphs"])


@pytest.fixture(scope="session")
def synthetic_200k(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A ~200k-triple N-Triples file of records that refer only to the bundled reference data."""
    path = tmp_path_factory.mktemp("synthetic") / "synthetic-200k.nt"
    return path, write_synthetic(path, CRASH_TRIPLES)


@pytest.fixture
def store_copy(tmp_path: Path, bundled_store_template: Path) -> Path:
    """A private copy of the bundled store."""
    path = tmp_path / "store"
    shutil.copytree(bundled_store_template, path)
    return path
