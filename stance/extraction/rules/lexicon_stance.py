"""Word lists of the rules extractor for stance and claim type: evaluative words, negators,
the marks of a target on the receiving end or pressed to act, the speaker's own side.

Data only (see stance.extraction.rules.lexicon for the cue and speaker lists); the rules that read
these are in stance.extraction.rules.stances.
"""

from __future__ import annotations

import re

from stance.core.models import ClaimType

# Verbs that harm what follows them ("undermines the peace process"): the thing harmed is
# defended by whoever says so, and a good word right after them ("peace") counts as bad.
HARM_VERBS = (
    r"undermin\w+|threaten\w*|block\w*|attack\w*|harm\w*|damag\w+|hinder\w*|jeopardi[sz]\w+"
    r"|obstruct\w*|derail\w*|complicat\w+|stall\w*|destabili[sz]\w+|sabotag\w+|violat\w+"
)
NEGATIVE_WORDS = re.compile(
    r"\b(?:baseless|groundless|unfounded|false(?:hoods?)?|fake|lies|lied|lying|liars?"
    r"|threat(?:s|en\w*)?|provocat\w+|escalat\w+|accus\w+|condemn\w*|aggressi\w+|hostil\w+"
    r"|illegal\w*|unlawful|violat\w+|destabili[sz]\w+|undermin\w+|exacerbat\w+|arms race"
    r"|failures?|failed|lack(?:s|ing)?|non-transparent\w*|unacceptable|unjust\w*"
    r"|dividing lines|tensions?|crisis|dangerous|danger|harm\w*|damag\w+|catastroph\w+"
    r"|disastr\w+|disaster|terror\w*|crimes?|criminal|fraud\w*|corrupt\w*|deplor\w+"
    r"|disappoint\w+|outrage\w*|irresponsible|reckless|illegitimate|invasion|occupation"
    r"|attack(?:s|ed|ing)?|sanctions?|against|anti-\w+|oppos(?:e|es|ed|ing)|pressure"
    r"|blackmail|propaganda|interference|meddling|racis\w+|abus\w+|mislead\w*|terrible"
    r"|mistakes?|grave|revanchis\w+|block\w*|stall\w*|delays?|astonish\w+|brib\w+|hid"
    r"|hide|hiding|conceal\w*|lost|losses|risks?|complicat\w+|critical\s+of|unjustly"
    r"|lapse|lie|regret\w*|unfair\w*|wrong\w*|flawed|excessive|unreasonabl\w+|unjustified"
    r"|breach\w*|ignor(?:e|ed|es|ing)|refus\w+|unsustainabl\w+|negligen\w+|incompeten\w+"
    r"|chao\w+|scandal\w*|shame\w*|absurd|ridiculous|nonsense|deteriorat\w+|collaps\w+"
    r"|shortfall|shortages?|worr(?:y|ied|ies|ying)|misconduct|bias(?:ed)?|understat\w+"
    r"|overstat\w+|misreport\w*|falsif\w+|manipulat\w+|evad(?:e|ed|es|ing)|evasion"
    r"|discriminat\w+|unsafe|inadequate|insufficient|poor(?:ly)?|weak\w*|pollut\w+"
    r"|contaminat\w+|leak(?:s|ed|ing)?|incidents?|grey\s+area|gray\s+area|overfish\w*|stretch"
    r"|hurt\w*|kill\w*|deter\w*|scare\w*|jeopard\w+|problem\w*|troubl\w+|crack\w*"
    r"|fault\w*|strain\w*|punish\w*|penalt\w+|fines|fined|illegally|violent\w*|cheat\w*)\b",
    re.IGNORECASE,
)
POSITIVE_WORDS = re.compile(
    r"\b(?:beneficial|benefits?|benefit(?:ed|ing|ted|ting)|excellent|opportunit(?:y|ies)"
    r"|cooperat\w+|co-operat\w+|partnerships?|partners?|progress|advanc(?:e|es|ing)"
    r"|accelerat\w+|expand(?:s|ed|ing)?|strengthen\w*|deepen\w*"
    r"|(?<!military )support(?:s|ed|ing|ive)?"
    r"|welcom\w+|prais\w+|commend\w*|adherence|commit(?:ted|ment|ments)|successful"
    r"|success(?:es)?|constructive|productive|positive|stabili[sz]\w+|stability|peace(?:ful)?"
    r"|prosperity|friendship|friendly|improv\w+|keen interest|interest in|economic development"
    r"|welfare|growth|win|wins|won|victory|safe|effective|breakthrough|solidarity"
    r"|reliable|trust(?:ed|worthy)?|great|good|best|valuable|indispensable|confident"
    r"|ready\s+to|willing\s+to|right\s+to|transparent|protect\w*|help(?:s|ed|ing)?"
    r"|meaningful|deliver(?:s|ed)?|constructive|optimistic|agree(?:s|d)?|fair(?:ly)?"
    r"|sound|sensible|justified|legitimate|lawful(?:ly)?|honest\w*"
    r"|accurate(?:ly)?|proper(?:ly)?|correct(?:ly)?|right|recover(?:y|ed|ing)?|secure"
    r"|sustainabl[ey]|resilien\w+|strong(?:ly)?|robust|healthy|compl(?:y|ied|iance)"
    r"|good\s+faith|innocent|cleared|approv\w+|endors\w+|backed|backing|applaud\w*"
    r"|grateful|proud|pleased|glad|delighted|encourag\w+|promising|hopeful|solid"
    r"|remarkable|impressive|outstanding|engaged|clean(?:ly)?|extend(?:s|ed|ing)?|renew\w*|assist(?:s|ed|ing|ance)?|aid|relief|humanitarian|boost\w*|sav(?:e|ed|es|ing)|rescu\w+|restor\w+"
    r"|on\s+track|achiev\w+|milestone|full\s+transparency|well\s+run"
    r"|open\s+to)\b",
    re.IGNORECASE,
)
# Verbs that lessen what follows them: a bad word right after them ("reduced the number of
# incidents", "prevent further leaks") counts as good.
LESSEN_VERBS = (
    r"reduc\w+|cut(?:s|ting)?|lower(?:s|ed|ing)?|curb\w*|eas(?:e|es|ed|ing)|prevent\w*"
    r"|avoid\w*|stop(?:s|ped|ping)?|halt\w*|eliminat\w+|tackl\w+|resolv\w+|combat\w*"
)
# A claim that ends by denying what it set up: "... had years to deliver and did not",
# "... is the right strategy, but paying a premium now is not".
ELLIPTICAL_NEGATION = re.compile(
    r"\b(?:and|but|yet)\s+(?:[\w'’-]+\s+){0,8}?(?:did|does|do|has|have|had|is|are|was|were"
    r"|could|would|will|can)\s*(?:not|n['’]t|never)\s*[.!]?\s*$"
    r"|\b(?:and|but|yet)\s+never\s+(?:did|has|have|was|were|will)\s*[.!]?\s*$",
    re.IGNORECASE,
)
# A polarity word after one of these (within a few words) counts the other way.
NEGATORS = re.compile(
    r"\b(?:not|no|never|nor|neither|without|n't|cannot|rather than|instead of|instead)\b|n't\b",
    re.IGNORECASE,
)
# Words after which a named target is on the receiving end ("anti-Azerbaijan", "threat to X").
VICTIM_MARKERS = re.compile(
    r"(?:\banti-|\bagainst\s+(?:the\s+)?|\bthreat\s+to\s+(?:the\s+)?|\battack(?:s|ed|ing)?\s+"
    r"(?:on\s+)?(?:the\s+)?|\baccus\w+\s+(?:the\s+)?|\baggression\s+against\s+(?:the\s+)?"
    r"|\baccusations?\s+(?:[\w'’-]+\s+){0,6}?(?:about|against|of|that)\s+(?:the\s+)?"
    r"|\b(?:" + HARM_VERBS + r")\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+)?)$",
    re.IGNORECASE,
)
# Whom a demand is addressed to ("the need for Azerbaijan to", "calling on Brussels to"):
# pressed to act, they are criticised.
ADDRESSEE_BEFORE = re.compile(
    r"\b(?:need\s+for|urg(?:e|es|ed|ing)|call(?:s|ed|ing)?\s+on|press(?:es|ed|ing)?"
    r"|demand(?:s|ed|ing)?\s+that)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
ADDRESSEE_AFTER = re.compile(r"^(?:['’]s)?\s+(?:should|must|needs?\s+to|has\s+to|ought\s+to)\b")
# "we", "our club": the speaker's own side.
OWN_SIDE = re.compile(
    r"\b(?:we|our|ours|us)\b|\b(?:his|her|their|my|its)\s+(?:squad|team|players|club|company"
    r"|firm|government|country|party|side|staff|employees|members|organi[sz]ation|clients?)\b",
    re.IGNORECASE,
)

CLAIM_TYPE_WORDS: tuple[tuple[ClaimType, re.Pattern[str]], ...] = (
    (
        "denial",
        re.compile(
            r"\b(?:baseless|groundless|unfounded|untrue|not true|false|fabricat\w+|no evidence"
            r"|deni(?:ed|es)|deny|refut\w+)\b",
            re.IGNORECASE,
        ),
    ),
    ("accusation", re.compile(r"\b(?:lies|lied|liars?|accus\w+|guilty|responsible for)\b", re.I)),
    (
        "warning",
        re.compile(
            r"\b(?:will|would|could|may|might)\s+(?:\w+\s+){0,3}?lead\s+to\b|\bescalat\w+"
            r"|\bthreaten\w*|\bundermin\w+|\bdanger\w*",
            re.IGNORECASE,
        ),
    ),
    (
        "demand",
        re.compile(
            r"\b(?:need(?:s|ed)?\s+(?:to|for)|must|should|the need|calls?\s+(?:on|for)|urg\w+"
            r"|demand(?:s|ed)?\s+(?:that|the)|have to|has to)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "commitment",
        re.compile(
            r"\b(?:intention to|intends? to|committed to|will continue to|pledg\w+|promis\w+"
            r"|vow\w*|determined to|ready to|stands? ready)\b",
            re.IGNORECASE,
        ),
    ),
)
