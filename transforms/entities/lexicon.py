"""The words and entity labels that say what a mention is: pronouns, gender markers, honorifics, person and
organisation nouns. The one place for them; the quote speakers (`speakers`) and the event participants
(`namebook`) read different sets where they resolve differently, and each set's name says which words it holds.

Imports nothing.
"""

from __future__ import annotations

# --- pronouns -------------------------------------------------------------------------------------------------------

# The gender of the third-person pronouns a quote speaker's gender is read from and a speaker pronoun resolves by.
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
# Every third-person pronoun of one person, reflexives included: an event participant's pronoun agrees with a person.
PERSON_PRONOUNS = frozenset("he him his she her hers himself herself".split())
# The speaker's own words: an event participant named so is the subject of the clause that reports them.
FIRST_PERSON_PRONOUNS = frozenset("i me my we us our".split())
# In an interview transcript: the interviewee answering ("I") or addressed ("you").
SINGULAR_FIRST_PERSON = frozenset("i me my myself mine".split())
SECOND_PERSON_PRONOUNS = frozenset("you your yours yourself".split())
INTERVIEW_PRONOUNS = SINGULAR_FIRST_PERSON | SECOND_PERSON_PRONOUNS
# Lemmas that say a text is an interview.
INTERVIEW_WORDS = frozenset({"interview"})
# Pronouns an event participant takes for a group, a body or a thing ("it" and "its" never refer to a person).
GROUP_PRONOUNS = frozenset("it its they them their".split())
# Pronouns by which a body that spoke goes on speaking ("the ministry said ... it added"): a quote's previous
# speaker, when that speaker is not a person.
BODY_SPEAKER_PRONOUNS = frozenset("they them we it".split())
RELATIVE_PRONOUNS = frozenset("who that which".split())
REFLEXIVE_PRONOUNS = frozenset("himself herself itself themselves myself ourselves".split())
# Dependencies of a pronoun that is its clause's object, never that clause's subject ("his father asked him").
OBJECT_DEPENDENCIES = frozenset("dobj dative iobj pobj".split())
# Subjects that are never the speaker ("there", "this says a lot"); "it" is (companies, reports) unless passive.
EXPLETIVES = frozenset("there this that what which".split())
# Owners of a reporting noun that name no one who spoke ("their claim that", "its promise to").
NON_SPEAKER_POSSESSIVES = frozenset("its their our my your".split())

# --- gender, titles, roles ------------------------------------------------------------------------------------------

MALE_MARKERS = frozenset(
    "mr mr. sir lord king prince spokesman congressman chairman businessman father son husband brother "
    "grandfather grandson uncle nephew boyfriend widower actor boy man".split()
)
FEMALE_MARKERS = frozenset(
    "mrs mrs. ms ms. miss madam lady queen princess spokeswoman congresswoman chairwoman "
    "businesswoman mother daughter wife sister grandmother granddaughter aunt niece girlfriend widow actress "
    "girl woman".split()
)
# Words that precede a name without being part of it ("President Trump", "Mr. Putin").
HONORIFICS = frozenset(
    "mr mrs ms miss dr prof sir dame lord lady rev president vice prime minister secretary senator sen rep "
    "representative gov governor mayor gen general col colonel capt captain lt sgt chancellor king queen prince "
    "princess pope judge justice chief chairman chairwoman spokesman spokeswoman ambassador candidate former "
    "first the".split()
)
# Common nouns that name one person by office ("Ukraine's foreign minister"): a quote source without a name.
PERSON_ROLES = frozenset(
    "minister president secretary senator governor mayor chairman chairwoman chair ceo director leader candidate "
    "nominee ambassador chancellor king queen judge attorney prosecutor lawyer professor economist commissioner "
    "general commander premier congressman congresswoman representative sheriff chief founder manager".split()
)
# Nouns that name a person by a relation to another ("his father", "her lawyer"): never that other person.
RELATIONAL_NOUNS = frozenset(
    "father mother son daughter wife husband brother sister uncle aunt nephew niece cousin grandfather grandmother "
    "grandson granddaughter parent parents child children boyfriend girlfriend fiancé fiancee partner widow widower "
    "friend lawyer attorney doctor boss colleague neighbour neighbor".split()
)
# Nouns that name a body or a group of people ("the company", "the ministry", "protesters"): a group mention, the
# organisation named earlier when its name ends in the noun.
GROUP_NOUNS = frozenset(
    "company firm government ministry department agency administration team party group police army military "
    "committee council court union campaign board commission office bank organisation organization association "
    "coalition alliance movement network club parliament congress senate cabinet authority authorities "
    "protester protesters demonstrator demonstrators rebel rebels militant militants activist activists "
    "resident residents voter voters worker workers employee employees troops soldiers".split()
)
# Words that make a capitalised name a body, a place or a thing even when it opens with a first name.
NOT_PERSON_NAME_WORDS = GROUP_NOUNS | frozenset(
    "street road avenue square station airport hospital school college university institute centre center museum "
    "church cathedral hotel park bridge river lake island mountain county city valley bay port hall house tower "
    "foundation fund trust corporation corp inc ltd llc group news times post herald journal press".split()
)
# Nouns that name a person or a body that speaks ("a White House official"): an event participant as it is
# written, and a person for pronoun agreement.
PERSON_NOUNS = frozenset(
    "president minister official spokesman spokeswoman spokesperson leader secretary chancellor premier king queen "
    "prince general commander envoy ambassador diplomat senator governor mayor chief head adviser advisor "
    "negotiator judge counterpart".split()
)
# Heads of unnamed-source phrases ("a White House official", "people familiar with the matter"): anonymous sources.
ANONYMOUS_HEADS = frozenset(
    "official officials source sources aide aides spokesman spokeswoman spokesperson person people adviser "
    "advisers advisor insider insiders diplomat diplomats staffer staffers member members analyst analysts "
    "expert experts observer observers critic critics supporter supporters witness witnesses officer officers "
    "executive executives lawmaker lawmakers strategist strategists operative operatives ally allies".split()
)
# Words that make a proper-noun source a news outlet rather than another organisation.
OUTLET_WORDS = frozenset(
    "news times post journal press reuters ap cnn nbc abc cbs fox msnbc politico breitbart bloomberg guardian "
    "telegraph tribune herald magazine gazette bbc npr axios hill atlantic newsweek examiner wire network radio "
    "tv television newspaper daily globe chronicle observer reporter review salon slate vox buzzfeed huffington "
    "tass interfax ria xinhua".split()
)

# --- entity labels --------------------------------------------------------------------------------------------------

# Labels of a quote source that is a body, place or group rather than a person.
ORG_LABELS = frozenset("ORG NORP GPE FAC LOC".split())
# Labels of a name an event participant can be.
NAME_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")
# Labels of times and amounts, never a participant ("denounced Friday", "killed 23").
NOT_PARTICIPANTS = ("DATE", "TIME", "CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL")
# Labels of a reporting verb's subject that cannot have said anything ("as of Friday", "$5 million", "the Alps");
# shares and counts can ("52 percent said", "two said"), and so can a country or city standing for its government.
# (The small model calls some outlets EVENT or PRODUCT, so those labels do not rule a speaker out.)
NOT_SPEAKERS = ("DATE", "TIME", "MONEY", "ORDINAL", "LOC", "LANGUAGE")
