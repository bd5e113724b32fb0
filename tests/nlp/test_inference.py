"""The sped-up pipeline (transforms/nlp/inference.py: cached attribute ruler and lemmatizer, inference ops and
forwards) annotates exactly as the stock spaCy pipeline does, and loads only with the versions that was checked on."""

from __future__ import annotations

import json

import numpy
import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, ORTH, POS, TAG

from tests.conftest import DEMO_INBOX
from transforms.nlp import inference
from transforms.nlp.inference import (
    ENCODER_BLOCK_ROWS,
    CachedAttributeRuler,
    CachedLemmatizer,
    InferenceOps,
    unchecked_versions,
)
from transforms.nlp.loading import model_name

ANNOTATIONS = [ORTH, TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]
ARTICLES = 12
DEMO_ARTICLES = 6
# Contractions, "y'all", "ain't", "there is" exercise the multi-token patterns and the pronoun rules.
CONTRACTIONS = "Y'all ain't seen nothing yet, but there's more: I told you it was theirs.\n\nHe'd've gone."


@pytest.fixture(scope="module")
def stock():
    return spacy.load(model_name())


def demo_texts() -> list[str]:
    """Real article bodies shipped in the repo: the demo inbox's seed text and news-please articles."""
    texts = [(DEMO_INBOX / "seed" / "trump-putin-zelenskyy.txt").read_text(encoding="utf-8")]
    for path in sorted((DEMO_INBOX / "newsplease").glob("*.json"))[:DEMO_ARTICLES]:
        texts.append(json.loads(path.read_text(encoding="utf-8"))["text"])
    return texts


def assert_annotated_alike(stock, nlp, texts: list[str]) -> None:
    for text, expected, got in zip(texts, stock.pipe(texts), nlp.pipe(texts), strict=True):
        assert [token.text for token in got] == [token.text for token in expected], text[:60]
        assert [(ent.start, ent.end, ent.label_) for ent in got.ents] == [
            (ent.start, ent.end, ent.label_) for ent in expected.ents
        ], text[:60]
        mismatched = numpy.nonzero((expected.to_array(ANNOTATIONS) != got.to_array(ANNOTATIONS)).any(axis=1))[0]
        assert not len(mismatched), [
            (
                expected[i].text,
                expected[i].tag_,
                got[i].tag_,
                expected[i].dep_,
                got[i].dep_,
                expected[i].lemma_,
                got[i].lemma_,
                str(expected[i].morph),
                str(got[i].morph),
            )
            for i in mismatched[:5]
        ]


def test_pipeline_uses_the_cached_components(nlp, stock):
    assert isinstance(nlp.get_pipe("attribute_ruler"), CachedAttributeRuler)
    assert isinstance(nlp.get_pipe("lemmatizer"), CachedLemmatizer)
    assert nlp.pipe_names == stock.pipe_names


def test_pipeline_models_compute_with_inference_ops(nlp):
    for name in ("tok2vec", "parser", "ner"):
        assert all(isinstance(layer.ops, InferenceOps) for layer in nlp.get_pipe(name).model.walk()), name


def test_installed_versions_are_the_checked_ones(stock):
    assert unchecked_versions(stock) is None


def test_other_versions_load_stock(monkeypatch, stock):
    monkeypatch.setattr(inference, "PINNED_THINC", "0.0.0")
    assert "thinc 0.0.0" in unchecked_versions(stock)
    pipeline = spacy.load(model_name())
    inference.speed_up(pipeline)
    assert not isinstance(pipeline.get_pipe("lemmatizer"), CachedLemmatizer)
    assert not any(isinstance(layer.ops, InferenceOps) for layer in pipeline.get_pipe("tok2vec").model.walk())


def test_pipeline_annotates_like_stock_spacy_on_the_demo_articles(nlp, stock):
    assert_annotated_alike(stock, nlp, demo_texts() + [CONTRACTIONS, "", "\n\n", "One."])


def test_pipeline_annotates_like_stock_spacy_on_polnear(nlp, stock, corpus):
    texts = [p.read_text(encoding="utf-8") for p in sorted((corpus / "polnear" / "dev" / "text").glob("*.txt"))]
    assert_annotated_alike(stock, nlp, texts[:ARTICLES])


def test_inference_forwards_compute_the_stock_vectors(nlp, stock):
    """The deduplicated embedding and the row-block encoder give the token vectors stock thinc layers give, for
    the shared tok2vec and NER's own; batches span several encoder blocks and documents of every size."""
    texts = demo_texts() + ["", "One.", "\n\n"]
    for name, tok2vec in (("tok2vec", lambda pipe: pipe.model), ("ner", lambda pipe: pipe.model.get_ref("tok2vec"))):
        docs = [nlp.make_doc(text) for text in texts]
        expected = tok2vec(stock.get_pipe(name)).predict(docs)
        got = tok2vec(nlp.get_pipe(name)).predict(docs)
        assert sum(len(vectors) for vectors in got) > 2 * ENCODER_BLOCK_ROWS
        for want, have in zip(expected, got, strict=True):
            numpy.testing.assert_allclose(have, want, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("text", ["", "\n\n", "One."])
def test_short_documents(nlp, text):
    assert nlp(text).text == text
