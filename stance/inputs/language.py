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


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when it is too short to tell."""
    sample = text[:SAMPLE_CHARS]
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return None
    with _lock:  # one model, shared by reader threads
        code, probability = _identifier().classify(sample)
    return str(code) if probability >= 0.5 else None
