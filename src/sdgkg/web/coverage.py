"""SDG coverage: which goals the partnerships and initiatives address, where, and through whom.

A record addresses a goal when it names the goal, or one of its targets, with ``sdgkg:statedSDG``
(the source says so) or ``sdgkg:assignedSDG`` (a curator says so). A record counts as *stated* for
a goal when any of its links to that goal is stated; otherwise as *assigned*. Every number shown
links to the list of records behind it (``/coverage/list``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple
from urllib.parse import urlencode

from sdgkg.store.base import GraphStore
from sdgkg.web.graph import (
    PREFIXES,
    Described,
    describe_iris,
    goal_of,
    is_true,
    ontology_prefix,
    solutions,
    subclass_values,
)
from sdgkg.web.i18n import LANGUAGES

GOALS = tuple(str(n) for n in range(1, 18))


@dataclass(frozen=True)
class Link:
    """One record addressing one goal."""

    record: str
    goal: str  # "13"
    stated: bool
    municipality: str | None  # IRI, or None where the record names no municipality
    concept: str = ""  # the goal or target the record names (IRI)


class CoverageChoice(NamedTuple):
    """Which records of the table a list shows: a goal, a municipality (IRI), stated or not."""

    goal: str | None = None
    municipality: str | None = None
    how: str | None = None


@dataclass
class Coverage:
    """Every link, and what the coverage pages show of them (issue 18: the table, the totals and
    every label are worked out once per data version, in the background, not per request)."""

    links: list[Link] = field(default_factory=list)
    described: Described = field(default_factory=Described)  # records, municipalities, goals

    def records(
        self, goal: str | None = None, municipality: str | None = None, how: str | None = None
    ) -> dict[str, bool]:
        """Records matching the filters, each with whether any of its matching links is stated;
        from the indexes built in the background where a goal or municipality is given."""
        found: dict[str, bool] = {}
        if goal and municipality:
            found = dict(self.matrix.get(municipality, {}).get(goal, {}))
        elif goal:
            found = {r: any(c.values()) for r, c in self.addressing(goal).items()}
        elif municipality:
            for records in self.matrix.get(municipality, {}).values():
                for record, stated in records.items():
                    found[record] = found.get(record, False) or stated
        else:
            for link in self.links:
                found[link.record] = found.get(link.record, False) or link.stated
        if how == "stated":
            return {r: s for r, s in found.items() if s}
        if how == "assigned":
            return {r: s for r, s in found.items() if not s}
        return found

    def listed(self, chosen: CoverageChoice, lang: str) -> list[tuple[str, bool]]:
        """(record, stated?) of the records ``chosen`` keeps, by name in ``lang``: a list page
        slices its page of a list sorted in the background."""
        in_lang = self.sorted_lists.get(lang) or self.sorted_lists.get("en", {})
        return in_lang.get(tuple(chosen), [])

    @cached_property
    def sorted_lists(self) -> dict[str, dict[tuple[str | None, ...], list[tuple[str, bool]]]]:
        """lang -> (goal, municipality, how) -> the (record, stated?) pairs that
        ``records(goal, municipality, how)`` gives, sorted by ``rank(lang)``: one list for every
        number of the coverage table and its rows and columns."""
        choices: list[tuple[str | None, str | None]] = [(None, None)]
        choices += [(goal, None) for goal in self.per_goal_records]
        for place, goals in self.matrix.items():
            choices += [(None, place)] + [(goal, place) for goal in goals]
        lists: dict[str, dict[tuple[str | None, ...], list[tuple[str, bool]]]] = {}
        in_lang: dict[tuple[str | None, ...], list[tuple[str, bool]]]
        pairs = {choice: list(self.records(*choice).items()) for choice in choices}
        for lang in LANGUAGES:
            rank = self.rank(lang)
            in_lang = lists[lang] = {}
            for (goal, municipality), found in pairs.items():
                ordered = sorted(found, key=lambda pair: rank.get(pair[0], 0))
                in_lang[(goal, municipality, None)] = ordered
                in_lang[(goal, municipality, "stated")] = [p for p in ordered if p[1]]
                in_lang[(goal, municipality, "assigned")] = [p for p in ordered if not p[1]]
        return lists

    def addressing(self, goal: str) -> dict[str, dict[str, bool]]:
        """record -> {concept it names for ``goal``: stated?}: what a goal's page lists."""
        return self.per_goal_records.get(goal, {})

    @cached_property
    def per_goal_records(self) -> dict[str, dict[str, dict[str, bool]]]:
        """goal -> record -> {concept: stated?}."""
        found: dict[str, dict[str, dict[str, bool]]] = defaultdict(lambda: defaultdict(dict))
        for link in self.links:
            concepts = found[link.goal][link.record]
            concepts[link.concept] = concepts.get(link.concept, False) or link.stated
        return {goal: dict(records) for goal, records in found.items()}

    @cached_property
    def matrix(self) -> dict[str, dict[str, dict[str, bool]]]:
        """municipality -> goal -> {record: stated}."""
        cells: dict[str, dict[str, dict[str, bool]]] = defaultdict(lambda: defaultdict(dict))
        for link in self.links:
            if link.municipality is None:
                continue
            cell = cells[link.municipality][link.goal]
            cell[link.record] = cell.get(link.record, False) or link.stated
        return {m: dict(goals) for m, goals in cells.items()}

    def rank(self, lang: str) -> dict[str, int]:
        """record -> its place among all the records by name in ``lang``: lists sort by it."""
        return self.ranks.get(lang) or self.ranks.get("en", {})

    @cached_property
    def ranks(self) -> dict[str, dict[str, int]]:
        records = {link.record for link in self.links}
        return {
            lang: {
                record: place
                for place, record in enumerate(
                    sorted(records, key=lambda r: (self.described.label(r, lang).casefold(), r))
                )
            }
            for lang in LANGUAGES
        }

    @cached_property
    def per_goal(self) -> dict[str, tuple[int, int]]:
        """goal -> (records with the goal stated, records with it only assigned)."""
        totals: dict[str, tuple[int, int]] = {}
        for goal in GOALS:
            records = self.records(goal=goal)
            stated = sum(1 for s in records.values() if s)
            totals[goal] = (stated, len(records) - stated)
        return totals

    @property
    def municipalities(self) -> set[str]:
        return {link.municipality for link in self.links if link.municipality}


def read_coverage(store: GraphStore, base_iri: str) -> Coverage:
    """Every (record, goal, municipality, stated?) link, in one query (after the classes), with
    the labels and kinds of all it names and the table and totals worked out: built in the
    background."""
    classes = subclass_values(store, base_iri, ["Partnership", "Initiative"])
    query = (
        PREFIXES
        + ontology_prefix(base_iri)
        + f"""SELECT DISTINCT ?record ?number ?municipality ?stated ?concept WHERE {{
  {{ ?record sdgkg:statedSDG ?concept BIND(true AS ?stated) }}
  UNION {{ ?record sdgkg:assignedSDG ?concept BIND(false AS ?stated) }}
  {goal_of("?concept", "?goal")}
  ?goal skos:notation ?number .
  FILTER EXISTS {{ {classes} ?record a ?class }}
  OPTIONAL {{ ?record sdgkg:municipality ?own }}
  OPTIONAL {{ ?record sdgkg:partOfPartnership/sdgkg:municipality ?inherited }}
  BIND(COALESCE(?own, ?inherited) AS ?municipality)
}}"""
    )
    links = [
        Link(
            row["record"].value,
            row["number"].value,
            is_true(row["stated"]),
            row["municipality"].value if row["municipality"] is not None else None,
            row["concept"].value,
        )
        for row in solutions(store.query(query))
    ]
    named = {x for link in links for x in (link.record, link.municipality) if x}
    described = describe_iris(store, [*named, *(goal_iri(base_iri, g) for g in GOALS)])
    kinds = describe_iris(store, {k for ks in described.kinds.values() for k in ks})
    described.labels.update(kinds.labels)
    coverage = Coverage(links, described)
    _ = (coverage.matrix, coverage.per_goal, coverage.per_goal_records, coverage.sorted_lists)
    return coverage


def goal_iri(base_iri: str, number: str) -> str:
    return f"{base_iri}id/goal/{number}"


@dataclass(frozen=True)
class PartnerGoal:
    partner: str
    goal: str
    stated: bool
    partnership: str


def read_partner_goals(
    store: GraphStore, base_iri: str, partner: str | None = None
) -> list[PartnerGoal]:
    """Goals each partner works on through the partnerships it is a member of.

    The memberships are found first, in a subquery: joined with the goals in one pattern, the
    engine walked every partnership's goals for one partner (0.9 s against 0.07 s at 100k)."""
    member = f"<{partner}>" if partner else "?partner"  # a constant: VALUES costs 6x here
    bind = f"BIND({member} AS ?partner)" if partner else ""
    query = (
        PREFIXES
        + ontology_prefix(base_iri)
        + f"""SELECT DISTINCT ?partner ?number ?stated ?partnership WHERE {{
  {{ SELECT DISTINCT ?partner ?partnership WHERE {{
    {{ ?partnership org:hasMember {member} }}
    UNION {{ ?membership org:organization ?partnership ; org:member {member} }}
    {bind}
  }} }}
  FILTER EXISTS {{ {subclass_values(store, base_iri, ["Partnership"])} ?partnership a ?class }}
  {{ ?partnership sdgkg:statedSDG ?concept BIND(true AS ?stated) }}
  UNION {{ ?partnership sdgkg:assignedSDG ?concept BIND(false AS ?stated) }}
  {goal_of("?concept", "?goal")}
  ?goal skos:notation ?number .
}}"""
    )
    return [
        PartnerGoal(
            row["partner"].value,
            row["number"].value,
            is_true(row["stated"]),
            row["partnership"].value,
        )
        for row in solutions(store.query(query))
    ]


@dataclass(frozen=True)
class PartnerRow:
    """One row of "Goals per partner": a partner, its partnerships, and goals (stated or not)."""

    partner: str
    partnerships: int
    goals: dict[str, bool]  # goal number -> stated by at least one partnership


@dataclass(frozen=True)
class PartnerTable:
    """Every partner's row, in the order each language lists them: most goals first, then by
    name. Built once per data version in the background; a page shows one slice."""

    rows: dict[str, list[PartnerRow]]  # lang -> rows
    links: dict[str, list[PartnerGoal]] = field(default_factory=dict)  # partner -> its goals

    def ordered(self, lang: str) -> list[PartnerRow]:
        return self.rows.get(lang) or self.rows.get("en", [])


def read_partner_table(store: GraphStore, base_iri: str, langs: Sequence[str]) -> PartnerTable:
    """The aggregate behind "Goals per partner", sorted by each language's labels."""
    goals: dict[str, dict[str, bool]] = defaultdict(dict)
    partnerships: dict[str, set[str]] = defaultdict(set)
    links: dict[str, list[PartnerGoal]] = defaultdict(list)
    for link in read_partner_goals(store, base_iri):
        links[link.partner].append(link)
        found = goals[link.partner]
        found[link.goal] = found.get(link.goal, False) or link.stated
        partnerships[link.partner].add(link.partnership)
    described = describe_iris(store, goals)
    rows = [PartnerRow(p, len(partnerships[p]), goals[p]) for p in goals]
    return PartnerTable(
        {
            lang: sorted(
                rows, key=lambda r: (-len(r.goals), described.label(r.partner, lang).casefold())
            )
            for lang in langs
        },
        dict(links),
    )


def list_href(
    goal: str | None = None, municipality: str | None = None, how: str | None = None
) -> str:
    params = {k: v for k, v in (("goal", goal), ("municipality", municipality), ("how", how)) if v}
    return "/coverage/list" + (f"?{urlencode(params)}" if params else "")
