"""Events matched to a query by meaning: embeddings of the query and of the events' names.

Used by `pick` only when an embedder is given (`--embedding-model`) and the query's words
name no event. The query and the names of the latest `MAX_NAMES` events (display names and
aliases) are embedded in the same request; an event whose closest name has a cosine
similarity of at least `MIN_SIMILARITY` with the query matches, the closest first. Nothing is
written: a query only reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlite_utils import Database

from stance.extraction.embeddings import cosine
from stance.store import queries

MIN_SIMILARITY = 0.8
MAX_NAMES = 2000


class Embeds(Protocol):
    model: str

    def embed(self, texts: list[str]) -> list[list[float]]: ...


@dataclass(frozen=True)
class MeaningMatch:
    entity_id: int
    similarity: float
    name: str  # the event's name or alias closest to the query


def events_by_meaning(db: Database, query: str, embedder: Embeds) -> list[MeaningMatch]:
    """The events whose names mean what the query says, closest first."""
    names = queries.event_names(db, MAX_NAMES)
    if not names:
        return []
    vectors = embedder.embed([query, *(text for _, text in names)])
    asked = vectors[0]
    best: dict[int, MeaningMatch] = {}
    for (entity_id, text), vector in zip(names, vectors[1:], strict=True):
        similarity = cosine(asked, vector)
        if entity_id not in best or similarity > best[entity_id].similarity:
            best[entity_id] = MeaningMatch(entity_id, similarity, text)
    found = [m for m in best.values() if m.similarity >= MIN_SIMILARITY]
    return sorted(found, key=lambda m: (-m.similarity, m.entity_id))
