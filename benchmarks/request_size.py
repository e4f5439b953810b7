"""Bytes and tokens per request, stance beside LangExtract, for the same documents, built
offline by each tool's own code (no request is sent, no model involved).

- stance: `LLMExtractor.chat_request(chunk)`, the exact body the live path and a batch send
  for each chunk (`split_text`, 12,000 characters), in tool mode.
- LangExtract (google/langextract, from PyPI): its own pieces, as `lx.extract` assembles
  them for its OpenAI provider: the chunks of `chunking.ChunkIterator` (its default
  `max_char_buffer=1000`, and 12,000 as stance's), the prompt of
  `prompting.ContextAwarePromptBuilder` over a `QAPromptGenerator` with the format handler
  `lx.extract` makes, and the body of the provider's `_build_chat_completions_params` (its
  system message and response format included). Same instructions and worked examples as
  stance's (`benchmarks.peer.langextract_examples`).

Bytes: the body as JSON (UTF-8, compact separators); the fixed part is what a request carries
besides its chunk of the document. Tokens: o200k_base (the `bpe-openai` package, offline:
tiktoken would download its tables at run time) over the message texts plus the tool or
response-format definition; without `bpe-openai`, estimated as UTF-8 bytes / 4 (said so).

    python -m benchmarks.request_size
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from benchmarks.common import MODEL, ROOT, heading, table
from benchmarks.peer import langextract_examples
from benchmarks.prompt_tokens import token_counter
from stance.extraction.chunk import DEFAULT_CHUNK_CHARS, split_text
from stance.extraction.config import ExtractorConfig
from stance.extraction.llm.extractor import LLMExtractor
from testkit.corpus import gold_texts

LENGTHS = (1_000, 3_300, 12_000, 30_000)
UNUSED_URL = "http://127.0.0.1:9/v1"  # nothing is sent


def read_text(body: dict[str, Any]) -> str:
    """What the model reads in one request: messages, and tools or response format."""
    parts = [str(m.get("content") or "") for m in body.get("messages", [])]
    for key in ("tools", "response_format"):
        if key in body:
            parts.append(json.dumps(body[key]))
    return "\n".join(parts)


def body_bytes(body: dict[str, Any]) -> int:
    return len(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode())


def stance_requests(text: str) -> list[tuple[dict[str, Any], str]]:
    config = ExtractorConfig(backend="llm", model=MODEL, base_url=UNUSED_URL, mode="tools")
    extractor = LLMExtractor(config)
    return [(extractor.chat_request(c.text), c.text) for c in split_text(text, DEFAULT_CHUNK_CHARS)]


def langextract_builder(max_char_buffer: int) -> Callable[[str], list[tuple[dict[str, Any], str]]]:
    """LangExtract's requests for one text, made by its own code (see the module's docstring)."""
    import langextract as lx
    from langextract import chunking, prompting
    from langextract.core import format_handler, tokenizer
    from langextract.factory import ModelConfig, create_model

    examples = langextract_examples()
    model = create_model(
        config=ModelConfig(
            model_id=MODEL,
            provider="openai",
            provider_kwargs={"api_key": "not-needed", "base_url": UNUSED_URL},
        ),
        examples=examples,
        use_schema_constraints=True,  # lx.extract's default
    )
    handler, _ = format_handler.FormatHandler.from_resolver_params(
        resolver_params=None,
        base_format_type=lx.data.FormatType.JSON,
        base_use_fences=model.requires_fence_output,
        base_attribute_suffix=lx.data.ATTRIBUTE_SUFFIX,
        base_use_wrapper=True,
        base_wrapper_key=lx.data.EXTRACTIONS_KEY,
    )
    template = prompting.PromptTemplateStructured(
        description=(ROOT / "prompts" / "extract.md").read_text(encoding="utf-8"),
        examples=examples,
    )
    generator = prompting.QAPromptGenerator(template=template, format_handler=handler)

    def requests(text: str) -> list[tuple[dict[str, Any], str]]:
        builder = prompting.ContextAwarePromptBuilder(generator=generator)
        document = lx.data.Document(text=text, document_id="doc")
        chunks = chunking.ChunkIterator(
            text=text,
            max_char_buffer=max_char_buffer,
            tokenizer_impl=tokenizer.RegexTokenizer(),
            document=document,
        )
        made = []
        for chunk in chunks:
            prompt = builder.build_prompt(
                chunk.chunk_text, chunk.document_id, chunk.additional_context
            )
            body = model._build_chat_completions_params(prompt, {})  # noqa: SLF001
            made.append((body, chunk.chunk_text))
        return made

    return requests


def main() -> None:
    heading(
        "Bytes and tokens per request: stance and LangExtract, built offline by each tool",
        "python -m benchmarks.request_size",
    )
    from importlib.metadata import version

    import langextract  # noqa: F401  (fail early: pip install -e '.[bench]')

    count, how = token_counter()
    corpus = "\n\n".join(text for text, _ in gold_texts())
    while len(corpus) < max(LENGTHS):
        corpus += "\n\n" + corpus
    tools: list[tuple[str, Callable[[str], list[tuple[dict[str, Any], str]]]]] = [
        ("stance (tools mode)", stance_requests),
        ("LangExtract, max_char_buffer=1,000 (default)", langextract_builder(1000)),
        ("LangExtract, max_char_buffer=12,000", langextract_builder(DEFAULT_CHUNK_CHARS)),
    ]
    print(f"LangExtract {version('langextract')}; tokens: {how}.\n")
    rows = []
    for length in LENGTHS:
        text = corpus[:length]
        for name, build in tools:
            made = build(text)
            sizes = [body_bytes(body) for body, _ in made]
            tokens = [count(read_text(body)) for body, _ in made]
            fixed = [body_bytes(body) - len(chunk.encode()) for body, chunk in made]
            fixed_tokens = [t - count(chunk) for t, (_, chunk) in zip(tokens, made, strict=True)]
            rows.append(
                [
                    f"{length:,}",
                    name,
                    len(made),
                    f"{sum(sizes) / len(made):,.0f}",
                    f"{sum(tokens) / len(made):,.0f}",
                    f"{sum(fixed) / len(made):,.0f}",
                    f"{sum(fixed_tokens) / len(made):,.0f}",
                    f"{sum(sizes):,}",
                    f"{sum(tokens):,}",
                ]
            )
    print(
        table(
            [
                "document chars",
                "tool",
                "requests",
                "bytes / request",
                "tokens / request",
                "fixed bytes / request",
                "fixed tokens / request",
                "bytes, all requests",
                "tokens, all requests",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
