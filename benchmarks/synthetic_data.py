"""Deterministic synthetic partnership data in the shape of the curated records.

The one generator for every benchmark (load_bench.py and endpoint_bench.py): partners with Danish
and English labels, partnerships with memberships and roles, stated SDG goals and assigned
targets, municipalities and quotations. The records refer to the bundled reference data (goals,
targets, municipalities, roles, sources) by IRI, so they validate when loaded beside it.

``standalone=True`` (``--standalone``) also writes the few reference resources the records refer to
(goals and targets with ``skos:notation`` and ``skos:broader``, municipalities, roles, the source),
so a store holding only this file answers the endpoint benchmark's queries: that is how
endpoint_bench.py feeds `oxigraph serve`, rdflib-endpoint and `sdgkg serve` the same file.

    python benchmarks/synthetic_data.py --triples 1000000 -o benchmarks/data/synthetic-1m.nt
    python benchmarks/synthetic_data.py --triples 100000 --standalone -o /tmp/synthetic-100k.nt
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from pathlib import Path

ID = "https://w3id.org/sdgkg/id/"
ONT = "https://w3id.org/sdgkg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA = "https://schema.org/"
PARTNER_KINDS = (
    "Company",
    "CivilSocietyOrganisation",
    "ResearchOrEducationInstitution",
    "Foundation",
)
ROLES = ("member", "lead", "funder", "knowledge-partner")
MUNICIPALITIES = (
    "soenderborg",
    "aarhus",
    "gladsaxe",
    "herning",
    "frederikshavn",
    "norddjurs",
    "koebenhavn",
)
WORDS = (
    "grøn",
    "bæredygtig",
    "læring",
    "klima",
    "vand",
    "energi",
    "skole",
    "by",
    "natur",
    "partnerskab",
)
TRIPLES_PER_PARTNERSHIP = 38  # with its share of the partners: see _partnership and _partner


def iri(path: str) -> str:
    return f"<{path}>"


def lit(text: str, lang: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + f'"@{lang}'


def typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def generate(triples: int, seed: int = 20261123, *, standalone: bool = False) -> Iterator[str]:
    """N-Triples lines (no newline), about ``triples`` of them, the same for the same seed."""
    rng = random.Random(seed)
    if standalone:
        yield from reference_data()
    partnerships = max(1, triples // TRIPLES_PER_PARTNERSHIP)
    partners = max(4, partnerships // 2)
    for number in range(partners):
        yield from _partner(number, rng)
    for number in range(partnerships):
        yield from _partnership(number, partners, rng)


def reference_data() -> Iterator[str]:
    """The reference resources the records point at, as the bundled data describe them."""
    for goal in range(1, 18):
        g = iri(f"{ID}goal/{goal}")
        yield f"{g} <{RDF_TYPE}> <{ONT}Goal> ."
        yield f'{g} <{SKOS}notation> "{goal}" .'
        yield f"{g} <{RDFS_LABEL}> {lit(f'Goal {goal}', 'en')} ."
        for number in range(1, 4):
            t = iri(f"{ID}target/{goal}.{number}")
            yield f"{t} <{RDF_TYPE}> <{ONT}Target> ."
            yield f'{t} <{SKOS}notation> "{goal}.{number}" .'
            yield f"{t} <{SKOS}broader> {g} ."
            yield f"{t} <{RDFS_LABEL}> {lit(f'Target {goal}.{number}', 'en')} ."
    for name in MUNICIPALITIES:
        m = iri(f"{ID}municipality/{name}")
        yield f"{m} <{RDF_TYPE}> <{ONT}Municipality> ."
        yield f"{m} <{RDFS_LABEL}> {lit(name.capitalize(), 'da')} ."
    for role in ROLES:
        yield f"<{ID}role/{role}> <{RDF_TYPE}> <{ONT}Role> ."
    yield f"<{ID}source/seed-001> <{RDF_TYPE}> <{ONT}Source> ."


def _quotation(subject: str, number: int) -> Iterator[str]:
    node = f"_:q{number}"
    yield f"{subject} <{PROV}wasDerivedFrom> <{ID}source/seed-001> ."
    yield f"{subject} <{PROV}qualifiedDerivation> {node} ."
    yield f"{node} <{RDF_TYPE}> <{ONT}Quotation> ."
    yield f"{node} <{PROV}entity> <{ID}source/seed-001> ."
    yield f"{node} <{ONT}lineStart> {typed(1, 'positiveInteger')} ."
    yield f"{node} <{ONT}lineEnd> {typed(1, 'positiveInteger')} ."
    yield f"{node} <{ONT}keyPhrase> {lit('Partnerskaber for handling', 'da')} ."


def _partner(number: int, rng: random.Random) -> Iterator[str]:
    subject = iri(f"{ID}partner/synthetic-partner-{number}")
    name = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {number}"
    yield f"{subject} <{RDF_TYPE}> <{ONT}{rng.choice(PARTNER_KINDS)}> ."
    yield f"{subject} <{RDFS_LABEL}> {lit(name, 'da')} ."
    yield f"{subject} <{RDFS_LABEL}> {lit(f'Partner {number}', 'en')} ."
    yield from _quotation(subject, number * 2)


def _partnership(number: int, partners: int, rng: random.Random) -> Iterator[str]:
    slug = f"synthetic-partnership-{number}"
    subject = iri(f"{ID}partnership/{slug}")
    yield f"{subject} <{RDF_TYPE}> <{ONT}Partnership> ."
    yield f"{subject} <{RDFS_LABEL}> {lit(f'{rng.choice(WORDS).capitalize()} partnerskab {number}', 'da')} ."
    yield f"{subject} <{RDFS_LABEL}> {lit(f'Partnership {number}', 'en')} ."
    yield f"{subject} <{DCT}description> {lit(f'Synthetic partnership number {number}.', 'en')} ."
    yield f"{subject} <{ONT}municipality> <{ID}municipality/{rng.choice(MUNICIPALITIES)}> ."
    goal = rng.randint(1, 17)
    yield f"{subject} <{ONT}statedSDG> <{ID}goal/{goal}> ."
    yield f"{subject} <{ONT}assignedSDG> <{ID}target/{goal}.{rng.randint(1, 3)}> ."
    yield f"{subject} <{SCHEMA}startDate> {typed(f'20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}', 'date')} ."
    for member in rng.sample(range(partners), k=min(3, partners)):
        partner = f"{ID}partner/synthetic-partner-{member}"
        membership = iri(f"{ID}membership/{slug}--synthetic-partner-{member}")
        yield f"{subject} <{ORG}hasMember> <{partner}> ."
        yield f"{membership} <{RDF_TYPE}> <{ONT}Membership> ."
        yield f"{membership} <{ORG}member> <{partner}> ."
        yield f"{membership} <{ORG}organization> {subject} ."
        yield f"{membership} <{ORG}role> <{ID}role/{rng.choice(ROLES)}> ."
        yield f"{membership} <{PROV}wasDerivedFrom> <{ID}source/seed-001> ."
    yield from _quotation(subject, number * 2 + 1)


def write(path: Path, triples: int, seed: int = 20261123, *, standalone: bool = False) -> int:
    """Write the N-Triples file; the number of triples written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for line in generate(triples, seed, standalone=standalone):
            out.write(line + "\n")
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument(
        "--standalone",
        action="store_true",
        help="also write the reference resources the records refer to",
    )
    args = parser.parse_args()
    count = write(args.output, args.triples, args.seed, standalone=args.standalone)
    print(f"{count:,} triples written to {args.output}")


if __name__ == "__main__":
    main()
