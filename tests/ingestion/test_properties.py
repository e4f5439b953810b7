"""Property-based tests of ingest on generated text: random Unicode, control and zero-width
characters, quote marks, very long lines. Whatever the text: no crash, every grounded claim's
quote is text[start:end], and a second ingest is cached with the same claims."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stance
from stance.ingestion.pipeline import ingest
from stance.store.db import Store

NAMES = ["Antony Blinken", "Ilham Aliyev", "the minister", "Mr. Pashinyan", "He", "Ali\u200cyev"]
CUES = ["said", "told reporters", "stressed that", "warned", "denied that", "according to"]
WORDS = ["the", "meeting", "is", "not", "against", "Azerbaijan", "Armenia", "peace", "talks"]
QUOTES = ['"', "“", "”", "'", "‘", "’", "«", "»", "„"]
ODD = ["\x00", "\x1b[2J", "\x07", "\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\r", "\t"]

pieces = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from(CUES),
    st.sampled_from(WORDS),
    st.sampled_from(QUOTES),
    st.sampled_from(ODD),
    st.sampled_from([" ", " ", " ", ". ", ", ", "\n", "\n\n"]),
    st.text(max_size=6),  # any Unicode, surrogates excluded by hypothesis
)
texts = st.lists(pieces, max_size=80).map("".join)
# One very long line: sentences of the pieces above repeated without a newline.
long_lines = st.lists(pieces, min_size=5, max_size=30).map(lambda p: " ".join(p) * 80)

# Only reasons an input may be refused; anything else is a defect.
REFUSALS = ("looks like a binary file", "the text is empty", "the file is empty", "not UTF-8 text")


def grounded(claims):
    return [c for c in claims if c.grounding != "rejected"]


def check_text(text: str) -> None:
    claims = stance.extract(text, backend="rules", include_rejected=True)
    for claim in grounded(claims):
        assert text[claim.start : claim.end] == claim.quote


def check_ingest(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    extractor = stance.make_extractor()
    with Store(":memory:") as store:
        first = ingest(store, ["-"], extractor, stdin=lambda: data)
        [result] = first.results
        if result.status == "failed":
            assert result.error and result.error.split(": ", 1)[1].startswith(REFUSALS)
            return
        assert result.status == "new"
        assert list(store.integrity_problems()) == []
        [document] = store.documents()
        assert document["id"] == result.document_id
        claims = store.claims()
        again = ingest(store, ["-"], extractor, stdin=lambda: data)
        assert [r.status for r in again.results] == ["cached"]
        assert store.claims() == claims
        assert len(store.documents()) == 1


FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(texts)
def test_extraction_keeps_the_evidence_invariant(text):
    check_text(text)


@FAST
@given(texts)
def test_ingest_never_crashes_and_a_second_ingest_is_cached(text):
    check_ingest(text)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(long_lines)
def test_very_long_lines(text):
    check_text(text)
    check_ingest(text)
