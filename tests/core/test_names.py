import pytest

from stance.core.names import (
    MAX_EXTRA_WORDS,
    initials,
    metric_names_agree,
    name_words,
    names_agree,
    targets_agree,
)


def test_name_words_drop_titles_possessives_apostrophes_and_stops():
    assert name_words("U.S. Secretary of State Antony J. Blinken") == [
        "us",
        "antony",
        "j",
        "blinken",
    ]
    assert name_words("Armenia's") == ["armenia"]
    assert name_words("ASSISTANT SECRETARY O'BRIEN") == ["obrien"]
    assert name_words("the head of state") == ["head"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("IlhamAliyev", "Ilham Aliyev"),
        ("Aliyev", "President Ilham Aliyev"),
        ("Azerbaijan", "Azerbaijani"),
        ("SEC", "Securities and Exchange Commission"),
        ("U.S.", "United States"),
        ("Secretary of State Antony J. Blinken", "Blinken"),  # 1 word and 3: two more at most
        ("Aliyev", "Ilham Aliyev"),
        ("Acme", "Acme Holdings Group"),
        ("SEC", "Securities and Exchange Commission"),  # initials: no limit on the words
    ],
)
def test_names_that_agree(a, b):
    assert metric_names_agree(a, b)
    assert metric_names_agree(b, a)
    assert names_agree(a, b)  # what the metric accepts, a lookup accepts too
    assert names_agree(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ilham Aliyev", "Antony Blinken"),
        ("Bank", "Banking Group"),  # a prefix counts only when both words have 5+ letters
        ("the President", "Ilham Aliyev"),  # titles only: no name left to compare
        ("US", "European Union"),
        # Subset agreement stops when the longer name has three or more words more.
        ("CrowdStrike", "CrowdStrike's outside legal counsel at Quinn Emanuel"),
        ("Acme", "Acme Holdings Group Europe"),
        ("Blinken", "Antony John Michael Blinken"),
    ],
)
def test_names_that_do_not_agree(a, b):
    assert not metric_names_agree(a, b)
    assert not metric_names_agree(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("CrowdStrike", "CrowdStrike's outside legal counsel at Quinn Emanuel"),
        ("Acme", "Acme Holdings Group Europe"),
        ("Blinken", "Antony John Michael Blinken"),
        ("Brussels meeting", "the trilateral meeting to be held in Brussels tomorrow"),
    ],
)
def test_a_lookup_finds_long_names_the_metric_refuses(a, b):
    assert not metric_names_agree(a, b)
    assert names_agree(a, b)
    assert names_agree(b, a)


def test_the_word_limit_counts_words_after_titles_are_dropped():
    assert MAX_EXTRA_WORDS == 2
    # "President of the Republic Ilham Aliyev" keeps three words: two more than "Aliyev".
    assert name_words("President of the Republic Ilham Aliyev") == ["republic", "ilham", "aliyev"]
    assert metric_names_agree("Aliyev", "President of the Republic Ilham Aliyev")
    assert not metric_names_agree("Aliyev", "President of the Azerbaijani Republic Ilham Aliyev")


def test_targets_use_the_metric_word_limit():
    # 3 words and 6 ("for" is not a title word): three more, and the word sets are far apart.
    assert not targets_agree(
        "European Peace Facility", "European Peace Facility package for Armenia"
    )
    assert targets_agree("European Peace Facility", "European Peace Facility for Armenia")


def test_initials_skip_function_words():
    assert initials("Securities and Exchange Commission") == "sec"
    assert initials("Bank for International Settlements") == "bis"


def test_targets_agree_on_similar_word_sets():
    assert targets_agree(
        "April 5 trilateral meeting (US-EU-Armenia)", "trilateral meeting April 5 US EU Armenia"
    )
    assert not targets_agree("COP29", "Munich Security Conference")
