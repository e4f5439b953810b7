"""A scripted extractor for store and ingest tests: claims are written by the test."""

from __future__ import annotations

from collections.abc import Callable

from stance.core.errors import ModelError
from stance.core.models import ExtractedClaim, Extraction, schema_sha
from stance.extraction.check import check_claims


def said(speaker: str, quote: str, *targets: tuple[str, str, str]) -> ExtractedClaim:
    """A claim `speaker said quote`, with targets given as (name, kind, stance)."""
    return ExtractedClaim(
        speaker=speaker,
        speaker_mention=speaker,
        cue="said",
        quote=quote,
        content=f"{speaker} said {quote}.",
        attribution="indirect",
        claim_type="statement",
        targets=[{"name": n, "kind": k, "stance": s} for n, k, s in targets],
    )


class FakeExtractor:
    backend = "fake"
    model: str | None = "scripted"

    def __init__(self, script: Callable[[str], list[ExtractedClaim]], prompt: str = "p1") -> None:
        self.script = script
        self.prompt = prompt
        self.calls: list[str] = []

    @property
    def prompt_sha(self) -> str:
        return self.prompt

    def extract(self, text: str, *, published: str | None = None) -> Extraction:
        self.calls.append(text)
        if "FAIL" in text:
            raise ModelError("the model server at http://127.0.0.1:9 answered 503")
        claims = check_claims(text, [(c, 0) for c in self.script(text)])
        return Extraction(
            claims=claims,
            backend=self.backend,
            model=self.model,
            prompt_sha=self.prompt,
            schema_sha=schema_sha(),
            input_tokens=len(text) // 4,
            output_tokens=10 * len(claims),
            requests=1,
        )
