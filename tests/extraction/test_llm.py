"""The LLM extractor through the real openai and instructor code, against a loopback server.

Every answer here is scripted by the test (tests/fakeserver.py); no model is involved.
"""

from __future__ import annotations

import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from stance.core.errors import ModelError, UsageError
from stance.core.models import Claim, ExtractionResult, Target, schema_sha
from stance.extraction.api import extract
from stance.extraction.config import ExtractorConfig
from stance.extraction.llm.extractor import (
    SOURCE_KEY,
    CheckedExtractionResult,
    LLMExtractor,
    SourceText,
    strip_reasoning,
)
from stance.extraction.llm.prompts import load_prompts
from stance.extraction.llm.transport import retry_after
from testkit.fakeserver import (
    FakeOpenAIServer,
    content_reply,
    echo_claims,
    error_reply,
    free_port,
    json_reply,
    md_json_reply,
    tool_reply,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ARTICLE = (FIXTURES / "azernews-2024-04-03-blinken-aliyev.txt").read_text(encoding="utf-8")
SECRET_KEY = "sk-test-SECRET-0123456789abcdef"

BLINKEN_DENIAL = {
    "speaker": "Antony Blinken",
    "speaker_mention": "Antony Blinken",
    "cue": "underlined",
    "quote": "the meeting on April 5 is not against Azerbaijan",
    "content": "Antony Blinken said the April 5 meeting is not directed against Azerbaijan.",
    "attribution": "indirect",
    "claim_type": "denial",
    "targets": [
        {
            "name": "April 5 trilateral meeting (US-EU-Armenia)",
            "kind": "event",
            "stance": "support",
            "date": "2024-04-05",
        }
    ],
}
ALIYEV_BASELESS = {
    "speaker": "Ilham Aliyev",
    "speaker_mention": "the head of state",
    "cue": "emphasized",
    "quote": "the accusationsvoiced in the West about Azerbaijan intending to attack Armenia "
    "arecompletely baseless",
    "content": "Ilham Aliyev said Western accusations that Azerbaijan intends to attack Armenia "
    "are baseless.",
    "attribution": "indirect",
    "claim_type": "denial",
    "targets": [{"name": "the West", "kind": "other", "stance": "oppose"}],
}


def claim(**fields: Any) -> dict[str, Any]:
    """Blinken's denial with some fields changed."""
    return {**BLINKEN_DENIAL, **fields}


def checked(answer: dict[str, Any], start: int | None, end: int | None, **fields: Any) -> Claim:
    """The Claim the library must make of a scripted claim."""
    return Claim(**{**answer, **fields}, start=start, end=end)  # type: ignore[arg-type]


def extractor(server: FakeOpenAIServer, **config: Any) -> LLMExtractor:
    options: dict[str, Any] = {"model": "scripted-model", "base_url": server.url, "max_wait": 0.05}
    return LLMExtractor(ExtractorConfig(**(options | config)))


DENIAL_CHECKED = checked(BLINKEN_DENIAL, 1235, 1283, grounding="exact")
BASELESS_CHECKED = checked(ALIYEV_BASELESS, 1656, 1757, grounding="exact")


# --- Answers that fit, in each mode ------------------------------------------------------------


def test_tool_mode_answer_is_checked_and_counted(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(tool_reply({"claims": [ALIYEV_BASELESS, BLINKEN_DENIAL]}, usage=(812, 95)))
    llm = extractor(fake_server)

    extraction = llm.extract(ARTICLE, published="2024-04-03")

    assert extraction.model_dump() == {
        "claims": [DENIAL_CHECKED.model_dump(), BASELESS_CHECKED.model_dump()],
        "backend": "llm",
        "model": "scripted-model",
        "prompt_sha": load_prompts().sha("tools"),
        "schema_sha": schema_sha(),
        "input_tokens": 812,
        "output_tokens": 95,
        "requests": 1,
        "notes": None,
    }
    [request] = fake_server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer not-needed"
    assert request.body == {
        "model": "scripted-model",
        "messages": load_prompts().messages(ARTICLE, published="2024-04-03"),
        "tools": [
            {
                "type": "function",
                "function": {
                    "name": "ExtractionResult",
                    "description": "The whole answer of an extractor for one text.",
                    "parameters": {
                        k: v
                        for k, v in ExtractionResult.model_json_schema().items()
                        if k not in ("title", "description")
                    }
                    | {"required": []},
                },
            }
        ],
        "tool_choice": {"type": "function", "function": {"name": "ExtractionResult"}},
    }


@pytest.mark.parametrize(
    ("mode", "reply"),
    [
        ("json", json_reply({"claims": [BLINKEN_DENIAL]})),
        ("md_json", md_json_reply({"claims": [BLINKEN_DENIAL]})),
    ],
)
def test_json_modes_answer_is_checked(fake_server: FakeOpenAIServer, mode: str, reply: Any) -> None:
    fake_server.script(reply)
    extraction = extractor(fake_server, mode=mode).extract(ARTICLE)

    assert extraction.claims == [DENIAL_CHECKED]
    assert (extraction.requests, extraction.input_tokens, extraction.output_tokens) == (1, 100, 20)
    assert extraction.prompt_sha == load_prompts().sha(mode)
    [request] = fake_server.requests
    system, user = request.messages[0], request.messages[1]
    # instructor appends the JSON schema to our system prompt in the json modes
    assert system["role"] == "system"
    assert system["content"].startswith(load_prompts().system)
    assert '"ExtractedClaim"' in system["content"]
    ours = f"Published: unknown\nText:\n{ARTICLE}"
    if mode == "md_json":  # instructor adds its own request to the user message
        ours += (
            "\n\nReturn the correct JSON response within a ```json codeblock. not the JSON_SCHEMA"
        )
    assert user == {"role": "user", "content": ours}
    assert ("response_format" in request.body) is (mode == "json")


def test_api_key_and_base_url_come_from_the_environment(
    fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_server.url)
    fake_server.script(tool_reply({"claims": []}))

    extraction = LLMExtractor(ExtractorConfig(model="scripted-model")).extract(ARTICLE)

    assert extraction.claims == []
    assert fake_server.requests[0].headers["authorization"] == f"Bearer {SECRET_KEY}"


def test_empty_text_sends_no_request(fake_server: FakeOpenAIServer) -> None:
    extraction = extractor(fake_server).extract("  \n ")
    assert (extraction.claims, extraction.requests, extraction.input_tokens) == ([], 0, None)
    assert fake_server.requests == []


def test_a_model_is_required() -> None:
    with pytest.raises(UsageError) as raised:
        LLMExtractor(ExtractorConfig())
    assert str(raised.value) == (
        "the llm backend needs a model: pass --model NAME or set STANCE_MODEL"
    )


# --- Re-asks -------------------------------------------------------------------------------------


def test_answer_that_breaks_the_schema_is_reasked(fake_server: FakeOpenAIServer) -> None:
    broken = {"claims": [{"speaker": "Antony Blinken", "quote": BLINKEN_DENIAL["quote"]}]}
    fake_server.script(tool_reply(broken), tool_reply({"claims": [BLINKEN_DENIAL]}))

    extraction = extractor(fake_server).extract(ARTICLE)

    assert extraction.claims == [DENIAL_CHECKED]
    assert (extraction.requests, extraction.input_tokens, extraction.output_tokens) == (2, 200, 40)
    first, second = fake_server.requests
    assert second.messages[:2] == first.messages
    assistant, feedback = second.messages[2:]
    assert assistant["role"] == "assistant"
    assert json.loads(assistant["tool_calls"][0]["function"]["arguments"]) == broken
    assert feedback["role"] == "tool"
    assert feedback["tool_call_id"] == assistant["tool_calls"][0]["id"]
    assert feedback["content"].startswith("Validation Error found:\n")
    for field in ("speaker_mention", "cue", "content", "attribution"):
        assert f"claims.0.{field}\n  Field required" in feedback["content"]


def test_role_as_speaker_is_reasked_and_corrected(fake_server: FakeOpenAIServer) -> None:
    as_role = {**ALIYEV_BASELESS, "speaker": "the head of state"}
    fake_server.script(tool_reply({"claims": [as_role]}), tool_reply({"claims": [ALIYEV_BASELESS]}))

    extraction = extractor(fake_server).extract(ARTICLE)

    assert extraction.claims == [BASELESS_CHECKED]
    assert extraction.requests == 2
    feedback = fake_server.requests[1].messages[-1]["content"]
    assert (
        "claims[0].speaker: the speaker 'the head of state' is a role or pronoun; give the full "
        "name of the person or body as the text names it"
    ) in feedback


def test_hallucinated_quote_is_kept_as_rejected_when_reasks_run_out(
    fake_server: FakeOpenAIServer,
) -> None:
    invented = claim(quote="Azerbaijan will never accept the trilateral format under any terms")
    answer = {"claims": [BLINKEN_DENIAL, invented]}
    fake_server.script(tool_reply(answer), tool_reply(answer))

    extraction = extractor(fake_server, max_reasks=1).extract(ARTICLE)

    reason = "the quote is not in the text (closest match 56% similar, 90% needed)"
    assert extraction.claims == [
        DENIAL_CHECKED,
        checked(invented, None, None, grounding="rejected", reason=reason),
    ]
    assert (extraction.requests, extraction.input_tokens, extraction.output_tokens) == (2, 200, 40)
    feedback = fake_server.requests[1].messages[-1]["content"]
    assert f"claims[1].quote {invented['quote']!r}: {reason}; copy the quote" in feedback


def test_quote_with_whitespace_fixed_by_the_model_is_grounded_normalized(
    fake_server: FakeOpenAIServer,
) -> None:
    # The source runs words together: "trilateralmeeting", "April5".
    spaced = claim(
        cue="said",
        quote="he received reports that the trilateral meeting between the U.S., the European "
        "Union, and Armenia on April 5 had caused concern on the Azerbaijani side",
    )
    fake_server.script(tool_reply({"claims": [spaced]}))

    [found] = extractor(fake_server).extract(ARTICLE).claims

    assert found == checked(
        spaced,
        182,
        331,
        grounding="normalized",
        quote="he received reports that the trilateralmeeting between the U.S., the European "
        "Union, and Armenia on April5 had caused concern on the Azerbaijani side",
    )
    assert ARTICLE[182:331] == found.quote
    assert len(fake_server.requests) == 1  # normalised grounding is no reason to re-ask


def test_answers_that_never_fit_the_schema_are_a_model_error(
    fake_server: FakeOpenAIServer,
) -> None:
    fake_server.script(content_reply("no claims here, sorry"), content_reply("still none"))

    with pytest.raises(ModelError) as raised:
        extractor(fake_server, mode="json", max_reasks=1).extract(ARTICLE)

    assert str(raised.value) == (
        f"model 'scripted-model' at {fake_server.url} gave no answer that fits the extraction "
        "schema in 2 attempts (1 validation error for ExtractionResult): try a larger model or "
        "another --mode"
    )


def test_validator_takes_the_source_from_a_pydantic_context() -> None:
    source = SourceText.of(ARTICLE)
    answer = {"claims": [claim(speaker="He")]}
    with pytest.raises(ValueError, match=r"claims\[0\]\.speaker: the speaker 'He' is a role"):
        CheckedExtractionResult.model_validate(answer, context={SOURCE_KEY: source})
    # Without a source there is nothing to check against.
    assert CheckedExtractionResult.model_validate(answer).claims[0].speaker == "He"


def test_checked_result_sends_the_extraction_schema() -> None:
    assert CheckedExtractionResult.model_json_schema() == ExtractionResult.model_json_schema()


def test_text_reaches_the_server_unchanged(fake_server: FakeOpenAIServer) -> None:
    # Template syntax in an article must not be rendered (instructor renders messages as
    # Jinja templates when given a validation context).
    text = "He said {{ text }} and {# not a comment {% if x %} ${text} $published.\n  \nEnd."
    fake_server.script(tool_reply({"claims": []}))

    extractor(fake_server).extract(text)

    assert fake_server.requests[0].messages[1]["content"] == f"Published: unknown\nText:\n{text}"


# --- Reasoning output ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "reply"),
    [
        (
            "json",
            json_reply(
                {"claims": [BLINKEN_DENIAL]},
                before='<think>The text has {"claims"}? Blinken denies it.</think>\n',
            ),
        ),
        ("json", json_reply({"claims": [BLINKEN_DENIAL]}, before="Reasoning only.</think>\n\n")),
        (
            "md_json",
            md_json_reply(
                {"claims": [BLINKEN_DENIAL]}, before="<think>\n{not json}\n```\n</think>\n"
            ),
        ),
        (
            "tools",
            tool_reply({"claims": [BLINKEN_DENIAL]}, content="<think>call the tool</think>"),
        ),
    ],
)
def test_reasoning_before_the_answer_is_ignored(
    fake_server: FakeOpenAIServer, mode: str, reply: Any
) -> None:
    fake_server.script(reply)
    extraction = extractor(fake_server, mode=mode).extract(ARTICLE)
    assert extraction.claims == [DENIAL_CHECKED]
    assert extraction.requests == 1


def test_strip_reasoning() -> None:
    assert strip_reasoning('<think>a</think>\n<THINKING>b</THINKING>{"x": 1}') == '{"x": 1}'
    assert strip_reasoning('half a thought</think> {"x": 1}') == '{"x": 1}'
    assert strip_reasoning('{"x": "a</b>"}') == '{"x": "a</b>"}'


# --- Transport failures ------------------------------------------------------------------------


def test_rate_limit_honours_retry_after(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(
        error_reply(429, "slow down", error_type="rate_limit_error", headers={"Retry-After": "1"}),
        tool_reply({"claims": [BLINKEN_DENIAL]}),
    )
    began = time.monotonic()
    extraction = extractor(fake_server, max_wait=5).extract(ARTICLE)
    waited = time.monotonic() - began

    assert extraction.claims == [DENIAL_CHECKED]
    assert (extraction.requests, extraction.input_tokens, extraction.output_tokens) == (2, 100, 20)
    assert 1.0 <= waited < 3.0
    assert len(fake_server.requests) == 2


def test_retry_after_beyond_the_wait_budget_gives_up_at_once(
    fake_server: FakeOpenAIServer,
) -> None:
    fake_server.script(error_reply(429, "slow down", headers={"Retry-After": "120"}))

    with pytest.raises(ModelError) as raised:
        extractor(fake_server, max_wait=10).extract(ARTICLE)

    assert str(raised.value) == (
        f"the model server at {fake_server.url} answered HTTP 429 and asks to wait 120 s, "
        "more than the 10 s allowed: retry later"
    )
    assert len(fake_server.requests) == 1


def test_server_errors_until_attempts_run_out(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(*[error_reply(502, "bad gateway", error_type="server_error")] * 3)

    with pytest.raises(ModelError) as raised:
        extractor(fake_server, max_attempts=3).extract(ARTICLE)

    assert str(raised.value) == (
        f"the model server at {fake_server.url} failed with HTTP 502 (3 attempts: bad gateway): "
        "check the server, then retry"
    )
    assert len(fake_server.requests) == 3
    assert fake_server.pending == 0


def test_server_error_then_success(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(error_reply(500, "oops"), tool_reply({"claims": [BLINKEN_DENIAL]}))
    extraction = extractor(fake_server).extract(ARTICLE)
    assert (extraction.claims, extraction.requests) == ([DENIAL_CHECKED], 2)


def test_timeout_is_retried(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(
        tool_reply({"claims": []}, delay=1.0), tool_reply({"claims": [BLINKEN_DENIAL]})
    )
    extraction = extractor(fake_server, timeout=0.3).extract(ARTICLE)
    assert (extraction.claims, extraction.requests) == ([DENIAL_CHECKED], 2)
    assert (extraction.input_tokens, extraction.output_tokens) == (100, 20)


def test_timeouts_until_attempts_run_out(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(*[tool_reply({"claims": []}, delay=1.0)] * 2)
    with pytest.raises(ModelError) as raised:
        extractor(fake_server, timeout=0.2, max_attempts=2).extract(ARTICLE)
    assert str(raised.value) == (
        f"the model server at {fake_server.url} did not answer within 0.2 s (2 attempts): "
        "is it overloaded or still loading the model? retry later"
    )


def test_unknown_model_is_not_retried(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(
        error_reply(404, "The model `no-such-model` does not exist.", code="model_not_found")
    )

    with pytest.raises(ModelError) as raised:
        extractor(fake_server, model="no-such-model").extract(ARTICLE)

    assert str(raised.value) == (
        f"the server at {fake_server.url} does not know model 'no-such-model': check --model "
        f"(GET {fake_server.url}/models lists the models it serves)"
    )
    assert len(fake_server.requests) == 1


def test_wrong_base_url_path(fake_server: FakeOpenAIServer) -> None:
    base = fake_server.url.removesuffix("/v1")
    with pytest.raises(ModelError) as raised:
        extractor(fake_server, base_url=base).extract(ARTICLE)
    assert str(raised.value) == (
        f"the server at {base} has no chat completions endpoint (HTTP 404): check "
        "--base-url/OPENAI_BASE_URL (it usually ends in /v1)"
    )
    assert [r.path for r in fake_server.requests] == ["/chat/completions"]


def test_bad_request_in_tool_mode_suggests_another_mode(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(error_reply(400, "tools are not supported by this model"))
    with pytest.raises(ModelError) as raised:
        extractor(fake_server).extract(ARTICLE)
    assert str(raised.value) == (
        f"the server at {fake_server.url} rejected the request for model 'scripted-model' "
        "(HTTP 400: tools are not supported by this model): if the model cannot call tools, "
        "try --mode json or --mode md_json"
    )
    assert len(fake_server.requests) == 1


def test_unreachable_server() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    llm = LLMExtractor(
        ExtractorConfig(model="scripted-model", base_url=url, max_attempts=2, max_wait=0.05)
    )
    with pytest.raises(ModelError) as raised:
        llm.extract(ARTICLE)
    assert str(raised.value) == (
        f"cannot reach the model server at {url}: is it running? check --base-url/OPENAI_BASE_URL"
    )


# --- The API key stays secret --------------------------------------------------------------------


@pytest.mark.parametrize(
    "replies",
    [
        [error_reply(401, f"Incorrect API key provided: {SECRET_KEY}", code="invalid_api_key")],
        [error_reply(400, f"bad request with key {SECRET_KEY}")],
        [error_reply(404, f"model not found for {SECRET_KEY}")],
        [error_reply(503, f"overloaded, key {SECRET_KEY}")] * 2,
        [error_reply(429, f"rate limited {SECRET_KEY}", headers={"Retry-After": "60"})],
        [content_reply("I cannot do that.")] * 2,
    ],
    ids=["401", "400", "404", "503", "429", "invalid-answers"],
)
def test_api_key_never_appears_in_errors_or_logs(
    fake_server: FakeOpenAIServer,
    caplog: pytest.LogCaptureFixture,
    replies: list[Any],
) -> None:
    fake_server.script(*replies)
    llm = extractor(fake_server, api_key=SECRET_KEY, mode="json", max_attempts=2, max_reasks=1)
    caplog.set_level(logging.DEBUG, logger="stance")

    with pytest.raises(ModelError) as raised:
        llm.extract(ARTICLE)

    assert fake_server.requests[0].headers["authorization"] == f"Bearer {SECRET_KEY}"
    error = raised.value
    shown = [str(error), repr(error), str(error.__cause__), str(error.__context__)]
    assert all(SECRET_KEY not in text for text in shown)
    assert error.__cause__ is None and error.__context__ is None
    assert all(SECRET_KEY not in record.getMessage() for record in caplog.records)


def test_api_key_not_in_unreachable_error() -> None:
    llm = LLMExtractor(
        ExtractorConfig(
            model="m",
            base_url=f"http://127.0.0.1:{free_port()}/v1",
            api_key=SECRET_KEY,
            max_attempts=1,
        )
    )
    with pytest.raises(ModelError) as raised:
        llm.extract(ARTICLE)
    assert SECRET_KEY not in str(raised.value)


def test_target_dates_are_parsed(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(tool_reply({"claims": [BLINKEN_DENIAL]}))
    [found] = extractor(fake_server).extract(ARTICLE).claims
    assert found.targets == [
        Target.model_validate(BLINKEN_DENIAL["targets"][0]),
    ]
    assert found.targets[0].date is not None and found.targets[0].date.isoformat() == "2024-04-05"


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after": "2"}, 2.0),
        ({"retry-after": "Wed, 03 Apr 2024 10:00:00 GMT"}, 0.0),  # a date in the past
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after(headers: dict[str, str], seconds: float | None) -> None:
    error = SimpleNamespace(response=SimpleNamespace(headers=headers))
    assert retry_after(error) == seconds  # type: ignore[arg-type]


def test_one_extractor_serves_threads_without_mixing_their_counts() -> None:
    with FakeOpenAIServer(latency=0.5) as server:
        server.responder = echo_claims([BLINKEN_DENIAL, ALIYEV_BASELESS])
        llm = extractor(server)
        texts = [ARTICLE, ARTICLE[:1300], ARTICLE[1300:], ARTICLE]
        with ThreadPoolExecutor(max_workers=4) as pool:
            extractions = list(pool.map(llm.extract, texts))

    assert [len(e.claims) for e in extractions] == [2, 1, 1, 2]
    assert extractions[2].claims == [
        checked(ALIYEV_BASELESS, 1656 - 1300, 1757 - 1300, grounding="exact")
    ]
    assert [(e.requests, e.input_tokens) for e in extractions] == [(1, 100)] * 4
    assert server.most_in_flight == 4  # the four requests ran at the same time


def test_library_extract_uses_the_llm_backend(fake_server: FakeOpenAIServer) -> None:
    invented = claim(quote="a sentence that the article never had in it at all")
    fake_server.script(*[tool_reply({"claims": [BLINKEN_DENIAL, invented]})] * 3)

    found = extract(ARTICLE, backend="llm", model="scripted-model", base_url=fake_server.url)

    assert found == [DENIAL_CHECKED]  # the rejected claim is kept, but only shown on request
    assert fake_server.pending == 0  # two re-asks by default
