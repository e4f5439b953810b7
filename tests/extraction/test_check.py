from stance.core.models import Claim, ExtractedClaim
from stance.extraction.check import check_claims

TEXT = "Antony Blinken said the meeting is not against Azerbaijan. Aliyev disagreed."


def extracted(**fields) -> ExtractedClaim:
    base = {
        "speaker": "Antony Blinken",
        "speaker_mention": "Antony Blinken",
        "cue": "said",
        "quote": "the meeting is not against Azerbaijan",
        "content": "Antony Blinken said the meeting is not against Azerbaijan.",
        "attribution": "indirect",
        "claim_type": "statement",
        "targets": [],
    }
    return ExtractedClaim(**{**base, **fields})


def test_grounded_claim_takes_the_text_at_its_offsets():
    claims = check_claims(TEXT, [(extracted(quote="the meeting is NOT against  Azerbaijan"), 0)])
    assert claims == [
        Claim(
            **extracted(quote="the meeting is not against Azerbaijan").model_dump(),
            start=20,
            end=57,
            grounding="normalized",
        )
    ]


def test_claims_failing_a_check_are_kept_as_rejected():
    claims = check_claims(
        TEXT,
        [
            (extracted(quote="the meeting is a provocation"), 0),
            (extracted(speaker="the Secretary", speaker_mention="the Secretary"), 0),
        ],
    )
    assert [(c.grounding, c.start, c.reason) for c in claims] == [
        (
            "rejected",
            20,
            "the speaker 'the Secretary' is a role or pronoun; give the full name of the person "
            "or body as the text names it",
        ),
        ("rejected", None, "the quote is not in the text (closest match 67% similar, 90% needed)"),
    ]


def test_duplicates_of_one_span_and_speaker_merge():
    claims = check_claims(TEXT, [(extracted(), 0), (extracted(), 10)])
    assert len(claims) == 1
