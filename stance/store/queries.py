"""Every read of claims, entities and aliases: the one place that knows the tables' shape.

The current-claims rule is written once, here (`current`, `CURRENT`): the claims queries show
are those of each document's latest successful run (the view `current_runs`), rejected ones
hidden; a query over most of the database reads the view once (`current_of_all`), one on a
subject looks each claim's run up through the index.
Query commands, the report, Datasette's canned queries and the resolver read through these
functions; the resolver's writes are in `stance.resolve`.

Every function takes the sqlite-utils `Database` and only reads. Lookups used while writing
(`alias_owner`, `event_candidates`, ...) go through indexes, so that their cost does not
grow with the database.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlite_utils import Database

from stance.core.canonical import canonical
from stance.core.event_features import EventFeatures, features, score
from stance.core.gazetteer import phrase_words
from stance.core.models import Claim, StoredClaim, StoredTarget, Target
from stance.core.names import names_agree

CURRENT_RUNS = "select run_id from current_runs"


def current_run(alias: str = "c") -> str:
    """SQL: the claim `alias` is of its document's latest successful run.

    Asked per claim through the index on runs (document_id, status): a query on one subject
    reads a few rows of it, instead of the whole `current_runs` view (all documents) that
    `run_id in (select ...)` made SQLite build for every statement (28 times slower for one
    event of a database of a million claims, see docs/benchmarks.md)."""
    return (
        f"{alias}.run_id = (select max(r_.id) from runs r_ where r_.document_id = "
        f"{alias}.document_id and r_.status = 'ok')"
    )


def current(alias: str = "c") -> str:
    """SQL: the claim `alias` is one queries show (current run, not rejected)."""
    return f"{current_run(alias)} and {alias}.grounding != 'rejected'"


def current_of_all(alias: str = "c") -> str:
    """`current`, for a query that reads most claims of the database: the view of current
    runs built once is cheaper than a lookup per claim there (1.2 s against 2.0 s for a
    million claims)."""
    return f"{alias}.run_id in ({CURRENT_RUNS}) and {alias}.grounding != 'rejected'"


CURRENT = current("c")


def sure(alias: str = "c") -> str:
    """SQL, one parameter: the claim's confidence is at least the parameter. A claim whose
    extractor gave no confidence (a model's) is kept: unknown is not unsure."""
    return f"({alias}.confidence is null or {alias}.confidence >= ?)"


@dataclass(frozen=True)
class ClaimFilter:
    speaker: str | None = None
    about: str | None = None
    source: str | None = None
    document: str | None = None
    since: str | None = None
    until: str | None = None
    include_rejected: bool = False
    min_confidence: float | None = None  # hide claims the extractor is less sure of


@dataclass(frozen=True)
class EntityRef:
    id: int
    name: str
    kind: str


def marks(values: list[Any] | tuple[Any, ...] | set[Any]) -> str:
    return ", ".join("?" for _ in values) or "null"


def chunks(values: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


# --- Claims -----------------------------------------------------------------------------------


def claims(db: Database, where: ClaimFilter | None = None) -> list[StoredClaim]:
    """Claims of each document's current run, filtered; rejected ones only when asked."""
    where = where or ClaimFilter()
    narrow = where.speaker or where.about or where.document
    clauses = [current_run("c") if narrow else f"c.run_id in ({CURRENT_RUNS})"]
    params: list[Any] = []
    if not where.include_rejected:
        clauses.append("c.grounding != 'rejected'")
    if where.speaker:
        ids = matching_entity_ids(db, where.speaker)
        clauses.append(f"c.speaker_id in ({marks(ids)})")
        params += ids
    if where.about:
        ids = matching_entity_ids(db, where.about)
        clauses.append(
            f"c.id in (select claim_id from claim_targets where entity_id in ({marks(ids)}))"
        )
        params += ids
    if where.source:
        clauses.append("lower(d.source) like lower(?)")
        params.append(f"%{where.source}%")
    if where.document:
        clauses.append("c.document_id like ?")
        params.append(f"{where.document}%")
    if where.since:
        clauses.append("d.published >= ?")
        params.append(where.since)
    if where.until:
        clauses.append("d.published <= ?")
        params.append(where.until + "\uffff")  # a date includes that whole day
    if where.min_confidence:
        clauses.append(sure("c"))
        params.append(where.min_confidence)
    return _claims_where(db, " and ".join(clauses), params)


def claims_by_id(db: Database, ids: list[int]) -> list[StoredClaim]:
    """The claims with these ids (any number: read 500 at a time), in reading order."""
    found: list[StoredClaim] = []
    for chunk in chunks(list(ids)):
        found += _claims_where(db, f"c.id in ({marks(chunk)})", chunk)
    return found


def _claims_where(db: Database, where_sql: str, params: list[Any]) -> list[StoredClaim]:
    sql = f"""
        select c.*, coalesce(s.name, c.speaker) as speaker_name, d.source, d.url,
               d.published, d.language, r.backend, r.model
        from claims c
        join documents d on d.id = c.document_id
        join runs r on r.id = c.run_id
        left join entities s on s.id = c.speaker_id
        where {where_sql}
        order by d.published is null, d.published, c.document_id, c.start is null, c.start, c.id
    """
    rows = list(db.query(sql, params))
    targets = targets_for(db, [r["id"] for r in rows])
    return [
        StoredClaim(
            id=r["id"],
            document_id=r["document_id"],
            source=r["source"],
            url=r["url"],
            published=r["published"],
            speaker=r["speaker_name"],
            speaker_mention=r["speaker_mention"],
            cue=r["cue"],
            quote=r["quote"],
            content=r["content"],
            start=r["start"],
            end=r["end"],
            attribution=r["attribution"],
            claim_type=r["claim_type"],
            grounding=r["grounding"],
            reason=r["reason"],
            targets=targets.get(r["id"], []),
            run_id=r["run_id"],
            backend=r["backend"],
            model=r["model"],
            confidence=r["confidence"],
            language=r["language"],
        )
        for r in rows
    ]


def targets_for(db: Database, claim_ids: list[int]) -> dict[int, list[StoredTarget]]:
    """Targets by claim: the entity's name and kind once resolved, else as extracted."""
    found: dict[int, list[StoredTarget]] = {}
    for chunk in chunks(claim_ids):
        sql = (
            "select t.claim_id, coalesce(e.name, t.name) as name, "
            "coalesce(e.kind, t.kind) as kind, t.stance, t.date from claim_targets t "
            f"left join entities e on e.id = t.entity_id where t.claim_id in ({marks(chunk)}) "
            "order by t.claim_id, t.rowid"
        )
        for row in db.query(sql, chunk):
            found.setdefault(row["claim_id"], []).append(
                StoredTarget(
                    name=row["name"], kind=row["kind"], stance=row["stance"], date=row["date"]
                )
            )
    return found


def run_claims(db: Database, run_id: int) -> list[Claim]:
    """A run's claims as the extractor gave them: target names as extracted, not as
    resolved to entities (what `stance eval` scores), rejected ones included."""
    rows = list(db.query("select * from claims where run_id = ? order by id", [run_id]))
    targets: dict[int, list[Target]] = {}
    sql = (
        "select t.claim_id, t.name, coalesce(e.kind, t.kind) as kind, t.stance, t.date "
        "from claim_targets t left join entities e on e.id = t.entity_id "
        "join claims c on c.id = t.claim_id where c.run_id = ? order by t.rowid"
    )
    for row in db.query(sql, [run_id]):
        targets.setdefault(row["claim_id"], []).append(
            Target(name=row["name"], kind=row["kind"], stance=row["stance"], date=row["date"])
        )
    fields = set(Claim.model_fields) - {"targets"}
    return [Claim(**{k: r[k] for k in fields}, targets=targets.get(r["id"], [])) for r in rows]


def claim_ids_in(db: Database, document_ids: list[str]) -> list[int]:
    """The claims that queries show (current runs, not rejected) of these documents."""
    ids: list[int] = []
    for chunk in chunks(document_ids):
        sql = f"select c.id from claims c where c.document_id in ({marks(chunk)}) and {CURRENT}"
        ids += [int(r[0]) for r in db.execute(sql, chunk).fetchall()]
    return ids


def claims_about(
    db: Database, entity_id: int, limit: int, min_confidence: float | None = None
) -> tuple[dict[int, str], dict[int, int | None], int]:
    """(stance toward the entity of its latest `limit` current claims, their speaker's
    entity id, how many current claims there are about it in all); claims less sure than
    `min_confidence` left out."""
    where = f"t.entity_id = ? and {CURRENT}"
    params: list[object] = [entity_id]
    if min_confidence:
        where += f" and {sure('c')}"
        params.append(min_confidence)
    total = db.execute(
        f"select count(*) from claim_targets t join claims c on c.id = t.claim_id where {where}",
        params,
    ).fetchone()[0]
    rows = db.execute(
        f"select c.id, t.stance, c.speaker_id from claim_targets t join claims c "
        f"on c.id = t.claim_id join documents d on d.id = c.document_id where {where} "
        f"order by d.published desc, c.id desc limit ?",
        [*params, limit],
    ).fetchall()
    stances = {int(r[0]): str(r[1]) for r in rows}
    speakers = {int(r[0]): (int(r[2]) if r[2] is not None else None) for r in rows}
    return stances, speakers, int(total)


def unsure_about(db: Database, entity_id: int, min_confidence: float) -> int:
    """How many current claims about the entity are less sure than `min_confidence`."""
    row = db.execute(
        "select count(*) from claim_targets t join claims c on c.id = t.claim_id "
        f"where t.entity_id = ? and {CURRENT} and c.confidence < ?",
        [entity_id, min_confidence],
    ).fetchone()
    return int(row[0])


def speaker_stances(
    db: Database,
    speaker_id: int,
    about_id: int | None,
    limit: int,
    min_confidence: float | None = None,
) -> list[tuple[int, int, str, str]]:
    """(claim, target entity, its name, stance) of a speaker's latest current claims."""
    params: list[object] = [speaker_id]
    where = f"c.speaker_id = ? and {CURRENT}"
    if about_id is not None:
        where += " and t.entity_id = ?"
        params.append(about_id)
    if min_confidence:
        where += f" and {sure('c')}"
        params.append(min_confidence)
    rows = db.execute(
        f"select c.id, t.entity_id, e.name, t.stance from claims c "
        f"join claim_targets t on t.claim_id = c.id join entities e on e.id = t.entity_id "
        f"join documents d on d.id = c.document_id where {where} "
        f"order by d.published desc, c.id desc limit ?",
        [*params, limit],
    ).fetchall()
    return [(int(a), int(b), str(n), str(s)) for a, b, n, s in rows]


def claims_by_speakers_between(
    db: Database,
    speakers: set[int],
    first: str,
    last: str,
    limit: int,
    min_confidence: float | None = None,
) -> list[tuple[int, str, str | None]]:
    """(claim, document, source) of current claims by these speakers published in the days
    from `first` to `last` (those less sure than `min_confidence` left out)."""
    sure_enough = f" and {sure('c')}" if min_confidence else ""
    rows = db.execute(
        f"select c.id, c.document_id, d.source from claims c join documents d "
        f"on d.id = c.document_id where c.speaker_id in ({marks(speakers)}) "
        f"and d.published >= ? and d.published <= ? and {CURRENT}{sure_enough} "
        f"order by d.published, c.id limit ?",
        [
            *sorted(speakers),
            first,
            last + "\uffff",
            *([min_confidence] if min_confidence else []),
            limit,
        ],
    ).fetchall()
    return [(int(a), str(b), s) for a, b, s in rows]


def integrity_problems(db: Database) -> Iterator[str]:
    """Claims that break the invariant: text[start:end] must be the quote.

    Compared in Python, one document at a time: SQLite's substr() stops at a NUL, which a
    stored text may hold."""
    documents = db.execute(
        "select distinct document_id from claims where grounding != 'rejected'"
    ).fetchall()
    for (document_id,) in documents:
        text = db.execute("select text from documents where id = ?", [document_id]).fetchone()
        claims = db.execute(
            'select id, quote, start, "end" from claims where document_id = ? '
            "and grounding != 'rejected' order by id",
            [document_id],
        )
        for claim_id, quote, start, end in claims:
            if text is None or start is None or end is None or text[0][start:end] != quote:
                yield f"claim {claim_id}: stored quote differs from the text at its offsets"


# --- Documents and runs -----------------------------------------------------------------------


def documents(db: Database) -> list[dict[str, Any]]:
    sql = f"""
        select d.id, d.source, d.url, d.title, d.published, d.published_from, d.language,
               d.ingested_at, length(d.text) as chars,
               (select count(*) from appearances a where a.document_id = d.id) as appearances,
               (select count(*) from claims c where c.document_id = d.id
                  and {CURRENT}) as claims,
               (select status from runs r where r.document_id = d.id
                  order by r.id desc limit 1) as last_run
        from documents d order by d.published is null, d.published, d.ingested_at
    """
    return list(db.query(sql))


def documents_by_id(db: Database, ids: list[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for chunk in chunks(ids):
        found += db.query(
            "select id, text, source, url, title, published from documents "
            f"where id in ({marks(chunk)})",
            chunk,
        )
    return found


def runs(db: Database) -> list[dict[str, Any]]:
    sql = """
        select r.id, r.document_id, r.backend, r.model, r.prompt_sha, r.schema_sha,
               r.status, r.error, r.started_at, r.finished_at, r.input_tokens,
               r.output_tokens, r.requests, r.notes,
               (select count(*) from claims c where c.run_id = r.id) as claims
        from runs r order by r.id
    """
    return list(db.query(sql))


def cached_run(
    db: Database,
    document_id: str,
    backend: str,
    model: str | None,
    prompt_sha: str | None,
    schema_sha: str,
) -> dict[str, Any] | None:
    """The latest successful run with this exact configuration, if any."""
    rows = db.query(
        "select * from runs where document_id = ? and backend = ? and model is ? "
        "and prompt_sha is ? and schema_sha = ? and status = 'ok' order by id desc limit 1",
        [document_id, backend, model, prompt_sha, schema_sha],
    )
    return next(iter(rows), None)


def unresolved_runs(db: Database) -> list[int]:
    """Runs stored and not yet through the resolution pass, oldest first."""
    return [int(r[0]) for r in db.execute("select run_id from unresolved_runs order by run_id")]


def is_unresolved(db: Database, run_id: int) -> bool:
    row = db.execute("select 1 from unresolved_runs where run_id = ?", [run_id]).fetchone()
    return row is not None


@dataclass(frozen=True)
class RunMention:
    """A claim of a run, with what its resolution needs."""

    claim_id: int
    speaker: str | None
    grounded: bool
    quote: str | None
    document_id: str
    published: str | None
    targets: list[tuple[int, str, str, str | None]]  # (rowid, name, kind, date) unresolved


def run_mentions(db: Database, run_id: int) -> list[RunMention]:
    """The claims of a run whose speaker or targets are not resolved yet, in stored order."""
    rows = db.execute(
        "select c.id, c.speaker, c.grounding, c.quote, c.document_id, d.published, "
        "c.speaker_id from claims c join documents d on d.id = c.document_id "
        "where c.run_id = ? order by c.id",
        [run_id],
    ).fetchall()
    targets: dict[int, list[tuple[int, str, str, str | None]]] = {}
    for rowid, claim_id, name, kind, date in db.execute(
        "select t.rowid, t.claim_id, t.name, t.kind, t.date from claim_targets t "
        "join claims c on c.id = t.claim_id where c.run_id = ? and t.entity_id is null "
        "order by t.claim_id, t.rowid",
        [run_id],
    ):
        targets.setdefault(int(claim_id), []).append((int(rowid), str(name), str(kind), date))
    return [
        RunMention(
            claim_id=int(claim_id),
            speaker=speaker if speaker_id is None else None,
            grounded=grounding != "rejected",
            quote=quote,
            document_id=str(document_id),
            published=published,
            targets=targets.get(int(claim_id), []),
        )
        for claim_id, speaker, grounding, quote, document_id, published, speaker_id in rows
    ]


def evals(db: Database, gold_sha: str | None = None) -> list[dict[str, Any]]:
    if gold_sha is None:
        return list(db.query("select * from evals order by id"))
    return list(db.query("select * from evals where gold_sha = ? order by id", [gold_sha]))


# --- Entities and aliases ---------------------------------------------------------------------


def entities(db: Database) -> list[dict[str, Any]]:
    # Counted once per table with GROUP BY, then joined: correlated subqueries per
    # entity took a minute on a database of a million claims.
    sql = f"""
        with live as (
            select c.id, c.speaker_id from claims c where {current_of_all("c")}
        ),
        made as (select speaker_id as entity_id, count(*) as n from live group by speaker_id),
        about as (
            select t.entity_id, count(*) as n from claim_targets t
            join live on live.id = t.claim_id group by t.entity_id
        ),
        names as (
            select entity_id, group_concat(alias, ' | ') as aliases from aliases
            group by entity_id
        ),
        merges as (
            select entity_id, group_concat(alias || ' (' || reason || ')', ' | ') as merged
            from entity_merges group by entity_id
        )
        select e.id, e.name, e.kind, names.aliases, merges.merged,
               coalesce(made.n, 0) as claims_made, coalesce(about.n, 0) as claims_about
        from entities e
        left join names on names.entity_id = e.id
        left join made on made.entity_id = e.id
        left join about on about.entity_id = e.id
        left join merges on merges.entity_id = e.id
        order by e.name
    """
    return list(db.query(sql))


def entity_refs(db: Database, ids: list[int]) -> list[EntityRef]:
    rows = db.execute(
        f"select id, name, kind from entities where id in ({marks(ids)}) order by id", list(ids)
    ).fetchall()
    return [EntityRef(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def entity_names(db: Database) -> list[str]:
    return [str(r[0]) for r in db.execute("select distinct name from entities").fetchall()]


def aliases_of(db: Database, entity_id: int, limit: int = 50) -> list[str]:
    return [
        str(r[0])
        for r in db.execute(
            "select alias from aliases where entity_id = ? order by alias limit ?",
            [entity_id, limit],
        )
    ]


def alias_keys_of(db: Database, entity_id: int) -> dict[str, str]:
    """Alias → key of an entity's aliases."""
    rows = db.execute("select alias, key from aliases where entity_id = ?", [entity_id])
    return {str(a): str(k) for a, k in rows.fetchall()}


def alias_owner(db: Database, key: str) -> int | None:
    """The entity that has this alias key (events still pending left aside)."""
    row = db.execute(
        "select a.entity_id from aliases a left join event_pending p on p.entity_id = a.entity_id "
        "where a.key = ? and p.entity_id is null order by a.entity_id limit 1",
        [key],
    ).fetchone()
    return int(row[0]) if row else None


def entity_kind(db: Database, entity_id: int) -> str | None:
    row = db.execute("select kind from entities where id = ?", [entity_id]).fetchone()
    return str(row[0]) if row else None


def entity_name(db: Database, entity_id: int) -> str | None:
    row = db.execute("select name from entities where id = ?", [entity_id]).fetchone()
    return str(row[0]) if row else None


def has_full_name(db: Database, entity_id: int) -> bool:
    row = db.execute("select 1 from person_names where entity_id = ? limit 1", [entity_id])
    return row.fetchone() is not None


def separated(db: Database, key: str, entity_id: int) -> bool:
    """True when the user split this name off that entity (`stance split`)."""
    row = db.execute(
        "select 1 from entity_overrides where action = 'split' and alias_key = ? "
        "and entity_id = ? limit 1",
        [key, entity_id],
    ).fetchone()
    return row is not None


def full_names_with(db: Database, surname: str, key: str) -> list[int]:
    """Persons with a full name ending in this surname (those split off it left aside)."""
    rows = db.execute(
        "select distinct entity_id from person_names where surname = ?", [surname]
    ).fetchall()
    return [int(r[0]) for r in rows if not separated(db, key, int(r[0]))]


def claims_naming(
    db: Database, entity_id: int
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(claims made by the entity with their speaker as extracted, claims about it with the
    target name as extracted)."""
    made = db.execute("select id, speaker from claims where speaker_id = ?", [entity_id])
    about = db.execute("select claim_id, name from claim_targets where entity_id = ?", [entity_id])
    return (
        [(int(a), str(b or "")) for a, b in made.fetchall()],
        [(int(a), str(b or "")) for a, b in about.fetchall()],
    )


def _like_pattern(query: str) -> str | None:
    words = sorted(phrase_words(query), key=len, reverse=True)
    return f"%{words[0][:5]}%" if words else None


def candidates_by_name(db: Database, query: str) -> list[int]:
    """Entities named by the query: same canonical key, else the metric's name rules."""
    ids: set[int] = set()
    for kind in ("person", "other"):
        key = canonical(query, kind).key
        ids |= {
            int(r[0])
            for r in db.execute("select entity_id from aliases where key = ?", [key]).fetchall()
        }
    if ids:
        return sorted(ids)
    pattern = _like_pattern(query)
    if pattern is None:
        return []
    # The LIKE narrows a large table to the aliases sharing a word stem, in SQL.
    for entity_id, alias in db.execute(
        "select entity_id, alias from aliases where key like ?", [pattern]
    ).fetchall():
        if names_agree(query, alias):
            ids.add(int(entity_id))
    return sorted(ids)


def entities_with_key(db: Database, name: str, limit: int = 50) -> list[int]:
    """Entities with an alias whose key is that of `name` (as a person's or another name)."""
    keys = sorted({canonical(name, kind).key for kind in ("person", "other")})
    rows = db.execute(
        f"select distinct entity_id from aliases where key in ({marks(keys)}) "
        f"order by entity_id limit {int(limit)}",
        keys,
    ).fetchall()
    return [int(r[0]) for r in rows]


def matching_entity_ids(db: Database, query: str) -> list[int]:
    """Entities whose name or an alias agrees with the query (events by date and name too)."""
    return sorted(set(candidates_by_name(db, query)) | set(matching_event_ids(db, query)))


# --- Events -----------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _json_tuple(value: str | None) -> tuple[str, ...]:
    """A stored JSON list as a tuple; the same few lists are read over and over when
    mentions are matched with the events known."""
    return tuple(json.loads(value or "[]"))


def stored_features(db: Database, entity_id: int) -> EventFeatures | None:
    row = db.execute(
        "select date, month_day, participants, type, type_word, words, year, venue "
        "from events where entity_id = ?",
        [entity_id],
    ).fetchone()
    if row is None:
        return None
    return EventFeatures(
        row[0],
        row[1],
        _json_tuple(row[2]),
        row[3],
        row[4],
        _json_tuple(row[5]),
        row[6],
        (),
        row[7],
    )


def stored_features_of(db: Database, ids: list[int]) -> dict[int, EventFeatures]:
    """The stored features of these events, in one query."""
    rows = db.execute(
        "select entity_id, date, month_day, participants, type, type_word, words, year "
        f"from events where entity_id in ({marks(ids)})",
        list(ids),
    ).fetchall()
    return {int(r[0]): _features_of_row(*r[1:]) for r in rows}


@lru_cache(maxsize=8192)
def _features_of_row(
    date: str | None,
    month_day: str | None,
    participants: str | None,
    type_: str | None,
    type_word: str | None,
    words: str | None,
    year: str | None,
) -> EventFeatures:
    """The features of a stored event row (frozen: one object per distinct row)."""
    return EventFeatures(
        date, month_day, _json_tuple(participants), type_, type_word, _json_tuple(words), year
    )


def split_off(db: Database, key: str) -> set[int]:
    """The entities the user split this name off (`stance split`)."""
    rows = db.execute(
        "select entity_id from entity_overrides where action = 'split' and alias_key = ?", [key]
    )
    return {int(r[0]) for r in rows.fetchall()}


def first_published_of(db: Database, ids: list[int]) -> dict[int, str | None]:
    """Each event's first publication date, in one query per 500 events."""
    found: dict[int, str | None] = {}
    for part in chunks(ids):
        rows = db.execute(
            f"select entity_id, first_published from events where entity_id in ({marks(part)})",
            part,
        )
        found.update((int(r[0]), r[1]) for r in rows.fetchall())
    return found


def first_published(db: Database, ids: list[int]) -> str | None:
    row = db.execute(
        f"select min(first_published) from events where entity_id in ({marks(ids)})", ids
    ).fetchone()
    return row[0] if row else None


def event_mentions(db: Database, entity_id: int) -> list[tuple[str, str | None, str | None]]:
    """(name as extracted, date given, document published) of every mention of an event."""
    rows = db.execute(
        "select t.name, t.date, d.published from claim_targets t join claims c on "
        "c.id = t.claim_id join documents d on d.id = c.document_id where t.entity_id = ?",
        [entity_id],
    ).fetchall()
    return [(str(n), g, p) for n, g, p in rows]


def first_mention(
    db: Database, entity_id: int
) -> tuple[str, str | None, str | None, str, str | None, str] | None:
    """(name, date given, published, document, quote, alias key) of an event entity's first
    mention; None when no claim refers to it."""
    row = db.execute(
        "select t.name, t.date, d.published, c.document_id, c.quote from claim_targets t "
        "join claims c on c.id = t.claim_id join documents d on d.id = c.document_id "
        "where t.entity_id = ? order by c.id limit 1",
        [entity_id],
    ).fetchone()
    alias = db.execute(
        "select alias, key from aliases where entity_id = ? limit 1", [entity_id]
    ).fetchone()
    if row is None or alias is None:
        return None
    name, given, published, document_id, quote = row
    return str(name or alias[0]), given, published, str(document_id), quote, str(alias[1])


def pending_events(db: Database) -> list[int]:
    return [int(r[0]) for r in db.execute("select entity_id from event_pending order by entity_id")]


def event_merged_into(db: Database, key: str) -> int | None:
    """The event the user merged this name into, if any (`stance merge`)."""
    row = db.execute(
        "select o.entity_id from entity_overrides o join events e on e.entity_id = o.entity_id "
        "where o.action = 'merge' and o.alias_key = ? order by o.id desc limit 1",
        [key],
    ).fetchone()
    return int(row[0]) if row else None


def event_candidates(
    db: Database,
    f: EventFeatures,
    key: str,
    document_id: str,
    same_document: set[int] | None = None,
) -> tuple[set[int], set[int]]:
    """(events a mention may name, those named in the same document): through indexes.
    `same_document` is `document_events(db, document_id)` when the caller keeps it."""
    # Each lookup reads at most CANDIDATES rows of an index, the latest events first: the
    # cost of linking a mention does not grow with the number of events stored.
    found: set[int] = set()
    if f.date:
        found |= _ids(db, "select entity_id from events where date = ?", f.date)
        found |= _ids(
            db, "select entity_id from events where month_day = ? and date is null", f.month_day
        )
    elif f.month_day:
        found |= _ids(db, "select entity_id from events where month_day = ?", f.month_day)
    for participant in f.participants:
        found |= _ids(
            db, "select entity_id from event_participants where participant = ?", participant
        )
    # The same name in another document ("COP29", "Munich Security Conference").
    found |= {
        int(r[0])
        for r in db.execute(
            "select a.entity_id from aliases a join events e on e.entity_id = a.entity_id "
            "where a.key = ? limit 100",
            [key],
        ).fetchall()
    }
    if same_document is None:
        same_document = document_events(db, document_id)
    return found | same_document, same_document


def document_events(db: Database, document_id: str) -> set[int]:
    """The events the claims of a document name (reads every claim of it)."""
    return {
        int(r[0])
        for r in db.execute(
            "select distinct t.entity_id from claims c join claim_targets t on t.claim_id = c.id "
            "join events e on e.entity_id = t.entity_id where c.document_id = ?",
            [document_id],
        ).fetchall()
    }


def events_of_kind_near(
    db: Database, kind: str, day: str | None, span_days: int, limit: int
) -> list[int]:
    """Events of this kind first reported within `span_days` of `day` (any, when undated),
    newest first."""
    where, params = "type = ?", [kind]
    if day is not None:
        where += (
            " and (first_published is null or first_published between "
            "date(?, ?) and date(?, ?) || '\uffff')"
        )
        params += [day, f"-{span_days} days", day, f"+{span_days} days"]
    rows = db.execute(
        f"select entity_id from events where {where} order by entity_id desc limit {int(limit)}",
        params,
    ).fetchall()
    return [int(r[0]) for r in rows]


def document_texts_of_event(db: Database, entity_id: int, limit: int = 20) -> list[str]:
    """The texts of the documents whose claims name this event (a few)."""
    rows = db.execute(
        "select d.text from documents d where d.id in (select c.document_id from claims c "
        "join claim_targets t on t.claim_id = c.id where t.entity_id = ?) "
        f"limit {int(limit)}",
        [entity_id],
    ).fetchall()
    return [str(r[0] or "") for r in rows]


def document_text(db: Database, document_id: str) -> str:
    row = db.execute("select text from documents where id = ?", [document_id]).fetchone()
    return str(row[0] or "") if row else ""


def events_among(db: Database, ids: list[int]) -> set[int]:
    """Those of these entities that are events."""
    found: set[int] = set()
    for part in chunks(ids):
        rows = db.execute(f"select entity_id from events where entity_id in ({marks(part)})", part)
        found |= {int(r[0]) for r in rows.fetchall()}
    return found


CANDIDATES = 100  # events read at most per lookup when linking a mention (the latest)


def _ids(db: Database, sql: str, value: object) -> set[int]:
    rows = db.execute(f"{sql} order by entity_id desc limit {CANDIDATES}", [value])
    return {int(r[0]) for r in rows.fetchall()}


def matching_event_ids(db: Database, query: str) -> list[int]:
    """Events a query names by date and kind ("April 5 meeting", "US-EU-Armenia meeting")."""
    q = features(query, None)
    if not q.type or not (q.month_day or q.participants):
        return []
    if q.month_day:
        rows = db.execute(
            "select entity_id from events where month_day = ?", [q.month_day]
        ).fetchall()
    else:
        rows = db.execute(
            "select distinct entity_id from event_participants "
            f"where participant in ({marks(q.participants)})",
            list(q.participants),
        ).fetchall()
    found = []
    for (entity_id,) in rows:
        known = stored_features(db, int(entity_id))
        if known is None:
            continue
        if (
            q.participants
            and known.participants
            and not set(q.participants) <= set(known.participants)
        ):
            continue
        if score(q, known, same_document=True) > 0:
            found.append(int(entity_id))
    return sorted(found)


# --- Claim relations (decided by the resolution pass) -----------------------------------------


def stored_relations(
    db: Database, subject_id: int, claim_ids: list[int]
) -> list[tuple[int, int, str, str, str]]:
    """(claim a, claim b, label, reason, judge) of the stored relations among these claims."""
    wanted = set(claim_ids)
    rows = db.execute(
        "select claim_a, claim_b, label, reason, judge from claim_relations "
        "where subject_id = ? order by claim_a, claim_b",
        [subject_id],
    ).fetchall()
    return [
        (int(a), int(b), str(label), str(reason or ""), str(judge))
        for a, b, label, reason, judge in rows
        if int(a) in wanted and int(b) in wanted
    ]


def relation_subjects_pending(db: Database) -> list[int]:
    return [
        int(r[0]) for r in db.execute("select entity_id from relations_pending order by entity_id")
    ]


# The view Datasette facets on: one row per claim and target of the current runs.
CLAIM_VIEW_SQL = f"""
create view claim_view as
select c.id, d.published, d.source, coalesce(s.name, c.speaker) as speaker, c.cue,
       c.quote, c.content, coalesce(e.name, t.name) as target, t.stance, c.attribution,
       c.claim_type, c.grounding, c.document_id
from claims c
join documents d on d.id = c.document_id
left join claim_targets t on t.claim_id = c.id
left join entities e on e.id = t.entity_id
left join entities s on s.id = c.speaker_id
where {current_of_all("c")}
"""


# --- Datasette's canned queries (`stance serve`) -------------------------------------------------

CLAIMS_ABOUT_SQL = f"""
select d.published, d.source, coalesce(s.name, c.speaker) as speaker, c.cue, c.quote,
       e.name as target, t.stance, c.id as claim_id, c.document_id
from claims c
join documents d on d.id = c.document_id
join claim_targets t on t.claim_id = c.id
join entities e on e.id = t.entity_id
left join entities s on s.id = c.speaker_id
where {CURRENT}
  and t.entity_id in (select entity_id from aliases where alias like '%' || :about || '%')
order by d.published, c.document_id, c.start
"""

CONTRADICTIONS_SQL = f"""
select e.name as target,
       coalesce(sa.name, a.speaker) as speaker_a, ta.stance as stance_a, a.quote as quote_a,
       coalesce(sb.name, b.speaker) as speaker_b, tb.stance as stance_b, b.quote as quote_b,
       a.id as claim_a, b.id as claim_b
from claim_targets ta
join claim_targets tb on tb.entity_id = ta.entity_id and ta.stance = 'support'
     and tb.stance = 'oppose'
join claims a on a.id = ta.claim_id
join claims b on b.id = tb.claim_id
join entities e on e.id = ta.entity_id
left join entities sa on sa.id = a.speaker_id
left join entities sb on sb.id = b.speaker_id
where {current("a")} and {current("b")}
  and coalesce(a.speaker_id, -1) != coalesce(b.speaker_id, -2)
  and (:about = '' or ta.entity_id in
       (select entity_id from aliases where alias like '%' || :about || '%'))
order by e.name, a.id, b.id
"""

SPEAKER_OVER_TIME_SQL = f"""
select d.published, e.name as target, t.stance, c.cue, c.quote, d.source, c.id as claim_id
from claims c
join documents d on d.id = c.document_id
join claim_targets t on t.claim_id = c.id
join entities e on e.id = t.entity_id
where {CURRENT}
  and c.speaker_id in (select entity_id from aliases where alias like '%' || :speaker || '%')
order by d.published, c.document_id, c.start
"""


# --- Picking what a query names (stance.query.pick) --------------------------------------------


def claim_counts(db: Database, ids: list[int], cap: int) -> dict[int, int]:
    """Current claims made by or about each entity, each count capped at `cap` (enough to
    rank, bounded on the largest subjects)."""
    counts = dict.fromkeys(ids, 0)
    for entity_id in ids:
        about = db.execute(
            "select count(*) from (select 1 from claim_targets t join claims c on "
            f"c.id = t.claim_id where t.entity_id = ? and {CURRENT} limit {int(cap)})",
            [entity_id],
        ).fetchone()[0]
        made = db.execute(
            f"select count(*) from (select 1 from claims c where c.speaker_id = ? and {CURRENT} "
            f"limit {int(cap)})",
            [entity_id],
        ).fetchone()[0]
        counts[entity_id] = int(about) + int(made)
    return counts


def event_names(db: Database, limit: int) -> list[tuple[int, str]]:
    """(event, name) of the display names and aliases of the latest `limit` events."""
    rows = db.execute(
        "with latest as (select entity_id from events order by entity_id desc limit ?) "
        "select e.id, e.name from entities e join latest l on l.entity_id = e.id "
        "union select a.entity_id, a.alias from aliases a join latest l on l.entity_id = "
        "a.entity_id order by 1 desc, 2",
        [int(limit)],
    ).fetchall()
    return [(int(r[0]), str(r[1])) for r in rows]


def events_at_venue(db: Database, place: str, event_type: str) -> list[int]:
    """Events of a kind held at a place."""
    rows = db.execute(
        "select entity_id from events where lower(venue) = ? and type = ?",
        [place.lower(), event_type],
    ).fetchall()
    return [int(r[0]) for r in rows]


def events_of_people(db: Database, people: list[int], limit: int = 200) -> dict[int, set[int]]:
    """Event → which of these people (or bodies) are involved in it: the speaker of a current
    claim about it, or named in a claim about it (at most `limit` events)."""
    if not people:
        return {}
    ids = sorted(set(people))
    rows = db.execute(
        "select t.entity_id, c.speaker_id from claims c join claim_targets t on "
        "t.claim_id = c.id join events e on e.entity_id = t.entity_id "
        f"where c.speaker_id in ({marks(ids)}) and {CURRENT} "
        "union "
        "select t.entity_id, p.entity_id from claim_targets p join claims c on c.id = p.claim_id "
        "join claim_targets t on t.claim_id = c.id join events e on e.entity_id = t.entity_id "
        f"where p.entity_id in ({marks(ids)}) and t.entity_id != p.entity_id and {CURRENT} "
        f"limit {int(limit) * len(ids)}",
        [*ids, *ids],
    ).fetchall()
    found: dict[int, set[int]] = {}
    for event_id, person in rows:
        if int(event_id) in found or len(found) < limit:
            found.setdefault(int(event_id), set()).add(int(person))
    return found


def event_types(db: Database, ids: list[int]) -> dict[int, str | None]:
    """The kind of each of these events ("gathering", "call", ...; None when unknown)."""
    rows = db.execute(
        f"select entity_id, type from events where entity_id in ({marks(ids)})", list(ids)
    ).fetchall()
    return {int(r[0]): r[1] for r in rows}


def people_by_name_key(db: Database, key: str, limit: int = 50) -> list[tuple[int, str, str]]:
    """(entity, kind, last-word key) of persons and bodies whose name's last word has a key
    starting with `key`'s first three letters: the transliteration variants of one word are
    read through the index, the caller keeps the close ones."""
    prefix = key[:3]
    if len(prefix) < 3:
        return []
    rows = db.execute(
        "select distinct entity_id, kind, last_key from name_keys "
        f"where last_key >= ? and last_key < ? order by entity_id limit {int(limit)}",
        [prefix, prefix + "\uffff"],
    ).fetchall()
    return [(int(a), str(b), str(c)) for a, b, c in rows]


# --- Name variants (stance.resolve.variants) -----------------------------------------------------


def speaks_in_document(db: Database, entity_id: int, document_id: str | None) -> bool:
    """Whether the entity is the speaker of a claim of that document."""
    if document_id is None:
        return False
    row = db.execute(
        "select 1 from claims where speaker_id = ? and document_id = ? limit 1",
        [entity_id, document_id],
    ).fetchone()
    return row is not None


def name_key_rows(
    db: Database, limit: int, where: str, params: list[object]
) -> list[tuple[int, str, str, str]]:
    """(entity id, name, kind, roles) of the name keys matching `where` (a condition on the
    columns of `name_keys k`), at most `limit`."""
    return [
        (int(r[0]), str(r[1]), str(r[2]), str(r[3] or ""))
        for r in db.execute(
            "select k.entity_id, e.name, k.kind, k.roles from name_keys k join entities e "
            f"on e.id = k.entity_id where {where} order by k.entity_id limit {int(limit)}",
            params,
        ).fetchall()
    ]


# --- Export (stance.output.parquet) ----------------------------------------------------------

_CURRENT_RUN = f"c.run_id in ({CURRENT_RUNS})"


def export_queries(db: Database) -> dict[str, str]:
    """The SQL of each table `stance export --parquet` writes: current claims (rejected
    included), their targets, entities, documents, appearances; older databases too."""
    tables = set(db.table_names())
    document_columns = {c.name for c in db.table("documents").columns}
    language = "language" if "language" in document_columns else "null as language"
    # Targets keep their own kind since the resolution pass; an unresolved one has no entity.
    claim_columns = {c.name for c in db.table("claims").columns}
    confidence = "c.confidence" if "confidence" in claim_columns else "null as confidence"
    target_columns = {c.name for c in db.table("claim_targets").columns}
    target_kind = "coalesce(t.kind, e.kind)" if "kind" in target_columns else "e.kind"
    appearances = (
        "select document_id, source, url, title, published from appearances order by rowid"
        if "appearances" in tables
        # A database made before appearances: each document's first appearance is its own.
        else "select id as document_id, source, url, title, published from documents order by rowid"
    )
    return {
        "documents": "select id, source, url, title, published, ingested_at, "
        f"{language}, text from documents order by rowid",
        "appearances": appearances,
        "claims": "select c.id, c.document_id, c.run_id, c.speaker_id, "
        "coalesce(s.name, c.speaker) as speaker, c.speaker_mention, c.cue, c.quote, c.content, "
        'c.start, c."end", c.attribution, c.claim_type, c.grounding, c.reason, '
        f"{confidence}, r.backend, "
        "r.model from claims c join runs r on r.id = c.run_id "
        f"left join entities s on s.id = c.speaker_id where {_CURRENT_RUN} order by c.id",
        "targets": f"select t.claim_id, t.entity_id, t.name, {target_kind}, t.stance, t.date "
        "from claim_targets t join claims c on c.id = t.claim_id "
        f"left join entities e on e.id = t.entity_id where {_CURRENT_RUN} order by t.rowid",
        "entities": "select e.id, e.name, e.kind, (select json_group_array(alias) from "
        "(select alias from aliases a where a.entity_id = e.id order by alias)) as aliases "
        "from entities e order by e.id",
    }


# --- Shards (stance.ingestion.shards) -----------------------------------------------------------


def table_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    """The column names of a table, read from any connection (a shard of any version)."""
    return [r[1] for r in conn.execute(f"pragma table_info({table})")]


def _shard_targets(shard: sqlite3.Connection, run_id: int) -> dict[int, list[Target]]:
    found: dict[int, list[Target]] = {}
    # Since the resolution pass, a target keeps its own kind; before, its entity had it.
    kind = (
        "coalesce(t.kind, e.kind)" if "kind" in table_columns(shard, "claim_targets") else "e.kind"
    )
    sql = (
        f"select t.claim_id, t.name, e.name as entity, {kind} as kind, t.stance, t.date "
        "from claim_targets t join claims c on c.id = t.claim_id "
        "left join entities e on e.id = t.entity_id where c.run_id = ? order by t.rowid"
    )
    for row in shard.execute(sql, [run_id]):
        found.setdefault(row["claim_id"], []).append(
            Target(
                name=row["name"] or row["entity"],
                kind=row["kind"] or "other",
                stance=row["stance"],
                date=row["date"],
            )
        )
    return found


def shard_run_claims(shard: sqlite3.Connection, run_id: int) -> list[Claim]:
    """A run's claims as stored in a shard database (any version), for `stance merge-db`."""
    targets = _shard_targets(shard, run_id)
    rows = shard.execute("select * from claims where run_id = ? order by id", [run_id])
    return [
        Claim(
            speaker=row["speaker"] or "",
            speaker_mention=row["speaker_mention"] or "",
            cue=row["cue"] or "",
            quote=row["quote"],
            content=row["content"] or "",
            attribution=row["attribution"],
            claim_type=row["claim_type"],
            targets=targets.get(row["id"], []),
            start=row["start"],
            end=row["end"],
            grounding=row["grounding"],
            reason=row["reason"],
            confidence=row["confidence"] if "confidence" in row.keys() else None,
        )
        for row in rows
    ]
