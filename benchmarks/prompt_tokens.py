"""Prompt tokens sent per document against the document's own length.

Each document goes to the loopback server through the LLM extractor (answers scripted, no
claims), and the request is measured: all its bytes, and its tokens counted with the
o200k_base encoding (the `bpe-openai` package, offline) over the message texts plus the
tool or schema definition. What is not the document is the fixed overhead: instructions,
the worked example, the schema. The chat format adds a few tokens per message on top.

    python -m benchmarks.prompt_tokens
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from benchmarks.common import MODEL, heading, table
from stance.extraction.config import ExtractorConfig
from stance.extraction.llm.extractor import LLMExtractor
from stance.extraction.llm.prompts import load_prompts
from testkit.corpus import gold_texts
from testkit.fakeserver import FakeOpenAIServer, RecordedRequest, content_reply, tool_reply

LENGTHS = (500, 1_000, 2_000, 4_000, 8_000, 12_000)


def token_counter() -> tuple[Callable[[str], int], str]:
    try:
        import bpe_openai
    except ImportError:
        return (lambda text: round(len(text.encode()) / 4)), "estimated as UTF-8 bytes / 4"
    encoding = bpe_openai.get_encoding("o200k_base")
    return (lambda text: len(encoding.encode(text))), "o200k_base (bpe-openai)"


def sent_text(request: RecordedRequest) -> str:
    """Everything in the request the model reads: messages, and tools or response format."""
    body = request.body or {}
    parts = [str(m.get("content") or "") for m in body.get("messages", [])]
    for key in ("tools", "response_format"):
        if key in body:
            parts.append(json.dumps(body[key]))
    return "\n".join(parts)


def measure(mode: str, text: str) -> RecordedRequest:
    with FakeOpenAIServer() as server:
        empty: dict[str, Any] = {"claims": []}
        server.responder = lambda body: (
            tool_reply(empty) if mode == "tools" else content_reply(json.dumps(empty))
        )
        config = ExtractorConfig(model=MODEL, base_url=server.url, mode=mode)  # type: ignore[arg-type]
        LLMExtractor(config).extract(text)
        [request] = server.chat_requests()
        return request


def main() -> None:
    heading("Prompt tokens per document", "python -m benchmarks.prompt_tokens")
    count, how = token_counter()
    corpus = "\n\n".join(text for text, _ in gold_texts())
    prompts = load_prompts()
    parts = dict(prompts.files)
    print(f"Tokens: {how}.\n")
    print(
        table(
            ["prompt part", "characters", "tokens"],
            [[name, f"{len(content):,}", f"{count(content):,}"] for name, content in parts.items()],
        )
    )
    print()
    rows = []
    for mode in ("tools", "json"):
        for length in LENGTHS:
            text = corpus[:length]
            request = measure(mode, text)
            sent = count(sent_text(request))
            own = count(text)
            rows.append(
                [
                    mode,
                    f"{length:,}",
                    f"{own:,}",
                    f"{int(request.headers['content-length']):,}",
                    f"{sent:,}",
                    f"{sent - own:,}",
                    f"{sent / own:.2f}",
                ]
            )
    print(
        table(
            [
                "mode",
                "document chars",
                "document tokens",
                "request bytes",
                "prompt tokens",
                "fixed overhead (tokens)",
                "prompt / document",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
