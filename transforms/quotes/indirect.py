"""Indirect, mixed and partial quotes from each cue: what the cue reports (its clausal complements, the clause a
parenthetical cue interrupts, the object of a naming verb, the topic of "comment on", quoted fragments in its
phrase, the rest of the sentence for "according to X"), with repairs for the small model's parse.

Imports entities' lexicon, nlp, and the quote lexicon, marks, records, cues and content.
"""

from __future__ import annotations

from spacy.tokens import Token

from transforms.entities.lexicon import RELATIVE_PRONOUNS
from transforms.nlp import docfacts
from transforms.nlp.syntax import is_passive_with_agent
from transforms.quotes.content import clause_attribution, complements, trimmed
from transforms.quotes.cues import is_cue_verb
from transforms.quotes.lexicon import (
    ADDRESSEE_VERBS,
    ANSWERS,
    OBJECT_CONTENT_VERBS,
    PARENTHETICAL_VERBS,
    QUANTITY_OBJECTS,
    THAT_VERBS,
    TOPIC_PREPOSITIONS,
    XCOMP_CONTENT_VERBS,
)
from transforms.quotes.marks import SENTENCE_END, content_type, is_embedded
from transforms.quotes.model import Article, Attribution, Cue

# How far (tokens) after its verb a "that" clause hung lower may start.
THAT_WINDOW = 16


def reported_content(article: Article, cues: list[Cue]) -> list[Attribution]:
    found = []
    for cue in cues:
        if cue.noun is not None:
            attribution = _noun_content(article, cue)
        else:
            attribution = _according_to(article, cue) if cue.verb is None else _verb_content(article, cue)
        if attribution is not None:
            found.append(attribution)
    return found


def _noun_content(article: Article, cue: Cue) -> Attribution | None:
    noun = cue.noun
    clause = next(c for c in noun.rights if c.dep_ in ("acl", "ccomp") and c.pos_ in ("VERB", "AUX"))
    return clause_attribution(
        article, cue, trimmed(article.doc, clause.left_edge.i, clause.right_edge.i + 1), "indirect_noun"
    )


def _according_to(article: Article, cue: Cue) -> Attribution | None:
    """ "According to X, ..." / "..., according to X": the sentence without the according-to phrase."""
    doc = article.doc
    according = doc.char_span(cue.start, cue.end, alignment_mode="expand")[0]
    sentence = docfacts.sentence(according)
    phrase_end = max(according.right_edge.i, cue.speaker_head.right_edge.i) + 1
    before = trimmed(doc, sentence.start, according.i)
    after = trimmed(doc, phrase_end, sentence.end)
    content = max((s for s in (before, after) if s), key=lambda s: s[1] - s[0], default=None)
    if content is None or content[1] - content[0] < 12:
        return None
    return Attribution(*content, content_type(article.text, *content), "according_to", cue)


def _verb_content(article: Article, cue: Cue) -> Attribution | None:
    doc = article.doc
    verb = cue.verb
    lemma = verb.lemma_.lower()
    interrupted = _interrupting_cue(article, cue, lemma)
    if interrupted is not None:
        return clause_attribution(article, cue, interrupted, "indirect_parenthetical")
    clauses = _reported_clauses(verb, lemma)
    answer = next((c for c in verb.rights if c.i == verb.i + 1 and c.lower_ in ANSWERS), None)
    if not clauses and answer is not None and lemma == "say":  # "75 percent of Democrats said yes"
        return Attribution(answer.idx, answer.idx + len(answer), "indirect", "indirect_answer", cue)
    if clauses:
        end = _continued_end(article, verb, max(c.right_edge.i for c in clauses))
        span = trimmed(doc, _subject_start(verb, lemma, min(clauses, key=lambda c: c.left_edge.i)), end + 1)
        return clause_attribution(article, cue, span, "indirect_clause")
    if (
        verb.dep_ in ("parataxis", "ccomp")
        and lemma in PARENTHETICAL_VERBS
        and (_set_off_by_comma(verb) or (verb.dep_ == "parataxis" and _comma_before(verb)))
    ):
        return _parenthetical(article, cue, "indirect_parenthetical")
    before = _content_before(article, cue)
    if before is not None:
        return clause_attribution(article, cue, before, "indirect_before_cue")
    if verb.dep_ == "advcl" and verb.i < verb.head.i and any(c.lower_ == "as" for c in verb.lefts):
        return _parenthetical(article, cue, "indirect_as")  # "As reported by Western Journalism, ..."
    if is_passive_with_agent(verb) and verb.dep_ in ("ROOT", "conj"):
        subject = next(c for c in verb.children if c.dep_ == "nsubjpass")
        return clause_attribution(
            article, cue, trimmed(doc, subject.left_edge.i, subject.right_edge.i + 1), "indirect_passive"
        )  # "The meeting was first reported by Politico"
    that = _that_clause(article, verb, lemma)
    if that is not None:
        return clause_attribution(article, cue, that, "indirect_that")
    topic = _topic_preposition(verb, lemma)
    if topic is not None and not any(c.dep_ == "dobj" and c.lower_ not in QUANTITY_OBJECTS for c in verb.rights):
        return clause_attribution(article, cue, trimmed(doc, topic.i + 1, topic.right_edge.i + 1), "indirect_topic")
    partial = _partial(article, cue)
    if partial is not None or lemma not in OBJECT_CONTENT_VERBS:
        return partial
    objects = [c for c in verb.rights if c.dep_ in ("dobj", "prep", "oprd", "advcl", "xcomp") and c.i > verb.i]
    if not any(c.dep_ in ("dobj", "oprd") for c in objects) and not (
        lemma == "call" and objects[:1] and objects[0].lower_ in ("for", "on")
    ):
        return None
    span = trimmed(doc, objects[0].left_edge.i, max(c.right_edge.i for c in objects) + 1)
    return clause_attribution(article, cue, span, "indirect_object")


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
        if inside[token.i] >= 0 or "\n" in token.text or is_cue_verb(token) or token.text in (";", ":"):
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
    start = _cue_clause_start(verb, speaker, sentence.start)
    if start is None:
        return None
    comma = start - 1
    if comma <= sentence.start or doc[comma].text not in (",", "—", "–") or inside[comma] >= 0:
        return None
    if speaker.lower_ in RELATIVE_PRONOUNS or not _cue_ends_sentence(verb, speaker, sentence.end):
        return None
    first = sentence.start
    for token in doc[sentence.start : comma]:
        if inside[token.i] < 0 and (token.text in SENTENCE_END or "\n" in token.text):
            first = token.i + 1
    if comma - first < 4 or not any(t.pos_ in ("VERB", "AUX") for t in doc[first:comma]):
        return None
    return trimmed(doc, first, comma)


def _cue_clause_start(verb: Token, speaker: Token, sentence_start: int) -> int | None:
    """The first token of a cue clause whose speaker is within three words of its verb: the speaker's phrase when
    it comes first, with the adverbs and auxiliaries before it."""
    doc = verb.doc
    start = verb.i
    if speaker.i < verb.i:
        if verb.i - speaker.i > 3:
            return None
        start = speaker.left_edge.i
    elif speaker.i - verb.i > 3:
        return None
    while start > sentence_start and doc[start - 1].pos_ in ("ADV", "AUX", "PART"):
        start -= 1
    return start


def _cue_ends_sentence(verb: Token, speaker: Token, sentence_end: int) -> bool:
    """After the cue verb come only the speaker's phrase, a time and adverbs, then the sentence's end."""
    for token in verb.doc[verb.i + 1 : sentence_end]:
        if speaker.left_edge.i <= token.i <= speaker.right_edge.i or token.ent_type_ in ("DATE", "TIME"):
            continue
        if token.text in SENTENCE_END or token.is_space and "\n" in token.text:
            break
        if not (token.pos_ == "ADV" or token.lower_ in ("on", "in", "at", ",")):
            return False
    return True


def _reported_clauses(verb: Token, lemma: str) -> list[Token]:
    """The complements that carry the message: clauses after the verb ("told me he had ... and that ..."),
    with the object of a naming verb ("calls Santilli a "fascist""); else the clauses before it ("..., he said").
    A parenthetical cue after the clause ("..., CBS News reported") is an attribution of its own, not content."""
    after = [
        c for c in verb.rights if c.dep_ in ("ccomp", "parataxis") and not (is_cue_verb(c) and _set_off_by_comma(c))
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
            return trimmed(doc, token.i, end + 1)
    return None


def _topic_preposition(verb: Token, lemma: str) -> Token | None:
    """ "said little about the plan", "declined to comment on the request", "responded to his attacks"."""
    for child in verb.rights:
        if child.dep_ == "prep" and child.lower_ in TOPIC_PREPOSITIONS:
            verbs = TOPIC_PREPOSITIONS[child.lower_]
            if verbs is None or lemma in verbs:
                return child
    return None


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
    before = trimmed(doc, low, verb.left_edge.i)  # edge punctuation is trimmed
    after = trimmed(doc, verb.right_edge.i + 1, high + 1)
    spans = [s for s in (before, after) if s]
    if not spans:
        return None
    span = (spans[0][0], spans[-1][1])
    return clause_attribution(article, cue, span, rule)


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
    before, after = trimmed(doc, low, first), trimmed(doc, last + 1, high + 1)
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
    fragments = [quotations[i] for i in held if not quotations[i].consumed and not quotations[i].title]
    if not fragments or not all(is_embedded(article.text, q) for q in fragments):
        return None
    content = complements(article, verb, fragments)
    if content is None:
        return None
    for quotation in fragments:
        quotation.consumed = True
    return Attribution(*content, "partial", "partial", cue)
