"""Word lists of the rules extractor for stance and claim type: evaluative words, negators,
the marks of a target on the receiving end or pressed to act, the speaker's own side.

Data only (see stance.extraction.rules.lexicon for the cue and speaker lists); the rules that read
these are in stance.extraction.rules.stances.
"""

from __future__ import annotations

import re

from stance.core.models import ClaimType
from stance.extraction.rules.lexicon import entries

# Verbs that harm what follows them ("undermines the peace process"): the thing harmed is
# defended by whoever says so, and a good word right after them ("peace") counts as bad.
HARM_VERBS = "|".join(entries("stance", "harm verbs"))
NEGATIVE_WORDS = re.compile(
    r"\b(?:" + "|".join(entries("stance", "negative")) + r")\b", re.IGNORECASE
)
POSITIVE_WORDS = re.compile(
    r"\b(?:" + "|".join(entries("stance", "positive")) + r")\b", re.IGNORECASE
)
# Verbs that lessen what follows them: a bad word right after them ("reduced the number of
# incidents", "prevent further leaks") counts as good.
LESSEN_VERBS = "|".join(entries("stance", "lessen verbs"))
# A claim that ends by denying what it set up: "... had years to deliver and did not",
# "... was a sound idea, but rushing it now is not".
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
# Words after which a named target is on the receiving end ("anti-Moldova", "threat to X").
VICTIM_MARKERS = re.compile(
    r"(?:\banti-|\bagainst\s+(?:the\s+)?|\bthreat\s+to\s+(?:the\s+)?|\battack(?:s|ed|ing)?\s+"
    r"(?:on\s+)?(?:the\s+)?|\baccus\w+\s+(?:the\s+)?|\baggression\s+against\s+(?:the\s+)?"
    r"|\baccusations?\s+(?:[\w'’-]+\s+){0,6}?(?:about|against|of|that)\s+(?:the\s+)?"
    r"|\b(?:" + HARM_VERBS + r")\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+)?)$",
    re.IGNORECASE,
)
# Whom a demand is addressed to ("the need for Moldova to", "calling on Ottawa to"):
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

# Someone else's words, judged: "the ministry's assurances that ... are not convincing", "those
# claims are baseless". What the words defended, the speaker opposes, and whose words they were.
OTHERS_WORDS = re.compile(
    r"\b(?:assurances?|claims?|statements?|promises?|pledges?|words|comments|remarks"
    r"|allegations?|accusations?|arguments?|assertions?|explanations?|denials?|guarantees?)\b",
    re.IGNORECASE,
)
VERDICT = re.compile(
    r"\b(?:(?:are|is|were|was|remain|remains)\s+(?:(?:simply|entirely|completely|wholly|far"
    r"\s+from|hardly)\s+)?(?:not\s+(?:convincing|credible|true|serious|believable|accurate)"
    r"|unconvincing|baseless|groundless|unfounded|false|untrue|misleading|absurd|wrong|empty"
    r"|hollow|nonsense|lies)"
    r"|(?:do|does|did)\s+not\s+(?:correspond|match|reflect|square|stand|hold|convince)"
    r"|(?:ring|rings|rang)\s+hollow|(?:fly|flies)\s+in\s+the\s+face|contradict\w*)\b",
    re.IGNORECASE,
)
# Another's claim reported without being judged: "They claim that ...", "the owners insist".
REPORTED_CLAIM = re.compile(
    r"\b(?:they|he|she|it|[A-Z][\w'’-]+|officials|organi[sz]ers)\s+(?:(?:still|also|now)\s+)?"
    r"(?:claims?|insists?|contends?|alleges?|maintains?)\s+(?:that\s+)?",
)
# "We are not against X" speaks for X; "the plan is not against X" defends the plan.
FIRST_PERSON_SUBJECT = re.compile(r"\b(?:we|i)\s+(?:are|am|were|was)\s+$", re.IGNORECASE)
# Dismissing a charge turns it round: "we fail to see how the drill is a provocation", "it is
# hard to see how the plan is a threat" defend what the charge was about.
DISMISSAL = re.compile(
    r"\b(?:fail(?:s|ed)?\s+to\s+see|(?:do|does|did)\s*(?:not|n['’]t)\s+see|(?:hard|difficult)"
    r"\s+to\s+see|cannot\s+see|can['’]t\s+see)\s+(?:why|how)\b"
    r"|\bno\s+reason\s+to\s+(?:think|believe)\b",
    re.IGNORECASE,
)
