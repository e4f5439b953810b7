"""The page around a story: lines that are never claims and never name a speaker.

Web pages and press releases come with furniture: a headline or kicker ("Ouch: Firm Sends
Angry Letter"), a byline ("By Jo Bell | City Wire"), topic tag lines ("Tags: trade, ports"),
photo credits ("Photo: Ann Lee | Reuters"), "Read more:" and "Related:" links, release
boilerplate ("For Immediate Release:", "Media contact:"), greetings that open a speech
("Dear colleagues,") and the sections that close a company release ("About Acme",
"Forward-looking statements"). The walk skips these lines, and names in them are no
speakers.
"""

from __future__ import annotations

import re
from functools import lru_cache

from stance.extraction.rules.lexicon import words

_FURNITURE_LABELS = words("words", "furniture labels")
_CLOSING_SECTIONS = words("words", "closing sections")
_LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z' -]{0,30}?)\s*:")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_SMALL = frozenset(words("words", "headline small words"))
_DATE_ONLY = re.compile(r"^[\s\d./,:-]*$|^\s*[\w ,]{0,40}\d{4}\s*$")
_GREETING = re.compile(
    r"^\s*(?:(?:dear|honou?rable|distinguished|esteemed|ladies|my)\b[^.!?]{0,160},|thank you"
    r"(?: (?:very much|all))?[.!]?)\s*$",
    re.IGNORECASE,
)
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)]*\s*$")


# Cached (pure functions of a line): the mentions ask again for every name of one line.
@lru_cache(maxsize=256)
def is_furniture(line: str) -> bool:
    """A line that carries no claim: tags, credits, bylines, links, release boilerplate,
    date lines, greetings, a page's section names ("Newsroom | Company News")."""
    text = line.strip()
    if not text:
        return True
    label = _LABEL.match(text)
    if label and label.group(1).strip().lower() in _FURNITURE_LABELS:
        return True
    if " | " in text or text.startswith(("By ", "(Reporting", "(Editing", "(The ")):
        return True
    if text.startswith("(") and text.endswith(")"):
        return True  # "(End of transcript.)"
    return bool(_DATE_ONLY.match(text) or _GREETING.match(text))


@lru_cache(maxsize=256)
def is_headline(line: str) -> bool:
    """A title, kicker or subheading: no sentence end, and (short or in title case)."""
    text = line.strip()
    if not text or _ENDS_SENTENCE.search(text) or re.search(r"[\"“”]", text):
        return False
    if text.endswith(":"):
        return False  # "The minister said:": it introduces what follows
    tokens = _WORD.findall(text)
    if len(tokens) <= 12:
        return True
    content = [t for t in tokens if t.lower() not in _SMALL]
    capitalised = sum(1 for t in content if t[:1].isupper())
    return bool(content) and capitalised / len(content) >= 0.6


def is_page_head(line: str) -> bool:
    """A headline or deck above the story, which may quote ('"Pure theatre": Dunmore says
    ...', 'Grocer calls the fine "absurd" and says it will appeal'): one line of at most
    24 words with no sentence end. Only lines before the story's first sentence are read
    so (a quotation in the body is a claim)."""
    text = line.strip()
    if not text or "\n" in text or text.endswith(":"):
        return False
    if _ENDS_SENTENCE.search(text) or text.endswith((",", ";")):
        return False
    return len(_WORD.findall(text)) <= 24


def closes_the_story(line: str) -> bool:
    """A heading after which a release is boilerplate ("About Acme", "Forward-looking
    statements"): nothing below it is the author's statement."""
    text = line.strip().rstrip(":").lower()
    return text in _CLOSING_SECTIONS or (text.startswith("about ") and len(text.split()) <= 5)


def skipped(lines: list[str]) -> bool:
    """A paragraph made only of furniture and headings."""
    return all(is_furniture(line) or is_headline(line) for line in lines)
