"""Chunking long texts, and extraction over chunks against the scripted server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stance.core.models import Claim
from stance.extraction.chunk import (
    Chunk,
    merge_edge_duplicates,
    paragraph_starts,
    sentence_starts,
    split_text,
)
from stance.extraction.config import ExtractorConfig
from stance.extraction.llm.extractor import LLMExtractor
from stance.extraction.llm.prompts import load_prompts
from testkit.fakeserver import FakeOpenAIServer, Reply, echo_claims, tool_reply

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ARTICLE = (FIXTURES / "azernews-2024-04-03-blinken-aliyev.txt").read_text(encoding="utf-8")
GOLD = json.loads((FIXTURES / "seed-gold.jsonl").read_text(encoding="utf-8").splitlines()[0])

PARAGRAPHS = "Alpha one. Alpha two.\n\nBeta one. Beta two. Beta three.\n\nGamma one."


def test_short_text_is_one_chunk() -> None:
    assert split_text(ARTICLE) == [Chunk(0, ARTICLE)]
    assert split_text("", 10) == [Chunk(0, "")]


def test_boundaries() -> None:
    assert paragraph_starts(PARAGRAPHS) == [23, 56]
    assert sentence_starts(PARAGRAPHS) == [11, 23, 33, 43, 56]
    text = 'Mr. Smith met Dr. Jones. U.S. officials said no. Then 3 came! "Why?" she asked.'
    assert [text[s:] for s in sentence_starts(text)] == [
        'U.S. officials said no. Then 3 came! "Why?" she asked.',
        'Then 3 came! "Why?" she asked.',
        '"Why?" she asked.',
    ]


def test_cuts_at_paragraphs_first() -> None:
    assert split_text(PARAGRAPHS, 40) == [
        Chunk(0, "Alpha one. Alpha two.\n\n"),
        Chunk(23, "Beta one. Beta two. Beta three.\n\n"),
        Chunk(56, "Gamma one."),
    ]


def test_cuts_a_long_paragraph_at_sentences() -> None:
    assert split_text(PARAGRAPHS, 30) == [
        Chunk(0, "Alpha one. Alpha two.\n\n"),
        Chunk(23, "Beta one. Beta two. "),
        Chunk(43, "Beta three.\n\nGamma one."),
    ]


def test_cuts_a_long_sentence_at_whitespace_else_anywhere() -> None:
    assert split_text("abcdefghij klmnopqrstuvwxyz", 10) == [
        Chunk(0, "abcdefghij"),
        Chunk(10, " klmnopqrs"),
        Chunk(20, "tuvwxyz"),
    ]
    assert split_text("one two three four", 9) == [
        Chunk(0, "one two "),
        Chunk(8, "three "),
        Chunk(14, "four"),
    ]


def test_next_chunk_repeats_the_last_sentence() -> None:
    text = (
        "The first sentence of this paragraph is the long one here. Short one.\n\n"
        "Another paragraph follows it. Then the end."
    )
    assert split_text(text, 80) == [
        Chunk(0, "The first sentence of this paragraph is the long one here. Short one.\n\n"),
        Chunk(59, "Short one.\n\nAnother paragraph follows it. Then the end."),
    ]


@pytest.mark.parametrize("max_chars", [120, 300, 500, 800, 1200, 2000])
def test_chunks_cover_the_text_with_small_overlaps(max_chars: int) -> None:
    chunks = split_text(ARTICLE, max_chars)
    assert chunks[0].start == 0 and chunks[-1].end == len(ARTICLE)
    for chunk in chunks:
        assert chunk.text == ARTICLE[chunk.start : chunk.end]
        assert 0 < len(chunk.text) <= max_chars
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert before.start < after.start <= before.end  # no gap, always progress
        assert (before.end - after.start) * 4 <= max_chars  # at most a short sentence again


def _claim(speaker: str, start: int | None, end: int | None, quote: str = "q") -> Claim:
    grounding = "rejected" if start is None else "exact"
    return Claim(
        speaker=speaker,
        speaker_mention=speaker,
        cue="said",
        quote=quote,
        content="c",
        attribution="indirect",
        start=start,
        end=end,
        grounding=grounding,
    )


def test_merge_keeps_the_longer_of_overlapping_claims_across_chunks() -> None:
    cut_off = _claim("Ilham Aliyev", 100, 150)
    whole = _claim("Aliyev", 100, 180)  # the same speaker, by the metric's name rules
    other_speaker = _claim("Antony Blinken", 120, 160)
    nested_same_chunk = _claim("Ilham Aliyev", 10, 40)
    nested_other = _claim("Ilham Aliyev", 20, 30)
    invented = _claim("Ilham Aliyev", None, None, quote="not in the text")

    merged = merge_edge_duplicates(
        [
            [nested_same_chunk, nested_other, cut_off, invented],
            [whole, other_speaker, invented],
        ]
    )

    assert merged == [nested_same_chunk, nested_other, whole, other_speaker, invented]


def _as_extracted(gold_claim: dict[str, Any]) -> dict[str, Any]:
    """A gold claim as a scripted model answer would carry it."""
    return {
        "speaker": gold_claim["speaker"],
        "speaker_mention": gold_claim["speaker"],
        "cue": gold_claim["cue"],
        "quote": gold_claim["quote"],
        "content": gold_claim["quote"],
        "attribution": "indirect",
        "targets": gold_claim["targets"],
    }


def test_long_text_is_extracted_chunk_by_chunk(fake_server: FakeOpenAIServer) -> None:
    scripted = [_as_extracted(c) for c in GOLD["claims"]]
    # The first chunk ends with Blinken's "pointed out" sentence, which the second chunk
    # repeats; the answer for the first chunk has that claim cut short.
    cut_short = {**scripted[2], "quote": "the main focus of thementioned meeting"}
    answered: list[int] = []

    def respond(body: dict[str, Any]) -> Reply:
        text = body["messages"][1]["content"]
        claims = [c for c in scripted if c["quote"] in text]
        if not answered:
            claims = [cut_short if c is scripted[2] else c for c in claims]
        answered.append(len(claims))
        return tool_reply({"claims": claims})

    fake_server.responder = respond
    llm = LLMExtractor(
        ExtractorConfig(model="scripted-model", base_url=fake_server.url), chunk_chars=800
    )

    extraction = llm.extract(ARTICLE, published=GOLD["published"])

    chunks = split_text(ARTICLE, 800)
    assert [c.start for c in chunks] == [0, 447, 975, 1609, 2018, 2540]
    assert answered == [3, 3, 5, 3, 2, 4]  # 20 claims sent, 4 of them again at chunk edges
    assert [(c.speaker, c.start, c.end, c.grounding) for c in extraction.claims] == [
        (g["speaker"], g["start"], g["end"], "exact") for g in GOLD["claims"]
    ]
    assert [c.quote for c in extraction.claims] == [g["quote"] for g in GOLD["claims"]]
    assert (extraction.requests, extraction.input_tokens, extraction.output_tokens) == (
        6,
        600,
        120,
    )
    # Each request carried its chunk, and only its chunk.
    sent = [r.messages[1]["content"] for r in fake_server.requests]
    assert sent == [
        load_prompts().messages(c.text, published="2024-04-03")[1]["content"] for c in chunks
    ]


def test_chunks_in_md_json_mode_with_the_echo_responder(fake_server: FakeOpenAIServer) -> None:
    fake_server.responder = echo_claims([_as_extracted(c) for c in GOLD["claims"]], mode="md_json")
    llm = LLMExtractor(
        ExtractorConfig(model="scripted-model", base_url=fake_server.url, mode="md_json"),
        chunk_chars=2000,
    )

    extraction = llm.extract(ARTICLE)

    assert [(c.start, c.end) for c in extraction.claims] == [
        (g["start"], g["end"]) for g in GOLD["claims"]
    ]
    assert extraction.requests == len(split_text(ARTICLE, 2000)) == 2
