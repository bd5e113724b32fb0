"""The trigger's clause: the chain of heads from a trigger up to the verb that heads its clause ("talks" -> "hold"
-> "plans"), never across into the reporting verb of a reported clause; the verb that lends an event noun its
actor; the tokens whose time expressions date the trigger (`date_scope`); and the place the clause names.

Modality (modality.py), the date (dates.py) and the place are all read from this chain.
May import: spaCy, transforms.nlp, transforms.entities (for the entity span of a place) and events.plover (the
lexicon's words of intention).
"""

from __future__ import annotations

from spacy.tokens import Token

from transforms.entities.article import entity_span
from transforms.events.plover import lexicon
from transforms.nlp.docfacts import children

# Arcs that stay inside one clause when climbing from a trigger to the verb that heads its clause.
INSIDE_CLAUSE = (
    "xcomp",
    "acomp",
    "dobj",
    "pobj",
    "prep",
    "pcomp",
    "attr",
    "oprd",
    "nsubj",
    "nsubjpass",
    "dative",
    "agent",
    "compound",
    "amod",
    "appos",
    "npadvmod",
)
# Prepositions that make an event noun the setting of its verb, whose subject then takes part in it.
SETTING_PREPOSITIONS = ("in", "during", "at", "into")
# Nouns that only measure or stage an event ("a round of talks", "the start of the offensive"): it shares their time.
LIGHT_NOUNS = frozenset("round series wave spate string number start beginning end resumption part day week".split())
AMOUNT_LABELS = ("MONEY", "QUANTITY", "PERCENT")
# Verbs that stage an event, in whose relative clause an event noun's time is given ("talks he began Tuesday").
OCCURRENCE_VERBS = frozenset(
    "begin start open launch hold resume continue end conclude close finish last occur happen convene stage".split()
)
# Reporting verbs whose object is the audience, not the report: "told a meeting of workers today".
ADDRESSEE_VERBS = frozenset("tell brief address inform".split())
# Verbs that arrange, judge or report an event (besides the lexicon's reporting verbs): their time is not the event's.
JUDGING_VERBS = frozenset(
    "arrange organise organize condemn denounce criticise criticize welcome praise hail deny describe approve "
    "cancel postpone delay reschedule discuss blame mourn protest investigate".split()
)
SIMULTANEITY_MARKERS = frozenset("when as while".split())
PLACE_PREPOSITIONS = frozenset("in at near to inside outside across into".split())
PLACE_LABELS = ("GPE", "LOC", "FAC")


def clause_chain(trigger: Token) -> list[Token]:
    """The trigger and its heads up to and including the head of its clause."""
    chain = [trigger]
    token = trigger
    while token.dep_ in INSIDE_CLAUSE and token.head != token and len(chain) < 8:
        token = token.head
        chain.append(token)
    return chain


def date_scope(chain: list[Token]) -> list[Token]:
    """The tokens whose date expressions date the trigger, nearest first: its clause chain (an event noun's stops
    at another noun it modifies: "the victims of the bombing" is not the tribute's time), the noun a participle
    modifies and the participle of an event noun ("the Feb. 23 accord signed by", "a summit set for April"), the
    complement of a verb ("agreed to sell back its stake in October"), the modifiers and complements that schedule
    or stage an event noun ("the election due this September", "talks he began Tuesday", "talks are expected to
    be held next week"), clauses of the same time ("when ...", "arrived ... seeking"), and the verbs of the same
    tense it is coordinated with ("condemned the bombings and offered condolences")."""
    trigger, head = chain[0], chain[-1]
    # The trigger's own participle or complement comes before its governors: "offering to buy bills on Wednesday";
    # not the complement of an intention ("plans to hold talks in coming days": the talks are then, not the plan).
    complement = "acl" if trigger.pos_ in ("NOUN", "PROPN") else "xcomp"
    lends_time = complement == "acl" or trigger.lemma_.lower() not in lexicon()["future_governors"]
    complements = [c for c in children(trigger) if c.dep_ == complement or schedules(c)] if lends_time else []
    scope = [trigger] + complements + own_chain(chain)[1:] + scheduled_occurrence(chain)
    # "in 1985, when the Israelis created": a "when" clause on a time happens then.
    if head.dep_ == "acl" or head.dep_ == "relcl" and any(c.lower_ == "when" for c in children(head)):
        scope.append(head.head)
    scope += [c for t in scope for c in children(t) if c.dep_ == "advcl" and simultaneous(c)]
    earlier_verb = head.head.pos_ in ("VERB", "AUX") and head.head.i < head.i
    coordinated = head.dep_ == "conj" and same_tense(head.head, head)
    if earlier_verb and (coordinated or head.dep_ == "advcl" and simultaneous(head)):
        scope += [t for t in date_scope(clause_chain(head.head)) if t not in scope]
    scope += [c for c in children(head) if c.dep_ == "conj" and c.pos_ == "VERB" and same_tense(head, c)]
    return list(dict.fromkeys(scope))


def same_tense(first: Token, second: Token) -> bool:
    """Whether two coordinated verbs tell one time: "killed three soldiers and wounded six" do, "last month
    grounded half its jets but has since returned half" and "have not been drawn on today and could be used"
    do not. A verb without an auxiliary of its own shares the first one's ("was arrested and charged")."""
    second_tense = tense(second)
    return second_tense is None or tense(first) in (None, second_tense)


def tense(verb: Token) -> str | None:
    auxiliaries = [c for c in children(verb) if c.dep_ in ("aux", "auxpass") and c.tag_ != "TO"]
    if any(a.tag_ == "MD" for a in auxiliaries):
        return "modal"
    if any(a.lemma_ == "have" for a in auxiliaries):
        return "perfect"
    finite = auxiliaries[0].tag_ if auxiliaries else verb.tag_
    return {"VBD": "past", "VBZ": "present", "VBP": "present"}.get(finite)


def scheduled_occurrence(chain: list[Token]) -> list[Token]:
    """For an event noun that is the subject of a verb of expectation or schedule, the complement that stages it:
    "fresh talks are expected to be held early next week", "the vote is scheduled to begin Monday"."""
    noun, verb = chain[0], chain[0].head
    if noun.pos_ not in ("NOUN", "PROPN") or noun.dep_ not in ("nsubj", "nsubjpass"):
        return []
    if verb.lemma_.lower() not in lexicon()["future_governors"]:
        return []
    return [c for c in children(verb) if c.dep_ == "xcomp"]


def schedules(modifier: Token) -> bool:
    """A modifier that sets or stages an event noun's time: "the election due this September", "closing, which is
    expected in December", "talks he began Tuesday", "the strike that ended last week"."""
    lemma = modifier.lemma_.lower()
    if modifier.dep_ == "relcl":
        return lemma in OCCURRENCE_VERBS or lemma in lexicon()["future_governors"]
    return modifier.dep_ == "amod" and lemma in lexicon()["future_governors"]


def own_chain(chain: list[Token]) -> list[Token]:
    """The chain up to a noun the trigger only modifies (a preposition attached to a noun other than an aspect or
    quantity noun ends it: "the victims of the bombing", but "a round of talks", "eight million guilders of
    charges"), and for an event noun up to a verb that has it as its object and only reports or judges it ("the
    meeting had been arranged last week", "condemned the attack Tuesday": the arranging and the condemning are
    then, not the event)."""
    is_noun = chain[0].pos_ in ("NOUN", "PROPN")
    for n, token in enumerate(chain[1:], start=1):
        noun = token.head
        light = noun.lemma_ in LIGHT_NOUNS or noun.ent_type_ in AMOUNT_LABELS
        if token.dep_ == "prep" and noun.pos_ in ("NOUN", "PROPN") and not light:
            return chain[:n]
        if is_noun and chain[n - 1].dep_ in ("dobj", "nsubjpass") and reports_on(token):
            return chain[:n]
    return list(chain)


def reports_on(verb: Token) -> bool:
    lemma = verb.lemma_.lower()
    return lemma in JUDGING_VERBS or lemma in lexicon()["reporting_verbs"] and lemma not in ADDRESSEE_VERBS


def simultaneous(clause: Token) -> bool:
    """An adverbial clause of the same time as its head: "when helicopters crashed", "as talks opened", a
    participle without a conjunction ("arrived in Washington seeking to mediate") or a purpose infinitive
    ("intervened heavily yesterday to support the dollar")."""
    markers = [c.lower_ for c in children(clause) if c.dep_ == "mark" or c.tag_ == "WRB"]  # "when" is an advmod
    purpose = clause.tag_ == "VB" and any(c.tag_ == "TO" for c in children(clause))
    return any(m in SIMULTANEITY_MARKERS for m in markers) or (not markers and (clause.tag_ == "VBG" or purpose))


def governing_verb(chain: list[Token]) -> Token | None:
    """The verb an event noun is the object of ("hold talks", "said in an interview"), which lends it its actor."""
    noun = chain[0]
    if noun.dep_ == "dobj" and len(chain) > 1:
        return chain[1]
    # "said in an interview", "took part in talks"; not "got a halt to the fighting" or "retaliated for the killing".
    if (
        noun.dep_ == "pobj"
        and len(chain) > 2
        and chain[1].lower_ in SETTING_PREPOSITIONS
        and chain[2].pos_ in ("VERB", "AUX")
    ):
        return chain[2]
    return None


def location(chain: list[Token], places: list[Token], exclude: set[int]) -> str | None:
    """A place named in the trigger's clause: a locative phrase ("in Alaska", "came to Moscow") or a place
    modifier of an event noun ("the Alaska summit")."""
    for place in places:
        return entity_text(place)
    clause_tokens = chain + [c for t in chain for c in children(t) if c.dep_ == "advcl"]
    for token in clause_tokens:
        for prep in children(token):
            if prep.dep_ != "prep" or prep.lower_ not in PLACE_PREPOSITIONS:
                continue
            for candidate in place_candidates(prep):
                if candidate.ent_type_ in PLACE_LABELS and candidate.i not in exclude:
                    return entity_text(candidate)
    return None


def place_candidates(prep: Token) -> list[Token]:
    """The object of a locative preposition and its own 'of' and compound parts ("the city of Kirkuk")."""
    objects = [c for c in children(prep) if c.dep_ == "pobj"]
    nested = of_objects(objects)
    parts = [m for o in objects + nested for m in children(o) if m.dep_ in ("compound", "amod")]
    return objects + nested + parts


def of_objects(heads: list[Token]) -> list[Token]:
    """The objects of each head's own 'of' phrase ("the city of Kirkuk", "a state of emergency")."""
    return [
        p
        for o in heads
        for c in children(o)
        if c.dep_ == "prep" and c.lower_ == "of"
        for p in children(c)
        if p.dep_ == "pobj"
    ]


def entity_text(token: Token) -> str:
    ent = entity_span(token)
    return ent.text if ent is not None else token.text
