import json
from typing import Any

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.core.errors import NotFoundError
from stance.query.compare import Comparison, compare
from stance.store.db import Store
from testkit.fake_extractor import FakeExtractor
from testkit.fakeserver import FakeOpenAIServer, Reply, tool_reply
from tests.compare_data import (
    AZERNEWS,
    AZERNEWS_CLAIMS,
    EEAS_CLAIMS,
    MFA_CLAIMS,
    OTHERS,
    READOUT_CLAIMS,
    claims_for,
    ingest_all,
    scripted,
)

AZ, TREND = "AzerNews", "Trend (written for stance tests)"
MFA, EEAS = (
    "Ministry of Foreign Affairs of Azerbaijan (written for stance tests)",
    "European External Action Service (written for stance tests)",
)
STATE = (
    "U.S. Department of State, Office of the Spokesperson (readout republished by norlynews.com)"
)
NOT_AGAINST = "the meeting on April 5 is not against Azerbaijan"
ANTI = AZERNEWS_CLAIMS[3]["quote"]  # "such steps carrying ananti-Azerbaijan nature, ..."


def quotes(claims: list[dict[str, Any]]) -> list[str]:
    return [c["quote"] for c in claims]


AZ_ABOUT = [q for q in quotes(AZERNEWS_CLAIMS) if "the West" not in q]  # 6 about the meeting
MFA_ABOUT, EEAS_ABOUT = quotes(MFA_CLAIMS)[:2], quotes(EEAS_CLAIMS)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "stance.db") as opened:
        ingest_all(opened, FakeExtractor(scripted))
        yield opened


def by_quote(result: Comparison) -> dict[int, str]:
    known = {a.claim_id: c.quote for s in result.speakers for c in s.claims for a in c.appearances}
    return known | {c.id: c.quote for c in result.other_claims}


def test_compare_puts_the_two_sides_of_the_april_5_meeting_next_to_each_other(store):
    result = compare(store, "April 5 meeting")
    assert (result.subject.label, result.subject.kind) == (
        "Armenia–EU–US meeting, Brussels, 2024-04-05",
        "event",
    )
    sides = [(s.name, s.stance, [c.quote for c in s.claims]) for s in result.speakers]
    assert sides == [
        ("Antony J. Blinken", "support", [AZ_ABOUT[0], AZ_ABOUT[1], NOT_AGAINST, EEAS_ABOUT[2]]),
        ("Josep Borrell", "support", [EEAS_ABOUT[0]]),
        ("Nikol Pashinyan", "support", [EEAS_ABOUT[1]]),
        ("Ilham Aliyev", "oppose", [AZ_ABOUT[2], ANTI, AZ_ABOUT[5]]),
        ("Aykhan Hajizada", "oppose", MFA_ABOUT),
    ]
    text = by_quote(result)
    speaker = {a.claim_id: s.name for s in result.speakers for c in s.claims for a in c.appearances}
    # One group per pair of speakers across the sides, strongest first: the real dispute
    # (Blinken's "not against Azerbaijan" against Aliyev's "anti-Azerbaijan nature") on top.
    groups = [(speaker[c.a], speaker[c.b], c.strength, c.count) for c in result.contradictions]
    assert groups == [
        ("Antony J. Blinken", "Ilham Aliyev", 3, 9),
        ("Antony J. Blinken", "Aykhan Hajizada", 2, 6),
        ("Josep Borrell", "Aykhan Hajizada", 2, 2),
        ("Josep Borrell", "Ilham Aliyev", 2, 3),
        ("Nikol Pashinyan", "Ilham Aliyev", 2, 3),
        ("Nikol Pashinyan", "Aykhan Hajizada", 2, 2),
    ]
    first = result.contradictions[0]
    assert (text[first.a], text[first.b], first.reason) == (
        NOT_AGAINST,
        ANTI,
        "Antony J. Blinken and Ilham Aliyev: one denies what the other asserts about "
        "Armenia–EU–US meeting, Brussels, 2024-04-05",
    )
    assert all(len(c.pairs) == c.count and (c.a, c.b) in c.pairs for c in result.contradictions)


def test_a_near_copy_is_one_claim_with_two_appearances(store):
    result = compare(store, "April 5 meeting")
    counts = {s.name: s.counts for s in result.speakers}
    assert counts["Ilham Aliyev"] == {"support": 0, "oppose": 3, "neutral": 0}
    assert counts["Antony J. Blinken"] == {"support": 3, "oppose": 0, "neutral": 1}
    assert sum(len(s.claims) for s in result.speakers) == 11
    azernews_claims = [c for s in result.speakers for c in s.claims if c.source == AZ]
    assert [[a.source for a in c.appearances] for c in azernews_claims] == [[AZ, TREND]] * 6


def test_each_source_reports_some_claims_and_leaves_out_the_others(store):
    result = compare(store, "April 5 meeting")
    text = by_quote(result)
    coverage = {
        s.source: (
            {text[i] for i in s.claim_ids},
            {text[i] for i in s.missing_claim_ids},
            [text[i] for i in s.other_claim_ids],
        )
        for s in result.sources
    }
    everything = set(AZ_ABOUT) | set(MFA_ABOUT) | set(EEAS_ABOUT)
    assert coverage == {
        AZ: (set(AZ_ABOUT), everything - set(AZ_ABOUT), [AZERNEWS_CLAIMS[5]["quote"]]),
        TREND: (set(AZ_ABOUT), everything - set(AZ_ABOUT), [AZERNEWS_CLAIMS[5]["quote"]]),
        MFA: (set(MFA_ABOUT), everything - set(MFA_ABOUT), quotes(MFA_CLAIMS)[2:]),
        EEAS: (set(EEAS_ABOUT), everything - set(EEAS_ABOUT), []),
        # The readout of the same call reports none of it, and other things instead.
        STATE: (set(), everything, quotes(READOUT_CLAIMS)),
    }


def test_an_entity_subject_and_clear_errors(store):
    result = compare(store, "the Azerbaijani side")
    assert (result.subject.name, result.subject.kind) == ("Azerbaijan", "country")
    with pytest.raises(
        NotFoundError,
        match=r"no entity or event matches 'Antony Blinkin'; "
        r"did you mean: 'Antony J. Blinken'",
    ):
        compare(store, "Antony Blinkin")
    # Two meetings in Brussels: the one with most claims is picked, and the note says so.
    result = compare(store, "Brussels meeting")
    assert (result.subject.id, [s.name for s in result.also_matched]) == (
        2,
        ["Talks, Brussels, 2023-07-15"],
    )
    assert result.note == (
        "'Brussels meeting' matches 2: picked Armenia–EU–US meeting, Brussels, 2024-04-05 "
        "(#2, event, 17 claims); also Talks, Brussels, 2023-07-15 (#13, event); give an #id "
        "to pick another"
    )
    assert compare(store, "#13").subject.name == "Talks, Brussels, 2023-07-15"


def cli_run(db: str, *args: str):
    return CliRunner().invoke(cli, [*args, "--db", db], catch_exceptions=False)


def test_compare_command_json_and_views(store):
    db = store.path
    shown = json.loads(cli_run(db, "compare", "April 5 meeting", "--json").stdout)
    assert {"subject", "speakers", "sources", "contradictions"} <= set(shown)
    assert {"name", "kind"} <= set(shown["subject"])
    assert {"name", "stance", "claims"} <= set(shown["speakers"][0])
    assert {"source", "claim_ids"} <= set(shown["sources"][0])
    assert {"a", "b", "reason"} <= set(shown["contradictions"][0])
    first = shown["speakers"][0]["claims"][0]
    assert set(first) >= {
        "id",
        "document_id",
        "source",
        "url",
        "published",
        "speaker",
        "cue",
        "quote",
        "targets",
        "grounding",
        "run_id",
        "backend",
        "model",
    }
    view = cli_run(db, "compare", "April 5 meeting").stdout
    for expected in (
        "SUPPORT side",
        "OPPOSE side",
        "Antony J. Blinken",
        "Ilham Aliyev",
        "Contradictions",
        "Source coverage",
        "all 11 claims about it",
    ):
        assert expected in view
    by_source = cli_run(db, "compare", "April 5 meeting", "--by", "source").stdout
    assert "0 reported, 11 left out" in by_source
    missing = cli_run(db, "compare", "Nothing Like It")
    assert missing.exit_code == 1 and missing.stderr.startswith("stance: error: no entity")


def test_compare_through_the_rules_extractor(tmp_path):
    from stance.extraction.rules.pipeline import RulesExtractor

    with Store(tmp_path / "rules.db") as store:
        ingest_all(store, RulesExtractor())
        result = compare(store, "April 5 meeting")
    stances = {s.name: s.stance for s in result.speakers}
    assert (stances["Antony J. Blinken"], stances["Ilham Aliyev"]) == ("support", "oppose")
    by_id = {
        a.claim_id: (s.name, c) for s in result.speakers for c in s.claims for a in c.appearances
    }
    assert any(
        {by_id[c.a][0], by_id[c.b][0]} == {"Antony J. Blinken", "Ilham Aliyev"}
        for c in result.contradictions
    )
    # The Trend near-copy adds appearances, never claims.
    for _, claim in by_id.values():
        if claim.source == AZ:
            assert [a.source for a in claim.appearances] == [AZ, TREND]
    sources = {s.source: s for s in result.sources}
    assert len(sources[AZ].claim_ids) == len(sources[TREND].claim_ids)
    assert sources[STATE].claim_ids == [] and sources[STATE].other_claim_ids
    assert sources[MFA].claim_ids and sources[EEAS].claim_ids


def scripted_server(body: dict[str, Any]) -> Reply:
    """Answers as a model would: claims for a text, relations for a pair of claims."""
    tool = body["tools"][0]["function"]["name"]
    user = body["messages"][-1]["content"]
    if tool == "ExtractionResult":
        return tool_reply({"claims": claims_for(user)})
    if tool == "ClaimRelation":
        pair = json.loads(user)
        said = {pair["claim_a"]["quote"], pair["claim_b"]["quote"]}
        if said == {NOT_AGAINST, ANTI}:
            return tool_reply(
                {
                    "label": "contradicts",
                    "reason": "not against Azerbaijan vs anti-Azerbaijan nature",
                },
                name="ClaimRelation",
            )
        return tool_reply({"label": "unrelated", "reason": ""}, name="ClaimRelation")
    return tool_reply({"same_event": True, "reason": "same meeting"}, name="EventMatch")


def test_compare_through_the_scripted_model_server(tmp_path, fake_server: FakeOpenAIServer):
    fake_server.responder = scripted_server
    db = str(tmp_path / "llm.db")
    model = ["--backend", "llm", "--model", "test", "--base-url", fake_server.url]
    first = cli_run(
        db, "ingest", "-q", *model, "--source", AZ, "--published", "2024-04-03", str(AZERNEWS)
    )
    rest = cli_run(db, "ingest", "-q", *model, *(str(p) for p in OTHERS))
    assert first.exit_code == 0 and rest.exit_code == 0, rest.output
    # The model labels the relations in `stance resolve`; compare reads them.
    resolved = cli_run(db, "resolve", *model[2:])
    assert resolved.exit_code == 0, resolved.output
    asked = len(fake_server.chat_requests())
    shown = json.loads(cli_run(db, "compare", "April 5 meeting", "--json").stdout)
    sides = {s["name"]: (s["stance"], len(s["claims"])) for s in shown["speakers"]}
    assert sides == {
        "Antony J. Blinken": ("support", 4),
        "Josep Borrell": ("support", 1),
        "Nikol Pashinyan": ("support", 1),
        "Ilham Aliyev": ("oppose", 3),
        "Aykhan Hajizada": ("oppose", 2),
    }
    quote = {
        a["claim_id"]: c["quote"]
        for s in shown["speakers"]
        for c in s["claims"]
        for a in c["appearances"]
    }
    content = [
        (quote[c["a"]], quote[c["b"]], c["reason"])
        for c in shown["contradictions"]
        if c["kind"] == "content"
    ]
    assert content == [
        (
            NOT_AGAINST,
            ANTI,
            "not against Azerbaijan vs anti-Azerbaijan nature; Antony J. Blinken and Ilham "
            "Aliyev: one denies what the other asserts about Armenia–EU–US meeting, Brussels, "
            "2024-04-05",
        )
    ]
    assert shown["judge"] == "model test"
    assert len(fake_server.chat_requests()) == asked  # compare asks the model nothing
    # The relation labels are stored and cached: resolving again asks nothing new.
    assert cli_run(db, "resolve", *model[2:]).exit_code == 0
    assert len(fake_server.chat_requests()) == asked
