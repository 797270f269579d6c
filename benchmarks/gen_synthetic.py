"""Deterministic synthetic partnership data in N-Triples, shaped like the bundled records.

Same classes and properties as docs/model.md: partners (municipalities, companies, …) with
Danish and English labels, partnerships with memberships and roles, initiatives, SDG goals and
targets matched to UN IRIs, sources with qualified derivations. The seed is fixed, so a size
always gives the same file.

    python benchmarks/gen_synthetic.py 100000 benchmarks/data/synthetic-100k.nt
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from pathlib import Path

SEED = 20260
BASE = "https://w3id.org/sdgkg/"
ID = BASE + "id/"
SDGKG = BASE + "ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"

PARTNER_KINDS = [
    "Company",
    "CivilSocietyOrganisation",
    "ResearchOrEducationInstitution",
    "Foundation",
    "GovernmentBody",
    "InternationalOrganisation",
    "Network",
]
ROLES = ["lead", "partner", "funder", "knowledge-partner", "host"]
TYPES = ["learning-city", "municipal-sdg", "climate", "education", "innovation", "development"]
WORDS_EN = (
    ["green", "climate", "learning", "city", "water", "energy", "school", "youth", "health", "circular", "food", "nature"]
)
WORDS_DA = ["grøn", "klima", "læring", "by", "vand", "energi", "skole", "unge", "sundhed", "cirkulær", "mad", "natur"]


def iri(value: str) -> str:
    return f"<{value}>"


def lit(value: str, language: str | None = None, datatype: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if language:
        return f'"{escaped}"@{language}'
    if datatype:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


def triple(s: str, p: str, o: str) -> str:
    return f"{s} {iri(p)} {o} .\n"


def reference_data() -> Iterator[str]:
    """17 goals, 169 targets, 98 municipalities, 5 regions, roles, types, sources."""
    for goal in range(1, 18):
        g = iri(f"{ID}goal/{goal}")
        yield triple(g, RDF_TYPE, iri(SDGKG + "Goal"))
        yield triple(g, RDFS_LABEL, lit(f"Goal {goal}", "en"))
        yield triple(g, RDFS_LABEL, lit(f"Verdensmål {goal}", "da"))
        yield triple(g, SKOS + "notation", lit(str(goal)))
        yield triple(g, SKOS + "exactMatch", iri(f"http://metadata.un.org/sdg/{goal}"))
        yield triple(g, SKOS + "inScheme", iri(ID + "scheme/sdg"))
        for number in range(1, 11):
            t = iri(f"{ID}target/{goal}.{number}")
            yield triple(t, RDF_TYPE, iri(SDGKG + "Target"))
            yield triple(t, RDFS_LABEL, lit(f"Target {goal}.{number}", "en"))
            yield triple(t, RDFS_LABEL, lit(f"Delmål {goal}.{number}", "da"))
            yield triple(t, SKOS + "notation", lit(f"{goal}.{number}"))
            yield triple(t, SKOS + "broader", g)
            yield triple(t, SKOS + "exactMatch", iri(f"http://metadata.un.org/sdg/{goal}.{number}"))
    for region in range(1081, 1086):
        r = iri(f"{ID}region/r{region}")
        yield triple(r, RDF_TYPE, iri(SDGKG + "Region"))
        yield triple(r, RDFS_LABEL, lit(f"Region {region}", "da"))
        yield triple(r, SDGKG + "regionskode", lit(str(region)))
    for number in range(98):
        m = iri(f"{ID}municipality/m{number:03d}")
        yield triple(m, RDF_TYPE, iri(SDGKG + "Municipality"))
        yield triple(m, RDFS_LABEL, lit(f"Kommune {number}", "da"))
        yield triple(m, RDFS_LABEL, lit(f"Municipality {number}", "en"))
        yield triple(m, SDGKG + "kommunekode", lit(f"{101 + number * 8:03d}"[:3]))
        yield triple(m, SDGKG + "inRegion", iri(f"{ID}region/r{1081 + number % 5}"))
        yield triple(m, SCHEMA + "sameAs", iri(f"http://www.wikidata.org/entity/Q{5000 + number}"))
    for role in ROLES:
        yield triple(iri(f"{ID}role/{role}"), RDF_TYPE, iri(SDGKG + "Role"))
        yield triple(iri(f"{ID}role/{role}"), RDFS_LABEL, lit(role, "en"))
    for kind in TYPES:
        yield triple(iri(f"{ID}partnership-type/{kind}"), RDF_TYPE, iri(SDGKG + "PartnershipType"))
        yield triple(iri(f"{ID}partnership-type/{kind}"), RDFS_LABEL, lit(kind, "en"))
    for source in range(20):
        s = iri(f"{ID}source/s{source}")
        yield triple(s, RDF_TYPE, iri(SDGKG + "Source"))
        yield triple(s, DCTERMS + "title", lit(f"Source {source}", "en"))
        yield triple(
            s, DCTERMS + "issued", lit(f"{2015 + source % 8}-01-01", datatype=XSD + "date")
        )


def partners(rng: random.Random, count: int) -> Iterator[str]:
    for number in range(count):
        p = iri(f"{ID}partner/p{number}")
        words = rng.sample(range(len(WORDS_EN)), 2)
        yield triple(p, RDF_TYPE, iri(SDGKG + rng.choice(PARTNER_KINDS)))
        yield triple(
            p,
            RDFS_LABEL,
            lit(f"{WORDS_EN[words[0]].title()} {WORDS_EN[words[1]]} partner {number}", "en"),
        )
        if rng.random() < 0.7:
            yield triple(
                p,
                RDFS_LABEL,
                lit(f"{WORDS_DA[words[0]].title()} {WORDS_DA[words[1]]} partner {number}", "da"),
            )
        yield triple(p, PROV + "wasDerivedFrom", iri(f"{ID}source/s{number % 20}"))
        if rng.random() < 0.3:
            yield triple(
                p, SCHEMA + "sameAs", iri(f"http://www.wikidata.org/entity/Q{100000 + number}")
            )


def partnership(rng: random.Random, number: int, partner_count: int) -> Iterator[str]:
    slug = f"ps{number}"
    ps = iri(f"{ID}partnership/{slug}")
    words = rng.sample(range(len(WORDS_EN)), 3)
    yield triple(ps, RDF_TYPE, iri(SDGKG + "Partnership"))
    yield triple(
        ps,
        RDFS_LABEL,
        lit(" ".join(WORDS_EN[w] for w in words).capitalize() + f" partnership {number}", "en"),
    )
    yield triple(
        ps,
        RDFS_LABEL,
        lit(" ".join(WORDS_DA[w] for w in words).capitalize() + f" partnerskab {number}", "da"),
    )
    yield triple(
        ps,
        DCTERMS + "description",
        lit(f"A partnership on {WORDS_EN[words[0]]} and {WORDS_EN[words[1]]}.", "en"),
    )
    yield triple(ps, SDGKG + "partnershipType", iri(f"{ID}partnership-type/{rng.choice(TYPES)}"))
    yield triple(ps, SDGKG + "municipality", iri(f"{ID}municipality/m{rng.randrange(98):03d}"))
    yield triple(
        ps, SCHEMA + "startDate", lit(str(2010 + rng.randrange(14)), datatype=XSD + "gYear")
    )
    yield triple(
        ps,
        SDGKG + "crossBorder",
        lit("true" if rng.random() < 0.2 else "false", datatype=XSD + "boolean"),
    )
    source = iri(f"{ID}source/s{number % 20}")
    yield triple(ps, PROV + "wasDerivedFrom", source)
    for _ in range(rng.randint(1, 3)):
        goal = rng.randint(1, 17)
        prop = "statedSDG" if rng.random() < 0.6 else "assignedSDG"
        yield triple(ps, SDGKG + prop, iri(f"{ID}target/{goal}.{rng.randint(1, 10)}"))
    for member in rng.sample(range(partner_count), rng.randint(2, 5)):
        partner = iri(f"{ID}partner/p{member}")
        membership = iri(f"{ID}membership/{slug}--p{member}")
        yield triple(ps, ORG + "hasMember", partner)
        yield triple(ps, ORG + "hasMembership", membership)
        yield triple(membership, RDF_TYPE, iri(SDGKG + "Membership"))
        yield triple(membership, ORG + "organization", ps)
        yield triple(membership, ORG + "member", partner)
        yield triple(membership, ORG + "role", iri(f"{ID}role/{rng.choice(ROLES)}"))
        yield triple(membership, PROV + "wasDerivedFrom", source)
    if rng.random() < 0.4:
        initiative = iri(f"{ID}initiative/i{number}")
        yield triple(ps, SDGKG + "hasInitiative", initiative)
        yield triple(
            initiative, RDF_TYPE, iri(SDGKG + rng.choice(["Project", "Event", "Programme"]))
        )
        yield triple(initiative, SDGKG + "partOfPartnership", ps)
        yield triple(initiative, RDFS_LABEL, lit(f"Initiative {number}", "en"))
        yield triple(initiative, PROV + "wasDerivedFrom", source)
    quotation = f"_:q{number}"
    yield triple(ps, PROV + "qualifiedDerivation", quotation)
    yield triple(quotation, RDF_TYPE, iri(SDGKG + "Quotation"))
    yield triple(quotation, PROV + "entity", source)
    yield triple(
        quotation,
        SDGKG + "lineStart",
        lit(str(rng.randint(1, 400)), datatype=XSD + "positiveInteger"),
    )
    yield triple(quotation, SDGKG + "keyPhrase", lit(f"{WORDS_DA[words[2]]} i fællesskab", "da"))


def generate(target_triples: int) -> Iterator[str]:
    """About ``target_triples`` lines: reference data, then partners and partnerships (~35 each)."""
    rng = random.Random(SEED)
    written = 0
    for line in reference_data():
        written += 1
        yield line
    partner_count = max(50, target_triples // 60)
    for line in partners(rng, partner_count):
        written += 1
        yield line
    number = 0
    while written < target_triples:
        for line in partnership(rng, number, partner_count):
            written += 1
            yield line
        number += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("triples", type=int)
    parser.add_argument("output", type=Path)
    args = parser.parse_args()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as out:
        out.writelines(generate(args.triples))


if __name__ == "__main__":
    main()
