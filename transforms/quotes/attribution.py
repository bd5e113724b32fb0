"""Quote attribution over a spaCy Doc: who said what, with the cue, the speaker mention and the resolved name.

Contract: `attribute(doc) -> (quotes, sources)`, two lists of dicts.
- quote keys: text, char_start, char_end, quote_type, cue, cue_char_start, cue_char_end, speaker, speaker_mention,
  speaker_char_start, speaker_char_end, entity_key, confidence. Offsets index `doc.text`; text == doc.text[s:e].
- source keys: name, kind, role, affiliation, entity_key, mention_count, quote_count, char_start, char_end.

How it works (every step is linear in the tokens; spaCy's parse does the heavy lifting):
1. Quotation spans are paired per paragraph from the double marks in the text (curly, straight, or the NYT
   archive's two apostrophes; single marks only appear nested, so they stay inside). A paragraph that opens a
   mark and never closes it continues into the next: a multi-paragraph quote, one row per paragraph, one speaker.
2. Cues are the reporting verbs of `cues.SPEECH_VERBS` outside quotations, and "according to". A cue's speaker is
   its subject, or the subject of the verb it hangs from ("..., saying", "and added", "by citing"), or the agent
   of a passive ("as reported by X"); a relative pronoun stays the mention and resolves to its antecedent.
3. Reported content from each cue: its clausal complements (indirect; mixed when they hold a quotation), the
   clause a parenthetical cue interrupts ("The plan, he said, is dead"), the object of a naming or judging verb
   ("criticised Kiev's push"), the topic of "comment on"/"respond to", quoted fragments in the verb's own phrase
   (partial), and the rest of the sentence for "according to X". Repairs for the small model's parse: a clause
   run over a paragraph break keeps its cue's paragraph; a continuation hung on the cue verb ("said X, but Y")
   and a subject hung before it ("said [about half of ...] reflected") join the clause; a "that" clause hung
   lower ("told the audience at ... that") still counts; "<content>, police said." with the content misattached
   takes the words before the comma; "Asked if ...", "called for X to Y", "said seeing ...", "said no". Reporting
   nouns with their own clause ("his claim that ...", "Trump's promise to build") are cues whose owner speaks.
4. Quotations left over take the cue of their own sentence: right after them ("...," he said), right before
   (He said: "..."; the lead-in may end the previous paragraph), or between two halves. A quoted phrase governed
   by any verb with a subject is a partial quote ("blamed the law on "knuckleheaded politicians""); a quoted
   sentence with no cue continues the previous speaker (floating); one the author finishes in their own words
   (""They don't have a choice" but to take the lead") is mixed, to the sentence end or its cue's comma.
   Transcript turns ("FALLIN: Well, ...") are the labelled person's words. Titles in quotation marks are skipped.
5. Speakers resolve in reading order (speakers.py), since a pronoun's best antecedent is often the previous
   speaker. Each quote's confidence is its rule's precision on PolNeAR train (`RULE_PRECISION`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import numpy as np
from spacy.attrs import IDX
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from transforms.entities import speakers
from transforms.entities.keys import entity_key
from transforms.nlp import docfacts
from transforms.quotes.cues import (
    CUE_PARTICLES,
    OBJECT_CONTENT_VERBS,
    PARENTHETICAL_VERBS,
    PARTICLE_VERBS,
    SPEECH_NOUNS,
    SPEECH_VERBS,
    TOPIC_PREPOSITIONS,
    XCOMP_CONTENT_VERBS,
)

OPENING_MARKS = frozenset("“„«")
CLOSING_MARKS = frozenset("”»")
QUOTE_CHARS = "\"“”„«»'‘’"
# Double marks; two apostrophes are the NYT archive's straight double mark.
QUOTE_MARK_PATTERN = re.compile("''|[\"“”„«»]")
SENTENCE_END = frozenset(".?!")
INLINE_SPACE = " \t\xa0\u2009\u202f"
# What may follow a quotation that is a sentence of its own ("... ." / "...", she said / "..." — ).
CLAUSE_ENDS = frozenset(("", "\n", ".", ",", ";", ":", "?", "!", "—", "–", ")", "[", "("))
SUBJECT_DEPS = ("nsubj", "nsubjpass")
RELATIVE_PRONOUNS = frozenset("who that which".split())
# Objects that leave the topic as the content ("said little about the plan").
QUANTITY_OBJECTS = frozenset("little nothing much something".split())
# Subjects that are never the speaker ("there", "this says a lot"); "it" is (companies, reports) unless passive.
EXPLETIVES = frozenset("there this that what which".split())
MIN_FLOATING_WORDS = 4
# Paragraphs a floating quote may be from its speaker's last attribution before its speaker is a guess.
FLOATING_REACH = 2
# Window (tokens) searched for a direct quote's cue on either side, within its sentence.
CUE_WINDOW = 30
# Reporting nouns that carry their message in a clause ("his claim that ...", "Trump's promise to build a wall").
CLAUSE_NOUNS = frozenset(
    "claim assertion statement warning promise pledge vow argument allegation accusation "
    "insistence suggestion admission announcement prediction threat call demand".split()
)
# Reporting verbs whose message may come as a "that" clause the parse hangs lower, and how far it may start.
THAT_VERBS = frozenset(
    "say tell add write note report announce argue explain claim state insist warn promise "
    "acknowledge admit concede deny confirm reveal suggest assert contend allege testify "
    "remind assure inform complain".split()
)
THAT_WINDOW = 16
# Verbs whose object is the hearer, not the message ("told reporters").
ADDRESSEE_VERBS = frozenset("tell ask inform assure remind warn urge".split())
# A transcript speaker label at a paragraph's start ("PENCE: ", "JAKE TAPPER: ").
TRANSCRIPT_LABEL = re.compile(r"[ \t]*([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,2}):[ \t]+")
# One-word answers reported as speech ("said no", "half said so").
ANSWERS = frozenset("yes no so".split())
# Lemmas (lowercased) of every word that can be a cue: the speech and particle verbs, the clause nouns.
CUE_LEMMAS = frozenset(SPEECH_VERBS | PARTICLE_VERBS.keys() | CLAUSE_NOUNS)
ACCORDING = get_string_id("according")  # its id in every vocabulary

# Precision of each rule on all 840 PolNeAR train articles (`python -m transforms.evaluate.quotes --gold .../train`, the
# "precision per rule" table): a quote's confidence is the share of its rule's predictions that gold confirms.
RULE_PRECISION = {
    "direct_floating": 0.99,
    "direct_cue_after": 0.98,
    "direct_cue_before": 0.97,
    "direct_multi_paragraph": 0.96,
    "mixed_continued": 0.92,
    "mixed": 0.92,
    "indirect_answer": 0.91,
    "indirect_clause": 0.9,
    "direct_transcript": 0.9,  # 4 of 4 on train: too few to claim 1
    "indirect_before_cue": 0.9,  # 3 of 3 on train: too few to claim 1
    "indirect_noun": 0.9,
    "indirect_that": 0.89,
    "according_to": 0.88,
    "direct_colon": 0.87,
    "indirect_parenthetical": 0.86,
    "indirect_as": 0.8,
    "indirect_object": 0.79,
    "partial": 0.78,
    "direct_floating_far": 0.75,
    "direct_floating_inline": 0.75,
    "partial_cue": 0.73,
    "indirect_topic": 0.67,
    "partial_governed": 0.65,
    "indirect_passive": 0.65,
}


@dataclass
class QuotationSpan:
    start: int
    end: int
    paragraph: int
    continues: bool = False  # opened and not closed before the paragraph ended
    continued: bool = False  # the previous paragraph's quotation runs on into this one
    consumed: bool = False


@dataclass
class Cue:
    start: int
    end: int
    verb: Token | None
    speaker_head: Token | None
    noun: Token | None = None  # a reporting noun with its own clause ("his claim that ...")


@dataclass
class Article:
    """One document with its text and quotation layout, shared by the rules (`doc.text` is rebuilt per access)."""

    doc: Doc
    text: str
    paragraph_starts: list[int]
    quotations: list[QuotationSpan]
    inside: list[int]  # per token: the index of the quotation holding it, or -1
    quotation_paragraphs: list[int]  # per quotation, its paragraph (sorted, for bisection)


@dataclass
class Attribution:
    start: int
    end: int
    quote_type: str
    rule: str
    cue: Cue | None
    inherits: bool = False  # floating / continued quote: the speaker is the previous one
    chain: int | None = None
    speaker: speakers.Speaker | None = None
    mention: tuple[int, int] | None = None


def attribute(doc: Doc) -> tuple[list[dict], list[dict]]:
    quotes, sources, _ = attribute_with_rules(doc)
    return quotes, sources


def attribute_with_rules(doc: Doc) -> tuple[list[dict], list[dict], list[str]]:
    """attribute(), plus the name of the rule behind each quote (for evaluation and calibration)."""
    with docfacts.reading(doc) as facts:
        text = facts.text
        attributions, index = find_attributions(doc, text)
        attributed = [a for a in attributions if a.speaker is not None]
        quotes = [_quote_row(text, a) for a in attributed]
        return quotes, _source_rows(attributions, index), [a.rule for a in attributed]


def find_attributions(doc: Doc, text: str | None = None) -> tuple[list[Attribution], speakers.DocumentIndex]:
    """All attributions in reading order with resolved speakers (each keeps its rule, for evaluation)."""
    text = docfacts.of(doc).text if text is None else text
    paragraph_starts = _paragraph_starts(text)
    quotations = find_quotation_spans(text, paragraph_starts)
    inside = _tokens_inside_quotes(doc, quotations)
    article = Article(doc, text, paragraph_starts, quotations, inside, [q.paragraph for q in quotations])
    cues = [c for c in _find_cues(article) if c.speaker_head is not None]
    attributions = _reported_content(article, cues)
    attributions += _direct_quotes(article, cues)
    index = speakers.build_index(doc, article.inside)
    attributions += _transcript_turns(article, index, attributions)
    attributions = _one_per_span(attributions)
    attributions.sort(key=lambda a: (a.start, -a.end))
    _resolve_speakers(attributions, index, paragraph_starts)
    return attributions, index


def _one_per_span(attributions: list[Attribution]) -> list[Attribution]:
    """Two rules can claim the same span ("According to their report, “…”" is both mixed and direct): the rule
    that is right more often keeps it, so a span is one quote row."""
    best: dict[tuple[int, int], Attribution] = {}
    for attribution in attributions:
        span = (attribution.start, attribution.end)
        if span not in best or RULE_PRECISION[attribution.rule] > RULE_PRECISION[best[span].rule]:
            best[span] = attribution
    return list(best.values())


# --- 1. quotation marks ------------------------------------------------------------------------------------------


def _paragraph_starts(text: str) -> list[int]:
    """Where each non-blank line starts (blank lines between paragraphs do not count as paragraphs)."""
    starts = [0] if text[:1] not in ("\n", "") else []
    position = text.find("\n")
    while position != -1:
        if position + 1 < len(text) and text[position + 1] != "\n":
            starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts or [0]


def find_quotation_spans(text: str, paragraph_starts: list[int]) -> list[QuotationSpan]:
    """Paired quotation marks per paragraph, marks included; unclosed quotes run to the paragraph's end."""
    spans: list[QuotationSpan] = []
    previous_continues = False
    for number, start in enumerate(paragraph_starts):
        end = paragraph_starts[number + 1] - 1 if number + 1 < len(paragraph_starts) else len(text)
        first_here = len(spans)
        opened = None
        for position, width, kind in _marks(text, start, end):
            kind = _mistyped(text, position, width, kind, opened is not None)
            if opened is None and kind != "close":
                opened = position
            elif opened is not None and kind != "open":
                spans.append(QuotationSpan(opened, position + width, number))
                opened = None
            elif opened is not None:
                opened = position  # a mark reopened without closing: the earlier one was a stray
        paragraph = text[start:end]
        text_start, text_end = start + len(paragraph) - len(paragraph.lstrip()), start + len(paragraph.rstrip())
        if opened is not None and text_end - opened > 2:
            spans.append(QuotationSpan(opened, text_end, number, continues=True))
        here = spans[first_here:]
        if here:  # a paragraph that opens with a mark while the previous one's quotation is still open
            here[0].continued = previous_continues and here[0].start == text_start
        previous_continues = bool(here) and here[-1].continues
    return spans


def _marks(text: str, start: int, end: int):
    """(position, width, kind) of the double quotation marks in text[start:end]; kind is open, close or either."""
    for match in QUOTE_MARK_PATTERN.finditer(text, start, end):
        mark = match.group()
        kind = "open" if mark in OPENING_MARKS else "close" if mark in CLOSING_MARKS else "either"
        yield match.start(), len(mark), kind


def _mistyped(text: str, position: int, width: int, kind: str, is_open: bool) -> str:
    """A curly mark of the wrong hand (“...,“ said X / ”This is ...”): an opening mark right after the quoted
    words' punctuation closes, a closing mark before a word at a clause start opens."""
    before = text[position - 1 : position]
    after = text[position + width : position + width + 1]
    if kind == "open" and is_open and before in (",", ".", "?", "!") and (after == "" or after.isspace()):
        return "close"
    if kind == "close" and not is_open and after.isalnum() and (before == "" or not before.isalnum()):
        return "open"
    return kind


def _inner(text: str, quotation: QuotationSpan) -> str:
    return text[quotation.start : quotation.end].strip(QUOTE_CHARS + " ")


def _tokens_inside_quotes(doc: Doc, quotations: list[QuotationSpan]) -> list[int]:
    """For every token, the index of the quotation it lies in, or -1 (marks themselves count as inside).
    Quotations are ordered and disjoint, so each one claims the tokens starting within it."""
    inside = [-1] * len(doc)
    token_starts = doc.to_array(IDX).tolist()
    for number, quotation in enumerate(quotations):
        first = bisect.bisect_left(token_starts, quotation.start)
        end = bisect.bisect_left(token_starts, quotation.end)
        inside[first:end] = [number] * (end - first)
    return inside


# --- 2. cues and speakers ----------------------------------------------------------------------------------------


def _find_cues(article: Article) -> list[Cue]:
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
        elif _is_cue_verb(token):
            cues.append(Cue(*_cue_span(token), token, _speaker_head(token, inside)))
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
    if owner is None or owner.lower_ in ("its", "their", "our", "my", "your"):
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


def _noun_content(article: Article, cue: Cue) -> Attribution | None:
    noun = cue.noun
    clause = next(c for c in noun.rights if c.dep_ in ("acl", "ccomp") and c.pos_ in ("VERB", "AUX"))
    return _clause_attribution(
        article, cue, _trimmed(article.doc, clause.left_edge.i, clause.right_edge.i + 1), "indirect_noun"
    )


def _is_cue_verb(token: Token) -> bool:
    if token.pos_ not in ("VERB", "AUX") or token.dep_ == "amod":
        return False
    lemma = token.lemma_.lower()
    if lemma in PARTICLE_VERBS:
        return any(c.dep_ == "prt" and c.lower_ == PARTICLE_VERBS[lemma] for c in token.children)
    return lemma in SPEECH_VERBS


def _cue_span(verb: Token) -> tuple[int, int]:
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


def _speaker_head(verb: Token, inside: list[int]) -> Token | None:
    """The subject of a reporting verb, climbing from "..., saying"/"and added" to the governing verb's subject;
    for a finite verb the parser left without one, the name or pronoun right before it."""
    subject = _parsed_subject(verb, inside)
    if subject is None and verb.tag_ in ("VBD", "VBZ", "VBP") and not _passive_voice(verb):
        subject = _nearest_noun_before(verb)
        if subject is not None and (inside[subject.i] >= 0 or subject.lower_ in EXPLETIVES | RELATIVE_PRONOUNS):
            return None
    return subject


def _passive_voice(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _parsed_subject(verb: Token, inside: list[int]) -> Token | None:
    for _ in range(3):
        children = list(verb.children)
        subjects = [c for c in children if c.dep_ in SUBJECT_DEPS]
        # "The rejection ... signals "the end", said Geert Wilders" / "..., for people with ... ideas, she said":
        # of two subjects, the one after the verb speaks, else the one nearest before it
        subject = next((c for c in subjects if c.i > verb.i), subjects[-1]) if subjects else None
        agent = next((c for c in children if c.dep_ == "agent"), None)
        if agent is not None:
            subject = next((c for c in agent.children if c.dep_ == "pobj"), subject)
        elif subject is not None and subject.dep_ == "nsubjpass" and not _contracted_perfect(verb):
            return None  # "he was told": the subject heard it
        if subject is not None:
            if subject.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return subject  # the mention as annotated ("who"); speakers.resolve follows it to its antecedent
            if subject.lower_ in EXPLETIVES or inside[subject.i] >= 0:
                return None
            if _paragraph_break_between(subject, verb):
                return _nearest_noun_before(verb)
            return _through_speech_noun(subject)
        if verb.dep_ == "acl" and verb.tag_ in ("VBG", "VBD") and verb.head.pos_ in ("PROPN", "NOUN", "PRON"):
            noun = verb.head  # "Trump, Huckabee and Christie all calling for ..."
            if noun.lemma_.lower() in SPEECH_NOUNS and noun.dep_ in ("dobj", "pobj"):
                # "she released a statement saying ...", "Forbes shot back in an article stating ...": the author
                verb = noun.head if noun.dep_ == "dobj" else noun.head.head
                continue
            return _through_speech_noun(noun)
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep":  # "by citing a poll", "in asking to depose"
            verb = verb.head
        elif verb.dep_ not in ("advcl", "conj", "xcomp", "acomp") or verb.head == verb:
            return None
        verb = verb.head
    return None


def _contracted_perfect(verb: Token) -> bool:
    """ "he's said he'll fight": the parse reads the contracted "has" as a passive "is"; a clause after says not."""
    return any(c.dep_ == "auxpass" and c.lower_ in ("'s", "’s") for c in verb.children) and any(
        c.dep_ == "ccomp" and c.i > verb.i for c in verb.children
    )


def _paragraph_break_between(subject: Token, verb: Token) -> bool:
    """The small model parses a heading and the next paragraph as one sentence; such a subject is the heading."""
    low, high = sorted((subject.i, verb.i))
    return any(t.is_space and "\n" in t.text for t in subject.doc[low:high])


def _nearest_noun_before(verb: Token) -> Token | None:
    """ "In a related statement, Moscow also criticised": the name or pronoun right before the verb."""
    doc = verb.doc
    for token in reversed(doc[max(0, verb.i - 4) : verb.i]):
        if token.pos_ in ("PROPN", "PRON", "NOUN"):
            return token
        if token.text == ",":
            return _name_before_appositive(token)
        if token.text == ")" and token.i == verb.i - 1:  # "Sen. Chris Murphy (a Connecticut Democrat ...) says"
            opening = next((t for t in reversed(doc[max(0, token.i - 20) : token.i]) if t.text == "("), None)
            name = doc[opening.i - 1] if opening is not None and opening.i > 0 else None
            return name if name is not None and name.pos_ == "PROPN" else None
        if token.pos_ not in ("ADV", "AUX", "PART"):
            return None
    return None


def _name_before_appositive(comma: Token) -> Token | None:
    """ "Marcel Lehel Lazar, 44, said" (the parse hung the name elsewhere): the name before the appositive."""
    doc = comma.doc
    for token in reversed(doc[max(0, comma.i - 10) : comma.i]):
        if "\n" in token.text or token.text in SENTENCE_END:
            return None
        if token.text == ",":
            name = doc[token.i - 1] if token.i > 0 else None
            return name if name is not None and name.pos_ == "PROPN" else None
    return None


def _through_speech_noun(subject: Token) -> Token:
    """ "A statement from the White House said" -> the White House; "his speech ..." -> his."""
    if subject.lemma_.lower() not in SPEECH_NOUNS:
        return subject
    possessor = next((c for c in subject.children if c.dep_ == "poss"), None)
    if possessor is not None:
        return possessor
    for prep in subject.children:
        if prep.dep_ == "prep" and prep.lower_ in ("from", "by", "of"):
            return next((t for t in prep.children if t.dep_ == "pobj"), subject)
    return subject


# --- 3. reported content from the cue ----------------------------------------------------------------------------


def _reported_content(article: Article, cues: list[Cue]) -> list[Attribution]:
    found = []
    for cue in cues:
        if cue.noun is not None:
            attribution = _noun_content(article, cue)
        else:
            attribution = _according_to(article, cue) if cue.verb is None else _verb_content(article, cue)
        if attribution is not None:
            found.append(attribution)
    return found


def _according_to(article: Article, cue: Cue) -> Attribution | None:
    """ "According to X, ..." / "..., according to X": the sentence without the according-to phrase."""
    doc = article.doc
    according = doc.char_span(cue.start, cue.end, alignment_mode="expand")[0]
    sentence = docfacts.sentence(according)
    phrase_end = max(according.right_edge.i, cue.speaker_head.right_edge.i) + 1
    before = _trimmed(doc, sentence.start, according.i)
    after = _trimmed(doc, phrase_end, sentence.end)
    content = max((s for s in (before, after) if s), key=lambda s: s[1] - s[0], default=None)
    if content is None or content[1] - content[0] < 12:
        return None
    return Attribution(*content, _content_type(article.text, *content), "according_to", cue)


def _verb_content(article: Article, cue: Cue) -> Attribution | None:
    doc = article.doc
    verb = cue.verb
    lemma = verb.lemma_.lower()
    interrupted = _interrupting_cue(article, cue, lemma)
    if interrupted is not None:
        return _clause_attribution(article, cue, interrupted, "indirect_parenthetical")
    clauses = _reported_clauses(verb, lemma)
    answer = next((c for c in verb.rights if c.i == verb.i + 1 and c.lower_ in ANSWERS), None)
    if not clauses and answer is not None and lemma == "say":  # "75 percent of Democrats said yes"
        return Attribution(answer.idx, answer.idx + len(answer), "indirect", "indirect_answer", cue)
    if clauses:
        end = _continued_end(article, verb, max(c.right_edge.i for c in clauses))
        span = _trimmed(doc, _subject_start(verb, lemma, min(clauses, key=lambda c: c.left_edge.i)), end + 1)
        return _clause_attribution(article, cue, span, "indirect_clause")
    if (
        verb.dep_ in ("parataxis", "ccomp")
        and lemma in PARENTHETICAL_VERBS
        and (_set_off_by_comma(verb) or (verb.dep_ == "parataxis" and _comma_before(verb)))
    ):
        return _parenthetical(article, cue, "indirect_parenthetical")
    before = _content_before(article, cue)
    if before is not None:
        return _clause_attribution(article, cue, before, "indirect_before_cue")
    if verb.dep_ == "advcl" and verb.i < verb.head.i and any(c.lower_ == "as" for c in verb.lefts):
        return _parenthetical(article, cue, "indirect_as")  # "As reported by Western Journalism, ..."
    if _passive(verb) and verb.dep_ in ("ROOT", "conj"):
        subject = next(c for c in verb.children if c.dep_ == "nsubjpass")
        return _clause_attribution(
            article, cue, _trimmed(doc, subject.left_edge.i, subject.right_edge.i + 1), "indirect_passive"
        )  # "The meeting was first reported by Politico"
    that = _that_clause(article, verb, lemma)
    if that is not None:
        return _clause_attribution(article, cue, that, "indirect_that")
    topic = _topic_preposition(verb, lemma)
    if topic is not None and not any(c.dep_ == "dobj" and c.lower_ not in QUANTITY_OBJECTS for c in verb.rights):
        return _clause_attribution(article, cue, _trimmed(doc, topic.i + 1, topic.right_edge.i + 1), "indirect_topic")
    partial = _partial(article, cue)
    if partial is not None or lemma not in OBJECT_CONTENT_VERBS:
        return partial
    objects = [c for c in verb.rights if c.dep_ in ("dobj", "prep", "oprd", "advcl", "xcomp") and c.i > verb.i]
    if not any(c.dep_ in ("dobj", "oprd") for c in objects) and not (
        lemma == "call" and objects[:1] and objects[0].lower_ in ("for", "on")
    ):
        return None
    span = _trimmed(doc, objects[0].left_edge.i, max(c.right_edge.i for c in objects) + 1)
    return _clause_attribution(article, cue, span, "indirect_object")


def _subject_start(verb: Token, lemma: str, clause: Token) -> int:
    """ "The budget office said [about half of the higher adjustment ... reflected revenue losses]": a reported clause
    without a subject whose subject the parse hung on the cue verb, right before it."""
    start = clause.left_edge.i
    if (
        clause.i < verb.i
        or clause.pos_ not in ("VERB", "AUX")
        or any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in clause.children)
    ):
        return start
    before = next((c for c in verb.rights if c.i < start and c.right_edge.i + 1 == start), None)
    if (
        before is None
        or before.dep_ not in ("prep", "dobj", "npadvmod", "nsubj", "attr")
        or (before.dep_ == "dobj" and lemma in ADDRESSEE_VERBS)
    ):
        return start
    return before.left_edge.i


def _continued_end(article: Article, verb: Token, end: int) -> int:
    """ "He said [he'll support whomever ..., but beyond that, he doesn't want to be involved]": the parse hangs the
    reported clause's continuation on the cue verb; the content runs on to the verb's phrase end unless a cue,
    a quotation or a new paragraph comes first."""
    doc, inside = article.doc, article.inside
    if end < verb.i:
        return end
    extra = [c for c in verb.rights if c.i > end]
    if not extra or any(c.dep_ not in ("conj", "cc", "punct", "advcl", "prep", "npadvmod") for c in extra):
        return end
    last = verb.right_edge.i
    for token in doc[end + 1 : last + 1]:
        if inside[token.i] >= 0 or "\n" in token.text or _is_cue_verb(token) or token.text in (";", ":"):
            return end
    return last


def _content_before(article: Article, cue: Cue) -> tuple[int, int] | None:
    """ "<content>, police said." / "<content>, said Geert Wilders, founder of ..." where the parse tied the content
    to the cue some other way: a cue clause that ends its sentence after a comma reports the words before it."""
    doc, inside = article.doc, article.inside
    verb, speaker = cue.verb, cue.speaker_head
    if verb.lemma_.lower() not in PARENTHETICAL_VERBS or speaker is None:
        return None
    if any(c.dep_ in ("ccomp", "dobj", "xcomp", "parataxis", "oprd") and c.i > verb.i for c in verb.children):
        return None
    sentence = docfacts.sentence(verb)
    start = verb.i
    if speaker.i < verb.i:
        if verb.i - speaker.i > 3:
            return None
        start = speaker.left_edge.i
    elif speaker.i - verb.i > 3:
        return None
    while start > sentence.start and doc[start - 1].pos_ in ("ADV", "AUX", "PART"):
        start -= 1
    comma = start - 1
    if comma <= sentence.start or doc[comma].text not in (",", "—", "–") or inside[comma] >= 0:
        return None
    if speaker.lower_ in RELATIVE_PRONOUNS:
        return None
    for token in doc[verb.i + 1 : sentence.end]:  # the speaker's phrase, a time, then the sentence's end
        if speaker.left_edge.i <= token.i <= speaker.right_edge.i or token.ent_type_ in ("DATE", "TIME"):
            continue
        if token.text in SENTENCE_END or token.is_space and "\n" in token.text:
            break
        if not (token.pos_ == "ADV" or token.lower_ in ("on", "in", "at", ",")):
            return None
    first = sentence.start
    for token in doc[sentence.start : comma]:
        if inside[token.i] < 0 and (token.text in SENTENCE_END or "\n" in token.text):
            first = token.i + 1
    if comma - first < 4 or not any(t.pos_ in ("VERB", "AUX") for t in doc[first:comma]):
        return None
    return _trimmed(doc, first, comma)


def _reported_clauses(verb: Token, lemma: str) -> list[Token]:
    """The complements that carry the message: clauses after the verb ("told me he had ... and that ..."),
    with the object of a naming verb ("calls Santilli a "fascist""); else the clauses before it ("..., he said").
    A parenthetical cue after the clause ("..., CBS News reported") is an attribution of its own, not content."""
    after = [
        c for c in verb.rights if c.dep_ in ("ccomp", "parataxis") and not (_is_cue_verb(c) and _set_off_by_comma(c))
    ]
    if not after and lemma in XCOMP_CONTENT_VERBS:
        after = [c for c in verb.rights if c.dep_ == "xcomp"]
        # "called for the president to resign": the parse makes "for ... to resign" an adverbial clause
        after = after or [
            c
            for c in verb.rights
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "for" and m.i == verb.i + 1 for m in c.lefts)
        ]
    if not after and lemma == "ask":  # "Asked if he was ever bullied, ...": the question, parsed as an adverbial
        after = [
            c
            for c in verb.rights
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "whether") for m in c.lefts)
        ]
    if after and lemma in OBJECT_CONTENT_VERBS:
        after += [c for c in verb.rights if c.dep_ in ("dobj", "oprd") and c.i < after[0].i]
    if after:
        return after
    return [c for c in verb.lefts if c.dep_ == "ccomp"]


def _that_clause(article: Article, verb: Token, lemma: str) -> tuple[int, int] | None:
    """ "told the audience at his fundraiser for veterans that he and Fox News had ...": a "that" clause the parse
    hung from a noun after the verb's object; the content runs from "that" to the verb's phrase end."""
    if lemma not in THAT_VERBS:
        return None
    doc, inside = article.doc, article.inside
    end = min(verb.right_edge.i, docfacts.of(doc).sentence(verb.i)[1] - 1)
    for token in doc[verb.i + 1 : min(end + 1, verb.i + THAT_WINDOW)]:
        if inside[token.i] >= 0 or token.text in SENTENCE_END or token.text in (";", ":") or "\n" in token.text:
            return None
        if token.lower_ == "that" and token.dep_ == "mark" and token.head.i > token.i:
            return _trimmed(doc, token.i, end + 1)
    return None


def _topic_preposition(verb: Token, lemma: str) -> Token | None:
    """ "said little about the plan", "declined to comment on the request", "responded to his attacks"."""
    for child in verb.rights:
        if child.dep_ == "prep" and child.lower_ in TOPIC_PREPOSITIONS:
            verbs = TOPIC_PREPOSITIONS[child.lower_]
            if verbs is None or lemma in verbs:
                return child
    return None


def _passive(verb: Token) -> bool:
    return any(c.dep_ == "nsubjpass" for c in verb.children) and any(c.dep_ == "agent" for c in verb.children)


def _set_off_by_comma(verb: Token) -> bool:
    """ "The plan, he said, ..." / "..., he added.": the cue clause is fenced off by a comma before it."""
    left = verb.left_edge
    comma = left if left.is_punct else left.nbor(-1) if left.i > 0 else None
    return comma is not None and comma.text in (",", "—") and verb.head.pos_ in ("VERB", "AUX")


def _comma_before(verb: Token) -> bool:
    left = verb.left_edge
    comma = left if left.is_punct else left.nbor(-1) if left.i > 0 else None
    return comma is not None and comma.text in (",", "—")


def _parenthetical(article: Article, cue: Cue, rule: str) -> Attribution | None:
    """ "The plan, he said, is dead" / "The plan is dead, he added": the governing clause minus the cue clause."""
    doc = article.doc
    verb = cue.verb
    head = verb.head
    low, high = head.left_edge.i, head.right_edge.i
    if head.dep_ in ("aux", "auxpass") or head.pos_ not in ("VERB", "AUX"):
        # "Even then, he said, he's learned ..." (hung on an auxiliary) / "The hashtag ..., Mr. Abboud said,
        # accompanied ..." (hung on a noun): the sentence around the cue clause, within the sentence's own ends
        low, high = _sentence_around(article, verb)
    before = _trimmed(doc, low, verb.left_edge.i)  # edge punctuation is trimmed
    after = _trimmed(doc, verb.right_edge.i + 1, high + 1)
    spans = [s for s in (before, after) if s]
    if not spans:
        return None
    span = (spans[0][0], spans[-1][1])
    return _clause_attribution(article, cue, span, rule)


def _interrupting_cue(article: Article, cue: Cue, lemma: str) -> tuple[int, int] | None:
    """ "This sort of opining, CNN claimed, violates its code" / "Voters, Clinton suggested, don't have to worry":
    a cue clause fenced by commas inside its sentence reports the sentence around it, however the parse hung it."""
    doc, verb, speaker = article.doc, cue.verb, cue.speaker_head
    if lemma not in PARENTHETICAL_VERBS or verb.dep_ not in ("parataxis", "ROOT", "ccomp") or speaker is None:
        return None
    if speaker.head != verb or abs(speaker.i - verb.i) > 4:
        return None
    first, last = (speaker.left_edge.i, verb.i) if speaker.i < verb.i else (verb.i, speaker.right_edge.i)
    while first > 0 and doc[first - 1].pos_ in ("ADV", "AUX", "PART"):
        first -= 1
    while last + 1 < len(doc) and doc[last + 1].pos_ == "ADV":
        last += 1
    if first < 1 or last + 1 >= len(doc) or doc[first - 1].text != "," or doc[last + 1].text != ",":
        return None
    low, high = _sentence_around(article, verb)
    before, after = _trimmed(doc, low, first), _trimmed(doc, last + 1, high + 1)
    if before is None or after is None:
        return None
    return before[0], after[1]


def _sentence_around(article: Article, verb: Token) -> tuple[int, int]:
    """The first and last token of the sentence holding verb, cut at sentence ends and breaks outside quotations
    (the parser's sentences run over both)."""
    doc, inside = article.doc, article.inside
    sentence = docfacts.sentence(verb)
    low = sentence.start
    for token in doc[sentence.start : verb.i]:
        if inside[token.i] < 0 and (token.text in SENTENCE_END or "\n" in token.text):
            low = token.i + 1
    high = sentence.end - 1
    for token in doc[verb.i + 1 : sentence.end]:
        if inside[token.i] < 0 and (token.text in SENTENCE_END or "\n" in token.text):
            high = token.i - 1
            break
    return low, high


def _clause_attribution(article: Article, cue: Cue, span, rule: str) -> Attribution | None:
    """An indirect or mixed quote for a reported clause; a clause that is one quotation is left to step 4."""
    if span is None or span[1] - span[0] < 8:
        return None
    start, end = _within_cue_paragraph(article.text, cue, *span)
    if end - start < 8:
        return None
    for quotation in _quotations_near(article, start, end):  # a quotation the clause cuts through joins it whole
        if quotation.start < end and start < quotation.end:
            start, end = min(start, quotation.start), max(end, quotation.end)
    if _crosses_paragraph(article.text, start, end):
        return None
    held = [q for q in _quotations_near(article, start, end) if start <= q.start and q.end <= end]
    if len(held) == 1 and held[0].end - held[0].start >= 0.85 * (end - start) and _standalone(article.text, held[0]):
        return None
    for quotation in held:
        quotation.consumed = True
    if held:
        return Attribution(start, end, "mixed", "mixed", cue)
    return Attribution(start, end, "indirect", rule, cue)


def _within_cue_paragraph(text: str, cue: Cue, start: int, end: int) -> tuple[int, int]:
    """The small model runs sentences over paragraph breaks (a headline into the lead, a quote into the next
    paragraph): a reported clause keeps only the part in its cue's paragraph."""
    if "\n" not in text[start:end]:
        return start, end
    low = text.rfind("\n", 0, cue.start) + 1
    high = text.find("\n", cue.end)
    high = len(text) if high == -1 else high
    start, end = max(start, low), min(end, high)
    if start >= end:
        return start, start
    piece = text[start:end]
    stripped = piece.strip(" \t\n\xa0,;:.-—–")
    offset = piece.find(stripped) if stripped else 0
    return start + offset, start + offset + len(stripped)


def _quotations_near(article: Article, start: int, end: int) -> list[QuotationSpan]:
    """Quotations in the paragraphs that the character range touches (the rules never look further)."""
    starts = article.paragraph_starts
    first, last = bisect.bisect_right(starts, start) - 1, bisect.bisect_right(starts, end) - 1
    low = bisect.bisect_left(article.quotation_paragraphs, first)
    high = bisect.bisect_right(article.quotation_paragraphs, last)
    return article.quotations[low:high]


def _partial(article: Article, cue: Cue) -> Attribution | None:
    """Quoted fragments inside the cue verb's own phrase ("described the guarantees as "a springboard"",
    "called Iowa voters "stupid" for supporting Carson"): the verb's complements, fragments included."""
    inside, quotations = article.inside, article.quotations
    verb = cue.verb
    subject = cue.speaker_head
    if max(inside[verb.left_edge.i : verb.right_edge.i + 1]) < 0:
        return None  # no quotation within the verb's phrase (its subtree lies between its edges)
    # The quoted tokens of the verb's subtree (which lies between its edges), the speaker's phrase left out;
    # asking each quoted token for its ancestry costs less than walking the whole subtree.
    doc = article.doc
    speaker_edges = (subject.left_edge.i, subject.right_edge.i) if subject is not None else (-1, -2)
    held = sorted(
        {
            inside[i]
            for i in range(verb.left_edge.i, verb.right_edge.i + 1)
            if inside[i] >= 0
            and not speaker_edges[0] <= i <= speaker_edges[1]
            and (i == verb.i or verb.is_ancestor(doc[i]))
        }
    )
    fragments = [quotations[i] for i in held if not quotations[i].consumed]
    if not fragments or not all(_embedded(article.text, q) for q in fragments):
        return None
    content = _complements(article, verb, fragments)
    if content is None:
        return None
    for quotation in fragments:
        quotation.consumed = True
    return Attribution(*content, "partial", "partial", cue)


def _complements(article: Article, verb: Token, fragments: list[QuotationSpan]) -> tuple[int, int] | None:
    """From the verb's first complement to its last, stretched over the quoted fragments, within the paragraph."""
    objects = [c for c in verb.rights if c.dep_ not in ("punct", "cc", "conj", "advmod", "npadvmod")]
    if not objects:
        return fragments[0].start, fragments[-1].end
    span = _trimmed(article.doc, objects[0].left_edge.i, objects[-1].right_edge.i + 1)
    if span is None:
        return None
    start, end = min(span[0], fragments[0].start), max(span[1], fragments[-1].end)
    if _crosses_paragraph(article.text, start, end):
        return fragments[0].start, fragments[-1].end
    return start, end


def _embedded(text: str, quotation: QuotationSpan) -> bool:
    """A quotation that continues the author's phrase: no colon or comma before it, lowercase or short inside."""
    before = _char_before(text, quotation.start)
    inner = _inner(text, quotation)
    return before not in (":", ",", "") and (inner[:1].islower() or len(inner.split()) <= 4)


def _content_type(text: str, start: int, end: int) -> str:
    return "mixed" if QUOTE_MARK_PATTERN.search(text, start, end) else "indirect"


def _trimmed(doc: Doc, start_token: int, end_token: int) -> tuple[int, int] | None:
    """Character span of tokens [start, end) without the punctuation and spaces at its edges (marks stay)."""
    while start_token < end_token and _edge_noise(doc[start_token]):
        start_token += 1
    while end_token > start_token and _edge_noise(doc[end_token - 1]):
        end_token -= 1
    if end_token <= start_token:
        return None
    last = doc[end_token - 1]
    return doc[start_token].idx, last.idx + len(last.text)


def _edge_noise(token: Token) -> bool:
    return token.is_space or token.is_punct and not any(c in QUOTE_CHARS for c in token.text)


def _crosses_paragraph(text: str, start: int, end: int) -> bool:
    return "\n" in text[start:end]


# --- 4. direct quotes --------------------------------------------------------------------------------------------


def _direct_quotes(article: Article, cues: list[Cue]) -> list[Attribution]:
    doc, text = article.doc, article.text
    cue_at = {doc.char_span(c.start, c.end, alignment_mode="expand")[0].i: c for c in cues if c.noun is None}
    found = []
    chain = 0
    for quotation in article.quotations:
        if quotation.consumed:
            continue
        if not quotation.continued:
            chain += 1
        cue, rule = _cue_for_quote(article, quotation, cue_at)
        standalone = _standalone(text, quotation)
        words = len(text[quotation.start : quotation.end].split())
        if cue is not None and standalone:
            found.append(Attribution(quotation.start, quotation.end, "direct", rule, cue, chain=chain))
        elif not standalone and (continued := _continued_quote(article, quotation, cue_at, chain)) is not None:
            found.append(continued)
        elif not standalone and (fragment := _governed_fragment(article, quotation)) is not None:
            found.append(fragment)
        elif cue is not None and rule == "direct_cue_after" and _ends_sentence(text, quotation):
            found.append(Attribution(quotation.start, quotation.end, "direct", rule, cue, chain=chain))
        elif quotation.continued and found and found[-1].chain == chain:
            found.append(
                Attribution(
                    quotation.start, quotation.end, "direct", "direct_multi_paragraph", None, inherits=True, chain=chain
                )
            )
        elif standalone and words >= MIN_FLOATING_WORDS:
            rule = "direct_floating" if _opens_sentence(text, quotation) else "direct_floating_inline"
            found.append(Attribution(quotation.start, quotation.end, "direct", rule, None, inherits=True, chain=chain))
    _share_chain_cues(found)
    return found


def _continued_quote(
    article: Article, quotation: QuotationSpan, cue_at: dict[int, Cue], chain: int
) -> Attribution | None:
    """A quoted sentence the author finishes in their own words (""They don't have a choice" but to take the lead
    in advertising, says Evan Tracey"): the quotation and its continuation to the sentence's end or to the comma
    before its cue; without a cue it continues the previous speaker."""
    doc, text, inside = article.doc, article.text, article.inside
    if not _opens_sentence(text, quotation) or not _char_after(text, quotation.end).islower():
        return None
    inner = _inner(text, quotation)
    if not inner[:1].isupper() or len(inner.split()) < MIN_FLOATING_WORDS:
        return None
    span = doc.char_span(quotation.start, quotation.end, alignment_mode="expand")
    if span is None:
        return None
    last_comma, cue = None, None
    position = span.end
    while position < len(doc):
        token = doc[position]
        if "\n" in token.text or (inside[position] < 0 and token.text in SENTENCE_END):
            break
        if inside[position] >= 0 and article.quotations[inside[position]] is not quotation:
            return None  # another quotation: left to the other rules
        if token.text == ",":
            last_comma = position
        if position in cue_at and last_comma is not None:
            cue = cue_at[position]
            break
        if last_comma is not None and inside[position] < 0 and token.lemma_.lower() in SPEECH_VERBS:
            break  # a cue the rules could not give a speaker: the content still ends before it
        position += 1
    end_token = (
        last_comma
        if position < len(doc)
        and (cue is not None or doc[position].lemma_.lower() in SPEECH_VERBS and inside[position] < 0)
        else position
    )
    content = _trimmed(doc, span.start, end_token)
    if content is None or content[1] <= quotation.end:
        return None
    quotation.consumed = True
    return Attribution(content[0], content[1], "mixed", "mixed_continued", cue, inherits=cue is None, chain=chain)


def _transcript_turns(article: Article, index: speakers.DocumentIndex, found: list[Attribution]) -> list[Attribution]:
    """Interview transcripts ("PENCE: Well, I think ..."): a paragraph opened by a capitalised label naming a person
    the article names, then a colon, is that person's words (unless another rule already covers the paragraph)."""
    doc, text = article.doc, article.text
    turns = []
    for number, start in enumerate(article.paragraph_starts):
        match = TRANSCRIPT_LABEL.match(text, start)
        if match is None:
            continue
        end = article.paragraph_starts[number + 1] - 1 if number + 1 < len(article.paragraph_starts) else len(text)
        label = match.group(1).split()
        content = text[match.end() : end].rstrip()
        if len(content.split()) < MIN_FLOATING_WORDS or not _names_person(label, index):
            continue
        if any(a.start < end and start < a.end for a in found):
            continue
        span = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        if span is None:
            continue
        cue = Cue(match.end(1), match.end(1) + 1, None, span[-1])
        turns.append(Attribution(match.end(), match.end() + len(content), "direct", "direct_transcript", cue))
    return turns


def _names_person(label: list[str], index: speakers.DocumentIndex) -> bool:
    last = label[-1].lower().strip(".")
    return index.labels.get(last) == "PERSON" or last in index.full_names


def _governed_fragment(article: Article, quotation: QuotationSpan) -> Attribution | None:
    """A quoted phrase in the object of any verb with a subject ("Cruz blamed the law on "knuckleheaded
    politicians"", "Clinton decried the issue of "systemic racism""): the object up to the quotation is content.
    Titles ("Saturday Night Live") are not quotes."""
    doc, inside = article.doc, article.inside
    span = doc.char_span(quotation.start, quotation.end, alignment_mode="expand")
    words = _inner(article.text, quotation).split()
    if span is None or not words or all(w[:1].isupper() for w in words):
        return None
    cue = _cue_above(span.root, inside)
    rule = "partial_cue" if cue is not None else "partial_governed"
    cue = cue or _nearest_verb_above(span.root, inside)
    if cue is None or cue.verb.i > span.start:
        return None
    content = _complements(article, cue.verb, [quotation])
    if content is None:
        return None
    quotation.consumed = True
    return Attribution(*content, "partial", rule, cue)


def _cue_above(token: Token, inside: list[int]) -> Cue | None:
    """The reporting verb that governs a quoted phrase, however deep ("added that the behavior appeared to be
    "completely premeditated"")."""
    while token.head != token:
        token = token.head
        if inside[token.i] < 0 and _is_cue_verb(token):
            speaker = _speaker_head(token, inside)
            return Cue(*_cue_span(token), token, speaker) if speaker is not None else None
    return None


def _nearest_verb_above(token: Token, inside: list[int]) -> Cue | None:
    """The closest verb with a subject above a quoted phrase ("blamed the law on "knuckleheaded politicians"")."""
    for _ in range(6):
        if token.pos_ == "VERB" and inside[token.i] < 0 or token.head == token:
            break
        token = token.head
    if token.pos_ != "VERB":
        return None
    speaker = _speaker_head(token, inside)
    return Cue(token.idx, token.idx + len(token), token, speaker) if speaker is not None else None


def _cue_for_quote(article: Article, quotation: QuotationSpan, cue_at: dict[int, Cue]) -> tuple[Cue | None, str]:
    """The cue in the quote's own sentence: right after it ("...," he said), else right before (He said: "...")."""
    doc, inside = article.doc, article.inside
    first = doc.char_span(quotation.start, quotation.end, alignment_mode="expand")
    if first is None or not len(first):
        return None, ""
    before = _char_before(article.text, quotation.start)
    if before == ":":
        colon_cue = _colon_cue(doc, first.start, inside, cue_at)
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


def _colon_cue(doc: Doc, quote_start: int, inside: list[int], cue_at: dict[int, Cue]) -> Cue | None:
    """The lead-in of a quotation after a colon, possibly ending the previous paragraph: a reporting cue, else
    any verb with a subject ("As Cornyn put it:"), else a bare name ("Chris Matthews:", transcript style)."""
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
        if token.pos_ == "VERB":
            speaker = _speaker_head(token, inside)
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


def _standalone(text: str, quotation: QuotationSpan) -> bool:
    """A quotation that is a sentence of its own, not a phrase in the author's sentence."""
    before = _char_before(text, quotation.start, INLINE_SPACE)
    inner = _inner(text, quotation)
    opens = before in ("", "\n", ":", ",", ".", "?", "!", "—", "(") or inner[:1].isupper() and len(inner.split()) > 3
    return opens and (_ends_sentence(text, quotation) or _char_after(text, quotation.end) in CLAUSE_ENDS)


def _ends_sentence(text: str, quotation: QuotationSpan) -> bool:
    """ "...," he said / "...?" she asked: the quoted words end with their own punctuation."""
    inner = text[quotation.start : quotation.end].rstrip(QUOTE_CHARS + " ")
    return inner[-1:] in (",", ".", "?", "!", "—", "-") or text[quotation.end : quotation.end + 1] == ","


def _opens_sentence(text: str, quotation: QuotationSpan) -> bool:
    """At a paragraph start or after a finished sentence, also one that ended inside a quotation (."  “...)."""
    return _char_before(text, quotation.start, INLINE_SPACE + QUOTE_CHARS) in ("", "\n", ".", "?", "!")


def _char_after(text: str, position: int) -> str:
    """The first character from position that is not inline space ("" at the end of the text)."""
    while position < len(text) and text[position] in INLINE_SPACE:
        position += 1
    return text[position] if position < len(text) else ""


def _char_before(text: str, position: int, skipped: str = INLINE_SPACE + "\n") -> str:
    """The last character before position that is not in skipped ("" at the start of the text)."""
    position -= 1
    while position >= 0 and text[position] in skipped:
        position -= 1
    return text[position] if position >= 0 else ""


def _share_chain_cues(found: list[Attribution]) -> None:
    """A multi-paragraph quote whose cue comes late ("...," she said, in its last paragraph) gives it to all."""
    by_chain: dict[int, Cue] = {}
    for attribution in found:
        if attribution.cue is not None:
            by_chain.setdefault(attribution.chain, attribution.cue)
    for attribution in found:
        if attribution.cue is None and attribution.chain in by_chain and attribution.rule == "direct_multi_paragraph":
            attribution.cue = by_chain[attribution.chain]
            attribution.inherits = False


# --- 5. speakers in reading order -------------------------------------------------------------------------------


def _resolve_speakers(attributions: list[Attribution], index: speakers.DocumentIndex, paragraph_starts) -> None:
    previous: Attribution | None = None
    for attribution in attributions:
        if attribution.inherits:
            if previous is None:
                continue
            paragraph = bisect.bisect_right(paragraph_starts, attribution.start)
            if paragraph - bisect.bisect_right(paragraph_starts, previous.start) > FLOATING_REACH:
                attribution.rule = "direct_floating_far"
            attribution.speaker, attribution.mention = previous.speaker, previous.mention
            continue
        head = attribution.cue.speaker_head
        via_report = attribution.cue.verb is not None and attribution.cue.verb.lemma_ == "report"
        attribution.speaker = speakers.resolve(head, index, previous.speaker if previous else None, via_report)
        mention = speakers.speaker_span(head, index)
        attribution.mention = (mention.start_char, mention.end_char)
        previous = attribution


# --- rows --------------------------------------------------------------------------------------------------------


def _quote_row(text: str, attribution: Attribution) -> dict:
    cue = attribution.cue
    mention = attribution.mention or (None, None)
    return {
        "text": text[attribution.start : attribution.end],
        "char_start": attribution.start,
        "char_end": attribution.end,
        "quote_type": attribution.quote_type,
        "cue": text[cue.start : cue.end] if cue else None,
        "cue_char_start": cue.start if cue else None,
        "cue_char_end": cue.end if cue else None,
        "speaker": attribution.speaker.name,
        "speaker_mention": text[mention[0] : mention[1]] if mention[0] is not None else None,
        "speaker_char_start": mention[0],
        "speaker_char_end": mention[1],
        "entity_key": attribution.speaker.key,
        "confidence": RULE_PRECISION[attribution.rule],
    }


def _source_rows(attributions: list[Attribution], index: speakers.DocumentIndex) -> list[dict]:
    """One row per distinct speaker, plus every person the article names (quote_count 0 if never quoted).
    mention_count: the person's named mentions, plus each cue that names the source another way ("he",
    "the spokeswoman", "a White House official")."""
    rows: dict[str, dict] = {}
    for attribution in attributions:
        speaker = attribution.speaker
        if speaker is None:
            continue
        row = rows.setdefault(speaker.key, _source_row(speaker, index, attribution.mention))
        row["quote_count"] += 1
        if attribution.cue is None or attribution.inherits:
            continue
        if not (speaker.name in index.mention_counts and speakers.is_name(attribution.cue.speaker_head, index)):
            row["mention_count"] += 1
    for full in index.mention_counts:
        if " " in full:  # a lone word the model called a person ("Kiev's") is not a source unless it speaks
            rows.setdefault(entity_key(full), _source_row(speakers.person(full, index), index, None))
    return list(rows.values())


def _source_row(speaker: speakers.Speaker, index: speakers.DocumentIndex, mention) -> dict:
    first = index.first_mentions.get(speaker.name) or mention or (None, None)
    return {
        "name": speaker.name,
        "kind": speaker.kind,
        "role": speaker.role,
        "affiliation": speaker.affiliation,
        "entity_key": speaker.key,
        "mention_count": index.mention_counts.get(speaker.name, 0),
        "quote_count": 0,
        "char_start": first[0],
        "char_end": first[1],
    }
