"""Scoring extraction against gold: the metric of docs/metric.md (gold format: docs/gold.md).

Public API:

- `load_gold(paths) -> list[GoldDocument]`: JSONL files or folders of them; offsets filled in.
- `with_offsets(doc) -> GoldDocument`: gold claims get `start`/`end` from their quote.
- `match_spans(gold_spans, predicted_spans) -> list[(gold_index, predicted_index)]`.
- `score_document(gold, predicted) -> DocumentScore`: one document, errors included.
- `score(pairs) -> EvalReport`: many (gold, predicted) pairs, micro-averaged.
- `run_eval(gold_docs, extractor, store) -> EvalReport`: extract every gold text into a
  store (cached runs reused), then score the stored claims.
- `eval_record(report, gold_docs, gold)`: the `evals` table row that records an eval run.
- `summary_rows(report)`, `document_rows(report)`, `error_rows(report)`: rows for tables.

`EvalReport.model_dump()` is the `stance eval --json` shape. `backend`, `model`,
`prompt_sha` and `schema_sha` are attributes of the report for storing a run; they are left
out of the dump.

Choices a short statement of the metric leaves open (docs/metric.md states them too):

- A ratio with a zero denominator is 1.0 when gold and prediction are both empty (nothing to
  find, nothing claimed) and 0.0 otherwise. Target recall, stance accuracy and stance
  macro-F1 are None when there is nothing to measure (no gold targets / no targets found).
- Stance macro-F1 is the mean F1 over the classes (support, oppose, neutral) that occur in
  the gold or the predicted stances of the found targets; a class absent from both is left
  out of the mean rather than counted as 0 (which would punish a perfect extractor) or 1.
- Predicted claims with grounding "rejected" are not counted. A predicted claim without
  offsets is counted as predicted but can match nothing.
- Targets are matched one-to-one as many as possible (a maximum matching), so that a loose
  name ("Azerbaijan") does not take the only predicted target a stricter gold name needed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, Field, ValidationError

from stance.core.clock import now
from stance.core.errors import InputError
from stance.core.models import STANCES, Document, GoldClaim, GoldDocument, schema_sha
from stance.core.names import metric_names_agree, targets_agree
from stance.extraction.config import Extractor
from stance.resolve.linker import resolve_run
from stance.store.db import Store

CONTEXT_CHARS = 60  # characters of text shown on each side of an error's span


# --- What a predicted claim must offer ------------------------------------------------------


class TargetLike(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def stance(self) -> str: ...


class ClaimLike(Protocol):
    """A predicted claim: `Claim`, `StoredClaim` and `GoldClaim` all fit."""

    @property
    def speaker(self) -> str | None: ...

    @property
    def start(self) -> int | None: ...

    @property
    def end(self) -> int | None: ...

    @property
    def targets(self) -> Sequence[TargetLike]: ...


# --- Report models -----------------------------------------------------------------------------


class PRF(BaseModel):
    precision: float
    recall: float
    f1: float


ErrorKind = Literal["missed", "extra", "wrong speaker", "missed target", "wrong stance"]


class EvalError(BaseModel):
    """One difference between gold and prediction, with the text around it."""

    document_id: str
    kind: ErrorKind
    start: int | None
    end: int | None
    quote: str  # the text of the span (gold span, or predicted span for "extra")
    context: str  # the span in [brackets] with CONTEXT_CHARS of text on each side
    gold_speaker: str | None = None
    predicted_speaker: str | None = None
    target: str | None = None  # the gold target's name
    predicted_target: str | None = None
    gold_stance: str | None = None
    predicted_stance: str | None = None


class DocumentScore(BaseModel):
    """Counts and scores of one document. Errors are kept but left out of dumps."""

    id: str
    gold_claims: int
    predicted_claims: int
    span_matches: int
    attribution_matches: int
    gold_targets: int  # gold targets of the attribution matches
    targets_found: int
    stance_correct: int
    span: PRF
    attribution: PRF
    target_recall: float | None
    stance_accuracy: float | None
    stance_macro_f1: float | None
    # (gold stance, predicted stance) of each found target: macro-F1 over many documents.
    stance_pairs: list[tuple[str, str]] = Field(default_factory=list, exclude=True)
    errors: list[EvalError] = Field(default_factory=list, exclude=True)


class EvalReport(BaseModel):
    """Scores over a gold set; `model_dump()` is the `stance eval --json` shape."""

    documents: int
    span: PRF
    attribution: PRF
    target_recall: float | None
    stance_accuracy: float | None
    stance_macro_f1: float | None
    per_document: list[DocumentScore]
    backend: str | None = Field(default=None, exclude=True)
    model: str | None = Field(default=None, exclude=True)
    prompt_sha: str | None = Field(default=None, exclude=True)
    schema_sha: str | None = Field(default=None, exclude=True)

    @property
    def errors(self) -> list[EvalError]:
        return [e for d in self.per_document for e in d.errors]


# --- Arithmetic --------------------------------------------------------------------------------


def _ratio(numerator: int, denominator: int, *, both_empty: bool) -> float:
    if denominator:
        return numerator / denominator
    return 1.0 if both_empty else 0.0


def prf(matches: int, gold: int, predicted: int) -> PRF:
    """Precision, recall and F1 from counts (see the module docstring for empty cases)."""
    both_empty = gold == 0 and predicted == 0
    precision = _ratio(matches, predicted, both_empty=both_empty)
    recall = _ratio(matches, gold, both_empty=both_empty)
    total = precision + recall
    f1 = 2 * precision * recall / total if total else 0.0
    return PRF(precision=precision, recall=recall, f1=f1)


def macro_f1(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Mean F1 over the stance classes present in gold or prediction; None without pairs."""
    if not pairs:
        return None
    scores = []
    for label in STANCES:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        if tp + fp + fn:
            scores.append(2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores)


# --- Gold --------------------------------------------------------------------------------------


def with_offsets(doc: GoldDocument) -> GoldDocument:
    """The document with every claim's start/end set: from its quote's first occurrence."""
    claims: list[GoldClaim] = []
    for claim in doc.claims:
        if not claim.quote:
            raise InputError(f"gold document '{doc.id}': a claim has an empty quote")
        if claim.start is None or claim.end is None:
            start = doc.text.find(claim.quote)
            if start == -1:
                raise InputError(
                    f"gold document '{doc.id}': quote not found in the text: {claim.quote!r}"
                )
            claim = claim.model_copy(update={"start": start, "end": start + len(claim.quote)})
        elif doc.text[claim.start : claim.end] != claim.quote:
            raise InputError(
                f"gold document '{doc.id}': text[{claim.start}:{claim.end}] is not the quote "
                f"{claim.quote!r}"
            )
        claims.append(claim)
    return doc.model_copy(update={"claims": claims})


def _gold_files(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.jsonl") if p.is_file())
            if not found:
                raise InputError(f"{path}: no .jsonl gold files in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return files


def _validation_summary(error: ValidationError) -> str:
    parts = []
    for item in error.errors()[:3]:
        where = ".".join(str(x) for x in item["loc"]) or "document"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


def load_gold(paths: Iterable[str | Path]) -> list[GoldDocument]:
    """Read gold documents from JSONL files or folders of them (recursively), offsets filled.

    Raises InputError naming the file and line for bad JSON, a line that is not a gold
    document, a quote that is not in its text, or an id used twice.
    """
    paths = list(paths)
    documents: list[GoldDocument] = []
    seen: dict[str, str] = {}
    for file in _gold_files(paths):
        try:
            lines = file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{file}: cannot read: {exc}") from exc
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{file}:{number}"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{where}: invalid JSON: {exc.msg} (column {exc.colno})") from exc
            try:
                doc = GoldDocument.model_validate(raw)
            except ValidationError as exc:
                raise InputError(
                    f"{where}: not a gold document: {_validation_summary(exc)}"
                ) from exc
            try:
                doc = with_offsets(doc)
            except InputError as exc:
                raise InputError(f"{where}: {exc}") from exc
            if doc.id in seen:
                raise InputError(f"{where}: document id '{doc.id}' already used at {seen[doc.id]}")
            seen[doc.id] = where
            documents.append(doc)
    if not documents:
        raise InputError("no gold documents found in " + ", ".join(str(p) for p in paths))
    return documents


# --- Matching ----------------------------------------------------------------------------------

Span = tuple[int, int]


def overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def spans_match(a: Span, b: Span) -> bool:
    """Overlap of at least half of the shorter span (and of at least one character)."""
    common = overlap(a, b)
    shorter = min(a[1] - a[0], b[1] - b[0])
    return common > 0 and 2 * common >= shorter


def match_spans(gold: Sequence[Span | None], predicted: Sequence[Span | None]) -> list[Span]:
    """One-to-one (gold index, predicted index) pairs: largest overlap first, then order."""
    candidates = [
        (overlap(g, p), gi, pi)
        for gi, g in enumerate(gold)
        if g is not None
        for pi, p in enumerate(predicted)
        if p is not None and spans_match(g, p)
    ]
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs: list[Span] = []
    for _, gi, pi in candidates:
        if gi in used_gold or pi in used_predicted:
            continue
        used_gold.add(gi)
        used_predicted.add(pi)
        pairs.append((gi, pi))
    return sorted(pairs)


def match_targets(gold_names: Sequence[str], predicted_names: Sequence[str]) -> list[Span]:
    """A maximum one-to-one matching of agreeing target names (augmenting paths)."""
    owner: dict[int, int] = {}  # predicted index -> gold index
    agree = [
        [pi for pi, p in enumerate(predicted_names) if targets_agree(g, p)] for g in gold_names
    ]

    def assign(gi: int, visited: set[int]) -> bool:
        for pi in agree[gi]:
            if pi in visited:
                continue
            visited.add(pi)
            if pi not in owner or assign(owner[pi], visited):
                owner[pi] = gi
                return True
        return False

    for gi in range(len(gold_names)):
        assign(gi, set())
    return sorted((gi, pi) for pi, gi in owner.items())


# --- Scoring -----------------------------------------------------------------------------------


def _span_of(claim: ClaimLike) -> Span | None:
    if claim.start is None or claim.end is None:
        return None
    return (claim.start, claim.end)


def _context(text: str, start: int, end: int) -> str:
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    left = "…" if start > CONTEXT_CHARS else ""
    right = "…" if end + CONTEXT_CHARS < len(text) else ""
    shown = f"{left}{before}[{text[start:end]}]{after}{right}"
    return " ".join(shown.split())


def score_document(gold: GoldDocument, predicted: Sequence[ClaimLike]) -> DocumentScore:
    """Score the predicted claims of one text against its gold (rejected claims ignored)."""
    gold = with_offsets(gold)
    text = gold.text
    counted = [c for c in predicted if getattr(c, "grounding", None) != "rejected"]
    gold_spans = [_span_of(c) for c in gold.claims]
    predicted_spans = [_span_of(c) for c in counted]
    pairs = match_spans(gold_spans, predicted_spans)

    errors: list[EvalError] = []

    def error(kind: ErrorKind, span: Span, **fields: str | None) -> EvalError:
        start, end = span
        return EvalError(
            document_id=gold.id,
            kind=kind,
            start=start,
            end=end,
            quote=text[start:end],
            context=_context(text, start, end),
            **fields,
        )

    attribution_matches = gold_targets = targets_found = stance_correct = 0
    stance_pairs: list[tuple[str, str]] = []
    for gi, pi in pairs:
        gold_claim, claim = gold.claims[gi], counted[pi]
        span = (gold_claim.start or 0, gold_claim.end or 0)
        if not (claim.speaker and metric_names_agree(gold_claim.speaker, claim.speaker)):
            errors.append(
                error(
                    "wrong speaker",
                    span,
                    gold_speaker=gold_claim.speaker,
                    predicted_speaker=claim.speaker,
                )
            )
            continue
        attribution_matches += 1
        gold_targets += len(gold_claim.targets)
        found = match_targets([t.name for t in gold_claim.targets], [t.name for t in claim.targets])
        found_gold = {ti for ti, _ in found}
        for ti, target in enumerate(gold_claim.targets):
            if ti not in found_gold:
                errors.append(
                    error(
                        "missed target",
                        span,
                        gold_speaker=gold_claim.speaker,
                        target=target.name,
                        gold_stance=target.stance,
                    )
                )
        for ti, tj in found:
            gold_target, predicted_target = gold_claim.targets[ti], claim.targets[tj]
            targets_found += 1
            stance_pairs.append((gold_target.stance, predicted_target.stance))
            if gold_target.stance == predicted_target.stance:
                stance_correct += 1
            else:
                errors.append(
                    error(
                        "wrong stance",
                        span,
                        gold_speaker=gold_claim.speaker,
                        target=gold_target.name,
                        predicted_target=predicted_target.name,
                        gold_stance=gold_target.stance,
                        predicted_stance=predicted_target.stance,
                    )
                )

    matched_gold = {gi for gi, _ in pairs}
    matched_predicted = {pi for _, pi in pairs}
    for gi, gold_claim in enumerate(gold.claims):
        if gi not in matched_gold:
            gold_span = (gold_claim.start or 0, gold_claim.end or 0)
            errors.append(error("missed", gold_span, gold_speaker=gold_claim.speaker))
    for pi, claim in enumerate(counted):
        if pi in matched_predicted:
            continue
        predicted_span = predicted_spans[pi]
        if (
            predicted_span is None
        ):  # an ungrounded claim: show what it quoted, it has no place in the text
            quote = str(getattr(claim, "quote", ""))
            errors.append(
                EvalError(
                    document_id=gold.id,
                    kind="extra",
                    start=None,
                    end=None,
                    quote=quote,
                    context=quote,
                    predicted_speaker=claim.speaker,
                )
            )
        else:
            errors.append(error("extra", predicted_span, predicted_speaker=claim.speaker))
    errors.sort(key=lambda e: (e.start is None, e.start or 0, e.kind))

    return DocumentScore(
        id=gold.id,
        gold_claims=len(gold.claims),
        predicted_claims=len(counted),
        span_matches=len(pairs),
        attribution_matches=attribution_matches,
        gold_targets=gold_targets,
        targets_found=targets_found,
        stance_correct=stance_correct,
        span=prf(len(pairs), len(gold.claims), len(counted)),
        attribution=prf(attribution_matches, len(gold.claims), len(counted)),
        target_recall=targets_found / gold_targets if gold_targets else None,
        stance_accuracy=stance_correct / targets_found if targets_found else None,
        stance_macro_f1=macro_f1(stance_pairs),
        stance_pairs=stance_pairs,
        errors=errors,
    )


def summarize(scores: Sequence[DocumentScore]) -> EvalReport:
    """Micro-average document scores: counts are summed over all documents."""
    gold = sum(s.gold_claims for s in scores)
    predicted = sum(s.predicted_claims for s in scores)
    gold_targets = sum(s.gold_targets for s in scores)
    found = sum(s.targets_found for s in scores)
    correct = sum(s.stance_correct for s in scores)
    return EvalReport(
        documents=len(scores),
        span=prf(sum(s.span_matches for s in scores), gold, predicted),
        attribution=prf(sum(s.attribution_matches for s in scores), gold, predicted),
        target_recall=found / gold_targets if gold_targets else None,
        stance_accuracy=correct / found if found else None,
        stance_macro_f1=macro_f1([p for s in scores for p in s.stance_pairs]),
        per_document=list(scores),
    )


def score(pairs: Iterable[tuple[GoldDocument, Sequence[ClaimLike]]]) -> EvalReport:
    """Score (gold document, predicted claims) pairs; P/R/F1 micro-averaged over all."""
    return summarize([score_document(gold, predicted) for gold, predicted in pairs])


def gold_sha(gold_docs: Sequence[GoldDocument]) -> str:
    """A hash of a gold set, so that evals of the same gold can be compared."""
    payload = json.dumps([d.model_dump(mode="json") for d in gold_docs], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def run_eval(
    gold_docs: Sequence[GoldDocument],
    extractor: Extractor,
    store: Store,
    *,
    force: bool = False,
    on_document: Callable[[GoldDocument, DocumentScore], None] | None = None,
) -> EvalReport:
    """Extract every gold text into `store` and score the stored claims.

    A text already extracted in that store with the same backend, model, prompt and schema
    is not extracted again unless `force`; `on_document` sees progress.
    """
    scores: list[DocumentScore] = []
    schema = schema_sha()
    for doc in gold_docs:
        document = Document(
            id=Document.id_for(doc.text),
            text=doc.text,
            source=doc.source,
            url=doc.url,
            title=doc.title,
            published=doc.published,
        )
        cached = (
            None
            if force
            else store.cached_run(
                document.id, extractor.backend, extractor.model, extractor.prompt_sha, schema
            )
        )
        if cached is not None:
            run_id = int(cached["id"])
        else:
            started = now()
            extraction = extractor.extract(doc.text, published=doc.published)
            saved = store.save_run(document, extraction, started_at=started)
            assert saved is not None  # replace_cached=True always stores
            run_id = saved.run_id
            resolve_run(store, run_id)
        predicted = store.run_claims(run_id)
        document_score = score_document(doc, predicted)
        scores.append(document_score)
        if on_document is not None:
            on_document(doc, document_score)
    report = summarize(scores)
    report.backend = extractor.backend
    report.model = extractor.model
    report.prompt_sha = extractor.prompt_sha
    report.schema_sha = schema
    return report


def eval_record(
    report: EvalReport, gold_docs: Sequence[GoldDocument], gold: str
) -> dict[str, object]:
    """The row of the `evals` table for one eval run."""
    return {
        "gold": gold,
        "gold_sha": gold_sha(gold_docs),
        "backend": report.backend,
        "model": report.model,
        "prompt_sha": report.prompt_sha,
        "schema_sha": report.schema_sha,
        "documents": report.documents,
        "span_f1": report.span.f1,
        "attribution_precision": report.attribution.precision,
        "attribution_recall": report.attribution.recall,
        "attribution_f1": report.attribution.f1,
        "target_recall": report.target_recall,
        "stance_accuracy": report.stance_accuracy,
        "stance_macro_f1": report.stance_macro_f1,
        "report": report.model_dump_json(),
    }


# --- Rows for tables ---------------------------------------------------------------------------


def compare_rows(evals: Sequence[dict[str, object]]) -> list[dict[str, object]]:
    """Recorded evals of one gold side by side, with the change from the first."""
    keys = ("attribution_f1", "target_recall", "stance_accuracy", "stance_macro_f1")
    rows: list[dict[str, object]] = []
    for row in evals:
        line: dict[str, object] = {
            "eval": row["id"],
            "when": row["created_at"],
            "backend": row["backend"],
            "model": row["model"],
            "prompt": row["prompt_sha"],
        }
        for key in keys:
            value, base = row[key], evals[0][key]
            line[key] = value
            comparable = isinstance(value, float) and isinstance(base, float)
            line[f"Δ {key}"] = round(value - base, 3) if comparable else None  # type: ignore[operator]
        rows.append(line)
    return rows


def summary_rows(report: EvalReport) -> list[dict[str, object]]:
    """Two-column rows (metric, value) of the whole report; value None means not measured."""
    rows: list[dict[str, object]] = [{"metric": "documents", "value": report.documents}]
    for label, values in (("span", report.span), ("attribution", report.attribution)):
        for part in ("precision", "recall", "f1"):
            rows.append({"metric": f"{label} {part}", "value": getattr(values, part)})
    rows.append({"metric": "target recall", "value": report.target_recall})
    rows.append({"metric": "stance accuracy", "value": report.stance_accuracy})
    rows.append({"metric": "stance macro-F1", "value": report.stance_macro_f1})
    return rows


def document_rows(report: EvalReport) -> list[dict[str, object]]:
    """One flat row per document: counts and the main scores."""
    return [
        {
            "document": s.id,
            "gold": s.gold_claims,
            "predicted": s.predicted_claims,
            "span_f1": s.span.f1,
            "attribution_f1": s.attribution.f1,
            "target_recall": s.target_recall,
            "stance_accuracy": s.stance_accuracy,
        }
        for s in report.per_document
    ]


def error_rows(report: EvalReport) -> list[dict[str, object]]:
    """One row per error, in document order: what went wrong and the text around it."""
    rows: list[dict[str, object]] = []
    for e in report.errors:
        if e.kind == "wrong speaker":
            detail = f"gold {e.gold_speaker!r}, predicted {e.predicted_speaker!r}"
        elif e.kind == "wrong stance":
            detail = f"{e.target}: gold {e.gold_stance}, predicted {e.predicted_stance}"
        elif e.kind == "missed target":
            detail = f"{e.target} ({e.gold_stance})"
        elif e.kind == "missed":
            detail = f"speaker {e.gold_speaker!r}"
        else:
            detail = f"speaker {e.predicted_speaker!r}"
        rows.append(
            {"document": e.document_id, "kind": e.kind, "detail": detail, "context": e.context}
        )
    return rows
