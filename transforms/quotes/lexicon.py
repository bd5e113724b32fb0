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

# Verbs that report speech, thought or an attitude without being reporting cues of their own: the verbs a quoted
# phrase in their object is attributed through ("Japan branded North Korea an "outlaw nation"", "referred to the
# plan as "a disaster"", "the crowd chanted "What curfew?""), and the lead-ins of a quotation after a colon. Grouped
# by the VerbNet classes they come from; verbs of doing ("served", "involving", "took", "bought") are not here.
REPORTING_VERBS = SPEECH_VERBS | frozenset(
    """
    speak talk chat converse discuss debate lecture preach quote recite read relay relate recount narrate dictate
    express voice convey communicate articulate utter phrase word mouth reiterate restate reaffirm echo parrot
    maintain clarify elaborate specify outline summarize summarise detail interject chime interrupt
    chant sing cheer boo heckle jeer shriek bellow holler roar murmur mutter mumble grumble growl groan moan sigh
    sob wail whine cry exclaim gasp hiss stammer stutter rant rave gush vent grouse gripe carp
    type scrawl pen publish print headline caption email text blog
    confess confide divulge hint imply insinuate intimate signal indicate swear vouch attest affirm certify guarantee
    protest object dispute contest rebut refute contradict correct retract recant
    advise counsel instruct order command exhort encourage implore plead beg request inquire query
    interrogate interview invite dare challenge threaten alert notify brief recommend
    thank apologize apologise congratulate greet welcome endorse tout trumpet hail laud applaud commend compliment
    mock ridicule deride taunt tease insult scold chide rebuke reprimand berate lambast lambaste assail castigate
    chastise excoriate disparage denigrate belittle lampoon needle fault censure deplore bemoan rail
    name dub nickname label brand term title christen coin characterize characterise portray depict frame refer
    reference invoke liken compare equate rate rank grade deem judge pronounce rule find
    think believe consider regard view feel suppose assume presume suspect guess imagine reckon speculate surmise
    conclude infer doubt wonder ponder muse contemplate foresee anticipate expect forecast hope wish fear worry
    dread admire respect despise detest loathe resent regret deplore appreciate cherish revere lament
    want intend prefer desire snipe herald credit defend
    """.split()
)

# Verbs that report only with a fixed object: "as Cornyn put it:".
IDIOM_OBJECTS = {"put": frozenset({"it", "this", "that"})}

# Phrasal verbs of speech (verb lemma, particle or preposition): "summed up Clinton as "terrible"", "pointed to
# the case as the "rigged system"", "has gone after Trump as a "human leech"", "fired back".
PHRASAL_REPORTING = frozenset(
    (verb, particle)
    for verb, particle in (
        pair.split("+")
        for pair in """
        point+to point+out sum+up go+after lash+out hit+out hit+back fire+back shoot+back push+back weigh+in
        speak+out speak+up shrug+off call+out open+with launch+into write+off wave+off brush+off
        """.split()
    )
)

# Verbs that report when their object is an act of communication ("offered a defense of the bill", "issued a
# report charging ...", "made jokes about", "launched into a lament for").
LIGHT_VERBS = frozenset("issue offer make give deliver release send publish launch open lodge file raise".split())

# Nouns of communicative acts, beyond SPEECH_NOUNS and CLAUSE_NOUNS, that a light verb's object may be.
COMMUNICATION_NOUNS = frozenset(
    """
    defense defence lament joke plea appeal apology condolence condolences praise criticism rebuke response reply
    answer thanks tribute message word words warning remark question complaint case argument pitch speech address
    toast eulogy comment
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

# Nouns that a quoted title or name stands in apposition to ("the book "Going Viral"", "CNN's show "New Day"", "a
# memo titled ..."): works, programmes, publications, events and names.
TITLE_NOUNS = frozenset(
    """
    book books memoir novel biography autobiography poem play musical opera film films movie movies documentary
    show shows program programme broadcast episode series sitcom segment podcast album song single track record
    article column editorial op-ed essay headline story report study paper memo letter magazine newspaper journal
    blog website site ad ads advert advertisement commercial campaign slogan motto nickname title term phrase
    hashtag initiative project event exhibit exhibition conference festival painting portrait
    """.split()
)

# Words that introduce a title or a name ("a play called "Los Hijos de Trump"", "an ad entitled ...").
TITLING_WORDS = frozenset("titled entitled subtitled headlined called named dubbed nicknamed billed known".split())

# Minor words a title keeps in lower case ("Face the Nation", "Make Your Kid a Millionaire").
TITLE_MINOR_WORDS = frozenset(
    "a an the and or but nor for so yet as at by in of off on per to up via vs vs. with from into onto over than "
    "de del la le les du des von van der y et".split()
)

# Lemmas (lowercased) of every word that can be a cue: the speech and particle verbs, the clause nouns.
CUE_LEMMAS = frozenset(SPEECH_VERBS | PARTICLE_VERBS.keys() | CLAUSE_NOUNS)

ACCORDING = get_string_id("according")  # its id in every vocabulary
