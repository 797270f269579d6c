"""The coverage views as markup: a goal-by-municipality table and a per-goal bar chart.

Both print legibly: numbers are written out, and assigned-only counts are set apart by a pattern
*and* by parentheses, so the distinction survives black-and-white printing.
"""

from __future__ import annotations

from collections.abc import Mapping

from sdgkg.web.components import record_link, sdg_badge
from sdgkg.web.coverage import GOALS, goal_iri, list_href
from sdgkg.web.graph import Described
from sdgkg.web.i18n import message
from sdgkg.web.markup import Html, element


def municipality_param(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def matrix_table(
    cells: Mapping[str, Mapping[str, Mapping[str, bool]]],
    described: Described,
    lang: str,
    base_iri: str,
) -> Html:
    """Rows are municipalities (by label), columns the 17 goals; each count links to its list."""
    municipalities = sorted(cells, key=lambda m: described.label(m, lang).casefold())
    head = element(
        "tr",
        None,
        element("th", {"scope": "col"}, message("municipality", lang)),
        [
            element(
                "th",
                {"scope": "col", "class_": "goal-col"},
                element(
                    "a",
                    {
                        "href": list_href(goal=g),
                        "title": described.label(goal_iri(base_iri, g), lang),
                    },
                    sdg_badge(g),
                    element(
                        "span",
                        {"class_": "visually-hidden"},
                        f" {message('goal', lang)} {g}: "
                        + described.label(goal_iri(base_iri, g), lang),
                    ),
                ),
            )
            for g in GOALS
        ],
    )
    rows = [
        element(
            "tr",
            None,
            element("th", {"scope": "row"}, record_link(m, described, lang, base_iri)),
            [_cell(cells[m].get(g, {}), m, g, described, lang) for g in GOALS],
        )
        for m in municipalities
    ]
    return element(
        "table",
        {"class_": "matrix"},
        element("caption", {"class_": "visually-hidden"}, message("matrix_title", lang)),
        element("thead", None, head),
        element("tbody", None, rows),
    )


def _cell(
    records: Mapping[str, bool], municipality: str, goal: str, described: Described, lang: str
) -> Html:
    if not records:
        return element("td", {"class_": "empty"})
    count = len(records)
    stated = any(records.values())
    how = message("stated" if stated else "assigned", lang)
    place = described.label(municipality, lang)
    return element(
        "td",
        {"class_": f"cell sdg-cell-{goal} " + ("stated" if stated else "assigned")},
        element(
            "a",
            {
                "href": list_href(goal, municipality_param(municipality)),
                "aria-label": f"{place}, {message('goal', lang)} {goal}: {count} ({how})",
                "data-goal": goal,
            },
            str(count) if stated else f"({count})",
        ),
    )


def bar_chart(
    per_goal: Mapping[str, tuple[int, int]], described: Described, lang: str, base_iri: str
) -> Html:
    """One link per goal, with the goal's full name, its bar and its numbers.

    HTML, not SVG: the names wrap instead of being cut, the chart narrows to a phone, and each
    link's name is its own text (no ``aria-label`` to disagree with what is seen, WCAG 2.5.3).
    The bar repeats the numbers written beside it, so its colours carry no information alone.
    """
    top = max((s + a for s, a in per_goal.values()), default=0) or 1
    items = [
        _goal_bar(goal, per_goal.get(goal, (0, 0)), top, described, lang, base_iri)
        for goal in GOALS
    ]
    return element("ol", {"class_": "bar-chart"}, items)


def _goal_bar(
    goal: str, counts: tuple[int, int], top: int, described: Described, lang: str, base_iri: str
) -> Html:
    """One goal's item: badge and name, the bar with its numbers, and the numbers said in words."""
    stated, assigned = counts
    value = f"{stated} + ({assigned})" if assigned else str(stated)
    spoken = (
        f": {stated + assigned}, {stated} {message('stated_short', lang)}, "
        f"{assigned} {message('assigned_short', lang)}"
    )
    name = element(
        "span",
        {"class_": "bar-name"},
        sdg_badge(goal),
        element("span", {"class_": "visually-hidden"}, f"{message('goal', lang)} {goal}: "),
        described.label(goal_iri(base_iri, goal), lang),
    )
    bar = element(
        "span",
        {"class_": "bar-track", "aria-hidden": "true"},
        _bar(stated, top, "stated"),
        _bar(assigned, top, "assigned"),
        element("span", {"class_": "bar-value"}, value),
    )
    hidden = element("span", {"class_": "visually-hidden"}, spoken)
    link = element("a", {"href": list_href(goal=goal)}, name, bar, hidden)
    return element("li", {"class_": f"sdg-{goal}"}, link)


def _bar(count: int, top: int, how: str) -> Html | None:
    """One segment of a goal's bar, as a share of the longest bar."""
    if not count:
        return None
    return element("span", {"class_": f"bar {how}", "style": f"width: {100 * count / top:.1f}%"})


def legend(lang: str) -> Html:
    return element(
        "p",
        {"class_": "legend"},
        element("span", {"class_": "swatch stated"}, "3"),
        " ",
        message("stated", lang),
        " ",
        element("span", {"class_": "swatch assigned"}, element("span", None, "(3)")),
        " ",
        message("assigned", lang),
    )
