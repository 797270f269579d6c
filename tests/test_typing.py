"""The package type-checks cleanly under ``mypy --strict`` (settings in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).parents[1]


@pytest.mark.slow
def test_mypy_strict_reports_no_errors() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "src/sdgkg"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"mypy --strict found problems:\n{done.stdout}{done.stderr}"
