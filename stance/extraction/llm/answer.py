"""Reading a model's raw answer: its shape first, then each claim on its own.

- `read_answer(raw)` decides whether an answer has the right shape: one JSON object with a
  `claims` list. No claims key, a wrong key (`{"extractions": [...]}`, `{"Claims": [...]}`,
  `{"result": {"claims": [...]}}`), the JSON schema echoed back, or no JSON at all is a
  `ShapeProblem`, said in plain words for a re-ask. An empty list is a valid answer.
- `repair_claim(index, item)` turns one claim of the answer into an `ExtractedClaim`,
  repairing what is unambiguous: the case of labels, stance and label synonyms ("against",
  "positive"), dates in any common form (dateparser, resolved against the publication date),
  a target given as a plain string, a target kind the schema does not know (`other`), an
  attribution left out (read from the text's quotation marks by the caller). What cannot be
  repaired (a missing speaker, quote or content; a stance no synonym names) rejects this
  claim alone, with a reason that names the claim and the field.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import dateparser
from pydantic import ValidationError

from stance.core.models import ExtractedClaim

REQUIRED = ("speaker", "quote", "content")
_SUPPORT = """support supports supporting supportive supported favor favour favorable favourable
    positive pro for agree agrees agreement endorse endorses endorsement approve approves approval
    welcome welcomes defend defends""".split()
_OPPOSE = """oppose opposes opposing opposed opposition against negative anti con critical
    criticize criticise criticism reject rejects rejection hostile blame blames condemn condemns
    disapprove disagree disagrees""".split()
_NEUTRAL = """neutral none null n/a na unclear unknown mention mentions mentioned ambivalent
    informational factual""".split()
STANCES: dict[str, str] = (
    dict.fromkeys(_SUPPORT, "support")
    | dict.fromkeys(_OPPOSE, "oppose")
    | dict.fromkeys(_NEUTRAL, "neutral")
    | {"in favor": "support", "in favour": "support", "not against": "support"}
)
KINDS: dict[str, str] = (
    dict.fromkeys("person people individual politician official human leader".split(), "person")
    | dict.fromkeys(
        """organization organisation org company institution body party agency government
        ministry department alliance union bloc group outlet media""".split(),
        "organization",
    )
    | dict.fromkeys("country nation state".split(), "country")
    | dict.fromkeys(
        "event meeting summit talks call visit conference election war negotiation".split(),
        "event",
    )
)
ATTRIBUTIONS: dict[str, str] = (
    dict.fromkeys("direct quote quoted quotation verbatim".split(), "direct")
    | dict.fromkeys("indirect reported paraphrase paraphrased summary".split(), "indirect")
    | dict.fromkeys("mixed partial partly both".split(), "mixed")
)
CLAIM_TYPES: dict[str, str] = (
    dict.fromkeys("statement claim assertion opinion fact view assessment".split(), "statement")
    | dict.fromkeys("accusation accuse accuses allegation charge blame".split(), "accusation")
    | dict.fromkeys("denial deny denies rejection rebuttal refutation".split(), "denial")
    | dict.fromkeys("warning warn warns threat caution".split(), "warning")
    | dict.fromkeys("demand demands call appeal request urge requirement".split(), "demand")
    | dict.fromkeys("commitment commit promise pledge vow undertaking".split(), "commitment")
)
NO_DATE = frozenset({"", "unknown", "none", "null", "n/a", "na", "tbd", "unspecified"})
_SCHEMA_KEYS = frozenset({"$defs", "definitions", "properties", "$schema", "required"})


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class ShapeProblem:
    """Why an answer is not `{"claims": [...]}`, in plain words for the model."""

    what: str

    def correction(self) -> str:
        return (
            f"Your answer could not be used: {self.what}. Answer again with one JSON object "
            'whose only key is "claims", a list of claim objects (an empty list if the text '
            "has no claims). Do not repeat the schema."
        )


def _json_object(raw: str) -> Any:
    """The JSON value of an answer, or a ShapeProblem."""
    text = raw.strip()
    if not text:
        return ShapeProblem("the answer was empty")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        pass
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        try:
            return json.loads(text[start : end + 1])
        except (ValueError, RecursionError):
            pass
    return ShapeProblem("it is not valid JSON")


def read_answer(raw: str) -> list[Any] | ShapeProblem:
    """The list of claims an answer carries (items still raw), or why it has the wrong shape."""
    value = _json_object(raw)
    if isinstance(value, ShapeProblem):
        return value
    if isinstance(value, list):
        return ShapeProblem('it is a bare list; the list must be the value of the key "claims"')
    if not isinstance(value, dict):
        return ShapeProblem("it is not a JSON object")
    if "claims" in value:
        claims = value["claims"]
        if isinstance(claims, list):
            return claims
        return ShapeProblem(f'"claims" must be a list, not {type(claims).__name__}')
    if _SCHEMA_KEYS & set(value) or value.get("type") == "object":
        return ShapeProblem("it repeats the JSON schema instead of giving the claims")
    keys = ", ".join(f'"{k}"' for k in list(value)[:5]) or "no keys"
    return ShapeProblem(f'it has no key "claims" (it has {keys})')


@dataclass
class RepairedClaim:
    """One claim of an answer after repair: the claim, or why it cannot be used."""

    index: int
    claim: ExtractedClaim | None
    problem: tuple[str, str] | None = None  # (field, why) when the claim cannot be used
    raw: dict[str, Any] = field(default_factory=dict)  # the claim's fields, for a rejection
    attribution_given: bool = True  # False: read it from the text once the quote is found

    def label(self) -> str:
        quote = self.raw.get("quote")
        shown = f" (quote {_clip(quote)!r})" if isinstance(quote, str) and quote else ""
        return f"claims[{self.index}]{shown}"


def _word(value: Any) -> str:
    return " ".join(str(value).strip().lower().replace("_", " ").replace("-", " ").split())


_NEGATIONS = frozenset({"not", "no", "non", "never", "nor", "neither", "without"})


def _label(value: Any, table: dict[str, str]) -> str | None:
    """The label a word or short phrase names ("Strongly oppose" -> oppose); None when it
    names none, or several, or is negated ("not support")."""
    phrase = _word(value)
    if phrase in table:
        return table[phrase]
    words = phrase.split(" ")
    if _NEGATIONS & set(words):
        return None
    named = {table[w] for w in words if w in table}
    return named.pop() if len(named) == 1 else None


def _date(value: Any, published: str | None) -> tuple[str | None, str | None]:
    """An ISO date for a target's date as the model wrote it; (date, None) or (None, why)."""
    if value is None or (isinstance(value, str) and value.strip().lower() in NO_DATE):
        return None, None
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text).isoformat(), None
    except ValueError:
        pass
    settings: dict[str, Any] = {
        "REQUIRE_PARTS": ["day", "month"],
        "PREFER_DATES_FROM": "current_period",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if published:
        try:
            base = dt.datetime.fromisoformat(published[:10])
            settings["RELATIVE_BASE"] = base
        except ValueError:
            pass
    parsed = dateparser.parse(text, settings=settings)
    if parsed is None:
        return None, f"the date {_clip(text, 30)!r} is not a day (use YYYY-MM-DD, or leave it out)"
    return parsed.date().isoformat(), None


def _target(value: Any, published: str | None) -> tuple[dict[str, Any] | None, str | None]:
    if isinstance(value, str):
        return ({"name": value.strip()} if value.strip() else None), None
    if not isinstance(value, dict):
        return None, "is not an object"
    target = {str(k).strip().lower(): v for k, v in value.items()}
    name = target.get("name") or target.get("entity") or target.get("target")
    if not isinstance(name, str) or not name.strip():
        return None, "has no name"
    fixed: dict[str, Any] = {"name": name.strip()}
    kind = target.get("kind") or target.get("type")
    fixed["kind"] = _label(kind, KINDS) or "other" if kind is not None else "other"
    if target.get("stance") is not None:
        stance = _label(target["stance"], STANCES)
        if stance is None:
            return None, (
                f"has the stance {_clip(str(target['stance']), 30)!r}; use support, oppose "
                "or neutral"
            )
        fixed["stance"] = stance
    date, why = _date(target.get("date"), published)
    if why:
        return None, f"date: {why}"
    fixed["date"] = date
    return fixed, None


def repair_claim(index: int, item: Any, published: str | None = None) -> RepairedClaim:
    """One raw claim of an answer as an ExtractedClaim, repaired where unambiguous."""
    if not isinstance(item, dict):
        return RepairedClaim(index, None, ("claim", "is not an object"))
    raw = {str(k).strip().lower(): v for k, v in item.items()}
    result = RepairedClaim(index, None, raw=raw)
    fields: dict[str, Any] = {}
    for name in ("speaker", "speaker_mention", "cue", "quote", "content"):
        value = raw.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if value is not None and not isinstance(value, str):
            result.problem = (name, "must be text")
            return result
        fields[name] = (value or "").strip()
    missing = [name for name in REQUIRED if not fields[name]]
    if missing:
        result.problem = (
            missing[0],
            "missing or empty; every claim needs " + ", ".join(REQUIRED),
        )
        return result
    fields["speaker_mention"] = fields["speaker_mention"] or fields["speaker"]
    if raw.get("attribution") is not None:
        fields["attribution"] = _label(raw["attribution"], ATTRIBUTIONS) or ""
    if raw.get("claim_type") is not None:
        fields["claim_type"] = _label(raw["claim_type"], CLAIM_TYPES) or "statement"
    targets = raw.get("targets")
    if isinstance(targets, (dict, str)):
        targets = [targets]
    fixed_targets = []
    for number, target in enumerate(targets if isinstance(targets, list) else []):
        fixed, why = _target(target, published)
        if why:
            result.problem = (f"targets[{number}]", why)
            return result
        if fixed is not None:
            fixed_targets.append(fixed)
    fields["targets"] = fixed_targets
    try:
        result.claim = ExtractedClaim.model_validate(
            {**fields, "attribution": fields.get("attribution") or "indirect"}
        )
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        result.problem = (where, str(first["msg"]).lower())
        return result
    result.attribution_given = bool(fields.get("attribution"))
    return result


def attribution_from_text(text: str, start: int, end: int) -> str:
    """'direct' when the quote sits inside quotation marks in the text, else 'indirect'."""
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    opening = any(ch in "\"“«‘'" for ch in before)
    closing = any(ch in "\"”»’'" for ch in after)
    return "direct" if opening and closing else "indirect"
