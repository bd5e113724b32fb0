"""The cached attribute ruler and lemmatizer and the inference ops (transforms/nlp/loading.py) annotate exactly as the
stock spaCy pipeline does."""

from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG

from transforms.nlp.loading import ENCODER_BLOCK_ROWS, CachedAttributeRuler, CachedLemmatizer, InferenceOps, model_name

ANNOTATIONS = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]
ARTICLES = 12


def test_pipeline_uses_the_cached_components(nlp):
    assert isinstance(nlp.get_pipe("attribute_ruler"), CachedAttributeRuler)
    assert isinstance(nlp.get_pipe("lemmatizer"), CachedLemmatizer)
    assert nlp.pipe_names == spacy.load(model_name()).pipe_names


def test_pipeline_models_compute_with_inference_ops(nlp):
    for name in ("tok2vec", "parser", "ner"):
        assert all(isinstance(layer.ops, InferenceOps) for layer in nlp.get_pipe(name).model.walk()), name


def test_pipeline_annotates_like_stock_spacy(nlp, corpus):
    texts = [p.read_text(encoding="utf-8") for p in sorted((corpus / "polnear" / "dev" / "text").glob("*.txt"))]
    # Contractions, "y'all", "ain't", "there is" exercise the multi-token patterns and the pronoun rules.
    texts = texts[:ARTICLES] + [
        "Y'all ain't seen nothing yet, but there's more: I told you it was theirs.\n\nHe'd've gone."
    ]
    reference = spacy.load(model_name())
    for expected, got in zip(reference.pipe(texts), nlp.pipe(texts)):
        mismatched = numpy.nonzero((expected.to_array(ANNOTATIONS) != got.to_array(ANNOTATIONS)).any(axis=1))[0]
        assert not len(mismatched), [
            (
                expected[i].text,
                expected[i].lemma_,
                got[i].lemma_,
                expected[i].pos_,
                got[i].pos_,
                str(expected[i].morph),
                str(got[i].morph),
            )
            for i in mismatched[:5]
        ]


def test_inference_forwards_compute_the_stock_vectors(nlp, corpus):
    """The deduplicated embedding and the row-block encoder give the token vectors stock thinc layers give, for
    the shared tok2vec and NER's own; batches span several encoder blocks and documents of every size."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((corpus / "polnear" / "dev" / "text").glob("*.txt"))[:6]]
    texts += ["", "One.", "\n\n"]
    stock = spacy.load(model_name())
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
