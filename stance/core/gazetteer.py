"""Countries and bodies that news text names in many ways, and their canonical names.

"the U.S.", "United States", "America" and "Washington" (as a government) are one country;
"the Azerbaijani side", "Baku" and "Azerbaijan" another. A place is listed with its names,
abbreviations, demonyms and capital; a demonym or name followed by a word such as "side" or
"government" means the country too. A name not listed is resolved by its words alone.

This is the one list of places: entity resolution reads it through the functions below
(case-insensitive, on lower-case words), and the rules extractor (stance.extraction.rules.lexicon)
reads the same `PLACES` with their surface forms, where case matters ("US" is a country, "us" is
not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal


@dataclass(frozen=True)
class Place:
    """A country or union, its short label for event names, and how texts name it."""

    name: str
    kind: Literal["country", "organization"]
    short: str
    names: tuple[str, ...]  # surface forms, the canonical name first
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()  # seats of government that stand for it ("Moscow", "Kremlin")


# One place a line: "Name|alias ; demonym|demonym ; capital|seat" (a line starting with "|"
# goes on with the one before). Surface forms as texts write them; matching below is on
# lower-case words, so case only matters to the rules.
_COUNTRIES = """
Afghanistan ; Afghan|Afghans ; Kabul
Albania ; Albanian ; Tirana
Algeria ; Algerian ; Algiers
Angola ; Angolan ; Luanda
Argentina ; Argentine|Argentinian ; Buenos Aires
Armenia|Republic of Armenia ; Armenian|Armenians ; Yerevan
Australia ; Australian|Australians ; Canberra
Austria ; Austrian ; Vienna
Azerbaijan|Republic of Azerbaijan|Azerbaijan Republic ; Azerbaijani|Azerbaijanis|Azeri ; Baku
Bahrain ; Bahraini ; Manama
Bangladesh ; Bangladeshi ; Dhaka
Belarus ; Belarusian ; Minsk
Belgium ; Belgian
Bolivia ; Bolivian
Bosnia and Herzegovina|Bosnia ; Bosnian ; Sarajevo
Brazil ; Brazilian|Brazilians ; Brasilia|Brasília
Bulgaria ; Bulgarian
Cambodia ; Cambodian ; Phnom Penh
Cameroon ; Cameroonian
Canada ; Canadian|Canadians ; Ottawa
Chile ; Chilean|Chileans ; Santiago
China|People's Republic of China|PRC ; Chinese ; Beijing
Colombia ; Colombian ; Bogota|Bogotá
Croatia ; Croatian ; Zagreb
Cuba ; Cuban ; Havana
Cyprus ; Cypriot ; Nicosia
Czech Republic|Czechia ; Czech ; Prague
Denmark ; Danish|Dane|Danes ; Copenhagen
Ecuador ; Ecuadorian ; Quito
Egypt ; Egyptian|Egyptians ; Cairo
Estonia ; Estonian ; Tallinn
Ethiopia ; Ethiopian ; Addis Ababa
Finland ; Finnish|Finns ; Helsinki
France|French Republic ; French ; Paris|Elysee|Élysée
Georgia ; Georgian ; Tbilisi
Germany|Federal Republic of Germany ; German|Germans ; Berlin
Ghana ; Ghanaian ; Accra
Greece ; Greek|Greeks ; Athens
Hungary ; Hungarian ; Budapest
Iceland ; Icelandic|Icelanders ; Reykjavik|Reykjavík
India ; Indian|Indians ; New Delhi
Indonesia ; Indonesian ; Jakarta
Iran|Islamic Republic of Iran ; Iranian|Iranians ; Tehran
Iraq ; Iraqi|Iraqis ; Baghdad
Ireland ; Irish ; Dublin
Israel ; Israeli|Israelis
Italy ; Italian|Italians ; Rome
Japan ; Japanese ; Tokyo
Jordan ; Jordanian ; Amman
Kazakhstan ; Kazakh ; Astana
Kenya ; Kenyan ; Nairobi
Kosovo ; Kosovar ; Pristina
Kuwait ; Kuwaiti
Kyrgyzstan ; Kyrgyz ; Bishkek
Latvia ; Latvian ; Riga
Lebanon ; Lebanese ; Beirut
Libya ; Libyan ; Tripoli
Lithuania ; Lithuanian ; Vilnius
Luxembourg ; Luxembourgish
Malaysia ; Malaysian ; Kuala Lumpur
Mali ; Malian ; Bamako
Malta ; Maltese ; Valletta
Mexico ; Mexican|Mexicans ; Mexico City
Moldova ; Moldovan ; Chisinau
Mongolia ; Mongolian ; Ulaanbaatar
Montenegro ; Montenegrin ; Podgorica
Morocco ; Moroccan ; Rabat
Myanmar|Burma ; Burmese
Netherlands|Holland ; Dutch ; The Hague
New Zealand ; New Zealander
Nigeria ; Nigerian|Nigerians ; Abuja
North Korea|DPRK ; North Korean ; Pyongyang
North Macedonia ; Macedonian ; Skopje
Norway ; Norwegian|Norwegians ; Oslo
Oman ; Omani ; Muscat
Pakistan ; Pakistani|Pakistanis ; Islamabad
Palestine|Palestinian territories ; Palestinian|Palestinians
Peru ; Peruvian ; Lima
Philippines ; Filipino|Philippine ; Manila
Poland ; Polish|Poles ; Warsaw
Portugal ; Portuguese ; Lisbon
Qatar ; Qatari ; Doha
Romania ; Romanian ; Bucharest
Russia|Russian Federation ; Russian|Russians ; Moscow|Kremlin
Saudi Arabia ; Saudi|Saudis ; Riyadh
Senegal ; Senegalese ; Dakar
Serbia ; Serbian|Serbs ; Belgrade
Singapore ; Singaporean
Slovakia ; Slovak ; Bratislava
Slovenia ; Slovenian ; Ljubljana
Somalia ; Somali ; Mogadishu
South Africa ; South African ; Pretoria
South Korea|Republic of Korea ; South Korean ; Seoul
Spain ; Spanish ; Madrid
Sri Lanka ; Sri Lankan ; Colombo
Sudan ; Sudanese ; Khartoum
Sweden ; Swedish|Swedes ; Stockholm
Switzerland ; Swiss ; Bern
Syria ; Syrian|Syrians ; Damascus
Taiwan ; Taiwanese ; Taipei
Tajikistan ; Tajik ; Dushanbe
Tanzania ; Tanzanian ; Dodoma
Thailand ; Thai ; Bangkok
Tunisia ; Tunisian ; Tunis
Turkey|Türkiye|Turkiye|Republic of Turkey ; Turkish ; Ankara
Turkmenistan ; Turkmen ; Ashgabat
Uganda ; Ugandan ; Kampala
Ukraine ; Ukrainian|Ukrainians ; Kyiv|Kiev
United Arab Emirates|UAE ; Emirati ; Abu Dhabi
United Kingdom|UK|U.K.|Britain|Great Britain ; British|Briton|Britons ; London
United States|United States of America|U.S.|US|USA|U.S.A.|America ; American|Americans ; Washington
Uruguay ; Uruguayan ; Montevideo
Uzbekistan ; Uzbek ; Tashkent
Venezuela ; Venezuelan ; Caracas
Vietnam ; Vietnamese ; Hanoi
Yemen ; Yemeni ; Sanaa
Zimbabwe ; Zimbabwean ; Harare
"""

# Unions and international bodies, in the same form.
_UNIONS = """
European Union|EU|E.U. ; European ; Brussels
NATO|North Atlantic Treaty Organization|North Atlantic Alliance
United Nations|UN|U.N.
OSCE|Organization for Security and Co-operation in Europe
    |Organization for Security and Cooperation in Europe
CSTO|Collective Security Treaty Organization
African Union
ASEAN
OPEC
G7|Group of Seven
G20|Group of 20
International Monetary Fund|IMF
World Bank
"""

# Labels used when an event is named after its participants ("US-EU-Armenia meeting").
_SHORT = {
    "United States": "US",
    "European Union": "EU",
    "United Kingdom": "UK",
    "United Nations": "UN",
    "United Arab Emirates": "UAE",
}


def _parse(table: str, kind: Literal["country", "organization"]) -> list[Place]:
    places = []
    lines: list[str] = []
    for line in table.strip().splitlines():
        if line.strip().startswith("|"):
            lines[-1] += line.strip()
        else:
            lines.append(line)
    for line in lines:
        names, demonyms, capitals = ([*line.split(";"), "", ""])[:3]
        forms = tuple(n.strip() for n in names.split("|"))
        places.append(
            Place(
                forms[0],
                kind,
                _SHORT.get(forms[0], forms[0]),
                forms,
                tuple(d.strip() for d in demonyms.split("|") if d.strip()),
                tuple(c.strip() for c in capitals.split("|") if c.strip()),
            )
        )
    return places


PLACES: tuple[Place, ...] = (
    *_parse(_COUNTRIES, "country"),
    *_parse(_UNIONS, "organization"),
)

# Words after a country's name or demonym that still mean the country as an actor.
ACTOR_WORDS = frozenset(
    "side government authorities leadership administration state republic".split()
)
# Words before a capital that mean its government ("official Baku").
_OFFICIAL = frozenset({"official", "officials"})
_LEADING = frozenset({"the"})
_WORD = re.compile(r"[^\W_]+")


def phrase_words(name: str) -> tuple[str, ...]:
    """Lower-case words with possessive 's, dots and apostrophes dropped ("U.S.'s" → "us")."""
    lowered = re.sub(r"['’]s\b", "", name.lower()).replace(".", "").replace("'", "")
    return tuple(_WORD.findall(lowered.replace("’", "")))


@lru_cache(maxsize=1)
def _tables() -> tuple[
    dict[tuple[str, ...], Place], dict[tuple[str, ...], Place], dict[tuple[str, ...], Place]
]:
    names: dict[tuple[str, ...], Place] = {}
    demonyms: dict[tuple[str, ...], Place] = {}
    capitals: dict[tuple[str, ...], Place] = {}
    for place in PLACES:
        for name in place.names:
            names[phrase_words(name)] = place
        for demonym in place.demonyms:
            demonyms[phrase_words(demonym)] = place
        for capital in place.capitals:
            capitals[phrase_words(capital)] = place
    return names, demonyms, capitals


def place_named(name: str) -> Place | None:
    """The country or union a whole phrase names as an actor, or None.

    "the U.S.", "United States", "Washington", "official Baku", "the Azerbaijani side",
    "Armenian government" name a place; "Washington Post" or "French Minister" do not.
    """
    words = phrase_words(name)
    while words and words[0] in _LEADING:
        words = words[1:]
    if not words:
        return None
    names, demonyms, capitals = _tables()
    if words in names:
        return names[words]
    if words[0] in _OFFICIAL and words[1:] in capitals:
        return capitals[words[1:]]
    if words in capitals:
        return capitals[words]
    if len(words) >= 2 and words[-1] in ACTOR_WORDS:
        head = words[:-1]
        return names.get(head) or demonyms.get(head)
    return None


def places_in(words: tuple[str, ...]) -> list[tuple[int, int, Place]]:
    """Every place named inside a run of words (by name or demonym, not by capital).

    Returns (start, end, place) spans, longest names first at each position. Capitals are
    left out on purpose: in "a meeting in Brussels" the capital is where, not who.
    """
    names, demonyms, _ = _tables()
    found: list[tuple[int, int, Place]] = []
    i = 0
    while i < len(words):
        for size in (4, 3, 2, 1):
            piece = words[i : i + size]
            if len(piece) < size:
                continue
            place = names.get(piece) or demonyms.get(piece)
            if place is not None:
                found.append((i, i + size, place))
                i += size
                break
        else:
            i += 1
    return found


def is_place_word(word: str) -> bool:
    """A single word that names a place by name or demonym ("azerbaijani", "us")."""
    names, demonyms, _ = _tables()
    return (word,) in names or (word,) in demonyms
