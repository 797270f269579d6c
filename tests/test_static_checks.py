"""The package passes its static checks: ``mypy --strict`` and ruff (settings in pyproject.toml);
the tests pass ruff too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).parents[1]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=REPO_ROOT, capture_output=True, text=True
    )


@pytest.mark.slow
def test_mypy_strict_reports_no_errors() -> None:
    done = _run("mypy", "--strict", "src/sdgkg")
    assert done.returncode == 0, f"mypy --strict found problems:\n{done.stdout}{done.stderr}"


@pytest.mark.parametrize("check", [("check",), ("format", "--check")], ids=["lint", "format"])
def test_ruff_finds_nothing_in_the_package_or_its_tests(check: tuple[str, ...]) -> None:
    done = _run("ruff", *check, "src", "tests")
    assert done.returncode == 0, f"ruff {' '.join(check)} src tests:\n{done.stdout}{done.stderr}"
