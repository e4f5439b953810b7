"""The cleaned copy of a text that extractors match on, with offsets into the stored text."""

import pytest

from stance.core.text import CleanText


def test_a_text_without_odd_characters_is_its_own_clean_copy():
    clean = CleanText.of("Antony Blinken said so.")
    assert clean.text == "Antony Blinken said so."
    assert clean.span(0, 14) == (0, 14)


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060"])
def test_invisible_characters_are_removed_and_offsets_map_back(invisible):
    source = f"Antony{invisible} Blinken met Ali{invisible}yev."
    clean = CleanText.of(source)
    assert clean.text == "Antony Blinken met Aliyev."
    start = clean.text.index("Aliyev")
    assert clean.span(start, start + 6) == (source.index("Ali"), source.index("yev") + 3)
    assert source[slice(*clean.span(0, 14))] == f"Antony{invisible} Blinken"
    # A span never begins or ends with the invisible characters around it.
    assert source[slice(*clean.span(0, 6))] == "Antony"
    assert source[slice(*clean.span(6, 14))] == " Blinken"


def test_control_characters_between_words_separate_them_inside_a_word_join_it():
    source = "He said no.\x00Aliyev said yes.\x1b[2J Anto\x00ny Blin\x07ken spoke."
    clean = CleanText.of(source)
    assert clean.text == "He said no. Aliyev said yes. [2J Antony Blinken spoke."
    start = clean.text.index("Antony Blinken")
    assert source[slice(*clean.span(start, start + 14))] == "Anto\x00ny Blin\x07ken"


def test_every_offset_maps_into_the_source_in_order():
    source = "\u200ba\u200b\u200bb.\x00c\u200d"
    clean = CleanText.of(source)
    assert clean.text == "ab. c"
    assert [clean.to_source(i) for i in range(len(clean.text) + 1)] == [1, 4, 5, 6, 7, 9]
    assert [source[slice(*clean.span(i, i + 1))] for i in range(5)] == ["a", "b", ".", "\x00", "c"]
    assert clean.span(0, 5) == (1, 8)
