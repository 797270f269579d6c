"""Danish and English: the page language, the interface's words, and one label-fallback rule.

The rule, used by every page and the search: the chosen language, then the other of da/en, then
any language (or none), then the IRI's local name. Keeping it in one function is the point: the
issue trackers of Skosmos and others show a decade of bugs from fallbacks that differ per page.
"""

from __future__ import annotations

from collections.abc import Iterable
from http.cookies import CookieError, SimpleCookie
from typing import TYPE_CHECKING

from sdgkg.labels import local_name as local_name
from sdgkg.labels import other_language as other_language
from sdgkg.labels import pick_label as pick_label

if TYPE_CHECKING:  # only a type: /sparql renders its front page without loading FastAPI
    from fastapi import Request

LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "en"
LANG_COOKIE = "sdgkg_lang"


def choose_language(request: Request) -> str:
    """``?lang=``, then the cookie the switch sets, then Accept-Language, then English."""
    return pick_language(
        request.query_params.get("lang"),
        request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language", ""),
    )


def language_from_headers(asked: str | None, cookie_header: str, accept_language: str) -> str:
    """``choose_language`` for a request that is not a Starlette one (``/sparql``'s page).

    >>> language_from_headers(None, "sdgkg_lang=da; other=1", "en")
    'da'
    """
    try:
        cookie = SimpleCookie(cookie_header).get(LANG_COOKIE)
    except CookieError:
        cookie = None
    return pick_language(asked, cookie.value if cookie else None, accept_language)


def pick_language(asked: str | None, cookie: str | None, accept_language: str) -> str:
    for candidate in (asked, cookie):
        if candidate in LANGUAGES:
            return candidate
    return language_from_accept(accept_language)


def language_from_accept(header: str) -> str:
    """The best of da/en in an Accept-Language header (RFC 9110 §12.5.4).

    >>> language_from_accept("nb;q=0.9, da;q=0.8, en;q=0.5")
    'da'
    >>> language_from_accept("fr")
    'en'
    """
    best, best_q = DEFAULT_LANGUAGE, 0.0
    for item in header.split(","):
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary in ("nb", "no", "nn", "sv"):  # Scandinavian readers read Danish best
            primary, weight = "da", 0.999
        else:
            weight = 1.0
        q = _quality(params) * weight
        if primary in LANGUAGES and q > best_q:
            best, best_q = primary, q
    return best


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def label_map(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``{lang: value}`` from ``(value, lang)`` pairs, keeping the first per language."""
    labels: dict[str, str] = {}
    for value, lang in pairs:
        labels.setdefault(lang.lower(), value)
    return labels


_MESSAGES: dict[str, tuple[str, str]] = {
    # key: (English, Danish)
    "site_title": ("Danish SDG partnerships", "Danske verdensmålspartnerskaber"),
    "site_tagline": (
        "A knowledge graph of Danish sustainability partnerships and the UN Sustainable "
        "Development Goals they work on.",
        "En vidensgraf over danske bæredygtighedspartnerskaber og de FN-verdensmål, "
        "de arbejder med.",
    ),
    "home": ("Home", "Forside"),
    "search": ("Search", "Søg"),
    "search_placeholder": (
        "Partner, partnership, municipality, SDG target …",
        "Partner, partnerskab, kommune, delmål …",
    ),
    "query_editor": ("Query editor", "Forespørgselseditor"),
    "coverage": ("SDG coverage", "Verdensmål i kommunerne"),
    "ontology": ("Ontology", "Ontologi"),
    "void": ("Dataset description (VoID)", "Datasætbeskrivelse (VoID)"),
    "dumps": ("Data dumps", "Hent alle data"),
    "sparql_endpoint": ("SPARQL endpoint", "SPARQL-endpoint"),
    "language": ("Language", "Sprog"),
    "skip": ("Skip to content", "Gå til indhold"),
    "in_graph": ("What the graph holds", "Hvad grafen indeholder"),
    "kind": ("Kind", "Type"),
    "count": ("Count", "Antal"),
    "triples": ("triples", "tripler"),
    "last_update": ("Last update", "Senest opdateret"),
    "licence": ("Licence", "Licens"),
    "curated_questions": ("Curated questions", "Udvalgte spørgsmål"),
    "curated_intro": (
        "Open a question in the query editor to see its SPARQL and run it.",
        "Åbn et spørgsmål i forespørgselseditoren for at se dets SPARQL og køre det.",
    ),
    "no_curated": (
        "No curated questions are bundled yet.",
        "Der er endnu ingen udvalgte spørgsmål.",
    ),
    "explore": ("Explore", "Udforsk"),
    "results_for": ("Results for", "Resultater for"),
    "no_results": ("Nothing found.", "Intet fundet."),
    "did_you_mean": ("Did you mean", "Mente du"),
    "pages": ("Pages", "Sider"),
    "previous_page": ("Previous", "Forrige"),
    "next_page": ("Next", "Næste"),
    "search_hint": (
        "Case and æ/ø/å or ae/oe/aa do not matter.",
        "Det er lige meget, om du skriver med store eller små bogstaver, og om du skriver æ/ø/å "
        "eller ae/oe/aa.",
    ),
    "properties": ("Properties", "Egenskaber"),
    "all_properties": ("Everything the graph says about it", "Alt, hvad grafen siger om den"),
    "working_on_goal": (
        "Partnerships and initiatives working on this goal or its targets",
        "Partnerskaber og initiativer, der arbejder med målet eller dets delmål",
    ),
    "through": ("through", "via"),
    "posts": ("Posts", "Stillinger"),
    "share_query": ("Share the query", "Del forespørgslen"),
    "run_query": ("Run the query", "Kør forespørgslen"),
    "page_size": ("Rows per page", "Rækker pr. side"),
    "query_results": ("Query results", "Forespørgslens resultater"),
    "query": ("SPARQL query", "SPARQL-forespørgsel"),
    "editor_keys": (
        "In the editor, Tab moves on to the next control; indent with the spaces you type.",
        "I editoren flytter Tab videre til næste felt; ryk ind med mellemrum.",
    ),
    "earlier_version": (
        "This is an earlier version of the ontology. Only the current version is published "
        "here; its page lists what changed since.",
        "Dette er en tidligere udgave af ontologien. Kun den gældende udgave udgives her; dens "
        "side beskriver, hvad der er ændret siden.",
    ),
    "current_version": ("The current version", "Den gældende udgave"),
    "api_docs": ("HTTP API", "HTTP-API"),
    "api_docs_intro": (
        "Every operation of the service, with its parameters, and a form to try it. The "
        "operations are described in English.",
        "Alle tjenestens operationer med deres parametre og en formular til at prøve dem. "
        "Operationerne er beskrevet på engelsk.",
    ),
    "error_not_found_title": ("Page not found", "Siden findes ikke"),
    "error_not_found_text": (
        "There is nothing at this address. It may be mistyped, or the record may have been "
        "removed. Try the search, or start again from the home page.",
        "Der er intet på denne adresse. Den kan være skrevet forkert, eller posten kan være "
        "fjernet. Prøv at søge, eller start forfra på forsiden.",
    ),
    "error_bad_request_title": ("The address cannot be used", "Adressen kan ikke bruges"),
    "error_bad_request_text": (
        "Part of the address is not valid, for example a goal number outside 1 to 17.",
        "En del af adressen er ikke gyldig, for eksempel et verdensmål uden for 1 til 17.",
    ),
    "error_preparing_title": ("Being prepared", "Under forberedelse"),
    "error_preparing_text": (
        "This page is being prepared from newly loaded data. Try again in a minute.",
        "Siden bliver forberedt ud fra nyindlæste data. Prøv igen om et minut.",
    ),
    "error_title": ("Something went wrong", "Noget gik galt"),
    "error_text": (
        "The service could not answer just now. Try again in a moment.",
        "Tjenesten kunne ikke svare lige nu. Prøv igen om lidt.",
    ),
    "error_detail": ("The precise reason", "Den præcise årsag"),
    "back_home": ("Back to the home page", "Tilbage til forsiden"),
    "all_of_kind": ("All records of the kind", "Alle poster af typen"),
    "records": ("records", "poster"),
    "download_csv": ("Download as CSV", "Hent som CSV"),
    "name": ("Name", "Navn"),
    "filter_goal": ("Goal", "Verdensmål"),
    "filter_municipality": ("Municipality", "Kommune"),
    "filter_kind": ("Kind", "Type"),
    "filter_domain": ("UNESCO domain", "UNESCO-område"),
    "sort_by": ("Sort by", "Sortér efter"),
    "apply_filters": ("Show", "Vis"),
    "any": ("any", "alle"),
    "page": ("Page", "Side"),
    "post": ("Post", "Stilling"),
    "organisation": ("Organisation", "Organisation"),
    "targets": ("Targets", "Delmål"),
    "target_text_en": (
        "The UN publishes the targets' text in English.",
        "FN udgiver delmålenes tekst på engelsk.",
    ),
    "property": ("Property", "Egenskab"),
    "value": ("Value", "Værdi"),
    "inbound": ("Records that point here", "Poster, der henviser hertil"),
    "members": ("Members and roles", "Medlemmer og roller"),
    "member": ("Member", "Medlem"),
    "role": ("Role", "Rolle"),
    "provenance": ("Sources", "Kilder"),
    "source": ("Source", "Kilde"),
    "line": ("line", "linje"),
    "lines": ("lines", "linjer"),
    "source_quotations": ("Quotations from the source", "Citater fra kilden"),
    "quotation": ("Quotation", "Citat"),
    "supports": ("Supports", "Belæg for"),
    "source_text_unpublished": (
        "The full text of this source is not published here, because its licence is not known. "
        "Each quotation below gives its line in the text.",
        "Kildens fulde tekst er ikke offentliggjort her, fordi vi ikke kender dens licens. "
        "Hvert citat nedenfor angiver sin linje i teksten.",
    ),
    "source_address": ("The source's own address:", "Kildens egen adresse:"),
    "partnerships": ("Partnerships", "Partnerskaber"),
    "key_phrase": ("Key phrase", "Nøgleudtryk"),
    "derived_from": ("Derived from", "Afledt af"),
    "sdg_goals": ("SDG goals and targets", "Verdensmål og delmål"),
    "stated": ("stated in the source", "nævnt i kilden"),
    "assigned": ("assigned by a curator", "tilføjet af en redaktør"),
    "stated_short": ("stated", "nævnt"),
    "assigned_short": ("assigned", "tilføjet"),
    "formats": ("This resource as data", "Denne ressource som data"),
    "iri": ("IRI", "IRI"),
    "goals_of_partner": ("Goals this partner works on", "Verdensmål, partneren arbejder med"),
    "via": ("Through partnerships", "Gennem partnerskaber"),
    "matrix_title": ("Goals by municipality", "Verdensmål pr. kommune"),
    "matrix_intro": (
        "Each cell counts the partnerships and initiatives in a municipality that address a goal. "
        "Solid cells include goals stated in the source; hatched cells hold only curator-assigned "
        "goals. Open a cell for the list behind it.",
        "Hver celle viser, hvor mange partnerskaber og initiativer i en kommune der arbejder "
        "med et verdensmål. "
        "Udfyldte celler omfatter mål, som kilden selv nævner; skraverede celler har kun mål, som "
        "en redaktør har tilføjet. Åbn en celle for at se listen bag den.",
    ),
    "bars_title": ("Partnerships and initiatives per goal", "Partnerskaber og initiativer pr. mål"),
    "partners_title": ("Goals per partner", "Verdensmål pr. partner"),
    "municipality": ("Municipality", "Kommune"),
    "goal": ("Goal", "Verdensmål"),
    "no_coverage": (
        "No partnership or initiative addresses an SDG in the loaded data yet.",
        "Ingen partnerskaber eller initiativer arbejder endnu med et verdensmål i de indlæste "
        "data.",
    ),
    "list_title": ("Partnerships and initiatives", "Partnerskaber og initiativer"),
    "all_municipalities": ("all municipalities", "alle kommuner"),
    "how": ("How", "Hvordan"),
    "editor_intro": (
        "Write SPARQL against this graph, or pick a curated question. The link in the address bar "
        "shares the query.",
        "Skriv SPARQL mod grafen, eller vælg et udvalgt spørgsmål. Linket i adresselinjen deler "
        "forespørgslen.",
    ),
    "examples": ("Examples", "Eksempler"),
    "needs_js": (
        "The editor needs JavaScript. Without it, send queries to the SPARQL endpoint directly:",
        "Editoren kræver JavaScript. Uden det kan du sende forespørgsler direkte til "
        "SPARQL-endpointet:",
    ),
    "not_found": ("Not found", "Ikke fundet"),
    "more": ("more", "flere"),
    "shown_first": ("Showing the first", "Viser de første"),
    "endpoint_title": ("SPARQL endpoint", "SPARQL-endpoint"),
    "endpoint": ("Endpoint", "Endpoint"),
    "run": ("Run", "Kør"),
    "format": ("Format", "Format"),
    "named_graphs": ("Named graphs", "Navngivne grafer"),
    "machine_readable": ("Machine-readable description", "Maskinlæsbar beskrivelse"),
    "file": ("File", "Fil"),
    "bytes": ("Bytes", "Bytes"),
    "contents": ("Contents", "Indhold"),
    "classes": ("Classes", "Klasser"),
    "object_properties": ("Object properties", "Objektegenskaber"),
    "datatype_properties": ("Datatype properties", "Datatypeegenskaber"),
    "annotation_properties": ("Annotation properties", "Annotationsegenskaber"),
    "model_diagram": (
        "The model: classes as boxes, subclasses by open triangles, properties as arrows from "
        "domain to range. Open the figure for full size.",
        "Modellen: klasser som kasser, underklasser med åbne trekanter, egenskaber som pile fra "
        "domæne til værdiområde. Åbn figuren i fuld størrelse.",
    ),
    "model_diagram_alt": (
        "Diagram of the sdgkg ontology's classes and the properties between them",
        "Diagram over sdgkg-ontologiens klasser og egenskaberne mellem dem",
    ),
    "union_note": (
        "The default graph is the union of all named graphs: a query without FROM or GRAPH sees "
        "every loaded file at once. Each loaded file is also its own named graph; use GRAPH, "
        "FROM / FROM NAMED, or the default-graph-uri / named-graph-uri parameters to query some "
        "of them.",
        "Standardgrafen er foreningen af alle navngivne grafer: en forespørgsel uden FROM eller "
        "GRAPH ser alle indlæste filer på én gang. Hver indlæst fil er også sin egen navngivne "
        "graf; brug GRAPH, FROM / FROM NAMED eller parametrene default-graph-uri / "
        "named-graph-uri for kun at spørge nogle af dem.",
    ),
    # The check page (issue 17)
    "check": ("Check records", "Tjek poster"),
    "check_intro": (
        "Paste or upload new records as Turtle, or a sheet in the CSV template of sdgkg import. "
        "They are checked against the shapes and the live graph, as sdgkg validate "
        "--against-store does. Nothing is saved.",
        "Indsæt eller upload nye poster som Turtle eller et regneark i CSV-skabelonen til "
        "sdgkg import. De tjekkes mod formerne og den aktuelle graf, som sdgkg validate "
        "--against-store gør. Intet bliver gemt.",
    ),
    "check_paste": ("Paste Turtle or CSV", "Indsæt Turtle eller CSV"),
    "check_file": ("… or choose a file (.ttl or .csv)", "… eller vælg en fil (.ttl eller .csv)"),
    "check_submit": ("Check", "Tjek"),
    "check_template": ("The CSV template", "CSV-skabelonen"),
    "check_ok": ("No problems: the records conform.", "Ingen problemer: posterne er i orden."),
    "check_problems": ("Problems to fix", "Problemer, der skal rettes"),
    "check_records_n": ("records checked", "poster tjekket"),
    "check_where": ("Where", "Hvor"),
    "check_record": ("Record", "Post"),
    "check_fix": ("What to fix", "Hvad skal rettes"),
    "check_shape": ("Shape", "Form"),
    "check_row": ("row", "række"),
    "check_column": ("column", "kolonne"),
    "check_links": ("Existing records it links to", "Eksisterende poster, den henviser til"),
    "check_unresolved": ("Names not found in the graph", "Navne, der ikke findes i grafen"),
    "check_candidates": ("Did you mean", "Mente du"),
    "check_no_candidates": ("no close name", "intet lignende navn"),
    "check_download": ("Download the Turtle this CSV became", "Hent den Turtle, CSV'en blev til"),
    "check_error": ("The file could not be checked", "Filen kunne ikke tjekkes"),
    "check_messages_en": (
        "The problems are described in English.",
        "Problemerne beskrives på engelsk.",
    ),
    # A record in sentences (web/summary.py): markup templates, {…} filled in escaped.
    "summary_kind_in": ("{kind} in {places}.", "{kind} i {places}."),
    "summary_kind": ("{kind}.", "{kind}."),
    "summary_from_to": ("From {start} to {end}.", "Fra {start} til {end}."),
    "summary_since": ("Since {start}.", "Siden {start}."),
    "summary_on": ("On {start}.", "Den {start}."),
    "summary_members": ("Members: {members}.", "Medlemmer: {members}."),
    "summary_goals": (
        "Works on {total} goals and targets: {how}.",
        "Arbejder med {total} verdensmål og delmål: {how}.",
    ),
    "summary_goal": (
        "Works on one goal or target: {how}.",
        "Arbejder med ét verdensmål eller delmål: {how}.",
    ),
    "summary_stated": ("{count} stated in the source", "{count} nævnt i kilden"),
    "summary_assigned": ("{count} assigned by a curator", "{count} tilføjet af en redaktør"),
    "summary_all_stated": ("all stated in the source", "alle nævnt i kilden"),
    "summary_all_assigned": ("all assigned by a curator", "alle tilføjet af en redaktør"),
    "summary_one_stated": ("stated in the source", "nævnt i kilden"),
    "summary_one_assigned": ("assigned by a curator", "tilføjet af en redaktør"),
    "summary_run_by": ("Run by {who}.", "Drives af {who}."),
    "summary_sources": (
        "Based on {passages} passages in {sources} sources.",
        "Bygger på {passages} tekststeder i {sources} kilder.",
    ),
    "summary_source": (
        "Based on {passages} passages in one source.",
        "Bygger på {passages} tekststeder i én kilde.",
    ),
    "summary_passage": (
        "Based on one passage of its source.",
        "Bygger på ét tekststed i sin kilde.",
    ),
    # What points at the record, said from its side: "Speaker at …", "Oplægsholder ved …".
    "summary_by_speaker": ("Speaker at {records}.", "Oplægsholder ved {records}."),
    "summary_by_facilitator": ("Facilitator at {records}.", "Facilitator ved {records}."),
    "summary_by_participant": ("Takes part in {records}.", "Deltager i {records}."),
    "summary_by_involvesPerson": ("Involved in {records}.", "Involveret i {records}."),
    "summary_by_contactPerson": ("Contact person for {records}.", "Kontaktperson for {records}."),
    "summary_by_spokesperson": ("Spokesperson for {records}.", "Talsperson for {records}."),
    "summary_by_runBy": ("Runs {records}.", "Driver {records}."),
    "summary_by_municipality": (
        "Partnerships and initiatives here: {records}.",
        "Partnerskaber og initiativer her: {records}.",
    ),
    "summary_by_location": ("Held here: {records}.", "Holdt her: {records}."),
    "summary_more": ("{shown} and {more} more", "{shown} og {more} flere"),
}


def message(key: str, lang: str) -> str:
    english, danish = _MESSAGES[key]
    return danish if lang == "da" else english


_MONTHS = {
    "da": [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


def format_number(value: int | float, lang: str) -> str:
    """A number as a reader of ``lang`` writes it: 11.214 and 2,5 in Danish, 11,214 and 2.5 in
    English.

    >>> format_number(11214, "da"), format_number(2.5, "da"), format_number(5000000, "en")
    ('11.214', '2,5', '5,000,000')
    """
    english = f"{value:,}" if isinstance(value, int) else f"{value:,.10g}"
    if isinstance(value, float) and value >= 1000:
        english = f"{value:,.2f}".rstrip("0").rstrip(".")
    if lang != "da":
        return english
    return english.translate(str.maketrans(",.", ".,"))


def format_date(value: str, lang: str) -> str:
    """An ISO date at the precision it was recorded: a year, a month or a day.

    >>> format_date("2013", "da"), format_date("2016-07", "da"), format_date("2022-05-17", "da")
    ('2013', 'juli 2016', '17. maj 2022')
    >>> format_date("2022-05-17", "en")
    '17 May 2022'
    """
    parts = value.split("-")
    if not all(p.isdigit() for p in parts) or not 1 <= len(parts) <= 3:
        return value
    year = parts[0]
    if len(parts) == 1:
        return year
    month_number = int(parts[1])
    if not 1 <= month_number <= 12:
        return value
    month = _MONTHS["da" if lang == "da" else "en"][month_number - 1]
    if len(parts) == 2:
        return f"{month} {year}"
    day = int(parts[2])
    return f"{day}. {month} {year}" if lang == "da" else f"{day} {month} {year}"
