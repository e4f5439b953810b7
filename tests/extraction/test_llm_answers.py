"""Answers written by hand to imitate what real chat models send, served one by one through
the loopback OpenAI-compatible server (testkit/fakeserver.py). No model is involved: each
answer is scripted here, and each test asserts what the extractor keeps of it.

A claim is summed up as (speaker, quote, grounding, reason, attribution, claim_type,
targets as (name, kind, stance, date)).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stance.core.errors import ModelError
from stance.core.models import Claim
from stance.extraction.config import ExtractorConfig
from stance.extraction.llm.extractor import LLMExtractor
from testkit.fakeserver import (
    FakeOpenAIServer,
    Reply,
    completion,
    content_reply,
    json_reply,
    md_json_reply,
    tool_reply,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ARTICLE = (FIXTURES / "azernews-2024-04-03-blinken-aliyev.txt").read_text(encoding="utf-8")
READOUT = (FIXTURES / "us-state-dept-2024-04-03-blinken-aliyev-readout.txt").read_text(
    encoding="utf-8"
)
NOT_AGAINST = "the meeting on April 5 is not against Azerbaijan"
BASELESS = (
    "the accusationsvoiced in the West about Azerbaijan intending to attack Armenia "
    "arecompletely baseless"
)
EVENT = "April 5 trilateral meeting (US-EU-Armenia)"


def blinken(**fields: Any) -> dict[str, Any]:
    return {
        "speaker": "Antony Blinken",
        "speaker_mention": "Antony Blinken",
        "cue": "underlined",
        "quote": NOT_AGAINST,
        "content": "Antony Blinken said the April 5 meeting is not directed against Azerbaijan.",
        "attribution": "indirect",
        "claim_type": "denial",
        "targets": [{"name": EVENT, "kind": "event", "stance": "support", "date": "2024-04-05"}],
    } | fields


def aliyev(**fields: Any) -> dict[str, Any]:
    return {
        "speaker": "Ilham Aliyev",
        "speaker_mention": "the head of state",
        "cue": "emphasized",
        "quote": BASELESS,
        "content": "Ilham Aliyev said Western accusations of an attack plan are baseless.",
        "attribution": "indirect",
        "claim_type": "denial",
        "targets": [{"name": "the West", "kind": "other", "stance": "oppose"}],
    } | fields


def summary(claim: Claim) -> tuple[Any, ...]:
    targets = tuple(
        (t.name, t.kind, t.stance, t.date.isoformat() if t.date else None) for t in claim.targets
    )
    return (
        claim.speaker,
        claim.quote,
        claim.grounding,
        claim.reason,
        claim.attribution,
        claim.claim_type,
        targets,
    )


BLINKEN_OK = ("Antony Blinken", NOT_AGAINST, "exact", None, "indirect", "denial",
              ((EVENT, "event", "support", "2024-04-05"),))  # fmt: skip
ALIYEV_OK = ("Ilham Aliyev", BASELESS, "exact", None, "indirect", "denial",
             (("the West", "other", "oppose", None),))  # fmt: skip


def run(
    server: FakeOpenAIServer, *replies: Reply, text: str = ARTICLE, **config: Any
) -> tuple[list[tuple[Any, ...]], int, str | None]:
    server.script(*replies)
    options = {"model": "scripted-model", "base_url": server.url, "max_wait": 0.05} | config
    extraction = LLMExtractor(ExtractorConfig(**options)).extract(text, published="2024-04-03")
    assert server.pending == 0
    return [summary(c) for c in extraction.claims], extraction.requests, extraction.notes


def target(**fields: Any) -> dict[str, Any]:
    return {"name": EVENT, "kind": "event", "stance": "support", "date": "2024-04-05"} | fields


# --- Labels repaired in place: one request, nothing lost -------------------------------------


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ({"stance": "Support"}, (EVENT, "event", "support", "2024-04-05")),
        ({"stance": "OPPOSE"}, (EVENT, "event", "oppose", "2024-04-05")),
        ({"stance": "against"}, (EVENT, "event", "oppose", "2024-04-05")),
        ({"stance": "positive"}, (EVENT, "event", "support", "2024-04-05")),
        ({"stance": "strongly oppose"}, (EVENT, "event", "oppose", "2024-04-05")),
        ({"stance": "not against"}, (EVENT, "event", "support", "2024-04-05")),
        ({"stance": "Neutral "}, (EVENT, "event", "neutral", "2024-04-05")),
        ({"date": "April 5"}, (EVENT, "event", "support", "2024-04-05")),
        ({"date": "5 April 2024"}, (EVENT, "event", "support", "2024-04-05")),
        ({"date": "2024-04-05T00:00:00"}, (EVENT, "event", "support", "2024-04-05")),
        ({"date": "unknown"}, (EVENT, "event", "support", None)),
        ({"date": None}, (EVENT, "event", "support", None)),
        ({"kind": "region"}, (EVENT, "other", "support", "2024-04-05")),
        ({"kind": "Meeting"}, (EVENT, "event", "support", "2024-04-05")),
        ({"kind": "COUNTRY"}, (EVENT, "country", "support", "2024-04-05")),
        ({"type": "event", "kind": None}, (EVENT, "event", "support", "2024-04-05")),
    ],
)
def test_target_labels_are_repaired(
    fake_server: FakeOpenAIServer, written: dict[str, Any], stored: tuple[Any, ...]
) -> None:
    answer = blinken(targets=[{k: v for k, v in target(**written).items() if v is not None}])
    claims, requests, notes = run(fake_server, tool_reply({"claims": [answer]}))
    assert claims == [BLINKEN_OK[:6] + ((stored,),)]
    assert (requests, notes) == (1, None)


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ({"attribution": "Direct"}, {"attribution": "direct"}),
        ({"attribution": "reported"}, {"attribution": "indirect"}),
        ({"attribution": None}, {"attribution": "indirect"}),  # read from the text: no marks
        ({"claim_type": "Denial"}, {"claim_type": "denial"}),
        ({"claim_type": "deny"}, {"claim_type": "denial"}),
        ({"claim_type": "assertion"}, {"claim_type": "statement"}),
        ({"claim_type": "something else"}, {"claim_type": "statement"}),
        ({"targets": "Azerbaijan"}, {"targets": (("Azerbaijan", "other", "neutral", None),)}),
        ({"targets": target()}, {}),  # one target, not in a list
        ({"targets": None}, {"targets": ()}),
        ({"speaker_mention": None}, {}),  # the speaker stands in for its mention
    ],
)
def test_claim_fields_are_repaired(
    fake_server: FakeOpenAIServer, written: dict[str, Any], stored: dict[str, Any]
) -> None:
    answer = {k: v for k, v in blinken(**written).items() if v is not None}
    claims, requests, _ = run(fake_server, tool_reply({"claims": [answer]}))
    fields = dict(zip(("speaker", "quote", "grounding", "reason", "attribution", "claim_type",
                       "targets"), BLINKEN_OK, strict=True))  # fmt: skip
    assert claims == [tuple((fields | stored).values())]
    assert requests == 1


def test_capitalised_keys_are_read(fake_server: FakeOpenAIServer) -> None:
    answer = {k.capitalize(): v for k, v in blinken().items()}
    claims, requests, _ = run(fake_server, tool_reply({"claims": [answer]}))
    assert (claims, requests) == ([BLINKEN_OK], 1)


def test_quote_wrapped_in_curly_quotes_is_grounded(fake_server: FakeOpenAIServer) -> None:
    claims, _, _ = run(fake_server, tool_reply({"claims": [blinken(quote=f"“{NOT_AGAINST}”")]}))
    assert claims == [BLINKEN_OK]


# --- One bad claim never costs the others -------------------------------------------------------


def test_claim_missing_content_is_rejected_alone(fake_server: FakeOpenAIServer) -> None:
    broken = {k: v for k, v in blinken().items() if k != "content"}
    answer = tool_reply({"claims": [aliyev(), broken]})
    claims, requests, notes = run(fake_server, answer, answer, answer)
    assert claims == [
        ALIYEV_OK,
        ("Antony Blinken", NOT_AGAINST, "rejected",
         "content: missing or empty; every claim needs speaker, quote, content",
         "indirect", "statement", ()),
    ]  # fmt: skip
    assert (requests, notes) == (3, "2 re-asks, 1 claim still failing (stored as rejected)")


def test_unknown_stance_rejects_only_its_claim(fake_server: FakeOpenAIServer) -> None:
    bad = blinken(targets=[target(stance="mixed feelings")])
    claims, _, _ = run(fake_server, *[tool_reply({"claims": [aliyev(), bad]})] * 3)
    assert claims[0] == ALIYEV_OK
    assert claims[1][2:4] == (
        "rejected",
        "targets[0]: has the stance 'mixed feelings'; use support, oppose or neutral",
    )


def test_negated_stance_label_is_not_guessed(fake_server: FakeOpenAIServer) -> None:
    bad = blinken(targets=[target(stance="not support")])
    claims, _, _ = run(fake_server, *[tool_reply({"claims": [bad]})] * 3)
    assert claims[0][2:4] == (
        "rejected",
        "targets[0]: has the stance 'not support'; use support, oppose or neutral",
    )


def test_reask_answered_with_only_the_fixed_claim_keeps_the_others(
    fake_server: FakeOpenAIServer,
) -> None:
    claims, requests, notes = run(
        fake_server,
        tool_reply({"claims": [aliyev(), blinken(speaker="the head of state")]}),
        tool_reply({"claims": [blinken()]}),
    )
    assert claims == [BLINKEN_OK, ALIYEV_OK]
    assert (requests, notes) == (2, "1 re-ask, 1 claim kept from an earlier answer")


def test_reask_answer_that_drops_the_bad_claim_keeps_it_rejected(
    fake_server: FakeOpenAIServer,
) -> None:
    invented = blinken(quote="the United States will never accept any corridor through Armenia")
    claims, _, notes = run(
        fake_server,
        tool_reply({"claims": [aliyev(), invented]}),
        tool_reply({"claims": [aliyev()]}),  # left out, as the correction allows
    )
    assert [c[2] for c in claims] == ["exact", "rejected"]
    assert claims[1][3].startswith("the quote is not in the text")
    assert notes == "1 re-ask, 1 claim still failing (stored as rejected)"


# --- The shape must be right ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wrong", "what"),
    [
        ({"extractions": [blinken()]}, 'it has no key "claims" (it has "extractions")'),
        ({"Claims": [blinken()]}, 'it has no key "claims" (it has "Claims")'),
        ({"result": {"claims": [blinken()]}}, 'it has no key "claims" (it has "result")'),
        ({"claims": None}, '"claims" must be a list, not NoneType'),
        (
            {"type": "object", "properties": {"claims": {"type": "array"}}},
            "it repeats the JSON schema instead of giving the claims",
        ),
    ],
)
def test_a_wrong_shape_that_persists_fails_the_run(
    fake_server: FakeOpenAIServer, wrong: dict[str, Any], what: str
) -> None:
    fake_server.script(*[tool_reply(wrong)] * 3)
    llm = LLMExtractor(ExtractorConfig(model="scripted-model", base_url=fake_server.url))
    with pytest.raises(ModelError) as raised:
        llm.extract(ARTICLE)
    assert str(raised.value) == (
        f"model 'scripted-model' at {fake_server.url} answered 3 times without a list of "
        f"claims ({what}): try a larger model or another --mode"
    )
    spent = raised.value.spent
    assert (spent.requests, spent.input_tokens, spent.output_tokens) == (3, 300, 60)  # type: ignore[attr-defined]
    correction = fake_server.requests[1].messages[-1]["content"]
    assert correction == (
        f"Your answer could not be used: {what}. Answer again with one JSON object whose only "
        'key is "claims", a list of claim objects (an empty list if the text has no claims). '
        "Do not repeat the schema."
    )


@pytest.mark.parametrize(
    "first",
    [
        tool_reply({"Claims": [blinken()]}),
        tool_reply([blinken()]),  # type: ignore[arg-type]
        content_reply("I found one claim: Blinken said the meeting is not against Azerbaijan."),
        content_reply(""),
        tool_reply({"$defs": {}, "properties": {}, "title": "ExtractionResult"}),
    ],
    ids=["wrong-case-key", "bare-list", "prose", "empty", "echoed-schema"],
)
def test_a_wrong_shape_then_a_right_one(fake_server: FakeOpenAIServer, first: Reply) -> None:
    claims, requests, notes = run(fake_server, first, tool_reply({"claims": [blinken()]}))
    assert (claims, requests, notes) == ([BLINKEN_OK], 2, "1 re-ask")
    # The re-ask does not send a long wrong answer back whole.
    assert len(fake_server.requests[1].messages[2]["content"]) <= 300


def test_an_empty_list_is_a_valid_answer_with_a_note(fake_server: FakeOpenAIServer) -> None:
    claims, requests, notes = run(fake_server, json_reply({"claims": []}), mode="json")
    assert (claims, requests, notes) == ([], 1, "the model found no claims in the text")


def test_an_answer_cut_at_the_output_limit_fails_with_advice(
    fake_server: FakeOpenAIServer,
) -> None:
    fake_server.script(content_reply('{"claims": [{"speaker": "Anto', finish_reason="length"))
    llm = LLMExtractor(ExtractorConfig(model="m", base_url=fake_server.url, mode="json"))
    with pytest.raises(ModelError) as raised:
        llm.extract(ARTICLE)
    assert "raise --max-tokens" in str(raised.value)
    assert raised.value.spent.requests == 1  # type: ignore[attr-defined]


# --- Modes and wrappers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "reply"),
    [
        ("md_json", md_json_reply({"claims": [blinken()]}, before="Sure! ")),
        ("json", json_reply({"claims": [blinken()]}, before="<think>one claim</think>")),
        ("json_schema", json_reply({"claims": [blinken()]})),
        ("tools", content_reply(json.dumps({"claims": [blinken()]}))),  # no tool call
        ("json", content_reply("```json\n" + json.dumps({"claims": [blinken()]}) + "\n```")),
    ],
    ids=["md_json-prose", "json-think", "json_schema", "tools-as-content", "json-fenced"],
)
def test_answers_in_every_wrapper_are_read(
    fake_server: FakeOpenAIServer, mode: str, reply: Reply
) -> None:
    claims, requests, _ = run(fake_server, reply, mode=mode)
    assert (claims, requests) == ([BLINKEN_OK], 1)


# --- Grounding that respects meaning -----------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "reason"),
    [
        (
            "the meeting on April 5 is against Azerbaijan",
            "the quote drops the negation 'not' that the text has there",
        ),
        (
            "the accusationsvoiced in the West about Azerbaijan intending to attack Armenia "
            "are not completely baseless",
            "the quote adds the negation 'not', which the text does not have there",
        ),
        (
            "the meeting on April 6 is not against Azerbaijan",
            "the quote changes a number of the text",
        ),
        (
            "the meeting on April 5 is … against Azerbaijan",
            "the words left out at the ellipsis hold a negation, so the quote says something "
            "else than the text",
        ),
    ],
)
def test_a_quote_that_changes_the_meaning_is_rejected(
    fake_server: FakeOpenAIServer, quote: str, reason: str
) -> None:
    answer = tool_reply({"claims": [blinken(quote=quote)]})
    claims, requests, _ = run(fake_server, answer, answer, answer)
    assert [c[2:4] for c in claims] == [("rejected", reason)]
    assert requests == 3  # re-asked, with the reason
    assert reason in fake_server.requests[1].messages[-1]["content"]


@pytest.mark.parametrize("ellipsis", ["…", "...", "[...]"])
def test_an_ellipsis_quote_of_real_fragments_is_grounded(
    fake_server: FakeOpenAIServer, ellipsis: str
) -> None:
    quote = f"such steps {ellipsis} will exacerbate arms race"
    claims, requests, _ = run(fake_server, tool_reply({"claims": [aliyev(quote=quote)]}))
    span = ARTICLE[ARTICLE.index("such steps") : ARTICLE.index("arms race") + len("arms race")]
    assert claims == [("Ilham Aliyev", span, "fuzzy", None, "indirect", "denial",
                       (("the West", "other", "oppose", None),))]  # fmt: skip
    assert requests == 1


def test_ellipsis_fragments_from_two_paragraphs_are_rejected(fake_server: FakeOpenAIServer) -> None:
    quote = "will exacerbate arms race in the region … the meeting on April 5 is not against"
    answer = tool_reply({"claims": [aliyev(quote=quote)]})
    claims, _, _ = run(fake_server, answer, answer, answer)
    assert [c[2:4] for c in claims] == [
        (
            "rejected",
            "the fragments are not in this order within one sentence or paragraph of the text",
        )
    ]


# --- Attribution checked against the text ------------------------------------------------------


def test_blinkens_sentence_given_to_aliyev_is_rejected(fake_server: FakeOpenAIServer) -> None:
    wrong = blinken(speaker="Ilham Aliyev", speaker_mention="The head of state")
    claims, _, _ = run(fake_server, *[tool_reply({"claims": [wrong]})] * 3)
    assert [c[:4] for c in claims] == [
        (
            "Ilham Aliyev",
            NOT_AGAINST,
            "rejected",
            "the text gives this quote to Antony Blinken, not to 'Ilham Aliyev': the speaker "
            "must be named in the quote's paragraph or the ones before",
        )
    ]


def test_the_outlet_is_never_the_speaker(fake_server: FakeOpenAIServer) -> None:
    wrong = aliyev(speaker="AzerNews", speaker_mention="AzerNews")
    claims, _, _ = run(fake_server, *[tool_reply({"claims": [wrong]})] * 3)
    assert [c[2:4] for c in claims] == [
        (
            "rejected",
            "'AzerNews' is the outlet that reports the text, not a speaker in it; give who the "
            "text says made the claim",
        )
    ]


def test_a_title_with_a_country_resolves_to_the_person(fake_server: FakeOpenAIServer) -> None:
    titled = aliyev(speaker="President of Azerbaijan")
    claims, requests, _ = run(fake_server, tool_reply({"claims": [titled]}))
    assert (claims, requests) == ([ALIYEV_OK], 1)


def test_a_body_the_text_names_is_accepted(fake_server: FakeOpenAIServer) -> None:
    quote = "there is no justification for increased tension on the border"
    said = {
        "speaker": "State Department",
        "speaker_mention": "The Secretary",
        "cue": "underscored",
        "quote": quote,
        "content": "The State Department said nothing justifies tension on the border.",
        "attribution": "indirect",
        "claim_type": "statement",
        "targets": [{"name": "Azerbaijan", "kind": "country", "stance": "neutral"}],
    }
    claims, requests, _ = run(fake_server, tool_reply({"claims": [said]}), text=READOUT)
    assert claims == [("State Department", quote, "exact", None, "indirect", "statement",
                       (("Azerbaijan", "country", "neutral", None),))]  # fmt: skip
    assert requests == 1


def test_usage_missing_from_an_answer_is_counted_as_unknown(
    fake_server: FakeOpenAIServer,
) -> None:
    message = {"role": "assistant", "content": json.dumps({"claims": [blinken()]})}
    fake_server.script(completion(message, usage=None))
    llm = LLMExtractor(ExtractorConfig(model="m", base_url=fake_server.url, mode="json"))
    extraction = llm.extract(ARTICLE)
    assert (extraction.requests, extraction.input_tokens, extraction.output_tokens) == (
        1,
        None,
        None,
    )
    assert [summary(c) for c in extraction.claims] == [BLINKEN_OK]


# --- What a run records --------------------------------------------------------------------------


def test_a_failed_run_records_its_cost_and_log_and_is_retried(
    fake_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from stance.cli import cli

    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    db = str(tmp_path / "s.db")
    ingest = ["ingest", str(article), "--db", db, "--model", "m", "--base-url", fake_server.url]
    fake_server.script(*[tool_reply({"extractions": [blinken()]})] * 3)
    failed = CliRunner().invoke(cli, ingest)
    fake_server.script(tool_reply({"claims": [blinken()]}))
    retried = CliRunner().invoke(cli, ingest)
    runs = json.loads(CliRunner().invoke(cli, ["runs", "--db", db, "--json"]).stdout)
    log = json.loads(CliRunner().invoke(cli, ["runs", "--db", db, "--log", "1", "--json"]).stdout)
    shown = CliRunner().invoke(cli, ["runs", "--db", db, "--log", "2"]).stdout

    assert (failed.exit_code, retried.exit_code) == (1, 0)
    assert [(r["status"], r["requests"], r["input_tokens"], r["output_tokens"]) for r in runs] == [
        ("failed", 3, 300, 60),
        ("ok", 1, 100, 20),
    ]
    assert [(c["run_id"], c["chunk"], c["attempt"]) for c in log] == [
        (1, 0, 1),
        (1, 0, 2),
        (1, 0, 3),
    ]
    assert [json.loads(c["request"])["model"] for c in log] == ["m"] * 3
    assert "extractions" in log[0]["response"]
    assert shown.startswith("## request 4 (chunk 1, attempt 1, ")
    assert "### system\n\nYou extract claims from news text" in shown
    assert "### answer\n\n" + json.dumps({"claims": [blinken()]}) in shown


# --- The author a statement names in its heading (scripted answers, written for this test) ----

STATEMENT = """Statement by the Ministry of Foreign Affairs of Norland on the border talks

The talks in Geneva ended on Friday after three days of meetings.

The delegations agreed on a timetable for a second round in May.

Observers from the neighbouring states attended the closing session.

We welcome the agreement reached in Geneva and call on both sides to respect it.
"""
WELCOME = "We welcome the agreement reached in Geneva and call on both sides to respect it."


def welcome(speaker: str) -> dict[str, Any]:
    return {
        "speaker": speaker,
        "speaker_mention": "We",
        "cue": "welcome",
        "quote": WELCOME,
        "content": f"{speaker} welcomed the Geneva agreement.",
        "attribution": "indirect",
        "claim_type": "statement",
        "targets": [{"name": "Geneva agreement", "kind": "other", "stance": "support"}],
    }


def test_a_statements_author_is_the_speaker_of_its_first_person_claims(
    fake_server: FakeOpenAIServer,
) -> None:
    # Four paragraphs below the heading: the author is not named near the quote.
    author = "Ministry of Foreign Affairs of Norland"
    claims, requests, _ = run(
        fake_server, tool_reply({"claims": [welcome(author)]}), text=STATEMENT
    )
    assert (claims, requests) == (
        [(author, WELCOME, "exact", None, "indirect", "statement",
          (("Geneva agreement", "other", "support", None),))],
        1,
    )  # fmt: skip


def test_someone_else_than_the_author_is_still_checked_at_the_quote(
    fake_server: FakeOpenAIServer,
) -> None:
    text = STATEMENT.replace("border talks", "border talks chaired by Ana Berg")
    wrong = tool_reply({"claims": [welcome("Ana Berg")]})
    claims, requests, _ = run(fake_server, wrong, wrong, wrong, text=text)
    assert [c[2:4] for c in claims] == [
        (
            "rejected",
            "the text does not name 'Ana Berg' near this quote: the speaker must be named in "
            "the quote's paragraph or the ones before",
        )
    ]
    assert requests == 3


def test_without_a_heading_naming_it_the_author_is_not_assumed(
    fake_server: FakeOpenAIServer,
) -> None:
    text = STATEMENT.replace("Statement by the Ministry", "Talks held by the Ministry")
    wrong = tool_reply({"claims": [welcome("Ministry of Foreign Affairs of Norland")]})
    claims, _, _ = run(fake_server, wrong, wrong, wrong, text=text)
    assert [c[2] for c in claims] == ["rejected"]
