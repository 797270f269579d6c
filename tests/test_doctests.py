"""Runs the ``>>>`` examples in the library's docstrings, so they cannot rot."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import sdgkg

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(sdgkg.__path__, prefix="sdgkg.")
    if not info.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
