"""The reporting-cue lexicon: the verbs, phrases and nouns that introduce reported speech in news.

One place for the lexicon, so the quote rules and the documentation agree. Verbs are lemmas (spaCy's
lemmatizer gives them); the sets after SPEECH_VERBS say which of a cue's complements carry the message. The words
that say what a speaker mention is (pronouns, titles, roles) are `transforms.entities.lexicon`'s.

Imports spaCy's string ids only.
"""

from __future__ import annotations

from spacy.strings import get_string_id

# Verbs of saying. Thought, belief and intention verbs ("think", "want", "hope") are deliberately absent: the
# tables hold what people said, not what they are reported to believe.
SPEECH_VERBS = frozenset(
    """
    say tell ask add write note report announce argue describe tweet post explain declare claim state insist warn
    promise pledge vow reply respond answer acknowledge admit concede deny confirm reveal recall predict suggest
    urge call accuse criticize criticise praise complain boast joke quip mention comment remark repeat emphasize
    emphasise stress assert contend allege testify continue counter caution lament muse observe proclaim
    recount retort scoff shout snap yell scream whisper brag concur agree disclose inform assure remind
    blast slam attack question propose demand highlight reject condemn denounce dismiss cite decry blame
    """.split()
)

# Verbs whose object, not only a clause, is what was said ("criticised Kiev's push", "denied the report",
# "cited legal risks", "say the same"); tell and ask are absent: their objects are the hearers ("told reporters").
OBJECT_CONTENT_VERBS = frozenset(
    """
    say write tweet post assert
    criticize criticise accuse praise deny confirm announce reveal describe dismiss predict promise pledge vow call
    cite declare stress emphasize emphasise explain recall report urge note mention blast slam attack question
    propose demand highlight acknowledge admit concede claim allege reject condemn denounce decry blame
    """.split()
)

# Nouns that head a reporting phrase ("in a statement", "in an interview with CBS") and extend a verb's cue span.
SPEECH_NOUNS = frozenset(
    "statement interview remarks comments speech tweet post email letter op-ed conference briefing release "
    "announcement testimony message ad memo column video article editorial report blog".split()
)

# Verbs that report with an infinitive or a gerund ("urged Congress to act", "promised to build", "reported
# having $1.3 million", "said seeing so many police officers ... was a welcome sight").
XCOMP_CONTENT_VERBS = frozenset(
    "urge promise pledge vow warn call ask tell threaten say claim report suggest recall mention admit deny propose "
    "acknowledge".split()
)

# Verbs that report in a parenthetical ("The plan, he said, is dead"); with others the parse misleads there.
PARENTHETICAL_VERBS = frozenset(
    "say add write note argue explain insist tell warn claim suggest predict report".split()
)

# Prepositions that introduce the topic of speech ("commented on the request", "responded to his attacks").
TOPIC_PREPOSITIONS = {
    "about": None,
    "on": frozenset({"comment", "remark", "report", "testify"}),
    "to": frozenset({"respond", "reply", "react"}),
}

# Adverb-particles that belong to the cue ("pointed out", "went on").
CUE_PARTICLES = frozenset("out on".split())

# Verbs that report only with their particle: "pointed out", "went on" ("went on to say").
PARTICLE_VERBS = {"point": "out", "go": "on"}

# Reporting nouns that carry their message in a clause ("his claim that ...", "Trump's promise to build a wall").
CLAUSE_NOUNS = frozenset(
    "claim assertion statement warning promise pledge vow argument allegation accusation "
    "insistence suggestion admission announcement prediction threat call demand".split()
)

# Reporting verbs whose message may come as a "that" clause the parse hangs lower.
THAT_VERBS = frozenset(
    "say tell add write note report announce argue explain claim state insist warn promise "
    "acknowledge admit concede deny confirm reveal suggest assert contend allege testify "
    "remind assure inform complain".split()
)

# Verbs whose object is the hearer, not the message ("told reporters").
ADDRESSEE_VERBS = frozenset("tell ask inform assure remind warn urge".split())

# One-word answers reported as speech ("said no", "half said so").
ANSWERS = frozenset("yes no so".split())

# Objects that leave the topic as the content ("said little about the plan").
QUANTITY_OBJECTS = frozenset("little nothing much something".split())

# Lemmas (lowercased) of every word that can be a cue: the speech and particle verbs, the clause nouns.
CUE_LEMMAS = frozenset(SPEECH_VERBS | PARTICLE_VERBS.keys() | CLAUSE_NOUNS)

ACCORDING = get_string_id("according")  # its id in every vocabulary
