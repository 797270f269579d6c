"""A list page per kind of record (``/id/partnership``, ``/id/partner`` …): paged, sortable,
filterable by goal, municipality, kind and UNESCO domain, and downloadable as CSV.

One query reads every record of the kind with the facts the filters need; filtering, sorting and
paging happen here, so the page costs two queries (records, then their labels) at any filter.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from sdgkg.store.base import GraphStore
from sdgkg.web.components import record_link, sdg_badge
from sdgkg.web.coverage import GOALS
from sdgkg.web.graph import PREFIXES, Described, describe_iris, ontology_prefix, solutions
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


def read_listing(store: GraphStore, base_iri: str, kind: str) -> list[Listed]:
    """Every record of ``kind`` (a key of ``BROWSABLE``), subclasses included."""
    query = (
        PREFIXES
        + ontology_prefix(base_iri)
        + f"""SELECT ?x ?type ?m ?number ?stated ?domain WHERE {{
  ?x a/rdfs:subClassOf* sdgkg:{BROWSABLE[kind]} .
  OPTIONAL {{ ?x a ?type FILTER(STRSTARTS(STR(?type), "{base_iri}ontology#")) }}
  OPTIONAL {{ ?x sdgkg:municipality ?m }}
  OPTIONAL {{
    {{ ?x sdgkg:statedSDG ?c BIND(true AS ?stated) }}
    UNION {{ ?x sdgkg:assignedSDG ?c BIND(false AS ?stated) }}
    ?c skos:broader* ?g . ?g a sdgkg:Goal ; skos:notation ?number .
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
            record.goals[number] = record.goals.get(number, False) or row["stated"].value == "true"
        if row["domain"] is not None:
            record.domains.add(row["domain"].value)
    return list(found.values())


def select(
    store: GraphStore,
    base_iri: str,
    kind: str,
    records: Sequence[Listed],
    chosen: Mapping[str, str],
    sort: str,
) -> Listing:
    """The records matching every chosen filter, sorted, with labels for all they show."""
    options = {
        "goal": sorted({g for r in records for g in r.goals}, key=int),
        "municipality": sorted({m for r in records for m in r.municipalities}),
        "kind": sorted({k for r in records for k in r.kinds}),
        "domain": sorted({d for r in records for d in r.domains}),
    }
    kept = [r for r in records if _matches(r, chosen)]
    shown = {r.iri for r in kept} | {x for f in FILTERS[1:] for x in options[f]}
    shown |= {f"{base_iri}id/goal/{g}" for g in GOALS} | {f"{base_iri}ontology#{BROWSABLE[kind]}"}
    shown |= {x for r in kept for x in (*r.kinds, *r.municipalities)}
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
    kept.sort(key=keys.get(sort, keys["name"]))
    return Listing(kind, kept, described, options)


def _matches(record: Listed, chosen: Mapping[str, str]) -> bool:
    tests = {
        "goal": lambda v: v in record.goals,
        "municipality": lambda v: v in record.municipalities,
        "kind": lambda v: v in record.kinds,
        "domain": lambda v: v in record.domains,
    }
    return all(tests[name](value) for name, value in chosen.items() if name in tests and value)


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


def _pager(path: str, state: Mapping[str, str], current: int, pages: int, lang: str) -> Html | None:
    if pages == 1:
        return None
    links = [
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
        for n in range(1, pages + 1)
    ]
    return element(
        "nav", {"class_": "pager", "aria-label": message("pages", lang)}, element("ul", None, links)
    )


def _href(path: str, params: Mapping[str, str]) -> str:
    return f"{path}?{urlencode(params)}" if params else path
