"""The resolution pass: speakers and targets of stored claims → entities and events.

`Store.save_run` stores claims as extracted (speaker and target names, no entity) and lists
the run in `unresolved_runs`. `resolve_run` then, in a transaction of its own, resolves each
claim's speaker and targets in stored order, links event mentions with the events known
(in the context of the claim's document), marks the subjects whose claims changed for the
relation pass, and takes the run off the list. The ingest writer runs it after each document;
a run left unresolved by a crash is resolved by the next ingest or by `stance resolve`.
Running it again changes nothing: a resolved run is no longer listed.

No model request runs while the write transaction is open: with a model judge, the run is
resolved with the answers cached so far; questions not answered yet roll the transaction
back, are asked outside it, and the run is resolved again (`stance.resolve.judge`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from stance.core.canonical import canonical, is_event_mention
from stance.resolve.entities import resolve_entity
from stance.resolve.events import DocumentEvents, Mention, link_event, link_pending
from stance.resolve.judge import DeferToResolve, Judge, Question, RuleJudge
from stance.resolve.relations import decide_relations
from stance.store import queries
from stance.store.db import Store

MAX_ATTEMPTS = 4  # transactions per run with a model judge; the last takes the rule's answers


@dataclass
class ResolveSummary:
    runs: int = 0
    events_linked: int = 0
    relations: int = 0


class _Unanswered(Exception):
    """Questions for the model met inside the transaction: roll back, ask, try again."""

    def __init__(self, questions: list[Question]) -> None:
        super().__init__(f"{len(questions)} questions for the model")
        self.questions = questions


def resolve_run(store: Store, run_id: int, judge: Judge | None = None) -> bool:
    """Resolve one stored run; False when it was resolved already (by us or another process)."""
    judge = judge or RuleJudge()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        last = attempt == MAX_ATTEMPTS
        with judge.cache_only() as unanswered:
            try:
                with store.write_transaction():
                    if not queries.is_unresolved(store.db, run_id):
                        return False
                    _resolve_claims(store.db, run_id, judge)
                    store.db.execute("delete from unresolved_runs where run_id = ?", [run_id])
                    if unanswered and not last:
                        raise _Unanswered(list(unanswered))
                return True
            except _Unanswered as pending:
                questions = pending.questions
        judge.ask(questions)  # outside the transaction; the answers go to llm_cache
    return True  # not reached: the last attempt always commits


def _resolve_claims(db: Database, run_id: int, judge: Judge) -> None:
    touched: set[int] = set()
    documents: dict[str, DocumentEvents] = {}
    for claim in queries.run_mentions(db, run_id):
        document = documents.setdefault(claim.document_id, DocumentEvents(claim.document_id))
        if claim.grounded and claim.speaker:
            speaker_id = resolve_entity(db, claim.speaker, "person")
            db.execute(
                "update claims set speaker_id = ? where id = ?", [speaker_id, claim.claim_id]
            )
        for rowid, name, kind, given_date in claim.targets:
            entity_id = resolve_entity(db, name, kind)
            event = _is_new_event(name, kind)
            if event:
                alias = " ".join(name.split()) or name
                mention = Mention.read(
                    entity_id,
                    alias,
                    canonical(alias, kind).key,
                    document_id=claim.document_id,
                    published=claim.published,
                    quote=claim.quote,
                    given_date=given_date,
                )
                entity_id = link_event(db, mention, judge, document)
            # One stance per claim and entity: a later target naming the same entity goes.
            changed = db.execute(
                "update or ignore claim_targets set entity_id = ? where rowid = ?",
                [entity_id, rowid],
            ).rowcount
            if not changed:
                db.execute("delete from claim_targets where rowid = ?", [rowid])
            document.named(entity_id, event=event)
            touched.add(entity_id)
    for entity_id in touched:
        db.execute("insert or ignore into relations_pending (entity_id) values (?)", [entity_id])


def _is_new_event(name: str, kind: str) -> bool:
    """An event mention: `resolve_entity` gave it an entity of its own, to be linked."""
    alias = " ".join(name.split()) or name
    return canonical(alias, kind).kind not in ("country", "organization") and is_event_mention(
        alias, kind
    )


def resolve_pending(
    store: Store, judge: Judge | None = None, *, relations: bool = True
) -> ResolveSummary:
    """Resolve every run stored and not yet resolved, oldest first; with a judge that decides
    relations (a model) and `relations`, decide the relations of the subjects whose claims
    changed (an ingest does that once, at its end)."""
    judge = judge or RuleJudge()
    summary = ResolveSummary()
    for run_id in queries.unresolved_runs(store.db):
        summary.runs += resolve_run(store, run_id, judge)
    # Doubtful matches an ingest with a model left pending: decided now unless deferring.
    if not isinstance(judge, DeferToResolve) and queries.pending_events(store.db):
        summary.events_linked = _link_pending_events(store, judge)
    if relations and judge.decides_relations:
        summary.relations = decide_relations(
            store, judge, queries.relation_subjects_pending(store.db)
        )
    return summary


def _link_pending_events(store: Store, judge: Judge) -> int:
    linked = 0
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with judge.cache_only() as unanswered:
            try:
                with store.write_transaction():
                    linked = link_pending(store.db, judge)
                    if unanswered and attempt < MAX_ATTEMPTS:
                        raise _Unanswered(list(unanswered))
                return linked
            except _Unanswered as pending:
                questions = pending.questions
        judge.ask(questions)
    return linked
