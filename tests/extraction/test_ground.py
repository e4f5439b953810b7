from pathlib import Path

from stance.extraction.ground import Alignment, NormalizedText, align

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ARTICLE = (FIXTURES / "azernews-2024-04-03-blinken-aliyev.txt").read_text(encoding="utf-8")


def test_exact_quote_is_found_at_its_offsets():
    assert align("the meeting on April 5 is not against Azerbaijan", ARTICLE) == Alignment(
        1235, 1283, "exact"
    )


def test_run_together_words_align_after_normalisation():
    found = align("the trilateral meeting between the U.S., the European Union", ARTICLE)
    assert found == Alignment(207, 265, "normalized")
    assert ARTICLE[207:265] == "the trilateralmeeting between the U.S., the European Union"


def test_case_and_curly_quotes_do_not_matter():
    text = 'He said: "We will not accept this."'
    assert align("“we will NOT accept this”", text) == Alignment(10, 33, "normalized")


def test_small_typos_align_fuzzily_on_word_boundaries():
    found = align(
        "the main focus of the mentioned meting will be on the economic developmnt issues of "
        "Armenia",
        ARTICLE,
    )
    assert found == Alignment(487, 578, "fuzzy")
    assert ARTICLE[487:578] == (
        "the main focus of thementioned meeting will be on the economic development issues "
        "ofArmenia"
    )


def test_hallucinated_quote_is_rejected_with_a_reason():
    assert align("Blinken said the meeting is a plot against all of Azerbaijan", ARTICLE) == (
        Alignment(
            None,
            None,
            "rejected",
            "the quote is not in the text (closest match 74% similar, 90% needed)",
        )
    )


def test_a_quote_that_runs_past_the_text_is_rejected():
    found = align(
        "the main focus of the mentioned meeting will be on the economic development issues "
        "of Armenia and Georgia",
        ARTICLE,
    )
    assert found == Alignment(
        None, None, "rejected", "only 88% of the quote is in the text (90% needed)"
    )


def test_the_occurrence_nearest_the_hint_wins():
    text = "Smith said yes. Jones said no. Smith said yes."
    assert align("yes", text, hint=30) == Alignment(42, 45, "exact")
    assert align("yes", text) == Alignment(11, 14, "exact")


def test_empty_quote_is_rejected():
    assert align("  ", ARTICLE) == Alignment(None, None, "rejected", "the quote is empty")


def test_normalized_text_is_every_letter_and_digit_lowered_one_by_one() -> None:
    # NormalizedText.of goes run by run; character by character is the definition.
    def one_by_one(text: str) -> tuple[str, list[int]]:
        chars, offsets = [], []
        for i, ch in enumerate(text):
            if ch.isalnum():
                for low in ch.lower():
                    chars.append(low)
                    offsets.append(i)
        return "".join(chars), offsets

    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    for text in (every, "ΟΔΟΣ odos", "İstanbul _x_ ﬁne", "Ali\u200cyev, Antony\u200b Blinken"):
        found = NormalizedText.of(text)
        assert (found.chars, list(found.offsets)) == one_by_one(text)
