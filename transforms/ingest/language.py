"""Language of an article body, offline, by py3langid (a naive Bayes model over byte n-grams).

The one language detector: the HTML reader calls it on the body it extracts (falling back to the page's `lang`
attribute, which only the reader sees), and transforms.normalise.articles on the bodies of records whose input
named no language. It sits in ingest, the lower of those two layers, so both can import it. Imports nothing of
wirehouse.
"""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# A prefix decides as well as the whole body and keeps long articles fast.
PREFIX_CHARS = 2_000
# Fewer letters than this (a caption, "Click here") cannot tell one language from another.
MIN_LETTERS = 20
# Normalised probability under which the answer is a guess, not a detection.
MIN_CONFIDENCE = 0.3


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True, min_confidence=MIN_CONFIDENCE)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text is too short or too mixed to tell."""
    prefix = text[:PREFIX_CHARS]
    if sum(ch.isalpha() for ch in prefix) < MIN_LETTERS:
        return None
    code, _confidence = _identifier().classify(prefix)
    # Below MIN_CONFIDENCE the model answers "und"; a few of its labels are ISO 639-3 only (no 639-1 code).
    return code if len(code) == 2 else None
