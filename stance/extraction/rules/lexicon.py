"""Word lists of the offline rules extractor: reporting cues, roles, places, stance words.

Data only, so that the rules in `stance.extraction.rules.pipeline` read as rules. Everything here is
English news usage; a change to any list changes the rules extractor's prompt sha (cached runs are
then re-extracted).
"""

from __future__ import annotations

import re

from stance.core.gazetteer import PLACES
from stance.core.models import ClaimType, TargetKind

# --- Reporting cues ----------------------------------------------------------------------------

# Lemma -> claim type the cue implies ("statement" when the cue says nothing of the act).
# Irregular or phrasal forms are listed in CUE_FORMS_EXTRA below.
CUE_LEMMAS: dict[str, ClaimType] = {
    **dict.fromkeys(
        """state stress emphasize emphasise note underline underscore highlight reiterate
        add insist claim argue affirm reaffirm mention announce assert declare confirm explain
        acknowledge admit predict suggest reveal disclose observe remark comment recall indicate
        signal maintain contend concede complain reinforce estimate report repeat clarify
        believe conclude rule testify express reply respond hope expect welcome praise
        commend criticize criticise counter inform remind notify advise agree""".split(),
        "statement",
    ),
    **dict.fromkeys("deny reject dismiss refute".split(), "denial"),
    **dict.fromkeys("accuse allege blame condemn".split(), "accusation"),
    **dict.fromkeys("warn caution threaten".split(), "warning"),
    **dict.fromkeys("urge demand request recommend propose appeal".split(), "demand"),
    **dict.fromkeys("pledge promise vow assure reassure guarantee".split(), "commitment"),
}

# Surface form -> lemma, for forms that the regular inflection below does not make.
CUE_FORMS_EXTRA: dict[str, str] = {
    "said": "say",
    "says": "say",
    "saying": "say",
    "told": "tell",
    "tells": "tell",
    "telling": "tell",
    "wrote": "write",
    "writes": "write",
    "writing": "write",
    "pointed out": "point out",
    "points out": "point out",
    "pointing out": "point out",
    "called for": "call for",
    "calls for": "call for",
    "calling for": "call for",
    "called on": "call for",
    "calls on": "call for",
    "calling on": "call for",
    "found": "find",
    "pleaded not guilty": "plead not guilty",
    "pleads not guilty": "plead not guilty",
    "pleading not guilty": "plead not guilty",
    # A feeling about a proposition: "voiced regret that the plant would close".
    **{
        f"{verb} {feeling}": "voice " + feeling
        for verb in ("voiced", "voices", "voicing", "expressed", "expresses", "expressing")
        for feeling in ("regret", "concern", "hope", "confidence", "doubt", "doubts")
    },
}
CUE_LEMMAS_EXTRA: dict[str, ClaimType] = {
    "say": "statement",
    "tell": "statement",
    "write": "statement",
    "point out": "statement",
    "call for": "demand",
    "find": "statement",
    "plead not guilty": "denial",
    **dict.fromkeys(
        [f"voice {f}" for f in ("regret", "concern", "hope", "confidence", "doubt", "doubts")],
        "statement",
    ),
}
# Lemmas that are also the plural present form of a cue ("Officials say ...", "Prosecutors
# allege that ..."). Only these: most other lemmas are as often nouns ("claim", "report").
PLURAL_PRESENT_LEMMAS = frozenset(
    """say tell argue insist warn allege contend maintain acknowledge admit deny stress
    emphasize emphasise predict suggest believe accuse""".split()
)
# Cues that may name whom they address before "that": "told lawmakers that", "informed
# Minister Dahl that", "assured her that", "reminded reporters that".
LISTENER_LEMMAS = frozenset(
    "tell inform remind notify advise assure reassure warn caution promise convince".split()
)

# Third-person present forms that are far more often nouns ("the company's claims that").
NOUN_LIKE_PRESENT = frozenset(
    """states notes claims reports comments remarks demands requests promises pledges signals
    estimates appeals concerns calls rules finds welcomes""".split()
)

# Cues that need a "that" clause to report anything ("found that", not "found the body").
THAT_ONLY_LEMMAS = frozenset(
    "find rule conclude hope expect believe reply counter inform remind notify advise agree".split()
) | {lemma for lemma in CUE_LEMMAS_EXTRA if lemma.startswith(("plead ", "voice "))}
# Cues whose object without "that" is a report only when it has a verb of its own:
# "announced the plant would close" reports, "announced its new season" does not.
CLAUSE_ONLY_LEMMAS = frozenset(
    """announce confirm reveal disclose report welcome praise commend condemn criticize
    criticise reject dismiss""".split()
)
# Cues of approval or blame whose bare object ("welcomed the package") is a claim only when
# no participle goes on to say what was meant ("welcomed the package, saying it would ...").
EVALUATIVE_LEMMAS = frozenset(
    "welcome praise commend condemn criticize criticise reject dismiss".split()
)


def _inflect(lemma: str) -> tuple[str, str, str]:
    """Past, third-person present and -ing forms of a regular English verb."""
    if lemma.endswith("e"):
        return lemma + "d", lemma + "s", lemma[:-1] + "ing"
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return lemma[:-1] + "ied", lemma[:-1] + "ies", lemma + "ing"
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        return lemma + "ed", lemma + "es", lemma + "ing"
    return lemma + "ed", lemma + "s", lemma + "ing"


def _cue_forms() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(finite form -> lemma, present form -> lemma, -ing form -> lemma)."""
    finite: dict[str, str] = {}
    present: dict[str, str] = {}
    participle: dict[str, str] = {}
    for lemma in CUE_LEMMAS:
        past, third, ing = _inflect(lemma)
        finite[past] = lemma
        present[third] = lemma
        participle[ing] = lemma
    for form, lemma in CUE_FORMS_EXTRA.items():
        if form.split()[0].endswith("ing"):
            participle[form] = lemma
        elif form.split()[0].endswith("s"):
            present[form] = lemma
        else:
            finite[form] = lemma
    return finite, present, participle


CUE_PAST, CUE_PRESENT, CUE_PARTICIPLE = _cue_forms()


def cue_claim_type(lemma: str) -> ClaimType:
    """The speech act a cue names ("denied" -> denial), "statement" when it names none."""
    return CUE_LEMMAS.get(lemma) or CUE_LEMMAS_EXTRA.get(lemma, "statement")


_PAST_OF: dict[str, str] = {}
for _form, _lemma in CUE_PAST.items():
    _PAST_OF.setdefault(_lemma, _form)


def cue_past(lemma: str) -> str:
    """The past form used when a claim's content is written out ("noting" -> "noted")."""
    return _PAST_OF.get(lemma, "said")


# Words that may stand between a speaker and the cue ("He also mentioned", "has repeatedly
# denied").
CUE_ADVERBS = frozenset(
    """also further later again then repeatedly previously earlier once had has have was is
    would will reportedly publicly separately recently subsequently additionally firmly
    strongly clearly explicitly specifically particularly categorically flatly immediately
    initially first never only however since already quickly sharply""".split()
)

# Who a speaker tells ("told reporters that").
LISTENER_WORDS = frozenset(
    """reporters journalists lawmakers legislators parliament congress senators delegates
    students supporters investors analysts viewers listeners readers attendees participants
    him her them us me the a an his their its""".split()
)

# Media in which a statement was made: "said in a statement that".
SPEECH_OCCASIONS = (
    "statement|interview|conference|briefing|speech|address|post|message|tweet|letter|"
    "meeting|hearing|call|session|event|summit|rally|report|filing|note|email|release|"
    "video|broadcast|podcast|op-ed|remarks|comments|testimony|ruling|judgment|decision|"
    "opinion|order|column|blog|book|memo|memoir|essay|article|affidavit|submission|"
    "indictment|lawsuit|complaint|petition|motion|appeal|newsletter|presentation|review"
)

WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = (
    "January February March April May June July August September October November December"
).split()
MONTH_ABBREVIATIONS = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"Sept": 9}
MONTH_NUMBERS = {m: i + 1 for i, m in enumerate(MONTHS)} | MONTH_ABBREVIATIONS

# --- Speakers: pronouns, roles, anonymous sources ----------------------------------------------

PERSON_PRONOUNS = frozenset({"he", "she"})
GROUP_PRONOUNS = frozenset({"they", "we", "i", "it"})

# Words of titles that precede a name ("U.S. Secretary of State Antony Blinken").
TITLE_TOKENS = frozenset(
    """president secretary minister prime deputy vice foreign state chancellor senator sen
    rep representative congressman congresswoman gov governor mayor judge justice chief
    executive officer ceo cfo coo chairman chairwoman chair director general gen colonel col
    lt lieutenant major maj captain capt sergeant sgt admiral adm commander spokesperson
    spokesman spokeswoman ambassador assistant under undersecretary special envoy commissioner
    king queen prince princess pope sheikh emir mr mrs ms dr prof professor coach manager
    attorney lawyer founder head leader premier speaker sir lord lady dame rabbi imam bishop
    cardinal archbishop father sister brother inspector detective officer agent superintendent
    economist analyst chancellor president-elect acting interim former senior master
    of the for and affairs republic""".split()
)

# Role nouns: a role mention ("the head of state") names someone through one of these keys.
# Each key lists the role keys it may stand for among the titles the text gave earlier.
ROLE_EQUIVALENTS: dict[str, tuple[str, ...]] = {
    "head of state": ("president", "king", "queen", "emir", "monarch", "head of state"),
    "head of government": ("prime minister", "premier", "chancellor"),
    "leader": ("president", "prime minister", "premier", "chancellor", "leader", "king"),
    "top diplomat": ("secretary of state", "foreign minister", "minister of foreign affairs"),
    "chief executive": ("ceo", "chief executive", "chief executive officer"),
    "ceo": ("ceo", "chief executive", "chief executive officer"),
    "spokesman": ("spokesperson", "spokesman", "spokeswoman"),
    "spokeswoman": ("spokesperson", "spokesman", "spokeswoman"),
    "spokesperson": ("spokesperson", "spokesman", "spokeswoman"),
    "premier": ("prime minister", "premier"),
    "monarch": ("king", "queen", "monarch"),
}

ROLE_NOUNS = frozenset(
    """head president secretary minister premier chancellor leader chief executive ceo cfo
    spokesman spokeswoman spokesperson ambassador envoy diplomat official governor mayor
    senator congressman congresswoman lawmaker judge justice prosecutor attorney lawyer coach
    manager captain striker midfielder defender goalkeeper player chairman chairwoman chair
    director founder commissioner king queen monarch emir prince pope general commander
    economist analyst professor researcher scientist doctor physician author defendant
    suspect plaintiff""".split()
)
# Role nouns that name a body, not a person ("the ministry said").
BODY_NOUNS = frozenset(
    """ministry department company firm group government administration agency court
    commission committee council bank lender carrier automaker retailer insurer regulator
    watchdog union party team club organization organisation office embassy kremlin
    parliament army military police board campaign foundation institute university hospital
    network startup manufacturer producer operator federation league association delegation
    alliance bloc port city council trust charity utility exchange prosecution defence
    defense statement website complaint management leadership orchestra directorate
    inspectorate tribunal authority airline broadcaster publisher brewer drugmaker refiner
    miner shipper supermarket""".split()
)
# Body nouns for the part of a body that speaks for it: "the orchestra's management said",
# "the board said", "a spokesperson for the agency said" are the body's words.
BODY_PART_NOUNS = frozenset(
    """management leadership board directors spokesperson spokesman spokeswoman spokespeople
    representative representatives statement website""".split()
)
# Body nouns that stand for the writer of a document ("the statement read").
DOCUMENT_BODY_NOUNS = frozenset({"statement", "website", "complaint"})

# Plural (and singular) anonymous sources: "officials said", "a senior official said".
ANONYMOUS_NOUNS = frozenset(
    """officials official sources source analysts analyst experts expert diplomats diplomat
    observers residents resident witnesses witness critics police authorities investigators
    prosecutors lawyers doctors researchers scientists economists insiders people aides
    activists protesters organizers organisers traders investors executives employees workers
    staff members citizens voters lawmakers legislators ministers leaders negotiators
    spokespeople officers soldiers militants rebels villagers survivors farmers farmer parents
    parent teachers students patients fans supporters campaigners advocates consumers
    customers shoppers drivers nurses unions countries nations governments delegates
    delegations regulators banks companies firms groups scholars historians
    spokesperson spokesman spokeswoman executive councillors councilors councillor councilor
    engineers pilots fishermen fishers sailors musicians owners shareholders directors
    representative representatives inspectors auditors senators mps deputies mayors
    governors judges envoys ambassadors insurers lenders airlines carriers operators buyers
    sellers suppliers producers manufacturers retailers""".split()
)
# Anonymous sources that are documents: "according to court documents".
DOCUMENT_SOURCES = frozenset(
    """documents records figures data statistics estimates filings papers minutes emails
    documents transcripts""".split()
)
# What a source's words come in: "according to WHO figures", "according to its website".
SOURCE_MEDIA = frozenset(
    """figures data statistics estimates report reports statement statements website filing
    filings complaint lawsuit indictment analysis study survey poll note letter documents
    records release announcement review audit assessment findings forecast ruling""".split()
)
ANONYMOUS_MODIFIERS = frozenset(
    """a an the two three four five six several some many other senior top local western
    federal state government administration military security intelligence health company
    industry party campaign defense defence foreign unnamed anonymous independent former
    current high-ranking ranking junior regional city county court hospital school palace
    white house police european american according most one poorer richer wealthy poor rich
    developing developed emerging major small large western eastern northern southern
    independent affected concerned worried angry frustrated""".split()
)

# Words that begin a sentence or phrase and are capitalised without being names.
NOT_NAME_WORDS = frozenset(
    """the a an this that these those such it its he she they we i you his her their our my
    your in on at during after before when while since as if but and or so yet also however
    meanwhile moreover furthermore additionally finally overall earlier later separately
    yesterday today tonight tomorrow instead still now then thus there here according
    speaking asked both all each every some many most other another one two three no not
    nor with without from by for of to into about under over between among against despite
    although though because until unless whether what which who whom whose where why how
    mr mrs ms dr""".split()
)

# Capitalised words that mark a chain of words as a body, an event, a place or a document.
ORGANIZATION_WORDS = frozenset(
    """ministry department agency commission committee council court bank union party
    organization organisation association federation institute university college school
    hospital company corporation corp inc co ltd llc plc group holdings fund foundation
    authority office service services police army navy forces force guard assembly parliament
    congress senate house cabinet government administration bureau board club fc united
    league team network airlines airways motors technologies systems media news times post
    journal agency facility alliance coalition movement front center centre division trust
    energy wind power oil gas capital partners digital therapeutics pharma pharmaceuticals
    foods airline solar mining steel health labs software networks telecom logistics shipping
    insurance ventures studios resources materials chemicals industries electric financial
    securities investments properties brands retail stores markets management port city
    council orchestra philharmonic symphony opera theatre theater museum gallery library choir
    ensemble ballet coastguard directorate inspectorate tribunal ombudsman fisheries seafood
    timber mills brewery breweries railway railways ferries airport athletic rovers wanderers
    albion rangers town county""".split()
)
COMPANY_WORDS = frozenset(
    """company corporation corp inc co ltd llc plc group holdings bank airlines airways motors
    technologies systems energy wind power oil gas capital partners digital therapeutics pharma
    pharmaceuticals foods airline solar mining steel labs software networks telecom logistics
    shipping insurance ventures studios resources materials chemicals industries electric
    financial securities investments properties brands retail stores markets management
    fisheries seafood timber mills brewery breweries ferries""".split()
)
EVENT_WORDS = frozenset(
    """conference summit forum games cup championship championships olympics expo festival
    election elections referendum war talks meeting dialogue congress convention
    tournament open marathon""".split()
)
DOCUMENT_WORDS = frozenset(
    """declaration agreement accord treaty act bill law resolution charter convention
    protocol statement memorandum pact plan strategy report""".split()
)
PLACE_WORDS = frozenset(
    """south north east west central eastern western northern southern upper lower new
    gulf sea ocean river valley mountains island islands bay coast strait region
    province state city county district street square""".split()
)

# Common nouns that name events when the text talks about them ("the trilateral meeting").
EVENT_NOUNS = frozenset(
    """meeting meetings talks summit conference negotiations visit election elections
    referendum vote war ceasefire truce trial hearing match game final tournament
    championship forum session exercises drills protest protests rally strike invasion
    offensive merger acquisition takeover deal agreement treaty delimitation package inquiry
    investigation probe lawsuit outbreak mission sanctions reform vaccination review dispute
    ban proposal strike levy tariff tariffs quota quotas closure overhaul bailout audit
    subsidy subsidies scheme programme bill legislation settlement bid expansion layoffs
    boycott blockade embargo moratorium recall shutdown cuts royalty royalties inspection
    accident crash derailment collision explosion spill evacuation sacking dismissal
    resignation appointment decision verdict""".split()
)
# Nouns of one family name one event ("the talks", "the negotiations"; "a deal", "the
# acquisition").
EVENT_NOUN_FAMILIES: dict[str, str] = {
    "negotiations": "talks",
    "elections": "election",
    "acquisition": "deal",
    "takeover": "deal",
    "merger": "deal",
    "probe": "investigation",
    "inquiry": "investigation",
    "meetings": "meeting",
    "protests": "protest",
    "tariffs": "tariff",
    "quotas": "quota",
    "subsidies": "subsidy",
    "royalties": "royalty",
}
# Event nouns that name a topic worth a target even when nothing else describes it ("the
# delimitation", "the outbreak"); other bare nouns ("the meeting") need an earlier event.
TOPIC_EVENT_NOUNS = frozenset(
    """delimitation acquisition takeover merger deal package inquiry investigation probe
    lawsuit outbreak mission sanctions reform vaccination ceasefire treaty invasion review
    dispute ban proposal strike levy tariff tariffs quota quotas closure overhaul bailout
    audit subsidy subsidies scheme programme bill legislation settlement bid expansion
    layoffs boycott blockade embargo moratorium recall shutdown cuts royalty royalties
    vote inspection accident crash derailment collision explosion spill evacuation sacking
    dismissal resignation appointment decision verdict""".split()
)
# Modifiers of an event noun that do not tell events apart ("the mentioned meeting").
GENERIC_EVENT_MODIFIERS = frozenset(
    """the a an this that these those such mentioned upcoming planned scheduled next
    last recent previous latest first second new his her their its our my your same above
    aforementioned whole entire any each every all both today's yesterday's this week's
    earlier later current ongoing proposed main""".split()
)
# Anaphora that continue the previous claim's subject ("such steps", "this move").
ANAPHORIC_SUBJECT = re.compile(
    r"^(?:such|these|those|this|that)\s+(?:steps?|actions?|measures?|moves?|decisions?|plans?"
    r"|polic(?:y|ies)|developments?|activities|activity|efforts?|approach|initiatives?|events?"
    r"|meetings?|talks)\b|^(?:it|this|they)\s",
    re.IGNORECASE,
)
# "the two countries" and the like: the last two countries the text named.
PAIR_ANAPHORA = re.compile(
    r"(?:the|both)\s+two\s+(?:countries|nations|states|sides|governments|neighbou?rs)\b"
    r"|\bboth\s+(?:countries|nations|sides)\b",
    re.IGNORECASE,
)

# --- Places and bodies -------------------------------------------------------------------------

# Countries and unions come from the one list of places, stance.core.gazetteer, with their surface
# forms ("US" is a country, "us" is not). These few actors are left out of that list because
# in lower case they are ordinary words ("who", "the west"): only the rules read case.
_CASED_ACTORS: dict[str, tuple[str, TargetKind]] = {
    "World Health Organization": ("World Health Organization", "organization"),
    "WHO": ("World Health Organization", "organization"),
    "the West": ("the West", "other"),
}


def _parse_places() -> tuple[dict[str, tuple[str, TargetKind]], dict[str, str], dict[str, str]]:
    """(surface form -> (canonical name, kind), demonym -> country, capital -> place)."""
    forms: dict[str, tuple[str, TargetKind]] = dict(_CASED_ACTORS)
    demonyms: dict[str, str] = {}
    capitals: dict[str, str] = {}
    for place in PLACES:
        for form in place.names:
            forms[form] = (place.name, place.kind)
        if place.kind == "country":  # "European" describes a continent as often as the EU
            for adjective in place.demonyms:
                demonyms[adjective] = place.name
        for capital in place.capitals:
            capitals[capital] = place.name
    return forms, demonyms, capitals


# Capitals stand for their governments ("Moscow has not been constructive").
PLACE_FORMS, DEMONYMS, CAPITALS = _parse_places()
# The adjective of each country, for bodies named through it ("China's delegation" is the
# Chinese delegation).
COUNTRY_DEMONYMS = {p.name: p.demonyms[0] for p in PLACES if p.kind == "country" and p.demonyms}
# Short forms used when an event is named after its participants ("US-EU-Armenia").
SHORT_NAMES = {p.name: p.short for p in PLACES if p.short != p.name}
# Regions that are where things happen far more often than who acts ("measles cases across
# Europe"): a target only when the text makes them an actor.
REGIONS = frozenset(
    r.strip()
    for r in """Europe|Asia|Africa|Americas|Oceania|Antarctica|Arctic|Baltics|Balkans|Caucasus
    |Scandinavia|Nordics|Mediterranean|Pacific|Atlantic|Sahel|Caribbean|Middle East|Gulf
    |Latin America|South America|North America|Central America|Central Asia|South Asia
    |Southeast Asia|East Asia|Eastern Europe|Western Europe|Central Europe|Northern Europe
    |Southern Europe|South Caucasus|Horn of Africa|Indo-Pacific""".split("|")
)
# Adjectives of regions: "Asian battery makers", "Nordic banks" describe, they name no actor.
REGION_ADJECTIVES = frozenset(
    """Asian European African Arab Nordic Scandinavian Baltic Balkan Caucasian Caribbean
    Mediterranean Pacific Atlantic Arctic Western Eastern Northern Southern Latin
    Continental""".split()
)
# A capital after one of these is a place, not a government ("talks in Washington").
LOCATIVE = re.compile(
    r"\b(?:in|at|from|to|near|outside|around|via|through|across|into|toward|towards|between"
    r"|and|visit(?:ed|ing|s)?|arrived|based)\s+$",
    re.IGNORECASE,
)

# --- Sentences that assert nothing -------------------------------------------------------------

NOT_A_CLAIM = re.compile(
    r"^\W*(?:thank(?:s| you)|good (?:morning|afternoon|evening|day)|hello|hi\b|hey\b"
    r"|welcome\b|greetings|congratulations|(?:it['’]?s|it is) (?:a|an|my|our|great) "
    r"(?:pleasure|honou?r|privilege)|(?:it['’]?s|it is) (?:great|good|nice|wonderful|a pleasure)"
    r" to (?:be|see|have|join|speak)|(?:i'?m|we'?re|i am|we are) (?:delighted|pleased|glad"
    r"|happy|honou?red|excited) to (?:be|welcome|join|have|see)|let me (?:begin|start) by"
    r"|i (?:want|would like|'d like) to (?:thank|welcome|start|begin)|good to (?:see|be)"
    r"|nice to (?:see|meet)|(?:sure|okay|ok|yes|no|yeah|right|absolutely|great|please"
    r"|go ahead|next question|over to you|all right|alright)\b\W*$"
    r"|with that,? i'?ll|i'?ll take (?:your|a few) questions|(?:let's|let us) (?:go|move|turn)"
    r" to|(?:i|we) (?:also )?(?:want|would like|'d like) to be (?:clear|very clear|frank) about"
    r"|(?:i['’]?m|i am|we['’]?re|we are) not going to (?:get ahead|comment|speculate|go into"
    r"|preview|characteri[sz]e)"
    # Procedure, not assertion: "I won't comment on media reports", "I'll ask Anders to say
    # more", "I'd refer you to the ministry".
    r"|(?:i|we)\s*(?:won['’]t|will not|wouldn['’]t|would not|can['’]t|cannot|do not|don['’]t"
    r"|am not able to|['’]m not able to)\s+(?:be able to\s+)?(?:comment|speculate|get into"
    r"|go into|discuss|elaborate|get ahead|characteri[sz]e)"
    r"|(?:i|we)\s*(?:['’]ll|will|['’]d like to|would like to|want to)\s+(?:now\s+)?(?:ask|invite"
    r"|let|hand (?:it )?over to|turn (?:it )?over to|pass (?:it )?(?:over )?to|leave it to"
    r"|defer to)\b"
    r"|(?:i|we)\s*(?:['’]d|would|will|['’]ll)\s+refer you to"
    r"|let me (?:hand|turn|pass) (?:it )?(?:over )?to"
    r"|(?:i|we) (?:(?:also )?(?:want|would like|['’]d like) to )?thank\b)",
    re.IGNORECASE,
)

# Speaker labels that introduce a question or the moderator's running of the event.
QUESTION_LABELS = frozenset(
    "q question reporter journalist audience participant caller interviewer member press".split()
)
PROCEDURAL_LABELS = frozenset("""moderator operator host anchor presenter""".split())
# "Key: value" lines that look like labels but are not speakers.
NOT_SPEAKER_LABELS = frozenset(
    """source sources date dateline title url published note notes photo photos update
    updated editor editor's related read more topics tags subject from to sent location time
    place attendees participants background summary transcript link contact media contacts
    also see by category filed image video caption credit copyright disclaimer""".split()
)

# Upper-case letters of the Latin scripts, for names such as "Émile" or "Łukasz".
UPPER = "A-Z" + "".join(chr(c) for c in range(0xC0, 0x250) if chr(c).isupper())

ABBREVIATIONS = frozenset(
    """mr mrs ms dr st jr sr gen sen rep gov lt col capt sgt prof inc corp co ltd no vs etc
    jan feb mar apr jun jul aug sep sept oct nov dec mt ft approx maj adm cmdr supt insp""".split()
)
