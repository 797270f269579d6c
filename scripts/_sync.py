"""Write a generated file, or with --check say whether it is stale: one rule for scripts/."""

from __future__ import annotations

import sys
from pathlib import Path


def write_or_check(path: Path, text: str, *, check: bool, script: str) -> int:
    """Exit status 0 when ``path`` holds ``text`` (or now does), 1 when --check finds it stale."""
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if current == text:
        return 0
    if check:
        print(f"{path} is out of date: run python {script}", file=sys.stderr)
        return 1
    path.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {path}")
    return 0
