"""The pydantic models: the one source of truth for what stance reads, returns and stores.

`schemas/*.json` are generated from these models (`make schemas`, which calls
`write_schemas`), and a test fails when the two drift apart.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Stance = Literal["support", "oppose", "neutral"]
TargetKind = Literal["person", "organization", "country", "event", "other"]
Attribution = Literal["direct", "indirect", "mixed"]
ClaimType = Literal["statement", "accusation", "denial", "warning", "demand", "commitment"]
Grounding = Literal["exact", "normalized", "fuzzy", "rejected"]

STANCES: tuple[str, ...] = ("support", "oppose", "neutral")
GROUNDED: tuple[str, ...] = ("exact", "normalized", "fuzzy")


# --- What the model (or the rules extractor) returns -------------------------------------


class Target(BaseModel):
    """Someone or something a claim is about, with the speaker's stance toward it."""

    name: str = Field(description="Full name of the person, organization, country or event.")
    kind: TargetKind = Field(default="other", description="What sort of thing the target is.")
    stance: Stance = Field(
        default="neutral", description="The speaker's stance toward the target in this claim."
    )
    date: dt.date | None = Field(
        default=None, description="ISO date of the target when it is a dated event."
    )


class ExtractedClaim(BaseModel):
    """One asserted proposition, as the extractor reports it (before checking)."""

    speaker: str = Field(
        description="Full name of who asserts it, resolved ('Ilham Aliyev', not 'the head of "
        "state')."
    )
    speaker_mention: str = Field(
        description="How the text names the speaker at this claim ('The head of state')."
    )
    cue: str = Field(description="The reporting words ('emphasized', 'according to').")
    quote: str = Field(description="The verbatim span of the text that carries the content.")
    content: str = Field(description="The proposition as one self-contained sentence.")
    attribution: Attribution = Field(
        description="'direct' (in quotation marks), 'indirect' or 'mixed'."
    )
    claim_type: ClaimType = Field(default="statement", description="The kind of speech act.")
    targets: list[Target] = Field(default_factory=list, description="Who or what it is about.")


class ExtractionResult(BaseModel):
    """The whole answer of an extractor for one text."""

    claims: list[ExtractedClaim] = Field(default_factory=list)


# --- What the library returns after checking -----------------------------------------------


class Claim(ExtractedClaim):
    """An extracted claim checked against the text: offsets found by the library."""

    start: int | None = Field(default=None, description="Offset of the evidence in the text.")
    end: int | None = Field(default=None, description="End offset (exclusive) of the evidence.")
    grounding: Grounding = Field(description="How the quote was found in the text.")
    reason: str | None = Field(default=None, description="Why a claim was rejected.")
    confidence: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="How sure the extractor is of the speaker and span (0-1); None if unknown.",
    )


class ModelCall(BaseModel):
    """One HTTP request to a model server and what came back: the log of a run."""

    chunk: int = 0  # which chunk of the text (0 for a text sent whole)
    attempt: int = 1  # 1: the first ask; 2, 3...: re-asks
    request: str  # the JSON body sent (no API key: the key travels in a header)
    response: str | None = None  # the JSON body received
    error: str | None = None  # why no answer came (transport failure)
    input_tokens: int | None = None
    output_tokens: int | None = None
    started_at: str | None = None
    seconds: float | None = None


class Extraction(BaseModel):
    """The outcome of one extraction run over one text."""

    claims: list[Claim] = Field(default_factory=list)
    backend: str
    model: str | None = None
    prompt_sha: str | None = None
    schema_sha: str
    input_tokens: int | None = None
    output_tokens: int | None = None
    requests: int = 0
    notes: str | None = Field(
        default=None,
        description="What happened on the way: re-asks, claims kept from earlier answers, "
        "an empty answer, what was cut from the answers to bound them.",
    )
    calls: list[ModelCall] = Field(
        default_factory=list, exclude=True, description="Each request and answer, for the log."
    )


class Document(BaseModel):
    """A text as stored: its id is the sha256 of the text."""

    id: str
    text: str
    source: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    published_from: str | None = Field(
        default=None,
        description="Where the date came from: header, flag, page, feed, column, dateline, text.",
    )
    language: str | None = Field(default=None, description="ISO 639-1 code, detected.")

    @staticmethod
    def id_for(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- What queries return ---------------------------------------------------------------------


class StoredTarget(BaseModel):
    name: str
    kind: TargetKind
    stance: Stance
    date: str | None = None  # ISO date of a dated event


class StoredClaim(BaseModel):
    """A claim as `stance claims --json` prints it."""

    model_config = ConfigDict(protected_namespaces=())

    id: int
    document_id: str
    source: str | None
    url: str | None
    published: str | None
    speaker: str | None
    speaker_mention: str | None
    cue: str | None
    quote: str
    content: str | None
    start: int | None
    end: int | None
    attribution: Attribution
    claim_type: ClaimType
    grounding: Grounding
    reason: str | None = None  # why a rejected claim was rejected
    targets: list[StoredTarget]
    run_id: int
    backend: str
    model: str | None
    confidence: float | None = Field(
        default=None,
        description="How sure the extractor is of the speaker and span (0-1); None if unknown.",
    )
    language: str | None = Field(
        default=None, description="The document's language (ISO 639-1), None if not detected."
    )


# --- Gold ----------------------------------------------------------------------------------------


class GoldTarget(BaseModel):
    name: str
    stance: Stance
    kind: TargetKind | None = None


class GoldClaim(BaseModel):
    speaker: str
    cue: str | None = None
    quote: str
    start: int | None = None
    end: int | None = None
    targets: list[GoldTarget] = Field(default_factory=list)


class GoldDocument(BaseModel):
    id: str
    source: str | None = None
    url: str | None = None
    published: str | None = None
    title: str | None = None
    text: str
    claims: list[GoldClaim] = Field(default_factory=list)


# --- Schemas ----------------------------------------------------------------------------------

SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "extraction_result": ExtractionResult,
    "claim": StoredClaim,
    "gold_document": GoldDocument,
}


def schema_json(model: type[BaseModel]) -> str:
    return json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n"


@lru_cache(maxsize=1)  # the models do not change while stance runs; hashing costs ~30 ms
def schema_sha() -> str:
    """Hash of the extraction schema; every run records it."""
    return hashlib.sha256(schema_json(ExtractionResult).encode()).hexdigest()[:16]


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMA_MODELS.items():
        path = folder / f"{name}.json"
        path.write_text(schema_json(model), encoding="utf-8")
        written.append(path)
    return written
