"""Reporting cues: the speech verbs, "according to" and reporting nouns outside quotations, each with its speaker
head (decided by `speaker.speaker_head`), and the cue a direct quotation takes from its own sentence.

Imports entities' lexicon, nlp, and the quote lexicon, marks, records and speaker.
"""

from __future__ import annotations

import numpy as np
from spacy.tokens import Doc, Token

from transforms.entities.lexicon import NON_SPEAKER_POSSESSIVES
from transforms.nlp import docfacts
from transforms.quotes.lexicon import (
    ACCORDING,
    CLAUSE_NOUNS,
    COMMUNICATION_NOUNS,
    CUE_LEMMAS,
    CUE_PARTICLES,
    IDIOM_OBJECTS,
    LIGHT_VERBS,
    PARTICLE_VERBS,
    PHRASAL_REPORTING,
    REPORTING_VERBS,
    SPEECH_NOUNS,
    SPEECH_VERBS,
)
from transforms.quotes.marks import SENTENCE_END, QuotationSpan, char_before, inner_text
from transforms.quotes.model import Article, Cue
from transforms.quotes.speaker import speaker_head

# Window (tokens) searched for a direct quote's cue on either side, within its sentence.
CUE_WINDOW = 30

# The fewest words of a quoted sentence that a colon's lead-in presents whatever its verb.
COLON_SENTENCE_WORDS = 4


def find_cues(article: Article) -> list[Cue]:
    doc, inside = article.doc, article.inside
    cues = []
    for i in _cue_candidates(doc):
        if inside[i] >= 0:
            continue
        token = doc[i]
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            to = doc[token.i + 1]
            objects = [c for c in to.children if c.dep_ == "pobj"] or [c for c in token.children if c.dep_ == "pobj"]
            cues.append(Cue(token.idx, to.idx + len(to), None, objects[0] if objects else None))
        elif is_cue_verb(token):
            cues.append(Cue(*cue_span(token), token, speaker_head(token, inside)))
        elif token.pos_ == "NOUN" and token.lemma_.lower() in CLAUSE_NOUNS:
            cue = _noun_cue(token, inside)
            if cue is not None:
                cues.append(cue)
    return cues


def _cue_candidates(doc: Doc) -> list[int]:
    """The tokens whose lemma is a cue word, and every "according", found in the doc's arrays of string ids: a
    Token object per word would cost more than the cue rules."""
    facts = docfacts.of(doc)
    return np.flatnonzero(facts.lemma_in(CUE_LEMMAS) | (facts.columns[:, 3] == ACCORDING)).tolist()


def _noun_cue(noun: Token, inside: list[int]) -> Cue | None:
    """ "his claim that ...", "Trump's promise to build a wall": a reporting noun with its owner and its clause."""
    owner = next((c for c in noun.children if c.dep_ == "poss" and inside[c.i] < 0), None)
    if owner is None or owner.lower_ in NON_SPEAKER_POSSESSIVES:
        return None
    clause = next(
        (
            c
            for c in noun.rights
            if c.dep_ in ("acl", "ccomp")
            and c.pos_ in ("VERB", "AUX")
            and any(m.lower_ in ("that", "to") and m.dep_ in ("mark", "aux") for m in c.lefts)
        ),
        None,
    )
    if clause is None:
        return None
    return Cue(noun.idx, noun.idx + len(noun), None, owner, noun)


def is_reporting_verb(token: Token) -> bool:
    """A verb of speech, thought or attitude (`lexicon.REPORTING_VERBS`), a phrasal verb of speech ("summed up",
    "pointed to"), a speech idiom ("as Cornyn put it"), a light verb with a communicative object ("offered a
    defense of", "issued a report"), or a verb characterising its object as something ("casts Trump as a former
    liberal who would "unravel" ..."): what a quoted phrase or a colon's lead-in may be attributed through. Verbs
    of doing alone ("served", "involving", "promoting") never are."""
    if token.pos_ not in ("VERB", "AUX"):
        return False
    lemma = token.lemma_.lower()
    if lemma in IDIOM_OBJECTS:
        return any(c.dep_ == "dobj" and c.lower_ in IDIOM_OBJECTS[lemma] for c in token.children)
    if lemma in REPORTING_VERBS or is_cue_verb(token):
        return True
    children = list(token.children)
    if any(c.dep_ in ("prt", "prep") and (lemma, c.lower_) in PHRASAL_REPORTING for c in children):
        return True
    objects = [c for c in children if c.dep_ == "dobj"]
    if objects and any(c.dep_ == "prep" and c.lower_ == "as" for c in children):
        return True  # "V X as Y": a characterisation
    if lemma in LIGHT_VERBS:
        nouns = objects + [g for c in children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
        return any(_communicative(n) for n in nouns)
    return False


def _communicative(noun: Token) -> bool:
    lemma = noun.lemma_.lower()
    return lemma in SPEECH_NOUNS or lemma in CLAUSE_NOUNS or lemma in COMMUNICATION_NOUNS


def is_cue_verb(token: Token) -> bool:
    if token.pos_ not in ("VERB", "AUX") or token.dep_ == "amod":
        return False
    lemma = token.lemma_.lower()
    if lemma in PARTICLE_VERBS:
        return any(c.dep_ == "prt" and c.lower_ == PARTICLE_VERBS[lemma] for c in token.children)
    return lemma in SPEECH_VERBS


def cue_span(verb: Token) -> tuple[int, int]:
    """The verb with its particle ("pointed out"); a reporting noun phrase after it ("said in a statement")."""
    end_token = verb
    for child in verb.rights:
        if child.dep_ == "prt" and child.lower_ in CUE_PARTICLES:
            end_token = child
        elif child.dep_ == "prep" and child.i == end_token.i + 1:
            noun = next((t for t in child.children if t.dep_ == "pobj"), None)
            if noun is not None and noun.lemma_.lower() in SPEECH_NOUNS:
                end_token = noun
    return verb.idx, end_token.idx + len(end_token)


def cue_above(token: Token, inside: list[int]) -> Cue | None:
    """The reporting verb that governs a quoted phrase, however deep ("added that the behavior appeared to be
    "completely premeditated"")."""
    while token.head != token:
        token = token.head
        if inside[token.i] < 0 and is_cue_verb(token):
            speaker = speaker_head(token, inside)
            return Cue(*cue_span(token), token, speaker) if speaker is not None else None
    return None


def nearest_verb_above(token: Token, inside: list[int]) -> Cue | None:
    """The closest verb of speech, thought or attitude with a subject above a quoted phrase ("Japan branded North
    Korea an "outlaw nation"", "referred to the plan as "a disaster""); a quoted phrase under a verb of doing only
    ("promoting "magic" weight loss pills", "the conflict involving ...") is no one's words."""
    for _ in range(6):
        if token.head == token:
            break
        token = token.head
        if inside[token.i] < 0 and is_reporting_verb(token):
            speaker = speaker_head(token, inside)
            return Cue(token.idx, token.idx + len(token), token, speaker) if speaker is not None else None
    return None


def cue_for_quote(article: Article, quotation: QuotationSpan, cue_at: dict[int, Cue]) -> tuple[Cue | None, str]:
    """The cue in the quote's own sentence: right after it ("...," he said), else right before (He said: "...")."""
    doc, inside = article.doc, article.inside
    first = doc.char_span(quotation.start, quotation.end, alignment_mode="expand")
    if first is None or not len(first):
        return None, ""
    before = char_before(article.text, quotation.start)
    if before == ":":
        inner = inner_text(article.text, quotation)
        sentence = inner[:1].isupper() and len(inner.split()) >= COLON_SENTENCE_WORDS
        colon_cue = _colon_cue(doc, first.start, inside, cue_at, sentence)
        if colon_cue is not None:
            reporting = colon_cue.verb is not None and colon_cue.verb.lemma_ in SPEECH_VERBS
            return colon_cue, "direct_cue_before" if reporting else "direct_colon"
    after_cue = _scan(doc, first.end, +1, inside, cue_at)
    before_cue = _scan(doc, first.start - 1, -1, inside, cue_at)
    if before_cue is not None and before == ",":
        return before_cue, "direct_cue_before"
    if after_cue is not None:
        return after_cue, "direct_cue_after"
    if before_cue is not None:
        return before_cue, "direct_cue_before"
    return None, ""


def _colon_cue(doc: Doc, quote_start: int, inside: list[int], cue_at: dict[int, Cue], sentence: bool) -> Cue | None:
    """The lead-in of a quotation after a colon, possibly ending the previous paragraph: a reporting cue, else
    a verb of speech, thought or attitude with a subject ("As Cornyn put it:", "the sign read:"), or before a
    quoted sentence any verb with a subject (the colon presents it: "... is a cultish blind faith in Obama's
    word:"; a quoted word or name after "served:" is no one's words), else a bare name ("Chris Matthews:",
    transcript style)."""
    colon = quote_start - 1
    while colon >= 0 and doc[colon].is_space:
        colon -= 1
    if colon <= 0 or doc[colon].text != ":":
        return None
    cue = _scan(doc, colon - 1, -1, inside, cue_at)
    if cue is not None:
        return cue
    for token in reversed(doc[max(docfacts.of(doc).sentence(colon)[0], colon - CUE_WINDOW) : colon]):
        if inside[token.i] >= 0 or "\n" in token.text:
            break
        if token.pos_ == "VERB" and sentence or is_reporting_verb(token):
            speaker = speaker_head(token, inside)
            if speaker is not None:
                return Cue(token.idx, token.idx + len(token), token, speaker)
    name = doc[colon - 1]
    if name.pos_ == "PROPN" and inside[name.i] < 0:
        return Cue(doc[colon].idx, doc[colon].idx + 1, None, name)
    return None


def _scan(doc: Doc, position: int, step: int, inside: list[int], cue_at: dict[int, Cue]) -> Cue | None:
    """The nearest cue from position in one direction, stopping at a sentence end, another quote or a paragraph."""
    for _ in range(CUE_WINDOW):
        if position < 0 or position >= len(doc):
            return None
        token = doc[position]
        if inside[position] >= 0 or "\n" in token.text:
            return None
        if step > 0 and token.text in SENTENCE_END or step < 0 and token.text in SENTENCE_END:
            return None
        if position in cue_at:
            return cue_at[position]
        position += step
    return None
