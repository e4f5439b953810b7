import pytest

from stance.extraction.speakers import is_role_mention, speaker_problem

TEXT = "President TomasRavel spoke. The head of state said it. U.S. officials disagreed."


@pytest.mark.parametrize(
    ("mention", "is_role"),
    [
        ("the head of state", True),
        ("The Secretary of State", True),
        ("He", True),
        ("Tomas Ravel", False),
        ("officials", False),
        ("Secretary Marsh", False),
        ("the Moldovan side", False),
    ],
)
def test_roles_and_pronouns_are_told_from_names(mention, is_role):
    assert is_role_mention(mention) is is_role


def test_a_named_speaker_found_in_run_together_text_is_accepted():
    assert speaker_problem("Tomas Ravel", TEXT) is None
    assert speaker_problem("U.S. officials", TEXT) is None


def test_speakers_that_cannot_stand_say_why():
    assert speaker_problem("the head of state", TEXT) == (
        "the speaker 'the head of state' is a role or pronoun; give the full name of the person "
        "or body as the text names it"
    )
    assert speaker_problem("Emmanuel Macron", TEXT) == (
        "the speaker 'Emmanuel Macron' is not named in the text"
    )
    assert speaker_problem(" ", TEXT) == "the speaker is empty"
