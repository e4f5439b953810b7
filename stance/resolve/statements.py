"""Same statement, many outlets: reports of one statement by one speaker are one claim.

Outlets report a statement verbatim (a syndicated copy), nearly so, or in words of their
own ("was directed against X and undermined the peace process" / "targeted X and harmed
the peace process"). Two claims are one statement when the same speaker says them, with
the same stance toward the subject, in different documents reported within
`NEAR_DAYS` of each other, and

- their quotes are near-copies (similarity of at least `COPY_RATIO`, spaces and punctuation
  ignored), or
- their anchor words agree: the content words of the shorter quote (stemmed to five
  letters) are at least `ANCHOR_OVERLAP` among those of the longer, with a name or a rare
  word among them.

Offline and bounded: claims are compared only within one speaker's claims
(`MAX_GROUP` at most), never across the database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from functools import lru_cache

from rapidfuzz import fuzz

from stance.core.models import StoredClaim

COPY_RATIO = 90
ANCHOR_OVERLAP = 0.6
NEAR_DAYS = 3
MAX_GROUP = 400
_NOT_WORD = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W\d_]+")
_STOP = frozenset(
    """the a an and or but of to in on at for with by from as is are was were be been being
    that this these those it its his her their our your my we they he she you i not no
    would will shall should could can may might must has have had do does did said says
    about into over than then there here which who whom what when where while also very
    any all some such only more most other against meeting meetings conference summit talks
    call visit session january february march april june july august september october
    november december today tomorrow yesterday monday tuesday wednesday thursday friday
    saturday sunday""".split()
)


@lru_cache(maxsize=16384)
def _norm(text: str) -> str:
    return _NOT_WORD.sub("", text.lower())


@lru_cache(maxsize=16384)
def anchors(quote: str) -> frozenset[str]:
    """Content words of a quote, stemmed to five letters ("undermined" → "under")."""
    return frozenset(w[:5] for w in _WORD.findall(quote.lower()) if w not in _STOP and len(w) > 2)


@lru_cache(maxsize=16384)
def _capitalised(quote: str) -> frozenset[str]:
    return frozenset(w.lower()[:5] for w in _WORD.findall(quote) if w[:1].isupper())


def _day(claim: StoredClaim) -> dt.date | None:
    return _date(claim.published[:10]) if claim.published else None


@lru_cache(maxsize=4096)
def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def same_statement(a: StoredClaim, b: StoredClaim) -> bool:
    """Two reports of one statement (same speaker and stance are checked by the caller)."""
    if a.document_id == b.document_id:
        return False
    day_a, day_b = _day(a), _day(b)
    if day_a and day_b and abs((day_a - day_b).days) > NEAR_DAYS:
        return False
    if fuzz.ratio(_norm(a.quote), _norm(b.quote)) >= COPY_RATIO:
        return True
    wa, wb = anchors(a.quote), anchors(b.quote)
    if min(len(wa), len(wb)) < 4:
        return False
    shared = wa & wb
    if len(shared) / min(len(wa), len(wb)) < ANCHOR_OVERLAP:
        return False
    # A name both give ("Veldoria") anchors it; common words alone do not.
    return bool(shared & (_capitalised(a.quote) | _capitalised(b.quote)))


def _when(claim: StoredClaim) -> tuple[bool, str, int]:
    return (claim.published is None, claim.published or "", claim.id)


def group_statements(
    claims: list[StoredClaim], stances: dict[int, str] | None = None
) -> list[list[StoredClaim]]:
    """Claims grouped into statements (earliest report first), groups in time order."""
    stances = stances or {}
    parent = {c.id: c.id for c in claims}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_speaker: dict[tuple[str | None, str], list[StoredClaim]] = defaultdict(list)
    for claim in claims:
        by_speaker[(claim.speaker, stances.get(claim.id, ""))].append(claim)
    for group in by_speaker.values():
        exact: dict[str, int] = {}
        for claim in group:
            key = _norm(claim.quote)
            if key in exact:
                parent[root(claim.id)] = root(exact[key])
            else:
                exact[key] = claim.id
        if len(group) > MAX_GROUP:
            continue
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if root(a.id) != root(b.id) and same_statement(a, b):
                    parent[root(b.id)] = root(a.id)
    groups: dict[int, list[StoredClaim]] = defaultdict(list)
    for claim in claims:
        groups[root(claim.id)].append(claim)
    ordered = [sorted(g, key=_when) for g in groups.values()]
    return sorted(ordered, key=lambda g: _when(g[0]))
