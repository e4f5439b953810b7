"""What configures an extractor, and the protocol every extractor satisfies.

Two backends produce claims: `llm` (any OpenAI-compatible server through instructor) and
`rules` (the offline extractor, embedded, no key and no download). `auto` takes the LLM when
a model is configured, else the rules.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol

from stance.core.errors import UsageError
from stance.core.models import Extraction

NO_API_KEY = "not-needed"  # local servers (Ollama, vLLM, llama.cpp) take any key


def redact_key(message: str, api_key: str | None) -> str:
    """`message` with the API key masked: a server may echo it in an error."""
    if api_key and api_key != NO_API_KEY and len(api_key) >= 4:
        message = message.replace(api_key, "***")
    return message

Backend = Literal["auto", "llm", "rules"]
Mode = Literal["tools", "json", "md_json", "json_schema"]
BACKENDS: tuple[str, ...] = ("auto", "llm", "rules")
# json_schema: the server enforces the schema (OpenAI structured outputs, vLLM guided
# decoding, Ollama's format, llama.cpp's grammar). The default where the server is known to
# support it (OpenAI's API, Ollama), else tools (a named tool_choice, which vLLM also enforces).
MODES: tuple[str, ...] = ("tools", "json", "md_json", "json_schema")


class Extractor(Protocol):
    """Anything that turns one text into a checked Extraction."""

    @property
    def backend(self) -> str: ...

    @property
    def model(self) -> str | None: ...

    @property
    def prompt_sha(self) -> str | None: ...

    def extract(self, text: str, *, published: str | None = None) -> Extraction: ...


@dataclass(frozen=True)
class ExtractorConfig:
    """What chooses and configures an extractor. Flags win over the environment."""

    backend: Backend = "auto"
    model: str | None = None
    base_url: str | None = None
    mode: Mode | None = None
    api_key: str | None = field(default=None, repr=False)  # never printed
    timeout: float = 120.0  # seconds for one request
    max_attempts: int = 4  # transport attempts per request (429, 5xx, timeouts)
    max_wait: float = 60.0  # seconds spent waiting between attempts, at most
    max_reasks: int = 2  # re-asks after an answer that fails validation
    # Sampling: deterministic by default (servers otherwise apply the model's own defaults,
    # e.g. temperature 0.7 and a repetition penalty that works against verbatim copying).
    temperature: float | None = 0.0  # None: the server's default
    seed: int | None = 0  # None: send no seed
    max_tokens: int | None = None  # None: sized to each chunk
    # Ollama: None detects it (port 11434); True/False forces it. num_ctx None: sized to fit.
    ollama: bool | None = None
    num_ctx: int | None = None

    def with_env(self) -> ExtractorConfig:
        """Fill what was not given from STANCE_MODEL, STANCE_MODE and OPENAI_BASE_URL."""
        mode = self.mode or os.environ.get("STANCE_MODE") or None
        if mode is not None and mode not in MODES:
            raise UsageError(
                f"unknown mode '{mode}' (from STANCE_MODE or --mode): use one of "
                + ", ".join(MODES)
            )
        if self.backend not in BACKENDS:
            raise UsageError(f"unknown backend '{self.backend}': use one of {', '.join(BACKENDS)}")
        return replace(
            self,
            model=self.model or os.environ.get("STANCE_MODEL") or None,
            base_url=self.base_url or os.environ.get("OPENAI_BASE_URL") or None,
            mode=mode,  # type: ignore[arg-type]
        )

    @property
    def chosen_backend(self) -> Literal["llm", "rules"]:
        if self.backend == "auto":
            return "llm" if self.model else "rules"
        return self.backend
