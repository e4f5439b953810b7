"""Synthetic articles for scale tests and benchmarks, made deterministically from the gold
fixtures, with the claims a scripted server answers for them.

Every article is SYNTHETIC: two gold texts (fixtures/gold) put one after the other under a
numbered marker line, so that each article is a distinct document with realistic prose and
known claims. The claims are the gold annotations that pass stance's own checks (quote in
the text, speaker named in it), so a scripted answer made of them is accepted at once and
each article costs exactly one request. No model wrote any of it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from stance.core.models import ExtractedClaim
from stance.extraction.llm.extractor import SourceText, claim_problems

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "gold"
MARKER = "[synthetic article {number:04}, recombined from the stance gold fixtures]"


@dataclass(frozen=True)
class Article:
    name: str  # file name, e.g. "article-0007.txt"
    text: str
    claims: tuple[dict[str, Any], ...]  # as a model would answer them (ExtractedClaim fields)

    def file_content(self) -> str:
        """The text with a header block, as `stance ingest` reads a file."""
        header = f"source: synthetic (recombined from fixtures/gold)\ntitle: {self.name}\n\n"
        return header + self.text


def _as_answer(gold_claim: dict[str, Any]) -> dict[str, Any]:
    return {
        "speaker": gold_claim["speaker"],
        "speaker_mention": gold_claim["speaker"],
        "cue": gold_claim.get("cue") or "said",
        "quote": gold_claim["quote"],
        "content": gold_claim["quote"],
        "attribution": "indirect",
        "claim_type": "statement",
        "targets": [
            {"name": t["name"], "kind": t.get("kind") or "other", "stance": t["stance"]}
            for t in gold_claim.get("targets", [])
        ],
    }


@lru_cache(maxsize=1)
def gold_texts() -> tuple[tuple[str, tuple[dict[str, Any], ...]], ...]:
    """Each gold text with its claims that pass the checks, as answers."""
    found = []
    for path in sorted(GOLD.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            document = json.loads(line)
            text = document["text"]
            source = SourceText.of(text)
            answers = []
            for gold_claim in document["claims"]:
                answer = _as_answer(gold_claim)
                if not claim_problems(ExtractedClaim(**answer), source):
                    answers.append(answer)
            found.append((text, tuple(answers)))
    return tuple(found)


def synthetic_articles(count: int) -> list[Article]:
    """`count` distinct articles: for article i, gold texts i and i*5+3 (mod the number of
    gold texts) under the marker line."""
    texts = gold_texts()
    articles = []
    for number in range(count):
        first = texts[number % len(texts)]
        second = texts[(number * 5 + 3) % len(texts)]
        if second is first:
            second = texts[(number + 1) % len(texts)]
        text = f"{MARKER.format(number=number)}\n\n{first[0]}\n\n{second[0]}"
        articles.append(Article(f"article-{number:04}.txt", text, first[1] + second[1]))
    return articles


def write_articles(articles: list[Article], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for article in articles:
        path = folder / article.name
        path.write_text(article.file_content(), encoding="utf-8")
        paths.append(path)
    return paths


def all_claims(articles: list[Article]) -> list[dict[str, Any]]:
    """Every claim of the articles once, for `fakeserver.echo_claims`."""
    seen: dict[str, dict[str, Any]] = {}
    for article in articles:
        for claim in article.claims:
            seen.setdefault(json.dumps(claim, sort_keys=True), claim)
    return list(seen.values())


def article_number(request_text: str) -> int | None:
    """The number of the synthetic article a request carries, from its marker line."""
    head = "[synthetic article "
    start = request_text.find(head)
    if start == -1:
        return None
    return int(request_text[start + len(head) : start + len(head) + 4])
