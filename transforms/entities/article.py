"""One article's people and organisations: every mention found once and resolved once to an entity, used by the
quote speakers, the sources and the event participants alike (`ArticleEntities`).

Mentions are proper names (kept whole: an organisation's name takes the capitalised words the model cut off),
surnames and first names alone, role nouns without a name ("the spokeswoman", "Ukraine's foreign minister"),
pronouns and group nouns ("the company", "protesters"). Each resolves, with the rule that did it, to:
- a name: the fullest name the article gives the person (surnames join the first full mention); an acronym
  defined in parentheses, the organisation it abbreviates;
- a pronoun: agreement first (gender from the article, else from a confident first-name estimate, and from a
  gendered noun: "his wife" is no "he"; number; "it" is no person) and binding (an object pronoun is not its own
  clause's subject: "his father asked him"), then the subject of the clause that governs it ("Trump said he
  plans"), the salient speaker (a quote's previous speaker, when still the last person of that gender named),
  then the most salient agreeing person of the last sentences outside quotations (by grammatical role and
  recency, and how much the article is about them), else the latest one; inside a quotation "I" and "we" are
  its speaker; in an interview transcript the answers' "I" and the questions' "you" are the interviewee, in a
  signed letter "I" is the signer;
- a role noun: the name in apposition, else the person introduced with that role ("the spokeswoman"); a relational
  noun is never its possessor ("his father" is not "he");
- a group noun: the organisation named earlier whose name it heads ("the ministry" -> "Foreign Ministry").
Anything else stays unresolved: no name is better than a wrong one.

Each entity has a canonical name, kind, role and affiliation, and a gender with its evidence (honorifics, gendered
role nouns and the pronouns that resolve to it); an estimate from the first name alone is kept apart.
Imports the entities lexicon, index, keys and first names, nlp and spaCy.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from transforms.entities import first_names
from transforms.entities.index import (
    POSSESSIVE_ENDING,
    DocumentIndex,
    build_index,
    entities_within,
    full_name,
    is_name,
    name_text,
    name_tokens,
    span_text,
    speaker_span,
    strip_titles,
)
from transforms.entities.keys import entity_key, person_key
from transforms.entities.lexicon import (
    ANONYMOUS_HEADS,
    BODY_SPEAKER_PRONOUNS,
    FEMALE_MARKERS,
    FIRST_PERSON_PRONOUNS,
    GROUP_NOUNS,
    GROUP_PRONOUNS,
    HONORIFICS,
    INTERVIEW_PRONOUNS,
    INTERVIEW_WORDS,
    MALE_MARKERS,
    NOT_SPEAKERS,
    OBJECT_DEPENDENCIES,
    ORG_LABELS,
    OUTLET_WORDS,
    PERSON_PRONOUNS,
    PERSON_ROLES,
    PRONOUN_GENDER,
    REFLEXIVE_PRONOUNS,
    RELATIONAL_NOUNS,
    RELATIVE_PRONOUNS,
    SECOND_PERSON_PRONOUNS,
    SINGULAR_FIRST_PERSON,
)
from transforms.nlp import docfacts
from transforms.nlp.syntax import ACTIVE_SUBJECTS

# How far back (tokens) an antecedent may be for a pronoun that no clause or speaker resolves.
ANTECEDENT_WINDOW = 120
# Tokens within which another person of the pronoun's gender makes the salient speaker no longer the referent.
SALIENCE_WINDOW = 60
# An estimate from the first name decides agreement only when the name list is this sure.
CONFIDENT_ESTIMATE = 0.9
GENDER_NAMES = {"f": "female", "m": "male"}
AGREEMENT_GENDERS = {"female": "f", "male": "m"}
# Sentences before a pronoun's own whose person mentions compete to be its antecedent.
SALIENCE_SENTENCES = 2
# What a mention adds to its person's salience by its role (others 1): a subject is what the text goes on about,
# a possessor ("Jarrold's adaptation") is in passing.
ROLE_SALIENCE = {"nsubj": 3.0, "nsubjpass": 3.0, "dobj": 1.5, "poss": 0.5}
# A person of unknown gender competes for "he" or "she" at this share of the salience of one known to agree.
UNKNOWN_GENDER_WEIGHT = 0.5
# An interview transcript says whom it interviews within this many opening sentences, and its answers hold at least
# this many first-person pronouns outside quotation marks.
INTERVIEW_LEAD_SENTENCES = 4
MIN_TRANSCRIPT_FIRST_PERSON = 3
# A letter closes ("Yours,", "Best wishes,", "Love always,") in a short line among its last lines (a postscript,
# a title or a note may follow the signature), and the next line is the signature.
LETTER_CLOSING = re.compile(
    r"(yours|sincerely|love|best|regards|kind regards|warm regards|cordially|respectfully|faithfully|cheers|"
    r"stay in touch|take care|affectionately|with (best|kind|warm|all)|all the best|in the meantime)\b",
    re.IGNORECASE,
)
MAX_CLOSING_WORDS = 12
LETTER_CLOSING_LINES = 6
LETTER_TAIL_CHARS = 600
# Marks around a signature that are no part of the name ("[Signed] Nelson Mandela", "[William Mathée]").
SIGNATURE_NOISE = re.compile(r"\[signed\]|[\[\]()]", re.IGNORECASE)
# What an honorific or gendered role noun weighs against one resolved pronoun in a person's gender.
MARKER_WEIGHT = 3
# Labels of a name "it" or "they" can refer to.
BODY_LABELS = ("ORG", "GPE", "NORP")


@dataclass
class Entity:
    """One person, organisation or other source of the article."""

    name: str
    kind: str  # person, organization, outlet, anonymous, other
    key: str
    role: str | None = None
    affiliation: str | None = None
    gender: str | None = None  # "m" / "f", as the article says it


@dataclass
class Mention:
    start_char: int
    end_char: int
    head: int  # token index
    mention_type: str  # name, partial_name, role, pronoun, group
    entity: Entity | None
    rule: str
    antecedent: int | None = None  # the token a pronoun or role noun resolved through


@dataclass
class ArticleEntities:
    doc: Doc
    index: DocumentIndex
    # Per token: the index of the quotation holding it, or -1 (None: no quotations were read).
    quoted: list[int] | None
    mentions: dict[int, Mention] = field(default_factory=dict)  # by head token
    quote_speakers: list[tuple[int, int, Entity]] = field(default_factory=list)  # quotation char spans
    _detected: bool = False
    _in_order: list[Mention] | None = None
    _pronoun_evidence: dict[str, Counter] | None = None
    # full name -> the gender a pronoun must agree with, read once per person (pronouns ask for it per antecedent)
    _agreement: dict[str, str | None] = field(default_factory=dict)
    _interviewee: list[Entity | None] = field(default_factory=list)  # read once, on first use
    _signer: list[Entity | None] = field(default_factory=list)  # read once, on first use
    _people: dict[str, Entity] = field(default_factory=dict)  # full name -> its person
    _body_spans: list[tuple[int, int]] | None = None  # read once, on first use
    _body_answers: dict[tuple[int, str], tuple[Entity, int] | None] = field(default_factory=dict)

    # --- the quote speakers --------------------------------------------------------------------------------------

    def speaker(self, head: Token, previous: Entity | None, via_report: bool = False) -> Entity | None:
        """The source a reporting verb's subject refers to (None: a date, time or number is no speaker); the
        previous speaker is the salient referent of a pronoun."""
        mention = self._resolve(head, previous, via_report)
        self.mentions[mention.head] = mention
        if mention.entity is None and mention.rule != "not_a_speaker":
            return _unresolved(head)  # kept, named as written: the quote is found even when its speaker is not
        return mention.entity

    def speaker_span(self, head: Token) -> Span:
        return speaker_span(head, self.index)

    def attach_quotes(self, spans: list[tuple[int, int, Entity]]) -> None:
        """The quotations and their speakers, so that "I" and "we" inside one resolve to whoever said it."""
        self.quote_speakers = sorted(spans, key=lambda s: s[0])

    # --- every mention -------------------------------------------------------------------------------------------

    def all_mentions(self) -> list[Mention]:
        """Every mention of the article in reading order, each resolved once (quote speakers as the quotes had them)."""
        if not self._detected:
            for head, mention_type in self._candidates():
                if head not in self.mentions:
                    self.mentions[head] = self._resolve_mention(self.doc[head], mention_type)
            self._detected = True
        if self._in_order is None:
            self._in_order = sorted(self.mentions.values(), key=lambda m: m.start_char)
        return self._in_order

    def resolved(self, token: Token) -> Mention | None:
        """The mention a token heads (every mention resolved on first use; a name the model did not tag, such as
        an event participant, is resolved when asked for)."""
        self.all_mentions()
        if token.i not in self.mentions and self._resolve_antecedent(token) is not None:
            self._in_order = None  # a mention added after the pass: the reading order is rebuilt on next use
        return self.mentions.get(token.i)

    def gender(self, entity: Entity) -> tuple[str | None, str | None]:
        """A person's gender as the article says it ("female"/"male") and the evidence: its words, with how often."""
        evidence = Counter(self.index.gender_evidence.get(entity.name, Counter()))
        if self._pronoun_evidence is None:
            self._pronoun_evidence = {}
            for mention in self.all_mentions():
                word = self.doc[mention.head].lower_
                if mention.mention_type == "pronoun" and mention.entity is not None and word in PRONOUN_GENDER:
                    self._pronoun_evidence.setdefault(mention.entity.key, Counter())[word] += 1
        evidence.update(self._pronoun_evidence.get(entity.key, Counter()))
        if not evidence:
            return None, None
        votes = Counter()
        for word, count in evidence.items():
            # an honorific or a gendered role noun says more than a pronoun the rules resolved
            votes[_marker_gender(word)] += count * (1 if word in PRONOUN_GENDER else MARKER_WEIGHT)
        if votes["m"] == votes["f"]:  # none, or as much for each
            return None, _evidence_text(evidence)
        return GENDER_NAMES["m" if votes["m"] > votes["f"] else "f"], _evidence_text(evidence)

    # --- resolution ----------------------------------------------------------------------------------------------

    def _resolve(self, head: Token, previous: Entity | None, via_report: bool) -> Mention:
        if head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
            named = head.head.head  # "Zimmerman, who said ..." -> Zimmerman
            inner = self._resolve(named, previous, via_report)
            return Mention(*_char_span(head), head.i, "pronoun", inner.entity, "relative_" + inner.rule, named.i)
        if head.pos_ == "PRON" or head.lower_ in PRONOUN_GENDER:
            return self._resolve_pronoun(head, previous)
        if head.ent_type_ in NOT_SPEAKERS:
            return Mention(*_char_span(head), head.i, "name", None, "not_a_speaker")
        if is_name(head, self.index):
            return self._resolve_name(head, via_report)
        return self._resolve_common_noun(head)

    def _resolve_mention(self, head: Token, mention_type: str) -> Mention:
        if mention_type == "pronoun":
            return self._resolve_pronoun(head, None)
        if mention_type in ("name", "partial_name"):
            return self._resolve_name(head, False)
        if mention_type == "group":
            return self._resolve_group(head)
        return self._resolve_common_noun(head)

    def person(self, full: str) -> Entity:
        """The person the article names `full`, one Entity for all their mentions."""
        entity = self._people.get(full)
        if entity is None:
            role, affiliation = self.index.roles.get(full, (None, None))
            gender = self._agreement_gender(full)
            entity = self._people[full] = Entity(full, "person", person_key(full), role, affiliation, gender)
        return entity

    def _agreement_gender(self, full: str) -> str | None:
        """The gender a pronoun must agree with: the article's, else a confident first-name estimate."""
        if full not in self._agreement:
            words = full.split()
            estimate = first_names.estimate(words[0]) if len(words) > 1 and full not in self.index.genders else None
            sure = estimate is not None and estimate[1] >= CONFIDENT_ESTIMATE
            self._agreement[full] = self.index.genders.get(full) or (AGREEMENT_GENDERS[estimate[0]] if sure else None)
        return self._agreement[full]

    def _resolve_name(self, head: Token, via_report: bool) -> Mention:
        index = self.index
        titled = _titled_person(head)
        if titled is not None:  # "Governor of Washington Chris Gregoire": the person, not the title
            inner = self._resolve_name(titled, via_report)
            return Mention(inner.start_char, inner.end_char, head.i, inner.mention_type, inner.entity, "titled_name")
        tokens = name_tokens(head)
        words = strip_titles(index.text[tokens[0].idx : head.idx + len(head.text)].split())
        if not words:  # a possessive ending or a title alone
            return Mention(*_char_span(head), head.i, "name", None, "no_name")
        name = " ".join(words)
        lowered = name.lower()
        full = full_name(index, words, head.i)
        label = index.labels.get(lowered) or (head.ent_type_ or None)
        start, end = _name_chars(tokens, head)
        kind = "name" if full is None or len(words) > 1 else "partial_name"
        if full is not None and (label == "PERSON" or label is None or len(words) == 1):
            rule = "full_name" if full.lower() == lowered else "name_part_to_full"
            return Mention(start, end, head.i, kind, self.person(full), rule)
        if lowered in index.acronyms:  # "CRA" after "the Computing Research Association (CRA)"
            name = index.acronyms[lowered]
            entity = Entity(name, "outlet" if via_report else "organization", entity_key(name))
            return Mention(start, end, head.i, "name", entity, "organisation_acronym")
        if label in ORG_LABELS or label is None and head.ent_type_ in ORG_LABELS:
            ent = _whole_organisation(head)
            if ent is not None:
                start, end = ent.start_char, ent.end_char
                name = POSSESSIVE_ENDING.sub("", name_text(ent, index))
            outlet = via_report or any(w.lower() in OUTLET_WORDS for w in name.split())
            entity = Entity(name, "outlet" if outlet else "organization", entity_key(name))
            return Mention(start, end, head.i, "name", entity, "organisation_name")
        if label == "PERSON" or head.ent_type_ == "PERSON":
            return Mention(start, end, head.i, "name", self.person(name), "name_alone")
        if any(w.lower() in OUTLET_WORDS for w in words):
            return Mention(start, end, head.i, "name", Entity(name, "outlet", entity_key(name)), "outlet_name")
        return Mention(start, end, head.i, "name", Entity(name, "other", entity_key(name)), "other_name")

    def _resolve_pronoun(self, head: Token, previous: Entity | None) -> Mention:
        chars = _char_span(head)
        word = head.lower_
        speaker = self._quote_speaker(head) if word in FIRST_PERSON_PRONOUNS else None
        if speaker is not None:
            return Mention(*chars, head.i, "pronoun", speaker, "quote_speaker")
        if word in INTERVIEW_PRONOUNS and not self._in_quotation(head):
            return self._transcript_pronoun(head, chars)
        gender = PRONOUN_GENDER.get(word)
        # A speaker goes on speaking: for a reporting verb's subject the previous speaker comes first.
        if word in BODY_SPEAKER_PRONOUNS and previous is not None and previous.kind != "person":
            return Mention(*chars, head.i, "pronoun", previous, "salient_speaker")
        if (
            gender is not None
            and previous is not None
            and previous.kind == "person"
            and previous.gender in (gender, None)
            and self._mentioned_recently(previous.name, head)
        ):
            return Mention(*chars, head.i, "pronoun", previous, "salient_speaker")
        governing = self._governing_subject(head)
        if governing is not None:
            inner = self._resolve_antecedent(governing) or self._other(governing)  # "their forces ... their withdrawal"
            return Mention(*chars, head.i, "pronoun", inner, "governing_subject", governing.i)
        if word in GROUP_PRONOUNS:
            return self._resolve_body_pronoun(head, chars)
        if gender is None:  # "I" outside a quotation, "you", "someone": no one the article names
            return Mention(*chars, head.i, "pronoun", None, "unresolved_pronoun")
        antecedent = self._preferred_antecedent(head, gender)
        if antecedent is not None:
            token_index, full, rule = antecedent
            return Mention(*chars, head.i, "pronoun", self.person(full), rule, token_index)
        if previous is not None and previous.kind == "person":
            return Mention(*chars, head.i, "pronoun", previous, "previous_speaker")
        return Mention(*chars, head.i, "pronoun", None, "unresolved_pronoun")

    def _transcript_pronoun(self, head: Token, chars: tuple[int, int]) -> Mention:
        """Where the whole text is one person's words: in an interview transcript the answers' "I" and the
        questions' "you" are the interviewee (the questions' "I" is the interviewer, whom the article does not
        name); in a signed letter "I" is the signer ("you" its addressee, unnamed)."""
        interviewee = self.interviewee()
        if interviewee is not None:
            if self._in_question(head) == (head.lower_ in SECOND_PERSON_PRONOUNS):
                return Mention(*chars, head.i, "pronoun", interviewee, "interviewee")
        elif head.lower_ in SINGULAR_FIRST_PERSON and (signer := self.signer()) is not None:
            return Mention(*chars, head.i, "pronoun", signer, "letter_signer")
        return Mention(*chars, head.i, "pronoun", None, "unresolved_pronoun")

    def interviewee(self) -> Entity | None:
        """The one person an interview transcript questions: the first sentence of its lead (the first
        INTERVIEW_LEAD_SENTENCES) that says "interview" names that one person ("Wikinews interviews Aner Shalev",
        "Interview with ... Noam Chomsky", "Jack Herrick, wikiHow founder interviewed by Wikinews"), and the body
        answers in the first person outside quotation marks. None in any other article, and when that sentence
        names two people (two interviewees' answers are not told apart here)."""
        if not self._interviewee:
            self._interviewee.append(self._find_interviewee())
        return self._interviewee[0]

    def _find_interviewee(self) -> Entity | None:
        facts = docfacts.of(self.doc)
        starts = facts.sentence_starts
        lead_end = starts[INTERVIEW_LEAD_SENTENCES] if len(starts) > INTERVIEW_LEAD_SENTENCES else len(self.doc)
        interview = next(iter(facts.lemma_in(INTERVIEW_WORDS)[:lead_end].nonzero()[0].tolist()), None)
        if interview is None:
            return None
        # the sentence that says it is an interview names the interviewee (a headline parses too badly for more),
        # within its paragraph (a headline runs into the first sentence); a name that modifies a common noun
        # ("Santorum cocktail") names no one interviewed, and two conjoined names are two interviewees
        start, end = facts.sentence(interview)
        text = self.index.text
        line_start = text.rfind("\n", 0, self.doc[interview].idx) + 1
        line_end = text.find("\n", self.doc[interview].idx) % (len(text) + 1)
        named = {
            full
            for i, full in self.index.person_mentions
            if start <= i < end and line_start <= self.doc[i].idx < line_end and _names_a_participant(self.doc[i])
        }
        if len(named) != 1 or not self._told_in_first_person():
            return None
        return self.person(named.pop())

    def signer(self) -> Entity | None:
        """Who signed a letter: the name on the line after a closing ("Yours,", "Sincerely,", "Love always,") among
        the last LETTER_CLOSING_LINES lines, with its fullest form in the letter ("Marcie" -> Marcie Rickenbacker),
        when the letter speaks in the first person outside quotation marks; None in any other text."""
        if not self._signer:
            self._signer.append(self._find_signer())
        return self._signer[0]

    def _find_signer(self) -> Entity | None:
        lines = [line.strip() for line in self.index.text[-LETTER_TAIL_CHARS:].split("\n") if line.strip()]
        tail = lines[-LETTER_CLOSING_LINES:]
        for closing, signature in zip(tail, tail[1:]):
            if len(closing.split()) > MAX_CLOSING_WORDS or not LETTER_CLOSING.match(closing):
                continue
            words = SIGNATURE_NOISE.sub(" ", signature).split()
            if not 1 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
                continue
            if not self._told_in_first_person():
                return None
            full = full_name(self.index, words, len(self.doc))
            return self.person(full if full is not None and full.split()[0] == words[0] else " ".join(words))
        return None

    def _told_in_first_person(self) -> bool:
        """Whether the text speaks as "I" outside quotation marks often enough to be one person's words."""
        first_person = docfacts.of(self.doc).lower_in(SINGULAR_FIRST_PERSON).nonzero()[0].tolist()
        return sum(not self._in_quotation(self.doc[i]) for i in first_person) >= MIN_TRANSCRIPT_FIRST_PERSON

    def _in_question(self, token: Token) -> bool:
        """Whether the token's paragraph ends in a question mark (a transcript's question)."""
        text = self.index.text
        end = text.find("\n", token.idx)
        return text[token.idx : end if end >= 0 else len(text)].rstrip().endswith("?")

    def _other(self, head: Token) -> Entity:
        """Something named by a common noun that is no person or body ("the forces"), as written."""
        text = name_text(speaker_span(head, self.index), self.index)
        return Entity(text, "other", entity_key(text))

    def _preferred_antecedent(self, head: Token, gender: str) -> tuple[int, str, str] | None:
        """The agreeing person a pronoun most likely continues: the most salient one over the pronoun's sentence and
        the SALIENCE_SENTENCES before it (Lappin and Leass 1994, reduced: each mention weighs by its grammatical
        role, halved per sentence back; a person whose gender the article does not give weighs less than one it
        gives); else, with no one there, the latest agreeing person named."""
        facts = docfacts.of(self.doc)
        starts = [facts.sentence(head.i)[0]]
        while len(starts) <= SALIENCE_SENTENCES and starts[-1] > 0:
            starts.append(facts.sentence(starts[-1] - 1)[0])
        scores: Counter = Counter()
        latest: dict[str, int] = {}
        bound = self._own_subjects(head)
        for token_index, full in reversed(self._antecedents_before(head.i)):
            known = self._agreement_gender(full)
            if known not in (gender, None) or full in bound:
                continue
            if token_index < starts[-1]:
                if not scores:  # no one in reach: the latest agreeing name, as far back as it goes
                    return token_index, full, "recent_antecedent"
                break
            distance = next(k for k, start in enumerate(starts) if token_index >= start)
            weight = ROLE_SALIENCE.get(self.doc[token_index].dep_, 1.0) * (1.0 if known else UNKNOWN_GENDER_WEIGHT)
            scores[full] += weight / 2**distance
            latest.setdefault(full, token_index)
        if not scores:
            return None
        # the person the whole article is about is the likelier referent ("He was discharged" in a biography)
        for name in scores:
            scores[name] *= 1 + math.log(self.index.mention_counts.get(name, 1))
        full = max(scores, key=lambda name: (scores[name], latest[name]))
        return latest[full], full, "salient_antecedent"

    def _own_subjects(self, pronoun: Token) -> set[str]:
        """The people an object pronoun cannot be: the subjects of its own clause ("the Tsar employed him")."""
        token, local = _own_clause(pronoun)
        subjects = set()
        while local:
            subjects |= {
                full
                for c in docfacts.children(token)
                if c.dep_ in ACTIVE_SUBJECTS and (full := self._full_name(c)) is not None
            }
            local = token.dep_ == "conj" and token.head.i != token.i
            token = token.head
        return subjects

    def _antecedents_before(self, i: int) -> list[tuple[int, str]]:
        antecedents = self.index.antecedents
        return antecedents[: bisect.bisect_left(antecedents, (i, ""))]

    def _quote_speaker(self, head: Token) -> Entity | None:
        position = bisect.bisect_right(self.quote_speakers, (head.idx, float("inf"))) - 1
        if position >= 0:
            start, end, entity = self.quote_speakers[position]
            if start <= head.idx < end:
                return entity
        return None

    def _governing_subject(self, pronoun: Token) -> Token | None:
        """The subject of a clause that governs the pronoun ("Trump said he plans"), when it agrees with it."""
        word = pronoun.lower_
        if word not in PERSON_PRONOUNS | GROUP_PRONOUNS:
            return None
        token, local = _own_clause(pronoun)
        for _ in range(6):
            subject = next((c for c in docfacts.children(token) if c.dep_ in ACTIVE_SUBJECTS), None)
            # not the pronoun's own phrase ("their forces had completed")
            own = subject is not None and subject.left_edge.i <= pronoun.i <= subject.right_edge.i
            if subject is not None and subject.pos_ != "PRON" and not own and not local and self._agrees(word, subject):
                return subject
            local = local and token.dep_ == "conj"  # conjoined verbs share the clause's subject
            if token.head.i == token.i or token.dep_ in ("relcl", "acl"):
                return None
            token = token.head
        return None

    def _agrees(self, pronoun: str, token: Token) -> bool:
        is_person = self._is_person(token)
        if pronoun in PERSON_PRONOUNS:
            if not is_person:
                return False
            gender = PRONOUN_GENDER.get(pronoun)
            full = self._full_name(token)
            if full is None:  # a common noun: "his wife ... he" are two people
                return gender is None or _marker_gender(token.lemma_.lower()) in (gender, None)
            return gender is None or self._agreement_gender(full) in (gender, None)
        if pronoun in ("it", "its"):
            return not is_person and token.tag_ not in ("NNS", "NNPS") and token.ent_type_ != "NORP"
        if pronoun in ("they", "them", "their"):
            # a body, a people or a group, not one person or one place ("Ohio ... they said": its people)
            return token.ent_type_ not in ("GPE", "LOC", "FAC", "PERSON") and token.lower_ not in self.index.full_names
        return True

    def _is_person(self, token: Token) -> bool:
        if token.ent_type_ == "PERSON" or token.lower_ in self.index.full_names:
            return True
        return token.pos_ == "NOUN" and token.lemma_.lower() in PERSON_ROLES | ANONYMOUS_HEADS | RELATIONAL_NOUNS

    def _full_name(self, token: Token) -> str | None:
        return self.index.full_names.get(token.lower_)

    def _resolve_antecedent(self, token: Token) -> Entity | None:
        """The entity an antecedent token names (a name, a role noun or a body), resolved as a mention of its own."""
        if token.i not in self.mentions:
            mention_type = _mention_type(token, self.index)
            if mention_type is None:
                return None
            self.mentions[token.i] = self._resolve_mention(token, mention_type)
        return self.mentions[token.i].entity

    def _resolve_body_pronoun(self, head: Token, chars: tuple[int, int]) -> Mention:
        """ "it", "they": the nearest earlier organisation, country or people named outside quotations that agrees
        (people are "he"/"she"; "it" is never plural)."""
        word = head.lower_
        if head.dep_ not in ("nsubj", "nsubjpass", "poss") or self._in_quotation(head):
            # a thing done or said ("watching it") is rarely a body, nor is a pronoun of someone's words
            return Mention(*chars, head.i, "pronoun", None, "unresolved_pronoun")
        window_start = max(0, head.i - ANTECEDENT_WINDOW)
        bodies = self._bodies()
        # the named bodies ending in the window, nearest first; one with a token outside quotations competes
        for position in range(bisect.bisect_left(bodies, (head.i,)) - 1, -1, -1):
            start, end = bodies[position]
            if end <= window_start:
                break
            if all(self._in_quotation(self.doc[i]) for i in range(max(start, window_start), min(end, head.i))):
                continue
            found = self._body_antecedent(start, word)
            if found is not None:
                return Mention(*chars, head.i, "pronoun", found[0], "recent_body", found[1])
        return Mention(*chars, head.i, "pronoun", None, "unresolved_pronoun")

    def _bodies(self) -> list[tuple[int, int]]:
        """(start, end) tokens of the organisations, countries and peoples the model names, in order."""
        if self._body_spans is None:
            self._body_spans = [(e.start, e.end) for e in self.index.entities if e.label_ in BODY_LABELS]
        return self._body_spans

    def _body_antecedent(self, start: int, word: str) -> tuple[Entity, int] | None:
        """The entity of the named body at token `start` that "it"/"they" (`word`) can refer to, with its root token
        (decided once per body and pronoun: every pronoun looks back over the same names)."""
        key = (start, word)
        if key not in self._body_answers:
            token = self.doc[start]
            ent = _whole_organisation(token) or entity_span(token)
            answer = None
            if ent is not None and ent.root.dep_ not in ("amod", "compound", "nmod") and self._agrees(word, ent.root):
                entity = self._resolve_antecedent(ent.root)
                answer = (entity, ent.root.i) if entity is not None else None
            self._body_answers[key] = answer
        return self._body_answers[key]

    def _in_quotation(self, token: Token) -> bool:
        return self.quoted is not None and self.quoted[token.i] >= 0

    def _mentioned_recently(self, full: str, head: Token) -> bool:
        """Whether `full` is still the salient antecedent: no other person of the pronoun's gender was named since
        (within the pronoun's sentence, or the last SALIENCE_WINDOW tokens)."""
        gender = PRONOUN_GENDER.get(head.lower_)
        facts = docfacts.of(head.doc)
        sentence = facts.sentence(head.i)
        for token_index, name in reversed(self._antecedents_before(head.i)):
            if name == full:
                return True
            other = self.index.genders.get(name)  # only the article's word blocks a salient speaker, no estimate
            if other in (gender, None) and facts.sentence(token_index) == sentence:
                return False
            if other == gender and head.i - token_index < SALIENCE_WINDOW:
                return False
        return True

    def _resolve_common_noun(self, head: Token) -> Mention:
        """ "the spokeswoman" -> the person introduced as spokeswoman; "a White House official" -> anonymous."""
        index = self.index
        span = speaker_span(head, index)
        chars = (span.start_char, span.end_char)
        appositive_name = next((t for t in head.children if t.dep_ == "appos" and t.pos_ == "PROPN"), None)
        if appositive_name is not None:
            inner = self._resolve_name(appositive_name, False)
            return Mention(*chars, head.i, "role", inner.entity, "appositive_name", appositive_name.i)
        lemma = head.lemma_.lower()
        determiner = next((t.lower_ for t in head.lefts if t.dep_ in ("det", "poss")), None)
        relational = lemma in RELATIONAL_NOUNS and determiner not in (None, "the", "a", "an")
        holder = self._role_holder(head) if determiner in ("the", "this", "that") and not relational else None
        if holder is not None:
            return Mention(*chars, head.i, "role", self.person(holder), "role_holder")
        text = name_text(span, index)
        affiliation = _affiliation(span, index)
        role = " ".join(t.text for t in span if t.i <= head.i and t.pos_ in ("NOUN", "ADJ") and t.dep_ != "poss")
        role = role or None
        if relational:  # "his father": someone else than "he", named only by the relation
            return Mention(*chars, head.i, "role", Entity(text, "person", "anon:" + entity_key(text)), "relational")
        if head.lower_ in ANONYMOUS_HEADS or lemma in ANONYMOUS_HEADS:
            key_words = [t.lemma_.lower() for t in span if t.dep_ != "det" and not t.is_punct]
            entity = Entity(text, "anonymous", "anon:" + "_".join(key_words), role, affiliation)
            return Mention(*chars, head.i, "role", entity, "anonymous_role")
        if lemma in PERSON_ROLES:  # named by role only
            return Mention(*chars, head.i, "role", Entity(text, "person", entity_key(text), role, affiliation), "role")
        if lemma in GROUP_NOUNS:
            return self._resolve_group(head)
        if head.ent_type_ in ORG_LABELS or any(t.ent_type_ == "ORG" for t in span):
            entity = Entity(text, "organization", entity_key(text), None, affiliation)
            return Mention(*chars, head.i, "name", entity, "organisation_phrase")
        return Mention(*chars, head.i, "role", Entity(text, "other", entity_key(text), role, affiliation), "other_noun")

    def _role_holder(self, head: Token) -> str | None:
        """The person introduced earlier with this role, whose role has the mention's modifiers too ("the Ukrainian
        president" is not the US one); of several, the nearest."""
        modifiers = {
            word
            for t in head.lefts
            if t.dep_ in ("amod", "compound", "poss", "nmod") and t.pos_ != "PRON"
            for word in (t.lower_, POSSESSIVE_ENDING.sub("", t.lower_))
        }
        holders = self.index.role_holders.get(head.lemma_.lower(), [])
        scored = [(len(modifiers & (words | _adjectival(words))), i, full) for i, full, words in holders]
        matching = [(overlap, i, full) for overlap, i, full in scored if overlap or not modifiers]
        if not matching:
            return None
        # the best match of the modifiers; of equals, the nearest one introduced before, else the first after
        best = max(overlap for overlap, _, _ in matching)
        candidates = [(i, full) for overlap, i, full in matching if overlap == best]
        before = [full for i, full in candidates if i < head.i]
        return before[-1] if before else candidates[0][1]

    def _resolve_group(self, head: Token) -> Mention:
        """ "the ministry" -> the organisation named earlier whose name ends in "Ministry"; else the group as
        written ("protesters", "the team"), an anonymous source."""
        span = speaker_span(head, self.index)
        chars = (span.start_char, span.end_char)
        lemma = head.lemma_.lower()
        determiner = next((t.lower_ for t in head.lefts if t.dep_ == "det"), None)
        if determiner in ("the", "this", "that"):
            for ent in reversed(self.index.entities):
                # named before the mention: "The bank said" after "the central bank" is that bank, and the name's
                # own head is no earlier mention of itself (resolving it would come back here for ever)
                if ent.start >= head.i or ent.root.i >= head.i:
                    continue
                if ent.label_ == "ORG" and ent.root.lemma_.lower() == lemma:
                    mention = self._resolve_antecedent(ent.root)
                    if mention is not None:
                        return Mention(*chars, head.i, "group", mention, "group_organisation", ent.root.i)
        text = name_text(span, self.index)
        key_words = [t.lemma_.lower() for t in span if t.dep_ != "det" and not t.is_punct]
        return Mention(*chars, head.i, "group", Entity(text, "anonymous", "anon:" + "_".join(key_words)), "group")

    # --- detection -----------------------------------------------------------------------------------------------

    def _candidates(self) -> list[tuple[int, str]]:
        """(head token, mention type) of every person and organisation mention: names from the entities, pronouns
        and role or group nouns from the tokens (one vectorised pass over the doc's id columns)."""
        index = self.index
        candidates = []
        for ent in index.entities:
            if ent.label_ == "PERSON" or ent.label_ == "ORG" and _whole_organisation(ent.root) is not None:
                words = strip_titles(span_text(ent, index).split())
                if not words:
                    continue
                full = index.full_names.get(" ".join(words).lower()) or index.full_names.get(words[-1].lower())
                partial = ent.label_ == "PERSON" and len(words) == 1 and full is not None and " " in full
                head = ent.end - 1
                while head > ent.start and (self.doc[head].is_punct or self.doc[head].tag_ == "POS"):
                    head -= 1
                candidates.append((head, "partial_name" if partial else "name"))
        facts = docfacts.of(self.doc)
        pronoun_words = PERSON_PRONOUNS | GROUP_PRONOUNS | FIRST_PERSON_PRONOUNS
        if self.interviewee() is not None:  # a transcript's questions address the interviewee
            pronoun_words |= SECOND_PERSON_PRONOUNS
        pronouns = facts.lower_in(pronoun_words)
        nouns = facts.lemma_in(PERSON_ROLES | ANONYMOUS_HEADS | RELATIONAL_NOUNS | GROUP_NOUNS)
        for i in pronouns.nonzero()[0].tolist():
            if self.doc[i].pos_ == "PRON":
                candidates.append((i, "pronoun"))
        for i in nouns.nonzero()[0].tolist():
            token = self.doc[i]
            if token.pos_ == "NOUN" and not token.ent_type_ and _is_phrase_head(token):
                if token.lemma_.lower() not in GROUP_NOUNS:
                    candidates.append((i, "role"))
                elif token.tag_ == "NNS" or any(c.dep_ in ("det", "poss") for c in token.children):
                    candidates.append((i, "group"))  # "the company", "protesters"; not "took office"
        return candidates


def build(doc: Doc, quoted: list[int] | None = None) -> ArticleEntities:
    """The entity layer of a document; quoted[i] >= 0 marks token i as inside a quotation."""
    return ArticleEntities(doc, build_index(doc, quoted), quoted)


def _adjectival(words: frozenset[str]) -> set[str]:
    """Adjectives of the places in a role ("Ukraine" -> "ukrainian"), so "the Ukrainian president" matches a role
    written "Ukraine's president"; a crude stem, but only ever compared with the words of one article."""
    return {w + suffix for w in words for suffix in ("n", "an", "ian", "ese", "i")} | {w[:-1] + "ian" for w in words}


def _titled_person(head: Token) -> Token | None:
    """The person a title or role heads ("Governor of Washington Chris Gregoire", "CEO of the Council Jane Doe"):
    a title word alone whose 'of' phrase ends in a person's name."""
    if head.lower_.rstrip(".") not in HONORIFICS | PERSON_ROLES or head.ent_type_ == "PERSON":
        return None
    for prep in head.rights:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            name = next((t for t in prep.rights if t.dep_ == "pobj"), None)
            if name is not None and name.ent_type_ == "PERSON":
                return name
    return None


def _own_clause(pronoun: Token) -> tuple[Token, bool]:
    """The verb of the clause a pronoun belongs to, and whether binding (principle B) keeps the pronoun from being
    that clause's subject: an object is not ("his father asked him", "was with him", "asked him to study"); a
    reflexive, a possessive or a subject may be."""
    token = pronoun.head
    if pronoun.dep_ == "pobj" and token.dep_ == "prep":  # "was with him": the clause of "was"
        token = token.head
    local = pronoun.dep_ in OBJECT_DEPENDENCIES and pronoun.lower_ not in REFLEXIVE_PRONOUNS
    if pronoun.dep_ == "nsubj" and token.dep_ == "xcomp":  # "asked him to study": the object of "asked"
        token, local = token.head, True
    return token, local


def _names_a_participant(name: Token) -> bool:
    """A name that heads its own phrase ("interviews Aner Shalev"), not one modifying a common noun ("the Santorum
    cocktail") nor one of two conjoined names ("Mario J. Lucero and Isabel Ruiz")."""
    if name.dep_ == "compound" and name.head.pos_ != "PROPN":
        return False
    conjoined = name.dep_ == "conj" and name.head.pos_ == "PROPN"
    return not (conjoined or any(c.dep_ == "conj" and c.pos_ == "PROPN" for c in name.children))


def _is_phrase_head(token: Token) -> bool:
    """A role or group noun that heads its phrase (not "spokesman" in "spokesman Jim" nor a compound modifier)."""
    if token.dep_ in ("compound", "amod", "nmod"):
        return False
    return not any(c.dep_ in ("compound", "flat") and c.pos_ == "PROPN" and c.i > token.i for c in token.children)


def _mention_type(token: Token, index: DocumentIndex) -> str | None:
    if token.pos_ == "PRON":
        return "pronoun"
    if is_name(token, index):
        return "name"
    lemma = token.lemma_.lower()
    if lemma in GROUP_NOUNS:
        return "group"
    if lemma in PERSON_ROLES | ANONYMOUS_HEADS | RELATIONAL_NOUNS:
        return "role"
    return None


def _whole_organisation(token: Token) -> Span | None:
    """An organisation's name kept whole: the model's ORG span plus capitalised words it cut off at the left that
    modify the name ("New Zealand Herald", "Environmental Protection Agency"); None when the token is in no ORG."""
    if token.ent_type_ != "ORG":
        return None
    ent = entity_span(token)
    doc, start, end = token.doc, ent.start, ent.end
    while start > 0:
        left = doc[start - 1]
        if not left.text[:1].isupper() or left.is_sent_start or not (start <= left.head.i < end):
            break
        if left.dep_ not in ("compound", "amod", "nmod", "npadvmod") or left.ent_type_ in ("PERSON", "DATE"):
            break
        start -= 1
    while start < end - 1 and doc[start].dep_ in ("det", "punct"):
        start += 1
    return doc[start:end]


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


def _char_span(token: Token) -> tuple[int, int]:
    return token.idx, token.idx + len(token.text)


def _name_chars(tokens: list[Token], head: Token) -> tuple[int, int]:
    """A name's characters without leading titles or a possessive ending ("President Putin's" -> Putin)."""
    first = next((t for t in tokens if t.lower_.rstrip(".") not in HONORIFICS), head)
    return first.idx, head.idx + len(POSSESSIVE_ENDING.sub("", head.text) or head.text)


def _affiliation(span: Span, index: DocumentIndex) -> str | None:
    """The body or place a role belongs to: "a White House official" -> White House, "Ukraine's" -> Ukraine."""
    for ent in entities_within(span, index.entities):
        if ent.label_ in ORG_LABELS:
            return POSSESSIVE_ENDING.sub("", name_text(ent, index))
    names = [t.text for t in span if t.pos_ == "PROPN"]
    return " ".join(names) or None


def _marker_gender(word: str) -> str | None:
    if word in FEMALE_MARKERS or PRONOUN_GENDER.get(word) == "f":
        return "f"
    if word in MALE_MARKERS or PRONOUN_GENDER.get(word) == "m":
        return "m"
    return None


def _evidence_text(evidence: Counter) -> str:
    return "; ".join(f"{word} ×{count}" if count > 1 else word for word, count in evidence.most_common())


def _unresolved(head: Token) -> Entity:
    return Entity(head.text, "other", "unresolved:" + head.lower_)
