"""Invisible and control characters do not cut names, sentences or quotes."""

import stance
from stance.ingestion.pipeline import ingest
from stance.store.db import Store


def claims_of(text: str):
    found = stance.extract(text, backend="rules", include_rejected=True)
    for claim in found:
        if claim.grounding != "rejected":
            assert text[claim.start : claim.end] == claim.quote
    return [(c.speaker, c.quote, c.grounding) for c in found]


def test_a_zero_width_space_does_not_cut_a_name():
    text = "Antony\u200b Blinken said the meeting is not against Azerbaijan."
    assert claims_of(text) == [("Antony Blinken", "the meeting is not against Azerbaijan", "exact")]


def test_a_zero_width_non_joiner_inside_a_name_keeps_its_claim():
    text = "President Ilham Ali\u200cyev said the meeting has an anti-Azerbaijan nature."
    assert claims_of(text) == [
        ("Ilham Aliyev", "the meeting has an anti-Azerbaijan nature", "exact")
    ]


def test_a_quote_keeps_the_invisible_characters_of_the_stored_text():
    text = "Antony Blinken said the meeting\u2060 is not against Azer\u200dbaijan."
    assert claims_of(text) == [
        ("Antony Blinken", "the meeting\u2060 is not against Azer\u200dbaijan", "exact")
    ]


def test_a_nul_between_sentences_ends_the_first():
    text = (
        "Antony Blinken said the meeting is not against Azerbaijan.\x00"
        "Ilham Aliyev said it has an anti-Azerbaijan nature."
    )
    assert claims_of(text) == [
        ("Antony Blinken", "the meeting is not against Azerbaijan", "exact"),
        ("Ilham Aliyev", "it has an anti-Azerbaijan nature", "exact"),
    ]


def test_a_nul_after_the_first_8192_bytes_does_not_glue_a_span_across_it(tmp_path):
    filler = "The weather was mild and the streets were quiet that week. " * 150
    assert len(filler.encode()) > 8192
    path = tmp_path / "long.txt"
    path.write_bytes(
        (
            filler
            + "Antony Blinken said the meeting is not against Azerbaijan.\x00"
            + "Ilham Aliyev said it has an anti-Azerbaijan nature.\n"
        ).encode()
    )
    with Store(tmp_path / "s.db") as store:
        summary = ingest(store, path, stance.make_extractor())
        assert summary.count("new") == 1
        claims = store.claims()
    assert [(c.speaker, c.quote) for c in claims] == [
        ("Antony Blinken", "the meeting is not against Azerbaijan"),
        ("Ilham Aliyev", "it has an anti-Azerbaijan nature"),
    ]


def test_a_fuzzy_span_widens_to_whole_words_across_invisible_characters():
    from stance.extraction.ground import align

    text = (
        "On Monday President Ali\u200cyev declared that the meeting has an anti-Azerbaijan "
        "nature, officials said."
    )
    found = align("yev declared that the meetng has an anti-Azerbaijan nature", text)
    assert (found.status, text[found.start : found.end]) == (
        "fuzzy",
        "Ali\u200cyev declared that the meeting has an anti-Azerbaijan nature",
    )
