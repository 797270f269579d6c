"""Finds the bundled ontology, shapes, data and queries: the only module that knows paths.

An installed wheel carries them under ``sdgkg/bundle/``; a source checkout keeps them at the top
of the repository, which is where they are edited.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

RDF_SUFFIXES = (".ttl", ".nt", ".nq", ".trig", ".rdf", ".owl", ".jsonld", ".n3")


@cache
def bundle_root() -> Path:
    """The folder holding ``ontology/``, ``shapes/``, ``data/`` and ``queries/``."""
    package_dir = Path(__file__).resolve().parent
    installed = package_dir / "bundle"
    if (installed / "ontology" / "sdgkg.ttl").is_file():
        return installed
    checkout = package_dir.parents[1]
    if (checkout / "ontology" / "sdgkg.ttl").is_file():
        return checkout
    return installed  # missing: callers report the file they looked for


def ontology_file() -> Path:
    return bundle_root() / "ontology" / "sdgkg.ttl"


def ontology_import_files() -> list[Path]:
    return _rdf_files(bundle_root() / "ontology" / "imports")


def record_shapes_file() -> Path:
    return bundle_root() / "shapes" / "sdgkg-shapes.ttl"


def ontology_shapes_file() -> Path:
    return bundle_root() / "shapes" / "ontology-shapes.ttl"


def reference_data_files() -> list[Path]:
    return _rdf_files(bundle_root() / "data" / "reference")


def curated_data_files() -> list[Path]:
    return _rdf_files(bundle_root() / "data" / "curated")


def schema_files() -> list[Path]:
    """The ontology and its pinned imports: the schema every validation needs."""
    return [ontology_file(), *ontology_import_files()]


def bundled_load_files() -> list[Path]:
    """What ``sdgkg load`` loads when given no paths."""
    return [*schema_files(), record_shapes_file(), *reference_data_files(), *curated_data_files()]


def competency_queries_dir() -> Path:
    return bundle_root() / "queries" / "competency"


def check_queries_dir() -> Path:
    return bundle_root() / "queries" / "checks"


def csv_template_file() -> Path:
    return bundle_root() / "data" / "templates" / "partnerships.csv"


def bundle_relative_name(path: Path) -> str | None:
    """``data/reference/sdg`` for a bundled file, ``None`` for any other file."""
    try:
        relative = path.resolve().relative_to(bundle_root())
    except ValueError:
        return None
    return relative.with_suffix("").as_posix()


def _rdf_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in RDF_SUFFIXES and p.is_file())
