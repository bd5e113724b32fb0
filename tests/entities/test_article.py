"""The entity layer of one article (transforms/entities/article.py) on real news: every mention resolved once, and
the quote speakers, sources and events reading the same resolution."""

from __future__ import annotations

import pytest

from tests.conftest import SEED_ARTICLE, excerpt
from transforms.events.rows import find_events
from transforms.quotes.rows import attribute_article


@pytest.fixture(scope="module")
def seed(nlp):
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    return text, attribute_article(nlp(text))


def mention_at(attributed, text, words, after=0):
    start = text.index(words, after)
    return next(
        m for m in attributed.entities.all_mentions() if m.start_char == start and m.end_char == start + len(words)
    )


def test_every_mention_is_the_article_text_at_its_offsets(seed):
    text, attributed = seed
    mentions = attributed.entities.all_mentions()
    assert len(mentions) > 40
    assert all(text[m.start_char : m.end_char].strip() == text[m.start_char : m.end_char] for m in mentions)
    assert all(m.end_char > m.start_char for m in mentions)


def test_a_role_noun_resolves_to_the_holder_with_its_modifiers(seed):
    # "... if the Ukrainian president came to Moscow": Zelenskyy, not the US President introduced first
    text, attributed = seed
    mention = mention_at(attributed, text, "the Ukrainian president")
    assert (mention.mention_type, mention.entity.name, mention.rule) == ("role", "Volodymyr Zelenskyy", "role_holder")


def test_first_person_inside_a_quotation_is_its_speaker(seed):
    text, attributed = seed
    quote = next(q for q in attributed.quotes if q["text"].startswith("“I’ve been watching it"))
    mention = mention_at(attributed, text, "I", quote["char_start"])
    assert (mention.entity.name, mention.rule) == ("Donald Trump", "quote_speaker")


def test_gender_comes_with_the_article_evidence_and_the_estimate_apart(seed):
    _, attributed = seed
    sources = {s["name"]: s for s in attributed.sources}
    zakharova = sources["Maria Zakharova"]
    assert zakharova["gender"] == "female" and "spokeswoman" in zakharova["gender_evidence"]
    assert zakharova["gender_estimate"] == "female" and zakharova["gender_estimate_probability"] > 0.9
    assert sources["Donald Trump"]["gender"] == "male" and "he" in sources["Donald Trump"]["gender_evidence"]
    # named, never referred to by a pronoun or a gendered word: only the estimate says anything
    assert sources["Volodymyr Zelenskyy"]["gender"] is None and sources["Volodymyr Zelenskyy"]["gender_estimate"]


def test_events_take_their_participants_from_the_same_layer(nlp, seed):
    text, attributed = seed
    doc = attributed.entities.doc
    speak = next(e for e in find_events(doc, None, attributed.entities) if e["trigger"] == "speak")
    # "Trump is expected to speak ... with Zelenskyy": both surnames resolve to the full names the article gives
    assert speak["actor_entity_keys"] == ["donald_trump"] and speak["recipient_entity_keys"] == ["volodymyr_zelenskyy"]


def test_a_hyphenated_surname_joins_its_full_name(nlp):
    # PolNeAR dev nyt_2016-09-30_keep-the-returns-trump-just-give: "Douglas Holtz-Eakin ... Mr. Holtz-Eakin served"
    text = excerpt("polnear/dev/text/nyt_2016-09-30_keep-the-returns-trump-just-give.txt")
    attributed = attribute_article(nlp(text))
    later = mention_at(attributed, text, "Holtz-Eakin", text.index("Mr. Holtz-Eakin"))
    assert later.entity.name == "Douglas Holtz-Eakin" and later.mention_type == "partial_name"
    assert [q["speaker"] for q in attributed.quotes] == ["Douglas Holtz-Eakin"]


def test_an_organisation_name_is_kept_whole(nlp):
    # PolNeAR dev breitbart_2016-09-21_only-percent-of-hillary-clinton-: the model tags "York Times" alone
    text = excerpt("polnear/dev/text/breitbart_2016-09-21_only-percent-of-hillary-clinton-.txt")
    attributed = attribute_article(nlp(text))
    assert attributed.quotes and attributed.quotes[0]["speaker"] == "New York Times"
    assert any(m.entity and m.entity.name == "New York Times" for m in attributed.entities.all_mentions())


def test_a_full_name_is_itself_when_its_surname_named_someone_else_first(nlp):
    # PolNeAR dev breitbart_2016-09-30_the-latest-trump-urges-supporter: "Gary Johnson" first, then "Homeland
    # Security Secretary Jeh Johnson says ...": that quote is Jeh Johnson's, and the titles are no first name
    text = excerpt("polnear/dev/text/breitbart_2016-09-30_the-latest-trump-urges-supporter.txt")
    attributed = attribute_article(nlp(text))
    says = next(q for q in attributed.quotes if q["char_start"] > text.index("Jeh Johnson says"))
    assert says["speaker"] == "Jeh Johnson"
    assert mention_at(attributed, text, "Gary Johnson").entity.name == "Gary Johnson"


# reuters21578 reut2-001, reuters-1174-0 (3-MAR-1987, "DANISH RESERVES RISE IN FEBRUARY"), its lines wrapped as sent
DANISH_RESERVES = (
    "Denmark's net official reserves rose\nto 36.34 billion crowns in February from 28.00 billion in\nJanuary, "
    "against a revised 45.85 billion in February 1986, the\ncentral bank said in its monthly balance sheet report.\n"
    "    Total net reserves, including reserves held by commercial\nand major savings banks, rose to 38.26 billion "
    "crowns from\n30.11 billion in January compared with a revised 35.99 billion\nin February last year.\n"
    "    The bank said provisional figures showed net registered\nprivate and public capital imports of 10.3 billion "
    "crowns in\nFebruary.\n"
)


def test_a_group_noun_is_the_body_named_before_it_and_a_wrapped_name_is_one_line(nlp):
    # The model tags "the central bank" an organisation headed by a common noun: "The bank" is that bank, and the
    # name's own head is no earlier mention of itself (this story once recursed until Python gave up, and was
    # quarantined)
    attributed = attribute_article(nlp(DANISH_RESERVES))
    later = mention_at(attributed, DANISH_RESERVES, "The bank")
    assert (later.entity.name, later.rule) == ("the central bank", "group_organisation")
    assert {q["speaker"] for q in attributed.quotes} == {"the central bank"}
