"""The accounts of the 5 April 2024 meeting used by the compare and timeline tests.

The two example texts (AzerNews, State Department readout) and the texts written for the
tests in fixtures/compare/, with the claims an extractor is scripted to return for each
(quotes verbatim from the texts). The same claims serve the scripted extractor and the
scripted OpenAI-compatible server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stance.core.models import ExtractedClaim
from stance.ingestion.pipeline import Metadata, ingest
from stance.store.db import Store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
AZERNEWS = FIXTURES / "azernews-2024-04-03-blinken-aliyev.txt"
READOUT = FIXTURES / "us-state-dept-2024-04-03-blinken-aliyev-readout.txt"
TREND = FIXTURES / "compare" / "trend-2024-04-03-blinken-aliyev-copy.txt"
MFA = FIXTURES / "compare" / "azerbaijan-mfa-2024-04-04-statement.txt"
EEAS = FIXTURES / "compare" / "eeas-2024-04-05-brussels-meeting.txt"
REPORT = FIXTURES / "compare" / "report-2023-07-15-aliyev-brussels-talks.txt"
# The AzerNews text has no header block: its source and date are given when ingesting it.
AZERNEWS_METADATA = Metadata(source="AzerNews", published="2024-04-03")
OTHERS = [READOUT, TREND, MFA, EEAS, REPORT]

BLINKEN, ALIYEV = "Antony Blinken", "Ilham Aliyev"


def claim(
    speaker: str, cue: str, quote: str, *targets: tuple[str, str, str], mention: str | None = None
) -> dict[str, Any]:
    return {
        "speaker": speaker,
        "speaker_mention": mention or speaker,
        "cue": cue,
        "quote": quote,
        "content": f"{speaker} {cue} that {quote}.",
        "attribution": "indirect",
        "claim_type": "statement",
        "targets": [{"name": n, "kind": k, "stance": s} for n, k, s in targets],
    }


AZERNEWS_CLAIMS = [
    claim(
        BLINKEN,
        "said",
        "he received reports that the trilateralmeeting between the U.S., the "
        "European Union, and Armenia on April5 had caused concern on the Azerbaijani side",
        (
            "the trilateralmeeting between the U.S., the European Union, and Armenia on April5",
            "event",
            "neutral",
        ),
        ("the Azerbaijani side", "country", "neutral"),
    ),
    claim(
        BLINKEN,
        "pointed out",
        "the main focus of thementioned meeting will be on the "
        "economic development issues ofArmenia",
        ("the mentioned meeting", "event", "support"),
        ("Armenia", "country", "support"),
        mention="The Secretary of State",
    ),
    claim(
        "President Ilham Aliyev",
        "highlighted",
        "discussions during the preparation "
        "processfor the trilateral meeting included topics such as military supportto Armenia",
        ("the trilateral meeting", "event", "oppose"),
        ("Armenia", "country", "oppose"),
        ("European Union", "organization", "oppose"),
    ),
    claim(
        ALIYEV,
        "emphasized",
        "such steps carrying ananti-Azerbaijan nature, including the "
        "policy of arming Armenia byFrance, will exacerbate arms race in the region and lead "
        "toprovocations",
        ("the trilateral meeting", "event", "oppose"),
        ("France", "country", "oppose"),
        mention="The head of state",
    ),
    claim(
        BLINKEN,
        "underlined",
        "the meeting on April 5 is not against Azerbaijan",
        ("the meeting on April 5", "event", "support"),
        ("Azerbaijan", "country", "support"),
    ),
    claim(
        ALIYEV,
        "emphasized",
        "the accusationsvoiced in the West about Azerbaijan intending to "
        "attack Armenia arecompletely baseless",
        ("the West", "other", "oppose"),
    ),
    claim(
        "IlhamAliyev",
        "according to",
        "failure to postpone thetrilateral meeting scheduled "
        "for April 5 between the United States,the European Union, and Armenia, despite "
        "Azerbaijan's justifiedconcerns, will lead to escalation of tension",
        (
            "the trilateral meeting scheduled for April 5 between the United States, the "
            "European Union, and Armenia",
            "event",
            "oppose",
        ),
    ),
]

READOUT_CLAIMS = [
    claim(
        "Secretary of State Antony J. Blinken",
        "underscored",
        "there is no justification for increased tension on the border",
        ("the border", "other", "neutral"),
    ),
    claim(
        "Secretary Blinken",
        "urged",
        "the release of those unjustly detained",
        ("Azerbaijan", "country", "oppose"),
    ),
]

MFA_CLAIMS = [
    claim(
        "Aykhan Hajizada",
        "said",
        "the trilateral meeting to be held in Brussels tomorrow "
        "undermines the peace process in the South Caucasus",
        ("the trilateral meeting to be held in Brussels tomorrow", "event", "oppose"),
    ),
    claim(
        "Hajizada",
        "stressed",
        "the assurances that the meeting is not directed against Azerbaijan are not convincing",
        ("the meeting", "event", "oppose"),
    ),
    claim(
        "Hajizada",
        "according to",
        "the European Union has abandoned its role as an "
        "impartial mediator between Baku and Yerevan",
        ("European Union", "organization", "oppose"),
    ),
    claim(
        ALIYEV,
        "said",
        "the European Union had turned the region into an arena of geopolitical confrontation",
        ("European Union", "organization", "oppose"),
    ),
]

EEAS_CLAIMS = [
    claim(
        "Josep Borrell",
        "said",
        "the high-level joint meeting of the Armenia-EU-USA in "
        "Brussels supports the resilience of Armenia and is not directed against any third "
        "country",
        ("the high-level joint meeting of the Armenia-EU-USA in Brussels", "event", "support"),
    ),
    claim(
        "Nikol Pashinyan",
        "said",
        "today's meeting opens a new chapter of partnership for Armenia",
        ("today's meeting", "event", "support"),
    ),
    claim(
        BLINKEN,
        "said",
        "the meeting is about the economic future of Armenia and is not aimed at Azerbaijan",
        ("the meeting", "event", "support"),
        ("Azerbaijan", "country", "neutral"),
    ),
]

REPORT_CLAIMS = [
    claim(
        "President Ilham Aliyev",
        "said",
        "the mediation of the European Union in the Brussels "
        "talks was useful for the peace process",
        ("European Union", "organization", "support"),
        ("the Brussels talks", "event", "support"),
    ),
    claim(
        "Aliyev",
        "noted",
        "the meeting in Brussels today with Nikol Pashinyan and Charles Michel was constructive",
        ("the meeting in Brussels today", "event", "support"),
        ("European Union", "organization", "support"),
    ),
]

# Which claims each text gets: a phrase only that text has → its claims.
SCRIPT: list[tuple[str, list[dict[str, Any]]]] = [
    ("Trend reports", AZERNEWS_CLAIMS),  # the near-copy: the same claims, the same words
    ("MENAFN- AzerNews", AZERNEWS_CLAIMS),
    ("Secretary Blinken and President Aliyev discussed", READOUT_CLAIMS),
    ("Aykhan Hajizada", MFA_CLAIMS),
    ("Josep Borrell", EEAS_CLAIMS),
    ("Charles Michel", REPORT_CLAIMS),
]


def claims_for(text: str) -> list[dict[str, Any]]:
    for phrase, claims in SCRIPT:
        if phrase in text:
            return claims
    raise AssertionError(f"no scripted claims for the text {text[:60]!r}")


def scripted(text: str) -> list[ExtractedClaim]:
    return [ExtractedClaim.model_validate(c) for c in claims_for(text)]


def ingest_all(store: Store, extractor: Any) -> None:
    """Ingest the six accounts: AzerNews with its metadata given, the others by header."""
    first = ingest(store, [str(AZERNEWS)], extractor, metadata=AZERNEWS_METADATA)
    rest = ingest(store, [str(p) for p in OTHERS], extractor)
    failed = [r for r in first.results + rest.results if r.status == "failed"]
    assert not failed, failed
