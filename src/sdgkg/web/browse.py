"""A list page per kind of record (``/id/partnership``, ``/id/partner`` …): paged, sortable,
filterable by goal, municipality, kind and UNESCO domain, and downloadable as CSV.

One query reads every record of the kind with the facts the filters need, a second their labels;
both run once per data version, in the background (``read_catalogue``, issue 18), which also
sorts the records every way a page can. A request only filters and slices: no query at any size.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from sdgkg.store.base import GraphStore
from sdgkg.web.components import record_link, sdg_badge
from sdgkg.web.coverage import GOALS
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
from sdgkg.web.i18n import format_number, message
from sdgkg.web.layout import PageContext, page, table
from sdgkg.web.markup import Html, element, join

PAGE_SIZE = 50
# The path segment of a kind's records -> its class in the ontology.
BROWSABLE = {
    "partnership": "Partnership",
    "partner": "Partner",
    "municipality": "Municipality",
    "initiative": "Initiative",
    "membership": "Membership",
    "person": "Person",
    "post": "Post",
    "place": "Place",
    "topic": "Topic",
    "fact": "Fact",
    "source": "Source",
    "goal": "Goal",
    "target": "Target",
    "indicator": "Indicator",
}
LIST_PATHS = {name: f"/id/{kind}" for kind, name in BROWSABLE.items()}  # class -> its list page
SORTS = ("name", "kind", "municipality")
FILTERS = ("goal", "municipality", "kind", "domain")


@dataclass
class Listed:
    """One record of a list page and the facts its filters and columns use."""

    iri: str
    kinds: set[str] = field(default_factory=set)
    municipalities: set[str] = field(default_factory=set)
    goals: dict[str, bool] = field(default_factory=dict)  # "13" -> stated?
    domains: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Listing:
    """What a list page shows: the filtered, sorted records and the options of each filter."""

    kind: str
    records: list[Listed]
    described: Described
    options: Mapping[str, list[str]]  # filter -> IRIs (or goal numbers) to choose from


@dataclass(frozen=True)
class Catalogue:
    """Every record of a kind, described, in each order a page can ask for, and for each filter
    value the records it keeps, in each order: a request slices a page of the shortest list."""

    kind: str
    ordered: Mapping[str, list[Listed]]  # sort key -> all the records in that order
    described: Described
    options: Mapping[str, list[str]]  # filter -> IRIs (or goal numbers) to choose from
    # sort key -> filter -> value -> the records with that value, in that order
    kept: Mapping[str, Mapping[str, Mapping[str, list[Listed]]]]


def read_catalogue(store: GraphStore, base_iri: str, kind: str) -> Catalogue:
    """A kind's records with the labels of all they show, sorted: built in the background."""
    records = read_listing(store, base_iri, kind)
    options = {
        "goal": sorted({g for r in records for g in r.goals}, key=int),
        "municipality": sorted({m for r in records for m in r.municipalities}),
        "kind": sorted({k for r in records for k in r.kinds}),
        "domain": sorted({d for r in records for d in r.domains}),
    }
    shown = {r.iri for r in records} | {x for f in FILTERS[1:] for x in options[f]}
    shown |= {f"{base_iri}id/goal/{g}" for g in GOALS} | {f"{base_iri}ontology#{BROWSABLE[kind]}"}
    described = describe_iris(store, shown)

    def by_name(r: Listed) -> str:
        return described.label(r.iri, "da").casefold()

    def first(iris: set[str], lang: str = "da") -> str:
        return min((described.label(i, lang).casefold() for i in iris), default="\uffff")

    keys = {
        "name": lambda r: (by_name(r),),
        "kind": lambda r: (first(r.kinds), by_name(r)),
        "municipality": lambda r: (first(r.municipalities), by_name(r)),
    }
    ordered = {sort: sorted(records, key=key) for sort, key in keys.items()}
    kept = {sort: _kept_by_filter(in_order) for sort, in_order in ordered.items()}
    return Catalogue(kind, ordered, described, options, kept)


def _kept_by_filter(records: list[Listed]) -> dict[str, dict[str, list[Listed]]]:
    """filter -> value -> the records with that value, in the order of ``records``."""
    kept: dict[str, dict[str, list[Listed]]] = {name: {} for name in FILTERS}
    for record in records:
        for name, values in zip(FILTERS, _filter_values(record), strict=True):
            for value in values:
                kept[name].setdefault(value, []).append(record)
    return kept


def _filter_values(record: Listed) -> tuple[Iterable[str], ...]:
    """The values of each filter (in ``FILTERS`` order) that keep ``record``."""
    return (record.goals, record.municipalities, record.kinds, record.domains)


def read_listing(store: GraphStore, base_iri: str, kind: str) -> list[Listed]:
    """Every record of ``kind`` (a key of ``BROWSABLE``), subclasses included."""
    classes = subclass_values(store, base_iri, [BROWSABLE[kind]])
    query = (
        PREFIXES
        + ontology_prefix(base_iri)
        + f"""SELECT ?x ?type ?m ?number ?stated ?domain WHERE {{
  {classes} ?x a ?class .
  OPTIONAL {{ ?x a ?type FILTER(STRSTARTS(STR(?type), "{base_iri}ontology#")) }}
  OPTIONAL {{ ?x sdgkg:municipality ?m }}
  OPTIONAL {{
    {{ ?x sdgkg:statedSDG ?c BIND(true AS ?stated) }}
    UNION {{ ?x sdgkg:assignedSDG ?c BIND(false AS ?stated) }}
    {goal_of("?c", "?g")} ?g skos:notation ?number .
  }}
  OPTIONAL {{ ?x sdgkg:unescoDomain ?domain }}
}}"""
    )
    found: dict[str, Listed] = {}
    for row in solutions(store.query(query)):
        record = found.setdefault(row["x"].value, Listed(row["x"].value))
        if row["type"] is not None:
            record.kinds.add(row["type"].value)
        if row["m"] is not None:
            record.municipalities.add(row["m"].value)
        if row["number"] is not None:
            number = row["number"].value
            record.goals[number] = record.goals.get(number, False) or is_true(row["stated"])
        if row["domain"] is not None:
            record.domains.add(row["domain"].value)
    return list(found.values())


def select(catalogue: Catalogue, chosen: Mapping[str, str], sort: str) -> Listing:
    """The records matching every chosen filter, in the order asked for: the shortest list of
    one chosen filter's records, checked against the others (none: no record is looked at)."""
    if sort not in catalogue.ordered:
        sort = "name"
    lists = [catalogue.kept[sort][name].get(value, []) for name, value in chosen.items() if value]
    if not lists:
        kept = catalogue.ordered[sort]
    elif len(lists) == 1:
        kept = lists[0]
    else:
        kept = [r for r in min(lists, key=len) if _matches(r, chosen)]
    return Listing(catalogue.kind, kept, catalogue.described, catalogue.options)


def _matches(record: Listed, chosen: Mapping[str, str]) -> bool:
    values = dict(zip(FILTERS, _filter_values(record), strict=True))
    return all(not value or value in values[name] for name, value in chosen.items())


def listing_csv(listing: Listing, lang: str) -> str:
    """The listed records as CSV: IRI, name, kinds, municipalities, goals (assigned in brackets)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["iri", "label", "kinds", "municipalities", "goals"])
    d = listing.described
    for r in listing.records:
        writer.writerow(
            [
                r.iri,
                d.label(r.iri, lang),
                "; ".join(sorted(d.label(k, lang) for k in r.kinds)),
                "; ".join(sorted(d.label(m, lang) for m in r.municipalities)),
                " ".join(g if s else f"({g})" for g, s in sorted(r.goals.items(), key=_goal_key)),
            ]
        )
    return out.getvalue()


def _goal_key(item: tuple[str, bool]) -> int:
    return int(item[0]) if item[0].isdigit() else 99


def listing_page(
    context: PageContext,
    listing: Listing,
    base_iri: str,
    chosen: Mapping[str, str],
    sort: str,
    page_number: int,
) -> str:
    """The HTML list page: the filter form, one page of records, the pager and the CSV link."""
    lang = context.lang
    d = listing.described
    kind_iri = f"{base_iri}ontology#{BROWSABLE[listing.kind]}"
    title = f"{message('all_of_kind', lang)}: {d.label(kind_iri, lang)}"
    total = len(listing.records)
    pages = max(1, -(-total // PAGE_SIZE))
    page_number = min(max(page_number, 1), pages)
    start = (page_number - 1) * PAGE_SIZE
    rows = [_row(r, d, lang, base_iri) for r in listing.records[start : start + PAGE_SIZE]]
    state = {k: v for k, v in chosen.items() if v} | ({"sort": sort} if sort != "name" else {})
    body = [
        element("h1", None, title),
        _filter_form(listing, chosen, sort, lang, base_iri),
        element(
            "p",
            {"class_": "result-count", "role": "status"},
            f"{format_number(total, lang)} {message('records', lang)}",
            " · ",
            element(
                "a",
                {"href": _href(context.path, {**state, "format": "csv"}), "download": ""},
                message("download_csv", lang),
            ),
        ),
        table(
            [message(key, lang) for key in ("name", "kind", "municipality", "goal")],
            rows,
            name=title,
            class_="listing",
        )
        if rows
        else element("p", None, message("no_results", lang)),
        _pager(context.path, state, page_number, pages, lang),
    ]
    return page(context, title, body)


def _row(record: Listed, d: Described, lang: str, base_iri: str) -> Html:
    goals = sorted(record.goals.items(), key=_goal_key)
    return element(
        "tr",
        None,
        element("td", None, record_link(record.iri, d, lang, base_iri)),
        element("td", None, join(sorted(d.label(k, lang) for k in record.kinds), ", ")),
        element(
            "td",
            None,
            join((record_link(m, d, lang, base_iri) for m in sorted(record.municipalities)), ", "),
        ),
        element(
            "td",
            None,
            join(
                (
                    element(
                        "span",
                        {"class_": "goal"},
                        sdg_badge(g, assigned=not stated),
                        element(
                            "span",
                            {"class_": "visually-hidden"},
                            f"{message('goal', lang)} {g}"
                            + ("" if stated else f" ({message('assigned_short', lang)})"),
                        ),
                    )
                    for g, stated in goals
                ),
                " ",
            ),
        ),
    )


def _filter_form(
    listing: Listing, chosen: Mapping[str, str], sort: str, lang: str, base_iri: str
) -> Html:
    d = listing.described
    controls = []
    for name in FILTERS:
        values = listing.options[name]
        if not values:
            continue
        if name == "goal":
            labelled = [(g, f"{g}. {d.label(f'{base_iri}id/goal/{g}', lang)}") for g in GOALS]
            labelled = [(g, text) for g, text in labelled if g in values]
        else:
            labelled = sorted(((v, d.label(v, lang)) for v in values), key=lambda p: p[1])
        controls.append(
            _select(name, message(f"filter_{name}", lang), labelled, chosen.get(name, ""), lang)
        )
    controls.append(
        _select(
            "sort",
            message("sort_by", lang),
            [(key, message(key, lang)) for key in SORTS],
            sort,
            lang,
            blank=False,
        )
    )
    return element(
        "form",
        {"method": "get", "class_": "filters"},
        controls,
        element("button", {"type": "submit"}, message("apply_filters", lang)),
    )


def _select(
    name: str,
    label: str,
    options: Sequence[tuple[str, str]],
    chosen: str,
    lang: str,
    *,
    blank: bool = True,
) -> Html:
    field_id = f"filter-{name}"
    return element(
        "p",
        None,
        element("label", {"for": field_id}, label),
        " ",
        element(
            "select",
            {"id": field_id, "name": name},
            element("option", {"value": ""}, message("any", lang)) if blank else None,
            [
                element("option", {"value": value, "selected": value == chosen or None}, text)
                for value, text in options
            ],
        ),
    )


_PAGER_REACH = 3  # pages linked on either side of the current one


def _pager(path: str, state: Mapping[str, str], current: int, pages: int, lang: str) -> Html | None:
    """Links to the first and last page and those near the current one: a bounded pager however
    many pages there are (issue 18: 20,000 partnerships made 400 links)."""
    if pages == 1:
        return None
    near = range(max(1, current - _PAGER_REACH), min(pages, current + _PAGER_REACH) + 1)
    numbers = sorted({1, pages, *near})
    links = []
    for before, n in zip([0, *numbers], numbers, strict=False):
        if n - before > 1:
            links.append(element("li", {"class_": "gap", "aria-hidden": "true"}, "…"))
        links.append(
            element(
                "li",
                None,
                element(
                    "a",
                    {
                        "href": _href(path, {**state, "page": str(n)}),
                        "aria-current": "page" if n == current else None,
                        "aria-label": f"{message('page', lang)} {n}",
                    },
                    str(n),
                ),
            )
        )
    return element(
        "nav", {"class_": "pager", "aria-label": message("pages", lang)}, element("ul", None, links)
    )


def _href(path: str, params: Mapping[str, str]) -> str:
    return f"{path}?{urlencode(params)}" if params else path
