"""Precision patterns of the offline extractor on unseen news: page furniture, procedural
lines and speaker spans. Every text is invented for the test (new names, new wording)."""

from __future__ import annotations

from stance.core.models import Claim
from stance.extraction.rules.pipeline import RulesExtractor

EXTRACTOR = RulesExtractor()


def all_claims(text: str) -> list[Claim]:
    return EXTRACTOR.extract(text).claims


def kept(text: str) -> list[tuple[str, str]]:
    """(speaker, quote) of the claims queries show (rejected ones hidden)."""
    return [(c.speaker, c.quote) for c in all_claims(text) if c.grounding != "rejected"]


def test_headlines_and_decks_above_the_byline_are_no_claims_even_with_quotes() -> None:
    text = (
        "City Wire\n\nMarkets | Retail\n\n"
        'Grocer calls the fine "absurd" and says it will appeal\n\n'
        '"Pure theatre": Dunmore says regulator ignores the facts\n\n'
        "By Ann Lee\nMay 3, 2026\n\n"
        "The regulator fined Dunmore Foods on Monday. Dunmore said the fine was unfair.\n"
    )
    assert kept(text) == [("Dunmore Foods", "the fine was unfair")]


def test_a_labelled_headline_does_not_make_its_name_the_speaker_of_the_dateline() -> None:
    text = (
        'Osric: harbour plan "a wall around the bay"\n\n'
        "PELLMOUTH, March 4. /Bay Courier/. Harbour spokesman Osric Tamm said on Monday that "
        "the plan would close the old quay.\n\n"
        "Question: Will the quay reopen?\n\nAnswer: The quay will stay shut until June.\n"
    )
    assert kept(text) == [
        ("Osric Tamm", "the plan would close the old quay"),
        ("Osric Tamm", "The quay will stay shut until June"),
    ]


def test_briefing_housekeeping_and_referrals_are_no_claims() -> None:
    text = (
        "MS ODEGAARD: Hello, all. I have two announcements and then I'll gladly take "
        "questions. The ferry to Lisk resumes on Monday after repairs.\n\n"
        "QUESTION: Are soldiers on the ferry?\n\n"
        "MS ODEGAARD: The crew are all civilians. On the army's plans, please contact the "
        "Defence Ministry directly.\n\n"
        "QUESTION: And the fishermen held in Vorn?\n\n"
        "MS ODEGAARD: We don't have anything further on that this week. I won't speculate "
        "about their release.\n"
    )
    assert kept(text) == [
        ("Odegaard", "The ferry to Lisk resumes on Monday after repairs"),
        ("Odegaard", "The crew are all civilians"),
    ]


def test_an_excerpt_announcement_is_no_claim() -> None:
    text = (
        "Port spokeswoman Rina Vell said the dredging would finish in May. The following "
        "are excerpts from the transcript released by the port authority.\n"
    )
    assert kept(text) == [("Rina Vell", "the dredging would finish in May")]


def test_narration_after_a_quoted_exchange_is_not_the_answer() -> None:
    text = (
        "Harbour spokeswoman Rina Vell took questions on Monday.\n\n"
        "Question: Will the quay reopen?\n\n"
        "Answer: The quay will stay shut until June. We regret the delay.\n\n"
        "In Lisk, the mayor's spokesman Edwin Hart said the closure was costing the town "
        "dearly.\n"
    )
    assert kept(text) == [
        ("Rina Vell", "The quay will stay shut until June"),
        ("Rina Vell", "We regret the delay"),
        ("Edwin Hart", "the closure was costing the town dearly"),
    ]


def test_an_answer_that_goes_on_in_its_own_voice_stays_the_answer() -> None:
    text = (
        "Harbour spokeswoman Rina Vell took questions on Monday.\n\n"
        "Question: Will the quay reopen?\n\n"
        "Answer: The quay will stay shut until June.\n\n"
        "Mayor Edwin Hart has said that he wants it open. We expect him to pay for the "
        "repairs then.\n"
    )
    assert kept(text)[-1] == ("Rina Vell", "We expect him to pay for the repairs then")


def test_a_person_of_a_described_body_is_the_person_not_the_body() -> None:
    text = (
        "Mira Solberg said on Monday that she would testify.\n\n"
        "Mira Solberg of the watchdog Clean Bids Norland said the contract was a test of the "
        "new law.\n"
    )
    assert kept(text)[1] == ("Mira Solberg", "the contract was a test of the new law")


def test_a_place_word_is_not_a_body_named_after_it() -> None:
    text = (
        "The yard in Brindle will close next May and its fleet will move to Oakfield, the "
        "company confirmed on Friday. Nurses at Brindle General Hospital rely on the early "
        "coach.\n"
    )
    [claim] = all_claims(text)
    assert (claim.speaker, claim.grounding) == ("the company", "rejected")


def test_the_company_and_the_operator_are_the_coach_firm_named_before() -> None:
    text = (
        "Kestrel Coaches will close its yard in Brindle next May and move its fleet to "
        "Oakfield, the company confirmed on Friday.\n\n"
        "The operator said the move would save money and would not cut any of the routes.\n"
    )
    assert kept(text) == [
        (
            "Kestrel Coaches",
            "Kestrel Coaches will close its yard in Brindle next May and move its fleet to "
            "Oakfield",
        ),
        ("Kestrel Coaches", "the move would save money and would not cut any of the routes"),
    ]


def test_the_place_based_company_is_the_company_named_before() -> None:
    text = (
        "Orvane Foods, which makes frozen meals, has been in talks with the union for months. "
        "In its Monday statement, the Pellham-based company said that its own audit had found "
        "no fault in the plant.\n"
    )
    [claim] = all_claims(text)
    assert (claim.speaker, claim.speaker_mention, claim.grounding) == (
        "Orvane Foods",
        "the Pellham-based company",
        "exact",
    )


def test_a_place_based_company_no_body_fits_abstains() -> None:
    text = "In a statement, the Pellham-based company said that its audit had found no fault.\n"
    [claim] = all_claims(text)
    assert (claim.speaker, claim.grounding) == ("the company", "rejected")


def test_a_long_title_after_a_quotation_leads_up_to_the_person() -> None:
    text = (
        '"Nothing in this treaty is aimed at our neighbours," the Council\'s spokesperson for '
        "Foreign Trade and Fisheries Policy Anton Kessel told reporters in Brill.\n"
    )
    [claim] = all_claims(text)
    assert (claim.speaker, claim.grounding) == ("Anton Kessel", "exact")


def test_where_words_were_said_is_no_claim() -> None:
    text = '"The records will clear my client," Ola Berg said outside the courthouse.\n'
    assert kept(text) == [("Ola Berg", "The records will clear my client")]


def test_repeating_a_criticism_reports_no_proposition() -> None:
    text = (
        "Norland's fisheries ministry repeated its criticism of the deal on Tuesday. It said "
        "the quotas would empty the bay.\n"
    )
    assert [quote for _, quote in kept(text)] == ["the quotas would empty the bay"]


def test_a_statement_of_an_embassy_posted_to_a_body_is_the_embassys() -> None:
    text = (
        "Sources said the plan was shared by three members of the Council.\n\n"
        "Norland's embassy to the Council issued a short statement on Monday evening. "
        '"The deal covers quotas and nothing else. Its annexes will be published on '
        'Friday," the statement reads.\n'
    )
    assert kept(text)[1:] == [
        ("Norland's embassy", "The deal covers quotas and nothing else"),
        ("Norland's embassy", "Its annexes will be published on Friday"),
    ]


def test_one_who_was_told_is_no_speaker() -> None:
    text = "Mayor Ivo Rask was told on Friday that the bridge would close for a year.\n"
    assert all_claims(text) == []


def test_a_described_witness_who_is_expected_to_testify_says_nothing_yet() -> None:
    text = (
        "Bids were scored by a panel.\n\n"
        "The prosecution's key witness, former Belmar director Ivo Rask, was jailed in June "
        "for fraud and is expected to testify next week under a plea deal.\n"
    )
    assert all_claims(text) == []


def test_two_groups_speaking_together_are_the_speaker_as_written() -> None:
    text = "But tenants and council representatives say the new road will cut the village in two.\n"
    assert kept(text) == [
        ("tenants and council representatives", "the new road will cut the village in two")
    ]


def test_what_a_speaker_responds_to_is_not_the_speakers_claim() -> None:
    text = (
        "Harlow Freight has written to Dunmore Foods.\n\n"
        "Harlow's counsel Ena Voss responded on Monday to Dunmore's claim last week that the "
        "crash was caused by Harlow's own drivers.\n"
    )
    assert all_claims(text) == []


def test_a_statement_under_a_long_heading_is_its_authors() -> None:
    # Ministries head statements with the whole occasion: the author is the name before
    # "in connection with", however long the heading runs.
    text = (
        "Statement by the Ministry of Foreign Affairs of the Republic of Dalmora in connection "
        "with the meeting of the ministers of Ostrel, Varn and the Northern Compact to be held "
        "in Caskell on 3 February 2027 on the future of the river ports\n\n"
        "No: 17/27\n\n"
        "We consider the planned meeting an attempt to decide the future of the river without "
        "the countries that live on it.\n\n"
        "Dalmora has always supported trade on the river.\n"
    )
    assert kept(text) == [
        (
            "Ministry of Foreign Affairs of the Republic of Dalmora",
            "We consider the planned meeting an attempt to decide the future of the river "
            "without the countries that live on it",
        ),
        (
            "Ministry of Foreign Affairs of the Republic of Dalmora",
            "Dalmora has always supported trade on the river",
        ),
    ]
