"""Term constants of the sdgkg ontology.

Generated from: ontology/sdgkg.ttl — do not edit; run scripts/gen_namespaces.py.
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class SDGKG(DefinedNamespace):
    """The sdgkg ontology: https://w3id.org/sdgkg/ontology"""

    _fail = True
    _NS = Namespace("https://w3id.org/sdgkg/ontology#")

    Association: URIRef  # association
    Centre: URIRef  # centre
    CivilSocietyOrganisation: URIRef  # civil society organisation
    Committee: URIRef  # committee
    Company: URIRef  # company
    Country: URIRef  # country
    Event: URIRef  # event
    Fact: URIRef  # fact
    ForeignMunicipality: URIRef  # foreign municipality
    Foundation: URIRef  # foundation
    Goal: URIRef  # SDG goal
    GovernmentBody: URIRef  # government body
    Indicator: URIRef  # SDG indicator
    Initiative: URIRef  # initiative
    InternationalOrganisation: URIRef  # international organisation
    JobTitle: URIRef  # job title
    LearningCityArea: URIRef  # learning city area
    LearningCityConcept: URIRef  # learning city concept
    LearningCityFocusArea: URIRef  # learning city area of focus
    LearningCityKeyFeature: URIRef  # learning city key feature
    Membership: URIRef  # membership
    MunicipalBody: URIRef  # municipal body
    Municipality: URIRef  # municipality
    Network: URIRef  # network
    OrganisationalUnit: URIRef  # organisational unit
    Partner: URIRef  # partner
    Partnership: URIRef  # partnership
    PartnershipCharacteristic: URIRef  # partnership characteristic
    PartnershipType: URIRef  # partnership type
    Person: URIRef  # person
    Place: URIRef  # place
    Policy: URIRef  # policy
    Post: URIRef  # post
    Programme: URIRef  # programme
    Project: URIRef  # project
    Quotation: URIRef  # quotation
    Recommendation: URIRef  # recommendation
    Region: URIRef  # region
    ResearchOrEducationInstitution: URIRef  # research or education institution
    Role: URIRef  # role
    SDGConcept: URIRef  # SDG concept
    Source: URIRef  # source
    SustainabilityDimension: URIRef  # sustainability dimension
    Target: URIRef  # SDG target
    Topic: URIRef  # topic
    UNESCODomain: URIRef  # UNESCO domain
    about: URIRef  # is about
    addressesSDG: URIRef  # addresses SDG
    assignedSDG: URIRef  # assigned SDG
    basis: URIRef  # basis
    colour: URIRef  # colour
    contactPerson: URIRef  # contact person
    country: URIRef  # country
    crossBorder: URIRef  # cross-border
    emphasisedSDG: URIRef  # emphasised SDG
    facilitator: URIRef  # facilitator
    fileName: URIRef  # file name
    focus: URIRef  # focus
    fundingRole: URIRef  # role of funding
    hasInitiative: URIRef  # has initiative
    inRegion: URIRef  # in region
    involvesPerson: URIRef  # involves person
    jobTitle: URIRef  # job title
    keyFeature: URIRef  # has learning city feature
    keyPhrase: URIRef  # key phrase
    kommunekode: URIRef  # municipality code
    lineEnd: URIRef  # last line
    lineStart: URIRef  # first line
    municipality: URIRef  # takes place in municipality
    partOfPartnership: URIRef  # part of partnership
    participant: URIRef  # participant
    partnershipCharacteristic: URIRef  # has characteristic
    partnershipType: URIRef  # has partnership type
    phaseOut: URIRef  # phase-out
    recommendedAgreement: URIRef  # recommended agreement
    regionskode: URIRef  # region code
    runBy: URIRef  # run by
    speaker: URIRef  # speaker
    spokesperson: URIRef  # spokesperson
    statedSDG: URIRef  # stated SDG
    sustainabilityDimension: URIRef  # has sustainability dimension
    timePerspective: URIRef  # time perspective
    unescoDomain: URIRef  # has UNESCO domain
