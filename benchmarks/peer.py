"""stance and Google's LangExtract side by side, against the same loopback server, on the
same 50 synthetic articles, in the same run: requests made, prompt bytes sent, wall time.

Both tools get the same instructions and the same worked examples: LangExtract's
`prompt_description` is stance's prompts/extract.md, and its examples are those of stance's
prompts/example.md turned into LangExtract `ExampleData` (same texts, same claims, the
claim's fields as attributes). LangExtract talks to the server through its OpenAI provider
(`ModelConfig(provider="openai", provider_kwargs={"base_url": ...})`).

The server's answers are SCRIPTED, not a model's: for stance, the claims of its text in
stance's schema (a tool call); for LangExtract, the same claims in LangExtract's own answer
format (`{"extractions": [{"claim": quote, "claim_attributes": {...}}]}`) for the chunk it
sent. So the numbers compare what each tool sends, not extraction quality.

Each tool runs as its own child process (wall time includes its start-up), with 10 requests
in flight: LangExtract's default `max_workers=10`, `stance ingest --concurrency 10`.
LangExtract runs twice: with its default `max_char_buffer=1000`, and with 12,000 (stance's
chunk size).

    python -m benchmarks.peer [--articles 50] [--latency 0.5]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.common import (
    MODEL,
    ROOT,
    Measured,
    checked,
    clean_env,
    heading,
    run,
    stance,
    table,
)
from stance.extraction.chunk import DEFAULT_CHUNK_CHARS
from testkit.corpus import all_claims, synthetic_articles, write_articles
from testkit.fakeserver import FakeOpenAIServer, RecordedRequest, Reply, content_reply, echo_claims

CONCURRENCY = 10
FIELDS = ("speaker", "speaker_mention", "cue", "content", "attribution", "claim_type")


def targets_text(claim: dict[str, Any]) -> str:
    return "; ".join(
        f"{t['name']} ({t.get('kind', 'other')}, {t.get('stance', 'neutral')})"
        for t in claim["targets"]
    )


def langextract_answer(claims: list[dict[str, Any]], body: dict[str, Any]) -> Reply:
    """The claims of the chunk LangExtract sent, in LangExtract's answer format."""
    prompt = str(body["messages"][-1]["content"])
    chunk = prompt[prompt.rindex("\nQ: ") + 4 : prompt.rindex("\nA:")]
    extractions = [
        {
            "claim": claim["quote"],
            "claim_attributes": {
                **{name: claim[name] for name in FIELDS},
                "targets": targets_text(claim),
            },
        }
        for claim in claims
        if claim["quote"] in chunk
    ]
    return content_reply(json.dumps({"extractions": extractions}))


def langextract_examples() -> list[Any]:
    """stance's worked examples (prompts/example.md: "Text: ..." then its claims) as
    LangExtract `ExampleData`: same texts, same claims, the claim's fields as attributes."""
    import langextract as lx

    example_md = (ROOT / "prompts" / "example.md").read_text(encoding="utf-8")
    examples = []
    for block in example_md.split("\nText: ")[1:]:
        text, answer = block.split("\n", 1)
        claims = json.loads(answer.strip())["claims"]
        examples.append(
            lx.data.ExampleData(
                text=text,
                extractions=[
                    lx.data.Extraction(
                        extraction_class="claim",
                        extraction_text=claim["quote"],
                        attributes={
                            **{name: claim[name] for name in FIELDS},
                            "targets": targets_text(claim),
                        },
                    )
                    for claim in claims
                ],
            )
        )
    return examples


def run_langextract(folder: Path, url: str, max_char_buffer: int, out: Path) -> None:
    """In the child process: LangExtract over every article of the folder."""
    import langextract as lx
    from langextract.factory import ModelConfig

    prompts = ROOT / "prompts"
    documents = [
        lx.data.Document(text=path.read_text(encoding="utf-8").split("\n\n", 1)[1],
                         document_id=path.stem)
        for path in sorted(folder.glob("*.txt"))
    ]  # fmt: skip
    results = lx.extract(
        text_or_documents=documents,
        prompt_description=(prompts / "extract.md").read_text(encoding="utf-8"),
        examples=langextract_examples(),
        config=ModelConfig(
            model_id=MODEL,
            provider="openai",
            provider_kwargs={"api_key": "not-needed", "base_url": url},
        ),
        max_char_buffer=max_char_buffer,
        max_workers=CONCURRENCY,
        batch_length=CONCURRENCY,
        show_progress=False,
        # Its check of the examples fails on an example without extractions (stance's
        # "no claims" example); the examples are stance's own, grounded by stance's tests.
        prompt_validation_level=lx.prompt_validation.PromptValidationLevel.OFF,
    )
    grounded = sum(
        1 for doc in results for e in doc.extractions or [] if e.char_interval is not None
    )
    out.write_text(json.dumps({"grounded": grounded}), encoding="utf-8")


def prompt_bytes(request: RecordedRequest) -> int:
    """UTF-8 bytes of the message texts of a request."""
    return sum(len(str(m.get("content") or "").encode()) for m in request.messages)


def row(
    name: str, articles: int, requests: list[RecordedRequest], measured: Measured, found: str
) -> list[object]:
    body = sum(int(r.headers["content-length"]) for r in requests)
    messages = sum(prompt_bytes(r) for r in requests)
    return [
        name,
        len(requests),
        f"{len(requests) / articles:.1f}",
        f"{messages / articles:,.0f}",
        f"{body / articles:,.0f}",
        f"{measured.wall:.1f}",
        found,
    ]


def main() -> None:
    if sys.argv[1:2] == ["--run-langextract"]:
        folder, url, buffer, out = sys.argv[2:6]
        run_langextract(Path(folder), url, int(buffer), Path(out))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.5)
    options = parser.parse_args()
    heading(
        f"Peer: stance and LangExtract on {options.articles} synthetic articles, latency "
        f"{options.latency} s",
        f"python -m benchmarks.peer --articles {options.articles} --latency {options.latency}",
    )
    import langextract  # noqa: F401  (fail early: pip install -e '.[bench]')

    articles = synthetic_articles(options.articles)
    claims = all_claims(articles)
    stance_answer = echo_claims(claims)
    rows = []
    with (
        tempfile.TemporaryDirectory() as scratch_name,
        FakeOpenAIServer(latency=options.latency) as server,
    ):
        scratch = Path(scratch_name)
        folder = scratch / "articles"
        write_articles(articles, folder)
        server.responder = lambda body: (
            stance_answer(body) if "tools" in body else langextract_answer(claims, body)
        )

        seen = 0
        measured = checked(
            run(
                stance("ingest", str(folder), "--db", str(scratch / "stance.db"), "--model",
                       MODEL, "--base-url", server.url, "--concurrency", str(CONCURRENCY),
                       "--json", "--quiet"),
                env=clean_env(),
            ),
            "stance ingest",
        )  # fmt: skip
        requests = server.chat_requests()[seen:]
        seen += len(requests)
        stored = json.loads(measured.stdout)
        rows.append(
            row("stance", options.articles, requests, measured,
                f"{stored['claims']} stored, {stored['rejected']} rejected")
        )  # fmt: skip
        print(f"  stance: {measured.wall:.1f} s", flush=True)

        for buffer in (1000, DEFAULT_CHUNK_CHARS):
            out = scratch / f"langextract-{buffer}.json"
            command = [sys.executable, "-m", "benchmarks.peer", "--run-langextract",
                       str(folder), server.url, str(buffer), str(out)]  # fmt: skip
            measured = checked(run(command, env=clean_env()), "langextract")
            requests = server.chat_requests()[seen:]
            seen += len(requests)
            grounded = json.loads(out.read_text())["grounded"]
            name = f"LangExtract, max_char_buffer={buffer:,}" + (
                " (default)" if buffer == 1000 else ""
            )
            rows.append(row(name, options.articles, requests, measured, f"{grounded} grounded"))
            print(f"  {name}: {measured.wall:.1f} s", flush=True)
    print()
    print(
        table(
            [
                "tool",
                "requests",
                "requests / article",
                "prompt bytes / article (messages)",
                "request bytes / article (all)",
                "wall (s)",
                "extractions from the scripted answers",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
