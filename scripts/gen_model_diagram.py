"""Write docs/model.svg, the diagram of the model, from ontology/sdgkg.ttl (sdgkg.diagram draws it).

Usage::

    python scripts/gen_model_diagram.py          # (re)write docs/model.svg
    python scripts/gen_model_diagram.py --check  # exit 1 if docs/model.svg is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sdgkg.diagram import render

REPO_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_PATH = REPO_ROOT / "ontology" / "sdgkg.ttl"
SVG_PATH = REPO_ROOT / "docs" / "model.svg"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the SVG is out of date")
    args = parser.parse_args()
    text = render(ONTOLOGY_PATH)
    current = SVG_PATH.read_text(encoding="utf-8") if SVG_PATH.is_file() else None
    if current == text:
        return 0
    if args.check:
        print(f"{SVG_PATH} is out of date: run scripts/gen_model_diagram.py", file=sys.stderr)
        return 1
    SVG_PATH.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {SVG_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
