"""Who did what to whom: the actor and recipient phrases of an event trigger, pronouns resolved to names, and
entity keys that join to the article's sources.

All rules read spaCy's dependency parse; each walks a few arcs from the trigger, so the cost stays linear.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from transforms.entities.keys import entity_key
from transforms.events.plover import lexicon
from transforms.nlp.docfacts import children

NAME_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")
PERSON_PRONOUNS = frozenset("he him his she her hers himself herself".split())
SPEAKER_PRONOUNS = frozenset("i me my we us our".split())
GROUP_PRONOUNS = frozenset("it its they them their".split())
# Nouns that name a person or a body that speaks ("a White House official"), for pronoun agreement.
PERSON_NOUNS = frozenset(
    "president minister official spokesman spokeswoman spokesperson leader secretary chancellor premier king queen "
    "prince general commander envoy ambassador diplomat senator governor mayor chief head adviser advisor "
    "negotiator judge counterpart".split()
)
SUBJECTS = ("nsubj", "csubj")
PART_NOUNS = frozenset(
    "thousand thousands hundred hundreds dozen dozens part group number member some most many "
    "all several one two three members".split()
)
# Entity labels that are never a participant ("denounced Friday", "killed 23").
NOT_PARTICIPANTS = ("DATE", "TIME", "CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL")
RECIPIENT_PREPS = ("against", "with", "on", "to", "from", "at", "toward", "towards", "into", "between", "for")
# Prepositions that name a participant inside an event noun ("the proposal from Afghanistan", "calls by Belarus").
NOUN_PARTICIPANT_PREPS = ("by", "from", "of")
CLIMB_FOR_SUBJECT = ("xcomp", "conj", "acomp", "advcl", "pcomp", "prep", "ccomp")
MAX_PHRASE_TOKENS = 10


@dataclass
class Participant:
    """One actor or recipient: the words as written (or the antecedent of a pronoun) and its entity key."""

    text: str
    key: str
    heads: list[Token] = field(default_factory=list)


# --- finding participant heads ------------------------------------------------------------------------------------


def verb_participants(verb: Token, request_clause: Token | None = None) -> tuple[list[Token], list[Token]]:
    """Actor and recipient heads of a verb trigger: passives swap subject and agent; a missing subject is
    borrowed from the governing verb ("Russia agreed to withdraw", "ready to meet")."""
    passive_subject = first_child(verb, ("nsubjpass",))
    agent = next(
        (pobj for prep in children(verb) if prep.dep_ == "agent" for pobj in children(prep) if pobj.dep_ == "pobj"),
        None,
    )
    if passive_subject is not None:
        actors = [agent] if agent is not None else []
        recipients = [passive_subject]
    else:
        actors = [subject] if (subject := subject_of(verb)) is not None else []
        recipients = verb_objects(verb, request_clause)
    return [a for head in actors for a in conjuncts(head)], [r for head in recipients for r in conjuncts(head)]


def subject_of(verb: Token) -> Token | None:
    """The verb's subject, climbing xcomp/conj/acomp chains; a relative clause's subject is the noun it modifies."""
    token = verb
    for _ in range(4):
        # A raised subject counts once we have left the verb itself ("Trump is expected to speak").
        subject = nearest_child(token, SUBJECTS if token is verb else SUBJECTS + ("nsubjpass",))
        if subject is not None:
            return subject
        # "forces, which attacked" and "rebels fighting": the modified noun acts; in "his inability to get" its
        # possessor does; "an attempt to kill" or "a declaration demanding" do not, and their own verb's subject does.
        if token.dep_ == "acl" and is_infinitive(token) and (owner := first_child(token.head, ("poss",))):
            return owner
        if (
            token.dep_ in ("relcl", "acl")
            and token.head.pos_ in ("NOUN", "PROPN")
            and not is_infinitive(token)
            and token.head.lemma_.lower() not in thing_nouns()
        ):
            return token.head
        if token.dep_ == "acl":
            token = token.head
        if token.dep_ not in CLIMB_FOR_SUBJECT + ("dobj", "pobj") or token.head is token:
            return None
        # An object-control verb ("pressured workers to cancel") hands its object down, not its subject.
        if token.dep_ == "xcomp" and (obj := first_child(token.head, ("dobj",))) is not None:
            return obj
        token = token.head
    return None


def verb_objects(verb: Token, request_clause: Token | None) -> list[Token]:
    """Whom the act is aimed at: a named object or prepositional object of the verb, of its object, or of the
    clause it governs ("threatened to cut off electricity to Nakhichevan"); an unnamed object (not the thing
    done, such as "sanctions" or "aid") when nothing is named."""
    if request_clause is not None and (subject := first_child(request_clause, SUBJECTS)) is not None:
        return [participant_in_noun(subject)]
    clauses = [verb] + [c for c in children(verb) if c.dep_ in ("xcomp", "ccomp") or is_purpose_clause(c)]
    found = [object_candidates(clause) for clause in clauses]
    candidates = [c for direct, _ in found for c in direct if c.ent_type_ not in NOT_PARTICIPANTS]
    places = [p for _, in_places in found for p in in_places]
    named = [c for c in candidates if is_named(c)]
    people = [c for c in candidates if c.lemma_.lower() not in thing_nouns()]
    # A place the act happens in is its target only when no one else is ("lifted a curfew in Montenegro").
    return (named or people or places)[:1]


def is_purpose_clause(token: Token) -> bool:
    """'opened fire to disperse the demonstrators'."""
    return token.dep_ == "advcl" and is_infinitive(token)


def is_infinitive(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in children(verb))


@functools.cache
def thing_nouns() -> frozenset[str]:
    """Nouns that name what is done or given ("aid", "sanctions", "curfew"), never whom it is done to."""
    words = lexicon()
    return frozenset(set(words["nouns"]) | set(words["thing_nouns"]))


def object_candidates(verb: Token) -> tuple[list[Token], list[Token]]:
    """Objects and prepositional objects of a verb (and of its object), and the places it happens in."""
    verb_children = children(verb)
    objects = [c for c in verb_children if c.dep_ in ("dobj", "dative") and c.pos_ != "ADP"]
    # "providing photographs to Macedonia": the parser can mark "to" itself as the dative.
    objects += [
        p for c in verb_children if c.dep_ == "dative" and c.pos_ == "ADP" for p in children(c) if p.dep_ == "pobj"
    ]
    candidates = [participant_in_noun(o) for o in objects]
    # "imposed sanctions on the Taliban", "suspended aid deliveries in Baghdad": the object's own preposition.
    candidates += [participant_in_noun(p) for o in objects for p in prepositional_objects(o, RECIPIENT_PREPS)]
    candidates += [participant_in_noun(pobj) for pobj in prepositional_objects(verb, RECIPIENT_PREPS)]
    for clause in (c for c in verb_children if c.dep_ == "ccomp"):
        if (subject := first_child(clause, SUBJECTS)) is not None:
            candidates.append(participant_in_noun(subject))
    places = [
        pobj for o in [verb] + objects for pobj in prepositional_objects(o, ("in",)) if pobj.ent_type_ in ("GPE", "LOC")
    ]
    return candidates, places


def prepositional_objects(token: Token, prepositions: tuple[str, ...]) -> list[Token]:
    """The objects of the token's prepositions, in the order of `prepositions` (then of the words)."""
    by_preposition: dict[str, list[Token]] = {}
    for prep in children(token):
        if prep.dep_ == "prep" and prep.lower_ in prepositions:
            by_preposition.setdefault(prep.lower_, []).extend(c for c in children(prep) if c.dep_ == "pobj")
    return [pobj for word in prepositions for pobj in by_preposition.get(word, ())]


def is_named(token: Token) -> bool:
    return token.ent_type_ in NAME_LABELS or token.pos_ == "PROPN"


def noun_participants(noun: Token, governor: Token | None) -> tuple[list[Token], list[Token], list[Token]]:
    """Actors, recipients and location-like modifiers of an event noun ("Russia's offensive against Ukraine",
    "his Alaska summit with Putin", "talks between Putin and Zelenskyy")."""
    actors, recipients, places = [], [], []
    for child in children(noun):
        if child.dep_ == "poss":
            actors.append(child)
        elif child.dep_ in ("compound", "amod") and child.ent_type_ in ("GPE", "LOC", "FAC"):
            places.append(child)
        elif child.dep_ in ("compound", "amod") and child.ent_type_ in ("NORP", "ORG"):
            actors.append(child)
        elif child.dep_ == "prep" and (pobj := first_child(child, ("pobj",))) is not None:
            if child.lower_ == "by":
                actors.append(pobj)
            elif child.lower_ == "between":
                recipients.extend(conjuncts(pobj))
            elif (
                child.lower_ in ("against", "with", "on", "to", "from", "of")
                and not recipients
                and pobj.ent_type_ not in NOT_PARTICIPANTS
            ):
                recipients.append(participant_in_noun(pobj))
    if governor is not None and not actors:
        actors, _ = verb_participants(governor)
    if governor is not None and not recipients:
        # "staged rallies in Gaza against Abbas", "held talks on Monday with Putin": the verb carries the target.
        recipients = [participant_in_noun(p) for p in prepositional_objects(governor, ("against", "with"))][:1]
    if len(recipients) > 1 and not actors:
        actors, recipients = recipients, []
    return [a for head in actors for a in conjuncts(head)], [r for head in recipients for r in conjuncts(head)], places


def participant_in_noun(noun: Token) -> Token:
    """An abstract noun stands for whoever it belongs to: "Kiev's push" -> Kiev, "the republic of Nakhichevan",
    "calls by Belarus", "an Indian proposal" -> Indian."""
    if noun.ent_type_ in NAME_LABELS or noun.pos_ == "PROPN" or noun.lemma_.lower() in PERSON_NOUNS:
        return noun
    # "thousands of protesters", "52 members of the movement", "part of a stronghold": the group is the participant.
    if noun.ent_type_ in NOT_PARTICIPANTS or noun.lemma_.lower() in PART_NOUNS:
        of_object = next(
            (
                p
                for c in children(noun)
                if c.dep_ == "prep" and c.lower_ == "of"
                for p in children(c)
                if p.dep_ == "pobj"
            ),
            None,
        )
        if of_object is not None:
            return participant_in_noun(of_object)
    possessor = next((c for c in children(noun) if c.dep_ == "poss"), None)
    if possessor is not None:
        return possessor
    for child in children(noun):
        if child.dep_ == "prep" and child.lower_ in NOUN_PARTICIPANT_PREPS:
            pobj = first_child(child, ("pobj",))
            if pobj is not None and is_named(pobj):
                return pobj
    modifier = next((c for c in children(noun) if c.dep_ in ("amod", "compound") and c.ent_type_ in NAME_LABELS), None)
    return modifier if modifier is not None else noun


def conjuncts(head: Token) -> list[Token]:
    """'Trump and Putin' -> both heads."""
    return [head] + [t for t in head.conjuncts if t.i > head.i and t.pos_ in ("NOUN", "PROPN", "PRON")]


def nearest_child(token: Token, deps: tuple[str, ...]) -> Token | None:
    """The child with one of the arcs nearest the token (a misparsed heading can add a second subject)."""
    found = [c for c in children(token) if c.dep_ in deps]
    return min(found, key=lambda c: abs(c.i - token.i)) if found else None


def first_child(token: Token, deps: tuple[str, ...]) -> Token | None:
    return next((c for c in children(token) if c.dep_ in deps), None)


# --- phrases, pronouns and keys -----------------------------------------------------------------------------------


class NameBook:
    """What one document says about names: which words are people, and the article's sources to join to."""

    def __init__(self, doc: Doc, sources: list[dict], text: str, ents: tuple[Span, ...]):
        """`text` and `ents` are the doc's, read once (spaCy rebuilds them, and every span's text, per access)."""
        self.doc = doc
        self.text = text
        self.sources = [s for s in sources if s.get("entity_key")]
        self.person_words = {t.lower_ for ent in ents if ent.label_ == "PERSON" for t in ent}
        self.person_words |= {
            w.lower() for s in self.sources if s.get("kind") == "person" for w in str(s.get("name", "")).split()
        }
        # A source is found by its own key or by the key its name gives here ("Ukraine’s foreign minister").
        self.source_keys = {name_key(str(s.get("name", ""))): s["entity_key"] for s in self.sources}
        self.source_keys.update({s["entity_key"]: s["entity_key"] for s in self.sources})

    def participant(self, head: Token) -> Participant:
        named = self.antecedent(head) if head.pos_ == "PRON" else head
        if named is None:
            return Participant(head.text, "", [head])
        span = phrase(named)
        name = name_span(named) or span
        return Participant(self.span_text(span), self.source_key(name_key(self.span_text(name))), [named])

    def span_text(self, span: Span) -> str:
        return self.text[span.start_char : span.end_char]

    def is_person(self, token: Token) -> bool:
        return token.ent_type_ == "PERSON" or token.lower_ in self.person_words or token.lemma_ in PERSON_NOUNS

    def antecedent(self, pronoun: Token) -> Token | None:
        """The subject of a governing clause ("Trump said he plans"), else the nearest earlier matching name."""
        word = pronoun.lower_
        if word not in PERSON_PRONOUNS | SPEAKER_PRONOUNS | GROUP_PRONOUNS:
            return None
        token = pronoun.head
        for _ in range(6):
            subject = first_child(token, SUBJECTS)
            if subject is not None and subject.pos_ != "PRON" and subject != pronoun and self.agrees(word, subject):
                return subject
            if token.head is token:
                break
            token = token.head
        if word in SPEAKER_PRONOUNS:
            return None
        return self.earlier_name(pronoun, word)

    def agrees(self, pronoun: str, token: Token) -> bool:
        if pronoun in PERSON_PRONOUNS:
            return self.is_person(token)
        if pronoun in ("it", "its"):
            return not self.is_person(token)
        return True

    def earlier_name(self, pronoun: Token, word: str) -> Token | None:
        for token in reversed(self.doc[max(0, pronoun.i - 120) : pronoun.i]):
            if token.ent_type_ in NAME_LABELS and token.ent_type_ != "NORP" and self.agrees(word, token):
                return entity_root(token)
        return None

    def source_key(self, key: str) -> str:
        """The article's source a key names; a lone surname resolves to the person ("putin" -> "vladimir_putin")."""
        if key in self.source_keys:
            return self.source_keys[key]
        if "_" not in key:
            for source in self.sources:
                if source.get("kind") == "person" and source["entity_key"].split("_")[-1] == key:
                    return source["entity_key"]
        return key


def name_key(name: str) -> str:
    # entities.entity_key drops a curly apostrophe before it strips "'s", so straighten it first.
    return entity_key(name.replace("’", "'"))


def entity_span(token: Token) -> Span | None:
    """The entity a token belongs to, found from its IOB tags (a few tokens' walk, not a scan of doc.ents)."""
    if not token.ent_type_:
        return None
    doc, start, end = token.doc, token.i, token.i + 1
    while doc[start].ent_iob_ == "I" and start > 0:
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def entity_root(token: Token) -> Token:
    ent = entity_span(token)
    return ent.root if ent is not None else token


def name_span(head: Token) -> Span | None:
    """The named entity a head belongs to ("President Vladimir Putin" -> "Vladimir Putin")."""
    return entity_span(head) if head.ent_type_ in NAME_LABELS else None


def phrase(head: Token) -> Span:
    """The head with its left modifiers and an 'of' phrase: "Ukraine's foreign minister", "leaders of Hamas"."""
    left = head
    for child in head.lefts:
        if child.ent_type_ in NOT_PARTICIPANTS or "\n" in child.left_edge.text_with_ws + child.text_with_ws:
            continue
        if child.dep_ in ("compound", "amod", "poss", "nmod", "nummod", "quantmod", "npadvmod"):
            left = child.left_edge if child.left_edge.i < left.i else child
            break
    right = head
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ == "of" and child.right_edge.i - head.i < MAX_PHRASE_TOKENS:
            right = child.right_edge
        elif child.dep_ in ("compound", "flat", "appos") and child.i == right.i + 1:
            right = child
    ent = name_span(head)
    if ent is not None:
        left = min(left, ent[0], key=lambda t: t.i)
        right = max(right, ent[-1], key=lambda t: t.i)
    while left.i < right.i and left.dep_ in ("det", "predet", "punct", "case"):
        left = head.doc[left.i + 1]
    while right.i > left.i and (right.dep_ in ("case", "punct") or right.tag_ == "POS"):
        right = head.doc[right.i - 1]
    return head.doc[left.i : right.i + 1]
