"""The language of a document, detected offline (py3langid: a small model shipped in the
package, a few milliseconds per article), among the languages news in stance comes in."""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

# ISO 639-1 codes the detector chooses among: fewer languages, fewer confusions.
LANGUAGES = (
    "en", "ru", "hy", "az", "ka", "uk", "tr", "fa", "ar", "fr", "de", "es", "it", "pt", "zh",
)  # fmt: skip
SAMPLE_CHARS = 700  # a paragraph: enough for a confident answer, and fast (linear in it)
MIN_LETTERS = 20  # below this, no guess
_lock = threading.Lock()
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


# English function words that other languages written in Latin letters seldom use: a text
# full of them is English without asking the model (whose loading takes a second or two).
_ENGLISH = frozenset(
    "the and of that with for was were has have are from this which would will by said its "
    "their they been".split()
)
_WORD = re.compile(r"[^\W\d_]+")


def _plainly_english(sample: str) -> bool:
    words = [w.lower() for w in _WORD.findall(sample)]
    return len(words) >= 40 and sum(w in _ENGLISH for w in words) >= 0.15 * len(words)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when it is too short to tell."""
    sample = text[:SAMPLE_CHARS]
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return None
    if _plainly_english(sample):
        return "en"
    with _lock:  # one model, shared by reader threads
        code, probability = _identifier().classify(sample)
    return str(code) if probability >= 0.5 else None
