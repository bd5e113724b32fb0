"""Where a quote's speaker is decided.

A cue's speaker is decided in two steps, both here: `speaker_head` picks the token that names the speaker of a
reporting verb (its subject, the subject of the verb it hangs from, a passive's agent, or the name right before
it), and `resolve_speakers` gives every attribution, in reading order, the source that token refers to through
the article's entity layer (`entities.article`, with the previous speaker as the salient referent; a floating or
continued quote takes the previous speaker). What is not here: which
cue a quotation takes (`cues.cue_for_quote`), and which rule keeps a span two rules claim (`rows`).

Imports entities, nlp, and the quote lexicon, marks and records.
"""

from __future__ import annotations

import bisect

from spacy.tokens import Token

from transforms.entities.article import ArticleEntities
from transforms.entities.lexicon import EXPLETIVES, RELATIVE_PRONOUNS
from transforms.nlp.syntax import is_passive
from transforms.quotes.lexicon import SPEECH_NOUNS
from transforms.quotes.marks import SENTENCE_END
from transforms.quotes.model import Attribution

# Arcs from a reporting verb to its subject; a passive subject heard the words unless an agent spoke them.
SUBJECT_DEPS = ("nsubj", "nsubjpass")

# Paragraphs a floating quote may be from its speaker's last attribution before its speaker is a guess.
FLOATING_REACH = 2


def speaker_head(verb: Token, inside: list[int]) -> Token | None:
    """The subject of a reporting verb, climbing from "..., saying"/"and added" to the governing verb's subject;
    for a finite verb the parser left without one, the name or pronoun right before it."""
    subject = _parsed_subject(verb, inside)
    if subject is None and verb.tag_ in ("VBD", "VBZ", "VBP") and not is_passive(verb):
        subject = _nearest_noun_before(verb)
        if subject is not None and (inside[subject.i] >= 0 or subject.lower_ in EXPLETIVES | RELATIVE_PRONOUNS):
            return None
    return subject


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
                return subject  # the mention as annotated ("who"); the entity layer follows it to its antecedent
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


def resolve_speakers(attributions: list[Attribution], entities: ArticleEntities, paragraph_starts: list[int]) -> None:
    """Each attribution's speaker and mention, in reading order: a cue's speaker head resolved against the previous
    speaker; a quote that inherits takes the previous speaker (a floating one too far from it is marked so). A
    speaker head that cannot have spoken (a date, a place) leaves the attribution without a speaker."""
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
        attribution.speaker = entities.speaker(head, previous.speaker if previous else None, via_report)
        if attribution.speaker is None:
            continue
        mention = entities.speaker_span(head)
        attribution.mention = (mention.start_char, mention.end_char)
        previous = attribution
    entities.attach_quotes([(a.start, a.end, a.speaker) for a in attributions if a.speaker is not None])
