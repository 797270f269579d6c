"""Write docs/model.svg, the diagram of the model, from ontology/sdgkg.ttl (sdgkg.diagram draws it).

Usage::

    python scripts/gen_model_diagram.py          # (re)write docs/model.svg
    python scripts/gen_model_diagram.py --check  # exit 1 if docs/model.svg is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from _sync import write_or_check

from sdgkg.diagram import render

REPO_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_PATH = REPO_ROOT / "ontology" / "sdgkg.ttl"
SVG_PATH = REPO_ROOT / "docs" / "model.svg"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the SVG is out of date")
    args = parser.parse_args()
    return write_or_check(SVG_PATH, render(ONTOLOGY_PATH), check=args.check, script=__file__)


if __name__ == "__main__":
    sys.exit(main())
