"""The HTML side of a Linked Data IRI: what a record says, who points at it, where it comes from.

``render_resource_page`` is the one call ``publishing/pages.py`` makes for ``text/html``.
Provenance is shown at the grain the data model records it (docs/model.md): each record, and each
membership, cites its source document, the passage's line range and a verbatim key phrase.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from sdgkg.config import Settings
from sdgkg.errors import NotFound
from sdgkg.store.base import GraphStore
from sdgkg.web.components import (
    PAGE_ROWS,
    formats_section,
    pages_nav,
    rdf_alternates,
    record_link,
    sdg_badge,
    term_html,
)
from sdgkg.web.coverage import (
    GOALS,
    Coverage,
    PartnerGoal,
    PartnerTable,
    goal_iri,
    list_href,
    read_partner_goals,
)
from sdgkg.web.graph import (
    DCTERMS,
    ORG,
    PREFIXES,
    PROV,
    RDF_TYPE,
    SCHEMA,
    Described,
    Term,
    describe_iris,
    iri_values,
    iris_in,
    is_true,
    local_href,
    ontology_prefix,
    solutions,
    subclass_values,
)
from sdgkg.web.i18n import message, other_language
from sdgkg.web.layout import PageContext, page, section, table
from sdgkg.web.markup import Child, Html, element, join
from sdgkg.web.source_quotes import (
    SourceQuotation,
    int_value,
    line_range,
    quotation_href,
    read_source_quotations,
    source_quotations_section,
)
from sdgkg.web.summary import LINKED_FROM, RecordFacts, record_summary

INBOUND_LIMIT = 100  # records pointing at a resource, a page (each is looked up for its label)
_ONTOLOGY_TERMS = (
    "municipality",
    "inRegion",
    "country",
    "partnershipType",
    "runBy",
    "partOfPartnership",
    "hasInitiative",
    "about",
    "contactPerson",
    "spokesperson",
    "speaker",
    "facilitator",
    "participant",
    "involvesPerson",
    "jobTitle",
)
_OTHER_KEY_TERMS = (
    f"{DCTERMS}description",
    f"{SCHEMA}value",
    f"{SCHEMA}unitText",
    f"{SCHEMA}startDate",
    f"{SCHEMA}endDate",
    f"{SCHEMA}foundingDate",
    f"{DCTERMS}date",
    f"{SCHEMA}location",
    f"{SCHEMA}containedInPlace",
    f"{ORG}postIn",
    f"{ORG}heldBy",
    f"{SCHEMA}email",
)
_MEMBER_OF = {f"{ORG}member", f"{ORG}hasMember"}
_HIDDEN = {f"{PROV}qualifiedDerivation", RDF_TYPE}


@dataclass(frozen=True)
class Quotation:
    record: str
    source: str | None
    file_name: str | None
    line_start: int | None
    line_end: int | None
    key_phrase: Literal | None


@dataclass(frozen=True)
class Membership:
    iri: str
    member: str
    role: str | None


def render_resource_page(
    store: GraphStore,
    iri: str,
    lang: str,
    settings: Settings,
    *,
    query: dict[str, str] | None = None,
    links_page: int = 1,
    coverage: Coverage | None = None,
    partners: PartnerTable | None = None,
) -> str:
    """The whole HTML page of ``iri`` in ``lang`` ("da" or "en"), with page ``links_page`` of the
    records that point at it (INBOUND_LIMIT a page) and, on a goal's page, of the records working
    on the goal. ``coverage`` and ``partners``, aggregates built in the background, give a goal's
    records and a partner's goals without a query (issue 18); without them they are read from
    the store.

    Raises:
        NotFound: the store says nothing about ``iri`` and nothing points at it.
    """
    base = settings.base_iri
    outgoing = _outgoing(store, iri)
    inbound = _inbound(store, iri, links_page)
    if not outgoing and not inbound:
        raise NotFound(f"nothing is known about <{iri}>", where=iri)
    memberships = _memberships(store, iri)
    if partners is not None:
        partner_goals = partners.links.get(iri, [])
    else:
        partner_goals = read_partner_goals(store, base, iri) if _is_member(store, iri) else []
    quotations = _quotations(store, [iri, *(m.iri for m in memberships)], base)
    posts = _posts(store, iri)
    is_goal = any(p == RDF_TYPE and o.value == f"{base}ontology#Goal" for p, o in outgoing)
    addressing, addressing_total = (
        _addressing_page(store, iri, base, lang, coverage, links_page) if is_goal else ([], 0)
    )
    targets = _targets(store, iri) if is_goal else []
    is_source = any(p == RDF_TYPE and o.value == f"{base}ontology#Source" for p, o in outgoing)
    cited: list[SourceQuotation] = read_source_quotations(store, iri, base) if is_source else []
    described = describe_iris(
        store,
        [
            iri,
            *(p for p, _ in outgoing),
            *iris_in(o for _, o in outgoing),
            *(s for s, _ in inbound),
            *(p for _, p in inbound),
            *(x for m in memberships for x in (m.member, m.role) if x),
            *(q.source for q in quotations if q.source),
            *(link.partnership for link in partner_goals),
            *(f"{base}id/goal/{link.goal}" for link in partner_goals),
            *(x for a in addressing for x in (a.record, a.concept)),
            *(t.iri for t in targets),
            *(c.record for c in cited),
            *(x for post in posts for x in post),
        ],
    )
    view = _View(iri, lang, base, described)
    path = local_href(iri, base)
    title = described.label(iri, lang)
    body = [
        view.heading(title, [o.value for p, o in outgoing if p == RDF_TYPE]),
        view.summary(outgoing, inbound, memberships, [q for q in quotations if q.record == iri]),
        view.key_facts(outgoing),
        view.posts_section(posts),
        view.sdg_section(outgoing, base),
        view.members_section(memberships, quotations),
        view.partner_goals_section(partner_goals),
        view.addressing_section(addressing, addressing_total, links_page),
        view.targets_section(targets),
        view.provenance_section([q for q in quotations if q.record == iri]),
        source_quotations_section(outgoing, cited, view.link, lang),
        element(
            "details",
            {"class_": "all-properties", "id": "all"},
            element("summary", None, message("all_properties", lang)),
            view.properties_section(outgoing),
            view.inbound_section(inbound, links_page),
        ),
        formats_section(path, lang),
    ]
    context = PageContext(lang, path, query or {})
    return page(context, title, body, alternates=rdf_alternates(path))


@dataclass(frozen=True)
class Addressing:
    """A record working on a goal through ``concept``: the goal itself or one of its targets."""

    record: str
    concept: str
    stated: bool


@dataclass(frozen=True)
class TargetText:
    iri: str
    notation: str
    text: Literal | None


def _addressing_page(
    store: GraphStore, goal: str, base_iri: str, lang: str, coverage: Coverage | None, page: int
) -> tuple[list[Addressing], int]:
    """Page ``page`` (PAGE_ROWS records, by name) of the records working on ``goal``, and how
    many there are in all."""
    if coverage is not None:
        number = next((g for g in GOALS if goal_iri(base_iri, g) == goal), None)
        by_record = coverage.addressing(number) if number else {}
        rank = coverage.rank(lang)
        ordered = sorted(by_record, key=lambda r: rank.get(r, 0))
    else:
        by_record = defaultdict(dict)
        for item in _addressing(store, goal, base_iri):
            concepts = by_record[item.record]
            concepts[item.concept] = concepts.get(item.concept, False) or item.stated
        described = describe_iris(store, by_record)
        ordered = sorted(by_record, key=lambda r: (described.label(r, lang).casefold(), r))
    shown = ordered[(page - 1) * PAGE_ROWS : page * PAGE_ROWS]
    addressing = [
        Addressing(record, concept, stated)
        for record in shown
        for concept, stated in by_record[record].items()
    ]
    return addressing, len(ordered)


def _addressing(store: GraphStore, goal: str, base_iri: str) -> list[Addressing]:
    """Every partnership and initiative stating or assigned the goal or a narrower concept, as
    the coverage view counts them. Fixed skos:broader steps and BIND, not ``skos:broader*`` nor
    VALUES: Virtuoso 7.2 answers a joined path, or a VALUES in a UNION branch, with no rows."""
    query = (
        PREFIXES
        + ontology_prefix(base_iri)
        + f"""SELECT DISTINCT ?record ?concept ?stated WHERE {{
  {{ BIND({_iri(goal)} AS ?concept) }} UNION {{ ?concept skos:broader {_iri(goal)} }}
  UNION {{ ?concept skos:broader/skos:broader {_iri(goal)} }}
  {{ ?record sdgkg:statedSDG ?concept BIND(true AS ?stated) }}
  UNION {{ ?record sdgkg:assignedSDG ?concept BIND(false AS ?stated) }}
  {subclass_values(store, base_iri, ["Partnership", "Initiative"])}
  ?record a ?class .
}}"""
    )
    return [
        Addressing(row["record"].value, row["concept"].value, is_true(row["stated"]))
        for row in solutions(store.query(query))
    ]


def _targets(store: GraphStore, goal: str) -> list[TargetText]:
    """The goal's targets with their text (dcterms:title), in the order of their numbers."""
    query = (
        PREFIXES
        + f"""SELECT ?target ?notation ?text WHERE {{
  ?target skos:broader {_iri(goal)} ; skos:notation ?notation .
  OPTIONAL {{ ?target dcterms:title ?text }}
}}"""
    )
    found = {
        row["target"].value: TargetText(
            row["target"].value,
            row["notation"].value,
            row["text"] if isinstance(row["text"], Literal) else None,
        )
        for row in solutions(store.query(query))
    }
    return sorted(found.values(), key=lambda t: _notation_key(t.notation))


def _notation_key(notation: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (99, p) for p in notation.split("."))


def _posts(store: GraphStore, person: str) -> list[tuple[str, str]]:
    """The posts a person holds, each with the organisation it is in."""
    query = PREFIXES + (
        f"SELECT ?post ?organisation WHERE {{ ?post org:heldBy {_iri(person)} ; "
        "org:postIn ?organisation }"
    )
    return sorted(
        {(r["post"].value, r["organisation"].value) for r in solutions(store.query(query))}
    )


def _outgoing(store: GraphStore, iri: str) -> list[tuple[str, Term]]:
    result = store.query(f"SELECT ?p ?o WHERE {{ {_iri(iri)} ?p ?o }}")
    return [(row["p"].value, row["o"]) for row in solutions(result)]


def _inbound(store: GraphStore, iri: str, page: int = 1) -> list[tuple[str, str]]:
    """Who points at ``iri``, page ``page`` (one more than INBOUND_LIMIT: there are more); a
    quotation citing it counts as its record pointing at it. In the store's own order, not
    sorted: sorting reads every link of a goal with thousands (issue 18); the page sorts its own.
    """
    query = (
        PREFIXES + f"SELECT DISTINCT ?s ?p WHERE {{ "
        f"{{ ?s ?p {_iri(iri)} FILTER(isIRI(?s)) }} "
        f"UNION {{ ?s prov:qualifiedDerivation ?q . ?q ?p {_iri(iri)} }} }}"
        f" OFFSET {(page - 1) * INBOUND_LIMIT} LIMIT {INBOUND_LIMIT + 1}"
    )
    result = store.query(query)
    return [(row["s"].value, row["p"].value) for row in solutions(result)]


def _is_member(store: GraphStore, iri: str) -> bool:
    """Whether ``iri`` is a member of something (then the page lists its partnerships' goals)."""
    return bool(store.query(PREFIXES + f"ASK {{ ?s org:member|org:hasMember {_iri(iri)} }}"))


def _iri(iri: str) -> str:
    """``<iri>`` for a query; NamedNode rejects anything that is not an IRI (ValueError)."""
    return str(NamedNode(iri))


def _memberships(store: GraphStore, iri: str) -> list[Membership]:
    query = (
        PREFIXES + f"SELECT DISTINCT ?m ?member ?role WHERE {{ VALUES ?x {{ {_iri(iri)} }} "
        "?m org:organization ?x . "
        "?m org:member ?member . OPTIONAL { ?m org:role ?role } }"
    )
    rows = solutions(store.query(query))
    found = [
        Membership(row["m"].value, row["member"].value, row["role"].value if row["role"] else None)
        for row in rows
    ]
    return sorted(found, key=lambda m: (m.role or "~", m.member))


def _quotations(store: GraphStore, records: Sequence[str], base_iri: str) -> list[Quotation]:
    values = iri_values(records)
    query = (
        PREFIXES
        + ontology_prefix(base_iri)
        + "SELECT ?record ?source ?file ?start ?end ?phrase WHERE { VALUES ?record { "
        + values
        + " } ?record prov:qualifiedDerivation ?q . OPTIONAL { ?q prov:entity ?source "
        "OPTIONAL { ?source sdgkg:fileName ?file } } OPTIONAL { ?q sdgkg:lineStart ?start } "
        "OPTIONAL { ?q sdgkg:lineEnd ?end } OPTIONAL { ?q sdgkg:keyPhrase ?phrase } }"
        " ORDER BY ?record ?source ?start"
    )
    return [
        Quotation(
            row["record"].value,
            _value(row["source"]),
            _value(row["file"]),
            int_value(row["start"]),
            int_value(row["end"]),
            row["phrase"] if isinstance(row["phrase"], Literal) else None,
        )
        for row in solutions(store.query(query))
    ]


def _first_value(values: Mapping[str, Sequence[Term]], *predicates: str) -> str | None:
    """The first value of the first of ``predicates`` the record has."""
    return next((str(v[0].value) for p in predicates if (v := values.get(p))), None)


def _as_heading(label: str) -> str:
    """A property's label as a term heading: ``startDate`` -> ``Start date``, ``har medlem`` ->
    ``Har medlem`` (some imported vocabularies label terms with their camel-case names).

    >>> _as_heading("startDate"), _as_heading("har medlem"), _as_heading("URL")
    ('Start date', 'Har medlem', 'URL')
    """
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", label)
    words = words[:1] + words[1:].lower() if words != label else words
    return words[:1].upper() + words[1:]


def _in_sentence(label: str) -> str:
    """A label as a word inside a sentence: ``Vært`` -> ``vært``, but ``UNESCO`` stays."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _value(term: Term | None) -> str | None:
    return term.value if term is not None else None


@dataclass(frozen=True)
class _View:
    iri: str
    lang: str
    base: str
    described: Described

    def link(self, iri: str) -> Html:
        return record_link(iri, self.described, self.lang, self.base)

    def term(self, term: Term) -> Html:
        return term_html(term, self.described, self.lang, self.base)

    def heading(self, title: str, kinds: Sequence[str]) -> Html:
        number = self.described.goal_number(self.iri)
        notation = self.described.notations.get(self.iri)
        if notation and (notation == number or notation in title.split()):
            notation = None
        kind_links = join((self.link(kind) for kind in sorted(kinds)), " · ")
        return element(
            "header",
            {"class_": "resource"},
            element(
                "h1",
                None,
                sdg_badge(number) if number else None,
                " " if number else None,
                element("span", {"lang": self.described.label_lang(self.iri, self.lang)}, title),
                element("span", {"class_": "notation"}, f" ({notation})") if notation else None,
            ),
            element(
                "p",
                {"class_": "kind"},
                element("span", {"class_": "label"}, message("kind", self.lang), ": "),
                kind_links,
            ),
            element(
                "p",
                {"class_": "iri"},
                element("span", {"class_": "label"}, message("iri", self.lang), ": "),
                element("code", None, self.iri),
            ),
        )

    def summary(
        self,
        outgoing: Sequence[tuple[str, Term]],
        inbound: Sequence[tuple[str, str]],
        memberships: Sequence[Membership],
        quotations: Sequence[Quotation],
    ) -> Html | None:
        """The record in a few sentences (``web/summary.py``), where there is more to say than
        its kind."""
        values: dict[str, list[Term]] = defaultdict(list)
        for predicate, value in outgoing:
            values[predicate].append(value)
        kinds = sorted(o.value for o in values[RDF_TYPE])
        if not kinds:
            return None
        roles: dict[str, list[str]] = {}
        for m in memberships:
            named = roles.setdefault(m.member, [])
            if m.role:
                named.append(_in_sentence(self.described.label(m.role, self.lang)))
        stated = {o.value for o in values[f"{self.base}ontology#statedSDG"]}
        assigned = {o.value for o in values[f"{self.base}ontology#assignedSDG"]} - stated
        places = [
            *values[f"{self.base}ontology#municipality"],
            *values[f"{SCHEMA}location"],
            *values[f"{self.base}ontology#inRegion"],
        ]
        facts = RecordFacts(
            kind=self.described.label(kinds[0], self.lang).capitalize(),
            one_day=f"{self.base}ontology#Event" in kinds,
            run_by=[self.link(o.value) for o in values[f"{self.base}ontology#runBy"]],
            places=[self.link(o.value) for o in places if isinstance(o, NamedNode)],
            start=_first_value(values, f"{SCHEMA}startDate", f"{SCHEMA}foundingDate"),
            end=_first_value(values, f"{SCHEMA}endDate"),
            members=[(self.link(member), named) for member, named in roles.items()],
            stated=len(stated),
            assigned=len(assigned),
            passages=len(quotations),
            sources=len({q.source for q in quotations if q.source}),
            linked_from=self._linked_from(inbound),
        )
        sentences = record_summary(facts, self.lang)
        if len(sentences) < 2:
            return None
        return element("p", {"class_": "summary"}, join(sentences, " "))

    def _linked_from(self, inbound: Sequence[tuple[str, str]]) -> list[tuple[str, list[Html]]]:
        """The records pointing here through the properties a sentence tells, in label order."""
        by_name: dict[str, set[str]] = defaultdict(set)
        for subject, predicate in inbound[:INBOUND_LIMIT]:
            name = predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            if name in LINKED_FROM:
                by_name[name].add(subject)
        return [
            (name, [self.link(s) for s in sorted(by_name[name], key=self._label_key)])
            for name in LINKED_FROM
            if name in by_name
        ]

    def _label_key(self, iri: str) -> str:
        return self.described.label(iri, self.lang).casefold()

    def key_facts(self, outgoing: Sequence[tuple[str, Term]]) -> Html | None:
        """The facts a reader asks first (where, who, when, what), as a list of terms and values
        in the reader's language; everything else stays in the folded table."""
        keys = [f"{self.base}ontology#{name}" for name in _ONTOLOGY_TERMS] + list(_OTHER_KEY_TERMS)
        grouped: dict[str, list[Term]] = defaultdict(list)
        for predicate, value in outgoing:
            if predicate in keys:
                grouped[predicate].append(value)
        if not grouped:
            return None
        items = []
        for predicate in sorted(grouped, key=keys.index):
            values = _in_reader_language(grouped[predicate], self.lang)
            items.append(
                element("dt", None, _as_heading(self.described.label(predicate, self.lang)))
            )
            items.extend(element("dd", None, self.term(value)) for value in values)
        return element("dl", {"class_": "key-facts"}, items)

    def posts_section(self, posts: Sequence[tuple[str, str]]) -> Html | None:
        if not posts:
            return None
        rows = [
            element(
                "tr",
                None,
                element("td", None, self.link(post)),
                element("td", None, self.link(org)),
            )
            for post, org in posts
        ]
        return _table_section(
            message("posts", self.lang),
            (message("post", self.lang), message("organisation", self.lang)),
            rows,
            id_="posts",
        )

    def sdg_section(self, outgoing: Sequence[tuple[str, Term]], base: str) -> Html | None:
        stated = {o.value for p, o in outgoing if p == f"{base}ontology#statedSDG"}
        assigned = {o.value for p, o in outgoing if p == f"{base}ontology#assignedSDG"} - stated
        if not stated and not assigned:
            return None
        items = [
            self._sdg_item(iri, assigned=False) for iri in sorted(stated, key=self._sdg_order)
        ] + [self._sdg_item(iri, assigned=True) for iri in sorted(assigned, key=self._sdg_order)]
        legend = element(
            "p",
            {"class_": "legend"},
            sdg_badge("·"),
            " ",
            message("stated", self.lang),
            " ",
            sdg_badge("·", assigned=True),
            " ",
            message("assigned", self.lang),
        )
        return section(
            message("sdg_goals", self.lang),
            element("ul", {"class_": "sdg-list"}, items),
            legend,
            id_="sdgs",
        )

    def _sdg_order(self, iri: str) -> tuple[int, ...]:
        notation = self.described.notations.get(iri, "99")
        return tuple(int(p) if p.isdigit() else 99 for p in notation.split("."))

    def _sdg_item(self, iri: str, *, assigned: bool) -> Html:
        how = message("assigned_short" if assigned else "stated_short", self.lang)
        number = self.described.goal_number(iri)
        label = self.described.label(iri, self.lang)
        notation = self.described.notations.get(iri, "")
        if notation == number or notation in label:
            notation = ""
        href = local_href(iri, self.base)
        return element(
            "li",
            {"class_": "assigned" if assigned else "stated"},
            element(
                "a",
                {"href": href},
                sdg_badge(number, assigned=assigned) if number else None,
                element("span", {"class_": "notation"}, f"{notation} ") if notation else None,
                element("span", {"lang": self.described.label_lang(iri, self.lang)}, label),
            ),
            " ",
            element("small", None, f"({how})"),
        )

    def members_section(
        self, memberships: Sequence[Membership], quotations: Sequence[Quotation]
    ) -> Html | None:
        if not memberships:
            return None
        by_record = _group_quotations(quotations)
        lang = self.lang
        by_member: dict[str, list[Membership]] = defaultdict(list)
        for m in memberships:
            by_member[m.member].append(m)  # one row a member, with all its roles
        rows = [
            element(
                "tr",
                None,
                element("td", None, self.link(member)),
                element("td", None, join((self.link(m.role) for m in held if m.role), ", ") or "—"),
                element(
                    "td",
                    None,
                    self._quotation_list(
                        [q for m in held for q in by_record.get(m.iri, [])], compact=True
                    ),
                ),
            )
            for member, held in by_member.items()
        ]
        columns = [message(k, lang) for k in ("member", "role", "provenance")]
        return _table_section(message("members", lang), columns, rows, id_="members")

    def partner_goals_section(self, links: Sequence[PartnerGoal]) -> Html | None:
        """The goals a partner works on, each with the partnerships it works on them through."""
        if not links:
            return None
        goals: dict[str, dict[str, bool]] = defaultdict(dict)
        for link in links:
            through = goals[link.goal]
            through[link.partnership] = through.get(link.partnership, False) or link.stated
        rows = []
        for goal in sorted(goals, key=int):
            stated = any(goals[goal].values())
            goal_iri = f"{self.base}id/goal/{goal}"
            rows.append(
                element(
                    "tr",
                    None,
                    element(
                        "th",
                        {"scope": "row"},
                        element(
                            "a",
                            {"href": list_href(goal=goal)},
                            sdg_badge(goal, assigned=not stated),
                            element(
                                "span",
                                {"lang": self.described.label_lang(goal_iri, self.lang)},
                                self.described.label(goal_iri, self.lang),
                            ),
                        ),
                    ),
                    element(
                        "td",
                        None,
                        element(
                            "ul",
                            {"class_": "values"},
                            [
                                element(
                                    "li",
                                    None,
                                    self.link(p),
                                    " ",
                                    element(
                                        "small",
                                        None,
                                        f"({_how(s, self.lang)})",
                                    ),
                                )
                                for p, s in sorted(goals[goal].items())
                            ],
                        ),
                    ),
                )
            )
        return _table_section(
            message("goals_of_partner", self.lang),
            (message("goal", self.lang), message("via", self.lang)),
            rows,
            id_="partner-goals",
        )

    def addressing_section(
        self, addressing: Sequence[Addressing], total: int, page: int = 1
    ) -> Html | None:
        """What works on this goal: each record once, how (stated or assigned) and through
        which targets; ``addressing`` is one page of ``total`` records."""
        if not addressing:
            return None
        by_record: dict[str, list[Addressing]] = defaultdict(list)
        for item in addressing:
            by_record[item.record].append(item)
        rows = []
        for record in sorted(
            by_record, key=lambda r: self.described.label(r, self.lang).casefold()
        ):
            items = by_record[record]
            stated = any(a.stated for a in items)
            through = sorted(
                {a.concept for a in items if a.concept != self.iri},
                key=lambda c: _notation_key(self.described.notations.get(c, "99")),
            )
            rows.append(
                element(
                    "tr",
                    None,
                    element("td", None, self.link(record)),
                    element("td", None, _how(stated, self.lang)),
                    element("td", None, join((self.link(c) for c in through), ", ") or "—"),
                )
            )
        pager = pages_nav(
            f"{local_href(self.iri, self.base)}?links=", page, total, PAGE_ROWS, self.lang
        )
        return _table_section(
            f"{message('working_on_goal', self.lang)} ({total})",
            (
                message("list_title", self.lang),
                message("how", self.lang),
                message("targets", self.lang),
            ),
            rows,
            id_="addressing",
            after=pager,
        )

    def targets_section(self, targets: Sequence[TargetText]) -> Html | None:
        if not targets:
            return None
        items = [
            element(
                "li",
                None,
                element("a", {"href": local_href(t.iri, self.base)}, t.notation),
                " ",
                element("span", {"lang": t.text.language or None}, t.text.value)
                if t.text is not None
                else None,
            )
            for t in targets
        ]
        note = (
            element("p", None, message("target_text_en", self.lang))
            if self.lang == "da"
            and any(t.text is not None and t.text.language == "en" for t in targets)
            else None
        )
        return section(
            message("targets", self.lang),
            note,
            element("ul", {"class_": "targets"}, items),
            id_="targets",
        )

    def properties_section(self, outgoing: Sequence[tuple[str, Term]]) -> Html:
        grouped: dict[str, list[Term]] = defaultdict(list)
        for predicate, value in outgoing:
            if predicate not in _HIDDEN:
                grouped[predicate].append(value)
        return _table_section(
            message("properties", self.lang),
            (message("property", self.lang), message("value", self.lang)),
            property_rows(grouped, self.described, self.lang, self.base),
            id_="properties",
        )

    def provenance_section(self, quotations: Sequence[Quotation]) -> Html | None:
        if not quotations:
            return None
        return section(
            message("provenance", self.lang),
            self._quotation_list(quotations, compact=False),
            id_="provenance",
        )

    def _quotation_list(self, quotations: Sequence[Quotation], *, compact: bool) -> Html:
        if not quotations:
            return Html("—")
        items = []
        for q in quotations:
            lines = line_range(q.line_start, q.line_end, self.lang)
            lines_href = (
                quotation_href(q.source, q.line_start, q.line_end, self.base) if q.source else None
            )
            phrase = (
                element(
                    "q" if compact else "blockquote",
                    {"lang": q.key_phrase.language, "class_": "key-phrase"},
                    q.key_phrase.value,
                )
                if q.key_phrase is not None
                else None
            )
            where = [
                self.link(q.source) if q.source else None,
                element("code", {"class_": "file"}, q.file_name) if q.file_name else None,
                element(
                    "a" if lines_href else "span", {"href": lines_href, "class_": "lines"}, lines
                )
                if lines
                else None,
            ]
            items.append(
                element(
                    "li",
                    {"class_": "quotation"},
                    phrase,
                    element("span", {"class_": "cite"}, join((w for w in where if w), " · ")),
                )
            )
        return element("ul", {"class_": "quotations"}, items)

    def inbound_section(self, inbound: Sequence[tuple[str, str]], page: int = 1) -> Html | None:
        if not inbound:
            return None
        shown = inbound[:INBOUND_LIMIT]
        grouped: dict[str, list[str]] = defaultdict(list)
        for subject, predicate in shown:
            grouped[predicate].append(subject)
        rows = [
            element(
                "tr",
                None,
                element(
                    "td",
                    None,
                    element(
                        "ul",
                        {"class_": "values"},
                        [
                            element("li", None, self.link(s))
                            for s in sorted(
                                set(subjects), key=lambda s: self.described.label(s, self.lang)
                            )
                        ],
                    ),
                ),
                element("th", {"scope": "row"}, self.link(predicate)),
            )
            for predicate, subjects in sorted(grouped.items())
        ]
        more = len(inbound) > INBOUND_LIMIT
        total = None if more else (page - 1) * INBOUND_LIMIT + len(inbound)
        path = local_href(self.iri, self.base)
        note = pages_nav(f"{path}?links=", page, total, INBOUND_LIMIT, self.lang)
        title = message("inbound", self.lang)
        columns = (title, message("property", self.lang))
        return section(title, table(columns, rows, name=title), note, id_="inbound")


def property_rows(
    grouped: Mapping[str, Sequence[Term]], described: Described, lang: str, base_iri: str
) -> list[Html]:
    """One table row per property, by label in ``lang``; its values in the reader's language
    first. Resource pages and the ontology's terms show their properties alike."""

    def value_order(term: Term) -> tuple[int, str]:
        if isinstance(term, Literal):
            own = (term.language or "") == lang
            return (0 if own else 1, term.value)
        return (2, described.label(term.value, lang) if isinstance(term, NamedNode) else "")

    ordered = sorted(grouped, key=lambda p: described.label(p, lang).casefold())
    return [
        element(
            "tr",
            None,
            element("th", {"scope": "row"}, record_link(predicate, described, lang, base_iri)),
            element(
                "td",
                None,
                element(
                    "ul",
                    {"class_": "values"},
                    _value_items(
                        sorted(grouped[predicate], key=value_order), described, lang, base_iri
                    ),
                ),
            ),
        )
        for predicate in ordered
    ]


def _value_items(
    values: Sequence[Term], described: Described, lang: str, base_iri: str
) -> list[Html]:
    """One item per distinct value; a text given in several languages once, with its tags
    ("Sønderborg da, en"), so equal labels do not read as a list of two (issue 16)."""
    entries: dict[object, list[str]] = {}  # a Term, or (text, datatype): its languages
    for value in values:
        if isinstance(value, Literal) and value.language:
            entries.setdefault((value.value, value.datatype.value), []).append(value.language)
        else:
            entries.setdefault(value, [])
    return [
        _tagged_item(entry[0], languages)
        if isinstance(entry, tuple)
        else element("li", None, term_html(entry, described, lang, base_iri))  # type: ignore[arg-type]
        for entry, languages in entries.items()
    ]


def _tagged_item(text: str, languages: Sequence[str]) -> Html:
    """A text with the language tags it is given in: ``<li><span lang=da>…</span> da</li>``."""
    lang = languages[0] if len(languages) == 1 else None
    tags = element("span", {"class_": "lang-tag"}, ", ".join(sorted(languages)))
    return element("li", None, element("span", {"lang": lang}, text), " ", tags)


def _in_reader_language(values: Sequence[Term], lang: str) -> list[Term]:
    """Of several texts in different languages, the reader's (or the other); all other values."""
    texts = [v for v in values if isinstance(v, Literal) and v.language]
    if len(texts) < 2:
        return list(values)
    own = [v for v in texts if v.language == lang] or [
        v for v in texts if v.language == other_language(lang)
    ]
    return [v for v in values if v not in texts] + (own or texts)


def _group_quotations(quotations: Iterable[Quotation]) -> dict[str, list[Quotation]]:
    grouped: dict[str, list[Quotation]] = defaultdict(list)
    for quotation in quotations:
        grouped[quotation.record].append(quotation)
    return grouped


def _how(stated: bool, lang: str) -> str:
    return message("stated_short" if stated else "assigned_short", lang)


def _table_section(
    title: str, columns: Sequence[str], rows: Child, *, id_: str, after: Child = None
) -> Html:
    """A titled section holding one table with a header row of column names (and ``after`` it,
    say, the links to the table's other pages)."""
    return section(title, table(columns, rows, name=title), after, id_=id_)
