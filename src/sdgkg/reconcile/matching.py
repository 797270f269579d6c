"""Candidates for one reconciliation query, scored 0-100, with a match decision.

A name scores 100 when a folded form of it equals a folded form of a label (or its SDG number,
kommunekode, IRI, Wikidata or UN SDG IRI names the record), 90 for an abbreviation, and
otherwise rapidfuzz's token-sort ratio against the closest label, capped at 99. Property
conditions average in: 100 if a value agrees, 0 if the record has values and none agrees, 50 if
it has none. ``match`` is true only when the best candidate is near certain and clearly ahead:
what OpenRefine users expect of Wikidata's service, where a true match is never reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz

from sdgkg.names import core_name, fold_words, name_keys, read_notation
from sdgkg.reconcile.index import ReconcileIndex, Record
from sdgkg.reconcile.normalise import canonical_outside_iri, outside_identifier

EXACT = 100.0
ABBREVIATION = 90.0
MATCH_AT = 95.0  # the score a match needs ...
MATCH_LEAD = 10.0  # ... and its lead over the runner-up
_FUZZY_FLOOR = 50.0  # weaker name likenesses are not candidates
_FUZZY_CAP = 99.0
_POOL = 300  # records compared per query at most, taken from the rarest words first
_UNKNOWN_VALUE = 50.0

MatchType = Literal["name", "id", "property"]


@dataclass(frozen=True)
class Condition:
    """One condition of a query (the 1.0 draft's term; 0.2's query and properties map onto it)."""

    kind: MatchType
    values: tuple[str, ...]  # names, IRIs, or property values (IRIs or texts)
    property_id: str = ""
    required: bool = False
    quantifier: Literal["any", "all", "none"] = "any"


@dataclass(frozen=True)
class Query:
    types: tuple[str, ...]  # catalogue type names; empty = any
    conditions: tuple[Condition, ...]
    limit: int = 10


@dataclass
class Candidate:
    record: Record
    name_score: float
    score: float = 0.0
    features: dict[str, float] = field(default_factory=dict)
    match: bool = False


def reconcile(index: ReconcileIndex, query: Query) -> list[Candidate]:
    """The query's candidates, best first, at most ``query.limit``."""
    pool = _name_pool(index, query)
    candidates = []
    for iri, name_score in pool.items():
        candidate = _with_properties(index, Candidate(index.records[iri], name_score), query)
        if candidate is not None:
            candidates.append(candidate)
    candidates.sort(key=lambda c: (-c.score, -c.name_score, c.record.iri))
    _decide(candidates, query)
    return candidates[: query.limit]


def _name_pool(index: ReconcileIndex, query: Query) -> dict[str, float]:
    """Records the name and id conditions point at; every record of the type if there are none."""
    named = [c for c in query.conditions if c.kind in ("name", "id")]
    if not _names_given(query):
        wanted = set(query.types)
        return {iri: 0.0 for iri, r in index.records.items() if not wanted or r.types & wanted}
    pool: dict[str, float] = {}
    for condition in named:
        for value in condition.values:
            scores = _id_scores(index, value) if condition.kind == "id" else {}
            scores = _of_types(index, scores, query.types) or name_scores(index, value, query.types)
            for iri, score in scores.items():
                pool[iri] = max(pool.get(iri, 0.0), score)
    return pool


def _id_scores(index: ReconcileIndex, value: str) -> dict[str, float]:
    text = value.strip()
    if text in index.records:
        return {text: EXACT}
    return dict.fromkeys(index.by_outside.get(canonical_outside_iri(text), ()), EXACT)


def name_scores(index: ReconcileIndex, text: str, types: tuple[str, ...] = ()) -> dict[str, float]:
    """Every record of the types (any if none) a cell's text may name, scored 0-100.

    An exact form (IRI, outside IRI, SDG number, code or folded label) ends the search: fuzzy
    candidates would only crowd a certain answer.
    """
    exact = _of_types(index, _exact_scores(index, text), types)
    if exact:
        return exact
    abbreviated = dict.fromkeys(index.by_abbreviation.get(fold_words(text), ()), ABBREVIATION)
    scores = _of_types(index, abbreviated, types)
    wanted = core_name(text)
    for iri in _fuzzy_pool(index, wanted):
        if types and not index.records[iri].types & set(types):
            continue
        best = max(fuzz.token_sort_ratio(wanted, key) for key in index.records[iri].keys)
        if best >= _FUZZY_FLOOR:
            scores[iri] = max(scores.get(iri, 0.0), min(best, _FUZZY_CAP))
    return scores


def _of_types(
    index: ReconcileIndex, scores: dict[str, float], types: tuple[str, ...]
) -> dict[str, float]:
    if not types:
        return scores
    return {iri: s for iri, s in scores.items() if index.records[iri].types & set(types)}


def _exact_scores(index: ReconcileIndex, text: str) -> dict[str, float]:
    found = set(_id_scores(index, text))
    outside = outside_identifier(text)
    if outside is not None:
        found |= index.by_outside.get(outside, set())
    notation = read_notation(text)
    if notation is not None:
        found |= {
            iri
            for iri in index.by_notation.get(notation.code, ())
            if notation.kind in index.records[iri].types
        }
    found |= index.by_code.get(text.strip(), set())
    for key in name_keys(text):
        found |= index.by_key.get(key, set())
    return dict.fromkeys(found, EXACT)


def _fuzzy_pool(index: ReconcileIndex, wanted: str) -> set[str]:
    """Records sharing a word, or a word's first letters, with the text; rarest words first."""
    postings = []
    for word in set(wanted.split()):
        postings.append(index.by_token.get(word, set()))
        postings.append(index.by_stem.get(word[:4], set()))
    pool: set[str] = set()
    for posting in sorted((p for p in postings if p), key=len):
        if pool and len(pool) + len(posting) > _POOL:
            break
        pool |= posting
    return pool


def _with_properties(index: ReconcileIndex, candidate: Candidate, query: Query) -> Candidate | None:
    """The candidate scored with the property conditions; None if a required one fails."""
    candidate.features["name"] = candidate.name_score
    outcomes = []
    for position, condition in enumerate(c for c in query.conditions if c.kind == "property"):
        outcome = property_outcome(index, candidate.record, condition)
        if condition.required and outcome != EXACT:
            return None
        candidate.features[f"property_{position}_{condition.property_id}"] = outcome
        outcomes.append(outcome)
    if not _names_given(query):
        candidate.score = round(sum(outcomes) / len(outcomes), 1) if outcomes else 0.0
        candidate.name_score = candidate.score
    else:
        candidate.score = round((candidate.name_score + sum(outcomes)) / (1 + len(outcomes)), 1)
    return candidate


def _names_given(query: Query) -> bool:
    return any(c.kind in ("name", "id") for c in query.conditions)


def property_outcome(index: ReconcileIndex, record: Record, condition: Condition) -> float:
    """100 if the record's values satisfy the condition, 0 if they contradict it, 50 if absent."""
    spec = index.property(condition.property_id)
    values = record.values.get(spec.id, []) if spec is not None else []
    if not values:
        return _UNKNOWN_VALUE
    hits = [
        any(_value_agrees(index, have, wanted) for have in values) for wanted in condition.values
    ]
    satisfied = {"any": any(hits), "all": all(hits), "none": not any(hits)}[condition.quantifier]
    return EXACT if satisfied else 0.0


def _value_agrees(index: ReconcileIndex, have: str, wanted: str) -> bool:
    """A record's value against a sheet's: the same IRI or text, or a text naming that record."""
    if have == wanted.strip() or canonical_outside_iri(have) == canonical_outside_iri(wanted):
        return True
    target = index.records.get(have)
    if target is None:
        return fold_words(have) == fold_words(wanted)
    return name_scores(index, wanted).get(have, 0.0) >= MATCH_AT


def _decide(candidates: list[Candidate], query: Query) -> None:
    """Mark the best candidate a match when it is near certain and clearly ahead of the next."""
    if not candidates:
        return
    best = candidates[0]
    runner_up = candidates[1].score if len(candidates) > 1 else 0.0
    contradicted = any(value == 0.0 for key, value in best.features.items() if key != "name")
    best.match = (
        best.score >= MATCH_AT
        and best.name_score >= MATCH_AT
        and best.score - runner_up >= MATCH_LEAD
        and not contradicted
    )
