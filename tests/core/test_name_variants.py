from stance.core.name_variants import (
    org_key,
    org_short_form,
    person_variant,
    translit_key,
    trim_leading_junk,
    words_close,
)


def test_transliteration_keys_fold_the_alternations_spellings_disagree_on():
    assert [translit_key(w) for w in ("Pashinyan", "Pashinian", "Пашинян")] == ["pashinian"] * 3
    assert translit_key("Matthew") == translit_key("Mathew") == "matev"
    assert translit_key("Aykhan") == translit_key("Ayhan") == "aihan"
    assert translit_key("Hajizada") == translit_key("Hajizade") == translit_key("Hajızadə")
    assert translit_key("Maria") != translit_key("Mario")


def test_words_close_allow_one_slip_in_long_words_only():
    assert words_close("Hajizade", "Hajizadeh")
    assert not words_close("Kelly", "Kelky")  # under five letters once folded: keys must agree
    assert not words_close("Hansen", "Jansen")  # a different first letter
    assert not words_close("Ali", "Al")


def test_a_person_variant_needs_the_same_first_name_and_a_close_surname():
    cases = {
        ("antony blinken", "anthony blinken"): "spelling",
        ("matthew miller", "mathew miller"): "spelling",
        ("aykhan hajizada", "ayhan hajizade"): "spelling",
        ("nikol pashinyan", "nikol pashinian"): "spelling",
        ("ilham aliyev", "mehriban aliyeva"): None,
        ("maria rossi", "mario rossi"): None,
        ("davit aramyan", "david aramian"): "spelling",
        ("stephen kowalczyk", "steven kowalczyk"): "spelling",
        ("igor belov", "igor byelov"): "spelling",
        ("levon aramyan", "david aramian"): None,
        ("ayhan qadirzade", "aykhan gadirzada"): "spelling",
        ("joe biden", "hunter biden"): None,
        ("antony blinken", "antony"): None,
    }
    found = {
        pair: (m.rule if (m := person_variant(pair[0].split(), pair[1].split())) else None)
        for pair in cases
    }
    assert found == cases


def test_company_names_lose_their_legal_form_and_a_first_word_stands_for_the_name():
    assert [org_key(n) for n in ("CrowdStrike Inc.", "CrowdStrike", "Acme Holdings Ltd")] == [
        "crowdstrike",
        "crowdstrike",
        "acme",
    ]
    assert org_short_form(["delta"], ["delta", "air", "lines"])
    assert not org_short_form(["air"], ["delta", "air", "lines"])
    assert not org_short_form(["the"], ["the", "national", "bank"])


def test_what_a_cut_off_role_left_before_a_name_is_trimmed():
    strip = frozenset({"security", "policy", "spokesperson"})
    assert trim_leading_junk("and Security Policy Peter Stano".split(), strip) == [
        "Peter",
        "Stano",
    ]
    assert trim_leading_junk("of the Peter Stano".split(), strip) == ["Peter", "Stano"]
    assert trim_leading_junk("Peter Stano".split(), strip) == ["Peter", "Stano"]
    assert trim_leading_junk("Atlanta-based Acme Airways".split(), strip) == ["Acme", "Airways"]
    assert (
        trim_leading_junk("Ursula von der Leyen".split(), strip) == "Ursula von der Leyen".split()
    )
