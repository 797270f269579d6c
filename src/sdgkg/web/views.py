"""The pages of the site, each a function from what it shows to an HTML document.

No HTTP here: ``router.py`` reads the request, calls one of these, and sends the result.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from urllib.parse import urlencode

from sdgkg.queries import CuratedQuery
from sdgkg.store.base import GraphStore
from sdgkg.web import charts
from sdgkg.web.browse import LIST_PATHS
from sdgkg.web.components import PAGE_ROWS, pages_nav, record_link, sdg_badge
from sdgkg.web.coverage import Coverage, CoverageChoice, PartnerRow, goal_iri, list_href
from sdgkg.web.editor import prefer_language, yasgui_words
from sdgkg.web.graph import Described, describe_iris
from sdgkg.web.i18n import format_number, message, other_language
from sdgkg.web.layout import PageContext, asset, page, scroll_region, search_form, section
from sdgkg.web.markup import Html, element, join
from sdgkg.web.search import GROUPS, Hit, LabelIndex, Results
from sdgkg.web.state import COUNTED_CLASSES, GraphCounts

SCRIPT_CLOSE_GUARD = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def question(query: CuratedQuery, lang: str) -> tuple[str, str]:
    """The question in ``lang``, else the other language, else the file name; and its language."""
    texts = {"en": query.question_en, "da": query.question_da}
    for code in (lang, other_language(lang)):
        if texts[code]:
            return texts[code], code
    return query.name, "en"


def editor_href(query: CuratedQuery) -> str:
    return f"/query?cq={query.number}"


def home_page(
    context: PageContext,
    counts: GraphCounts,
    class_labels: Mapping[str, str],
    curated: Sequence[CuratedQuery],
    modified: datetime | None,
    licence: str,
) -> str:
    lang = context.lang
    rows = [
        element(
            "tr",
            None,
            element(
                "th",
                {"scope": "row"},
                element("a", {"href": LIST_PATHS[name]}, class_labels.get(name, name))
                if name in LIST_PATHS
                else class_labels.get(name, name),
            ),
            element("td", {"class_": "num"}, format_number(counts.classes.get(name, 0), lang)),
        )
        for name in COUNTED_CLASSES
    ]
    facts = element(
        "dl",
        {"class_": "facts"},
        element("dt", None, message("triples", lang).capitalize()),
        element("dd", None, format_number(counts.triples, lang)),
        element("dt", None, message("last_update", lang)),
        element(
            "dd",
            None,
            element(
                "time", {"datetime": modified.isoformat()}, modified.strftime("%Y-%m-%d %H:%M UTC")
            )
            if modified
            else "—",
        ),
        element("dt", None, message("licence", lang)),
        element(
            "dd",
            None,
            element("a", {"href": licence, "rel": "license", "class_": "url"}, licence),
        ),
    )
    holdings = element(
        "table",
        {"class_": "counts"},
        element(
            "thead",
            None,
            element(
                "tr",
                None,
                element("th", {"scope": "col"}, message("kind", lang)),
                element("th", {"scope": "col"}, message("count", lang)),
            ),
        ),
        element("tbody", None, rows),
    )
    questions = [
        element(
            "li",
            None,
            element(
                "a",
                {"href": editor_href(q), "class_": "curated"},
                element("span", {"class_": "cq"}, q.number),
                " ",
                element("span", {"lang": question(q, lang)[1]}, question(q, lang)[0]),
            ),
        )
        for q in curated
    ]
    explore = [
        ("/query", message("query_editor", lang)),
        ("/coverage", message("coverage", lang)),
        ("/coverage/partners", message("partners_title", lang)),
        ("/ontology", message("ontology", lang)),
        ("/.well-known/void", message("void", lang)),
        ("/dumps/", message("dumps", lang)),
        ("/sparql", message("sparql_endpoint", lang)),
    ]
    body = [
        element("h1", None, message("site_title", lang)),
        element("p", {"class_": "lead"}, message("site_tagline", lang)),
        search_form(lang),
        element(
            "div",
            {"class_": "columns"},
            section(message("in_graph", lang), holdings, facts, id_="holdings"),
            section(
                message("explore", lang),
                element(
                    "ul",
                    {"class_": "explore"},
                    [element("li", None, element("a", {"href": h}, t)) for h, t in explore],
                ),
                id_="explore",
            ),
        ),
        section(
            message("curated_questions", lang),
            element("p", None, message("curated_intro", lang)),
            element("ol", {"class_": "questions"}, questions)
            if questions
            else element("p", None, message("no_curated", lang)),
            id_="questions",
        ),
    ]
    return page(context, message("home", lang), body)


SEARCH_PAGE = 50  # hits a page of search results shows


def search_page(
    context: PageContext, index: LabelIndex, query: str, base_iri: str, page_number: int = 1
) -> str:
    """Page ``page_number`` of the hits, best first (SEARCH_PAGE a page), grouped by kind."""
    lang = context.lang
    wanted = page_number * SEARCH_PAGE + 1  # one more than shown: there is a next page
    found = index.lookup(query, limit=wanted) if query else Results([])
    more = len(found.hits) == wanted
    hits = found.hits[(page_number - 1) * SEARCH_PAGE : page_number * SEARCH_PAGE]
    grouped: dict[str, list[Html]] = defaultdict(list)
    for hit in hits:
        entry = hit.entry
        number = (
            entry.notation.split(".")[0]
            if entry.group in ("Goal", "Target") and entry.notation
            else None
        )
        label = hit.label(lang)
        shown = (
            f"{entry.notation} {label}" if entry.notation and entry.notation not in label else label
        )
        grouped[entry.group].append(
            element(
                "li",
                None,
                element(
                    "a",
                    {
                        "href": "/" + entry.iri[len(base_iri) :]
                        if entry.iri.startswith(base_iri)
                        else entry.iri
                    },
                    sdg_badge(number) if number else None,
                    element("span", None, shown),
                ),
                _hit_text(hit, lang) if entry.group == "Target" else None,
            )
        )
    sections = [
        element(
            "section",
            {"class_": "hits", "aria-labelledby": f"g-{group}"},
            element(
                "h2",
                {"id": f"g-{group}"},
                index.group_label(group, lang).capitalize(),
                element("span", {"class_": "n"}, f" ({len(grouped[group])})"),
            ),
            element("ul", None, grouped[group]),
        )
        for group in GROUPS
        if group in grouped
    ]
    heading = f"{message('results_for', lang)} “{query}”" if query else message("search", lang)
    body = [
        element("h1", None, heading),
        search_form(lang, value=query),
        element("p", {"class_": "hint"}, message("search_hint", lang)),
        _did_you_mean(found.did_you_mean, lang),
        sections
        if sections
        else (element("p", {"class_": "none"}, message("no_results", lang)) if query else None),
        pages_nav(
            "/search?" + urlencode({"q": query}) + "&page=",
            page_number,
            None if more else len(found.hits),
            SEARCH_PAGE,
            lang,
        )
        if query
        else None,
    ]
    return page(context, heading, body)


def _did_you_mean(respelt: str | None, lang: str) -> Html | None:
    """Shown above the hits of a query spelt again from the index's words."""
    if respelt is None:
        return None
    link = element("a", {"href": "/search?" + urlencode({"q": respelt})}, respelt)
    return element("p", {"class_": "did-you-mean"}, message("did_you_mean", lang), " ", link, "?")


def _hit_text(hit: Hit, lang: str) -> Html | None:
    """A target's text, as the goal pages show it: the hit says what the target is."""
    text = hit.text(lang)
    if text is None:
        return None
    lang_attr = {} if lang in hit.entry.texts else {"lang": next(iter(hit.entry.texts), "en")}
    return element("p", {"class_": "hit-text", **lang_attr}, text)


def editor_page(
    context: PageContext,
    curated: Sequence[CuratedQuery],
    prefixes: Mapping[str, str],
    initial: CuratedQuery | None,
    query_text: str,
    base_iri: str,
) -> str:
    lang = context.lang
    prefix_block = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes.items())
    default_query = (
        prefix_block
        + "\nSELECT ?partnership ?label WHERE {\n  ?partnership a sdgkg:Partnership ;\n"
        '    rdfs:label ?label .\n  FILTER(LANG(?label) = "' + lang + '")\n}\nLIMIT 25\n'
    )
    config = {
        "endpoint": "/sparql",
        "base": base_iri,
        "prefixes": prefixes,
        "defaultQuery": default_query,
        "initial": initial.number if initial else None,
        "examples": {q.number: prefer_language(q.text, lang) for q in curated},
        "labels": {
            "query": message("query", lang),
            "endpoint": message("endpoint", lang),
            "share": message("share_query", lang),
            "run": message("run_query", lang),
            "pageSize": message("page_size", lang),
            "results": message("query_results", lang),
        },
        "words": yasgui_words(lang),
    }
    data = json.dumps(config, ensure_ascii=False).translate(SCRIPT_CLOSE_GUARD)
    examples = [
        element(
            "li",
            None,
            element(
                "a",
                {
                    "href": editor_href(q),
                    "class_": "example",
                    "data-cq": q.number,
                    "aria-current": "true" if initial and initial.number == q.number else None,
                },
                element("span", {"class_": "cq"}, q.number),
                " ",
                element("span", {"lang": question(q, lang)[1]}, question(q, lang)[0]),
            ),
        )
        for q in curated
    ]
    shown = prefer_language(initial.text, lang) if initial else (query_text or default_query)
    body = [
        element("h1", None, message("query_editor", lang)),
        element("p", None, message("editor_intro", lang)),
        element("p", {"class_": "hint"}, message("editor_keys", lang)),
        element(
            "div",
            {"class_": "editor-layout"},
            element(
                "div",
                {"class_": "editor-main"},
                element("div", {"id": "yasgui"}),
                element(
                    "p",
                    {"class_": "downloads", "id": "downloads", "hidden": True},
                    element(
                        "a", {"id": "download-csv", "href": "#", "download": "results.csv"}, "CSV"
                    ),
                    " · ",
                    element(
                        "a",
                        {"id": "download-json", "href": "#", "download": "results.json"},
                        "JSON",
                    ),
                ),
                element(
                    "noscript",
                    None,
                    element("p", None, message("needs_js", lang)),
                    element(
                        "form",
                        {"action": "/sparql", "method": "get"},
                        element("label", {"for": "nojs-query"}, "SPARQL"),
                        element(
                            "textarea", {"id": "nojs-query", "name": "query", "rows": 14}, shown
                        ),
                        element("button", {"type": "submit"}, message("run", lang)),
                    ),
                ),
            ),
            element(
                "nav",
                {"class_": "examples", "aria-labelledby": "examples-h"},
                element("h2", {"id": "examples-h"}, message("examples", lang)),
                element("ol", None, examples),
            ),
        ),
        Html('<script type="application/json" id="editor-config">' + data + "</script>"),
    ]
    return page(
        context,
        message("query_editor", lang),
        body,
        scripts=(asset("vendor/yasgui/yasgui.min.js"), asset("editor.js")),
        styles=(asset("vendor/yasgui/yasgui.min.css"),),
    )


def coverage_page(context: PageContext, coverage: Coverage, base_iri: str) -> str:
    """The table and the bars from the aggregate built in the background: no query per request."""
    lang = context.lang
    cells = coverage.matrix
    described = coverage.described
    if not coverage.links:
        empty = [
            element("h1", None, message("coverage", lang)),
            element("p", None, message("no_coverage", lang)),
        ]
        return page(context, message("coverage", lang), empty)
    body = [
        element("h1", None, message("coverage", lang)),
        section(
            message("bars_title", lang),
            charts.legend(lang),
            element("figure", None, charts.bar_chart(coverage.per_goal, described, lang, base_iri)),
            id_="bars",
        ),
        section(
            message("matrix_title", lang),
            element("p", None, message("matrix_intro", lang)),
            charts.legend(lang),
            scroll_region(
                message("matrix_title", lang), charts.matrix_table(cells, described, lang, base_iri)
            ),
            element(
                "p",
                None,
                element("a", {"href": "/coverage/partners"}, message("partners_title", lang)),
            ),
            id_="matrix",
        ),
    ]
    return page(context, message("coverage", lang), body)


def coverage_list_page(
    context: PageContext,
    coverage: Coverage,
    base_iri: str,
    chosen: CoverageChoice,
    page_number: int = 1,
) -> str:
    """One page (PAGE_ROWS records) of the records behind a number of the coverage table; the
    labels come with the aggregate, so a page costs its own rows at any size."""
    lang = context.lang
    goal, municipality, how = chosen
    ordered = coverage.listed(chosen, lang)
    described = coverage.described
    criteria: list[Html | str] = []
    if goal:
        criteria.append(record_link(goal_iri(base_iri, goal), described, lang, base_iri))
    criteria.append(
        record_link(municipality, described, lang, base_iri)
        if municipality
        else message("all_municipalities", lang)
    )
    shown = ordered[(page_number - 1) * PAGE_ROWS : page_number * PAGE_ROWS]
    items = [_listed_record(record, stated, described, lang, base_iri) for record, stated in shown]
    here = list_href(goal, municipality and charts.municipality_param(municipality), how)
    pager = pages_nav(
        here + ("&" if "?" in here else "?") + "page=", page_number, len(ordered), PAGE_ROWS, lang
    )
    title = message("list_title", lang)
    body = [
        element("h1", None, title),
        element("p", {"class_": "criteria"}, join(criteria, " · ")),
        element("ul", {"class_": "record-list"}, items)
        if items
        else element("p", None, message("no_results", lang)),
        pager,
        element("p", None, element("a", {"href": "/coverage"}, "← " + message("coverage", lang))),
    ]
    return page(context, title, body)


def _listed_record(
    record: str, stated: bool, described: Described, lang: str, base_iri: str
) -> Html:
    kinds = sorted(
        described.label(k, lang) for k in described.kinds.get(record, ()) if k.startswith(base_iri)
    )
    return element(
        "li",
        None,
        record_link(record, described, lang, base_iri),
        " ",
        element("small", {"class_": "kind"}, join(kinds, " · ")),
        " ",
        element(
            "span",
            {"class_": "how " + ("stated" if stated else "assigned")},
            message("stated_short" if stated else "assigned_short", lang),
        ),
    )


def partners_page(
    context: PageContext,
    store: GraphStore,
    rows: Sequence[PartnerRow],
    base_iri: str,
    page_number: int = 1,
) -> str:
    """One page of the partners table: the rows are ordered in the background, so a page costs
    the labels of its own rows, however many partners there are."""
    lang = context.lang
    shown = rows[(page_number - 1) * PAGE_ROWS : page_number * PAGE_ROWS]
    described = describe_iris(store, [row.partner for row in shown])
    body_rows = [
        element(
            "tr",
            None,
            element("th", {"scope": "row"}, record_link(row.partner, described, lang, base_iri)),
            element("td", {"class_": "num"}, str(row.partnerships)),
            element("td", None, goal_badges(row.goals, lang)),
        )
        for row in shown
    ]
    title = message("partners_title", lang)
    table = element(
        "table",
        {"class_": "partners"},
        element(
            "thead",
            None,
            element(
                "tr",
                None,
                element("th", {"scope": "col"}, message("member", lang)),
                element("th", {"scope": "col"}, message("partnerships", lang)),
                element("th", {"scope": "col"}, message("sdg_goals", lang)),
            ),
        ),
        element("tbody", None, body_rows),
    )
    pager = pages_nav("/coverage/partners?page=", page_number, len(rows), PAGE_ROWS, lang)
    body = [element("h1", None, title), charts.legend(lang), scroll_region(title, table), pager]
    return page(context, title, body)


def goal_badges(goals: Mapping[str, bool], lang: str) -> Html:
    ordered = sorted(goals, key=int)
    return element(
        "ul",
        {"class_": "badges"},
        [
            element(
                "li",
                None,
                element(
                    "a",
                    {
                        "href": list_href(goal=g),
                        "title": f"{message('goal', lang)} {g} "
                        f"({_how(goals[g], lang, short=False)})",
                    },
                    sdg_badge(g, assigned=not goals[g]),
                    element(
                        "span",
                        {"class_": "visually-hidden"},
                        f"{message('goal', lang)} {g} ({_how(goals[g], lang)})",
                    ),
                ),
            )
            for g in ordered
        ],
    )


def _how(stated: bool, lang: str, *, short: bool = True) -> str:
    key = "stated" if stated else "assigned"
    return message(f"{key}_short" if short else key, lang)


def api_docs_page(context: PageContext, openapi_url: str) -> str:
    """The HTTP API's documentation: Swagger UI, which speaks English, marked so."""
    lang = context.lang
    title = message("api_docs", lang)
    body = [
        element("h1", None, title),
        element("p", None, message("api_docs_intro", lang)),
        element("div", {"id": "swagger-ui", "lang": "en", "data-openapi": openapi_url}),
        element("p", None, element("a", {"href": openapi_url}, "OpenAPI (JSON)")),
    ]
    return page(
        context,
        title,
        body,
        scripts=(asset("vendor/swagger-ui/swagger-ui-bundle.js"), asset("docs.js")),
        styles=(asset("vendor/swagger-ui/swagger-ui.css"),),
    )


def ontology_version_page(context: PageContext, version: str, current: str | None) -> str:
    """An earlier version of the ontology: not served, but named, with the way to the current."""
    lang = context.lang
    title = f"{message('ontology', lang)} {version}"
    body = [
        element("h1", None, title),
        element("p", None, message("earlier_version", lang)),
        element(
            "p",
            None,
            element(
                "a",
                {"href": "/ontology"},
                f"{message('current_version', lang)}{f' ({current})' if current else ''}",
            ),
        ),
    ]
    return page(context, title, body)
