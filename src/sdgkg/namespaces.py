"""Term constants of the sdgkg ontology.

Generated from: ontology/sdgkg.ttl — do not edit; run scripts/gen_namespaces.py.
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class SDGKG(DefinedNamespace):
    """The sdgkg ontology: https://w3id.org/sdgkg/ontology"""

    _fail = True
    _NS = Namespace("https://w3id.org/sdgkg/ontology#")

    Centre: URIRef  # centre
    CivilSocietyOrganisation: URIRef  # civil society organisation
    Company: URIRef  # company
    Event: URIRef  # event
    Fact: URIRef  # fact
    Foundation: URIRef  # foundation
    Goal: URIRef  # SDG goal
    GovernmentBody: URIRef  # government body
    Indicator: URIRef  # SDG indicator
    Initiative: URIRef  # initiative
    InternationalOrganisation: URIRef  # international organisation
    LearningCityArea: URIRef  # learning city area
    LearningCityConcept: URIRef  # learning city concept
    LearningCityFocusArea: URIRef  # learning city area of focus
    LearningCityKeyFeature: URIRef  # learning city key feature
    Membership: URIRef  # membership
    Municipality: URIRef  # municipality
    Network: URIRef  # network
    Partner: URIRef  # partner
    Partnership: URIRef  # partnership
    PartnershipType: URIRef  # partnership type
    Policy: URIRef  # policy
    Programme: URIRef  # programme
    Project: URIRef  # project
    Quotation: URIRef  # quotation
    Region: URIRef  # region
    ResearchOrEducationInstitution: URIRef  # research or education institution
    Role: URIRef  # role
    SDGConcept: URIRef  # SDG concept
    Source: URIRef  # source
    SustainabilityDimension: URIRef  # sustainability dimension
    Target: URIRef  # SDG target
    UNESCODomain: URIRef  # UNESCO domain
    about: URIRef  # is about
    addressesSDG: URIRef  # addresses SDG
    assignedSDG: URIRef  # assigned SDG
    colour: URIRef  # colour
    crossBorder: URIRef  # cross-border
    fileName: URIRef  # file name
    hasInitiative: URIRef  # has initiative
    inRegion: URIRef  # in region
    keyFeature: URIRef  # has learning city feature
    keyPhrase: URIRef  # key phrase
    kommunekode: URIRef  # municipality code
    lineEnd: URIRef  # last line
    lineStart: URIRef  # first line
    municipality: URIRef  # takes place in municipality
    partOfPartnership: URIRef  # part of partnership
    partnershipType: URIRef  # has partnership type
    regionskode: URIRef  # region code
    runBy: URIRef  # run by
    statedSDG: URIRef  # stated SDG
    sustainabilityDimension: URIRef  # has sustainability dimension
    unescoDomain: URIRef  # has UNESCO domain
