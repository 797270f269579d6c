"""What can be reconciled: the types a sheet's column can hold and the properties it can use.

Types are the ontology's classes, identified by IRI; their names come from the ontology in the
store. Properties have short ids ("municipality", "goal") because some follow a path rather than
one predicate: a partner's municipality is where the partnerships it belongs to take place.
The predicate's IRI is accepted as an alias of the short id.
"""

from __future__ import annotations

from dataclasses import dataclass

from sdgkg.iris import ontology_ns

# The types offered, broadest first within each group; each also matches its subclasses.
TYPE_NAMES = (
    "Partner",
    "Municipality",
    "Region",
    "Company",
    "CivilSocietyOrganisation",
    "ResearchOrEducationInstitution",
    "Foundation",
    "GovernmentBody",
    "InternationalOrganisation",
    "Network",
    "Partnership",
    "Initiative",
    "Project",
    "Centre",
    "Event",
    "Policy",
    "Programme",
    "Goal",
    "Target",
    "Indicator",
    "UNESCODomain",
    "PartnershipType",
)
# What OpenRefine offers before the curator picks a type.
DEFAULT_TYPE_NAMES = ("Partner", "Municipality", "Partnership", "Goal", "Target")

SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
DCTERMS = "http://purl.org/dc/terms/"
_SDG_LINKS = ("sdgkg:statedSDG", "sdgkg:assignedSDG")


@dataclass(frozen=True)
class PropertySpec:
    """A property a query may constrain and a data extension may fetch.

    ``paths`` are alternative SPARQL property paths (``sdgkg:`` and the usual prefixes), each a
    plain sequence: the index joins them with UNION, which every engine evaluates alike (Virtuoso
    answers nothing for some nested alternatives). ``entity`` says whether the values are
    resources (reconciled by label) or literals.
    """

    id: str
    names: dict[str, str]
    paths: tuple[str, ...]
    predicate: str  # the IRI accepted as an alias of ``id``
    entity: bool
    domains: tuple[str, ...]  # type names whose records have it
    value_type: str | None = None  # only values of this type count (paths overreach)
    own_value_type: str | None = None  # records of this type are their own value


def property_specs(base_iri: str) -> tuple[PropertySpec, ...]:
    """The catalogue of properties, with IRIs under ``base_iri``."""
    ont = ontology_ns(base_iri)
    partners = ("Partner",)
    records = ("Partnership", "Initiative")
    return (
        PropertySpec(
            "municipality",
            {"en": "municipality", "da": "kommune"},
            (
                "sdgkg:municipality",
                "^org:hasMember/sdgkg:municipality",
                "^org:member/org:organization/sdgkg:municipality",
            ),
            f"{ont}municipality",
            True,
            (*records, *partners),
            "Municipality",
            "Municipality",
        ),
        PropertySpec(
            "region",
            {"en": "region", "da": "region"},
            ("sdgkg:inRegion", "sdgkg:municipality/sdgkg:inRegion"),
            f"{ont}inRegion",
            True,
            ("Municipality", *records),
        ),
        PropertySpec(
            "goal",
            {"en": "SDG goal", "da": "verdensmål"},
            (
                "skos:broader",
                "skos:broader/skos:broader",
                *_SDG_LINKS,
                *(f"{link}/skos:broader" for link in _SDG_LINKS),
            ),
            f"{SKOS}broader",
            True,
            ("Target", "Indicator", *records),
            "Goal",
        ),
        PropertySpec(
            "target",
            {"en": "SDG target", "da": "delmål"},
            ("skos:broader", *_SDG_LINKS),
            f"{ont}addressesSDG",
            True,
            ("Indicator", *records),
            "Target",
        ),
        PropertySpec(
            "member",
            {"en": "member", "da": "medlem"},
            ("org:hasMember",),
            f"{ORG}hasMember",
            True,
            ("Partnership",),
        ),
        PropertySpec(
            "partnershipType",
            {"en": "partnership type", "da": "partnerskabstype"},
            ("sdgkg:partnershipType",),
            f"{ont}partnershipType",
            True,
            ("Partnership",),
        ),
        PropertySpec(
            "unescoDomain",
            {"en": "UNESCO domain", "da": "UNESCO-område"},
            ("sdgkg:unescoDomain",),
            f"{ont}unescoDomain",
            True,
            (*records, *partners),
        ),
        PropertySpec(
            "kommunekode",
            {"en": "municipality code", "da": "kommunekode"},
            ("sdgkg:kommunekode",),
            f"{ont}kommunekode",
            False,
            ("Municipality",),
        ),
        PropertySpec(
            "notation",
            {"en": "SDG number", "da": "verdensmålsnummer"},
            ("skos:notation",),
            f"{SKOS}notation",
            False,
            ("Goal", "Target", "Indicator"),
        ),
        PropertySpec(
            "startDate",
            {"en": "start date", "da": "startdato"},
            ("schema:startDate",),
            f"{SCHEMA}startDate",
            False,
            records,
        ),
        PropertySpec(
            "sameAs",
            {"en": "same as (Wikidata, UN SDG)", "da": "samme som (Wikidata, FN)"},
            ("schema:sameAs", "skos:exactMatch"),
            f"{SCHEMA}sameAs",
            False,
            (*partners, "Goal", "Target", "Indicator"),
        ),
    )
