import pytest

from stance.core.names import initials, name_words, names_agree, targets_agree


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
        ("Secretary of State Antony J. Blinken", "Blinken"),
    ],
)
def test_names_that_agree(a, b):
    assert names_agree(a, b)
    assert names_agree(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ilham Aliyev", "Antony Blinken"),
        ("Bank", "Banking Group"),  # a prefix counts only when both words have 5+ letters
        ("the President", "Ilham Aliyev"),  # titles only: no name left to compare
        ("US", "European Union"),
    ],
)
def test_names_that_do_not_agree(a, b):
    assert not names_agree(a, b)


def test_initials_skip_function_words():
    assert initials("Securities and Exchange Commission") == "sec"
    assert initials("Bank for International Settlements") == "bis"


def test_targets_agree_on_similar_word_sets():
    assert targets_agree(
        "April 5 trilateral meeting (US-EU-Armenia)", "trilateral meeting April 5 US EU Armenia"
    )
    assert not targets_agree("COP29", "Munich Security Conference")
