"""Choosing an extractor and running it: the `extract()` entry point of the library.

Two backends produce claims: `llm` (any OpenAI-compatible server through instructor) and
`rules` (the offline extractor, embedded, no key and no download). `auto` takes the LLM when
a model is configured, else the rules.
"""

from __future__ import annotations

from stance.core.errors import UsageError
from stance.core.models import Claim
from stance.extraction.config import Backend, Extractor, ExtractorConfig, Mode


def make_extractor(config: ExtractorConfig | None = None) -> Extractor:
    """The extractor that a configuration names (environment applied)."""
    config = (config or ExtractorConfig()).with_env()
    if config.chosen_backend == "llm":
        if not config.model:
            raise UsageError("the llm backend needs a model: pass --model NAME or set STANCE_MODEL")
        # Imported late: openai and instructor are slow to import.
        from stance.extraction.llm.extractor import LLMExtractor

        return LLMExtractor(config)
    from stance.extraction.rules.pipeline import RulesExtractor

    return RulesExtractor()


def extract(
    text: str,
    *,
    backend: Backend = "auto",
    model: str | None = None,
    base_url: str | None = None,
    mode: Mode | None = None,
    api_key: str | None = None,
    published: str | None = None,
    include_rejected: bool = False,
) -> list[Claim]:
    """Extract and check the claims of one text. Rejected claims only when asked for."""
    if not isinstance(text, str):
        hint = " (decode bytes first: data.decode('utf-8'))" if isinstance(text, bytes) else ""
        raise TypeError(
            f"stance.extract() takes the text as a str, not {type(text).__name__}{hint}"
        )
    extractor = make_extractor(
        ExtractorConfig(backend=backend, model=model, base_url=base_url, mode=mode, api_key=api_key)
    )
    claims = extractor.extract(text, published=published).claims
    return [c for c in claims if include_rejected or c.grounding != "rejected"]
