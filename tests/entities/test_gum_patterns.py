"""The entity layer on the general patterns it resolves, each on one document of the shared corpus (GUM train,
PolNeAR train; skipped without it): interview transcripts and signed letters, binding, gendered nouns, fuller name
forms, names across a line break or in a heading, acronyms."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SEED_ARTICLE
from transforms.nlp import docfacts
from transforms.quotes.rows import attribute_article


@pytest.fixture(scope="module")
def gum(corpus):
    with (corpus / "gum" / "gum.jsonl").open(encoding="utf-8") as lines:
        return {record["id"]: record["text"] for record in map(json.loads, lines)}


def entities_of(nlp, text):
    doc = nlp(text)
    with docfacts.reading(doc, text):
        entities = attribute_article(doc).entities
        entities.all_mentions()
        return entities


def mention_at(entities, start, words):
    return next(m for m in entities.all_mentions() if m.start_char == start and m.end_char == start + len(words))


def test_an_interviews_answers_speak_as_the_interviewee_and_its_questions_address_them(nlp, gum):
    # "On Saturday, Wikinews interviewed Tina McKenzie, ..." then questions ("?") and first-person answers
    text = gum["GUM_interview_mckenzie"]
    entities = entities_of(nlp, text)
    assert entities.interviewee().name == "Tina McKenzie"
    answers = [m for m in entities.all_mentions() if m.rule == "interviewee"]
    words = {text[m.start_char : m.end_char].lower() for m in answers}
    assert {"i", "you"} <= words and all(m.entity.name == "Tina McKenzie" for m in answers)


def test_a_document_that_interviews_no_one_has_no_interviewee(nlp, gum):
    # a biography in the first person nowhere; a Wikinews interview of two people named together
    assert entities_of(nlp, gum["GUM_bio_padalecki"]).interviewee() is None
    assert entities_of(nlp, gum["GUM_interview_gaming"]).interviewee() is None


def test_a_signed_letters_i_is_its_signer(nlp, gum):
    # "... build a comfortable little new house on it. / Love and faithful feelings, / Zora"
    text = gum["GUM_letter_zora"]
    entities = entities_of(nlp, text)
    signed = [m for m in entities.all_mentions() if m.rule == "letter_signer"]
    assert len(signed) > 20 and {m.entity.name for m in signed} == {"Zora"}
    assert {text[m.start_char : m.end_char].lower() for m in signed} <= {"i", "me", "my", "myself", "mine"}


def test_news_is_neither_an_interview_nor_a_letter(nlp):
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    entities = entities_of(nlp, text)
    assert entities.interviewee() is None and entities.signer() is None


def test_an_object_pronoun_is_not_its_clauses_subject(nlp, gum):
    # "His father then asked him to study in medicine": "him" is Daniel, not "His father"
    text = gum["GUM_bio_bernoulli"]
    entities = entities_of(nlp, text)
    start = text.index("His father then asked him") + len("His father then asked ")
    mention = mention_at(entities, start, "him")
    assert mention.entity is not None and mention.entity.name == "Daniel Bernoulli"


def test_a_female_noun_is_no_antecedent_of_he(nlp, gum):
    # "Santa's first wife had died centuries ago, but he always just dismissed the question of his own mortality"
    text = gum["GUM_fiction_claus"]
    entities = entities_of(nlp, text)
    start = text.index("the question of his own mortality") + len("the question of ")
    mention = mention_at(entities, start, "his")
    assert mention.entity is None or "wife" not in mention.entity.name


def test_a_surname_takes_the_fullest_form_even_untagged(nlp, gum):
    # the model tags "Jared Padalecki" (the heading) but not "Jared Tristan Padalecki (born July 19, 1982)"
    text = gum["GUM_bio_padalecki"]
    entities = entities_of(nlp, text)
    start = text.index("Padalecki was born")
    assert mention_at(entities, start, "Padalecki").entity.name == "Jared Tristan Padalecki"


def test_a_name_does_not_run_over_a_line_break(nlp, gum):
    # the heading "Brock Holt" and the caption "Holt with the Boston Red Sox" are tagged as one name ("Brock Holt
    # Holt"); the fullest form is the untagged one the text opens with
    entities = entities_of(nlp, gum["GUM_bio_holt"])
    assert entities.index.full_names["holt"] == "Brock Wyatt Holt"


def test_an_acronym_in_parentheses_names_the_organisation_after(nlp, gum):
    # "the Computing Research Association (CRA) documents trends ..."
    text = gum["GUM_academic_census"]
    entities = entities_of(nlp, text)
    later = [m for m in entities.all_mentions() if text[m.start_char : m.end_char] == "CRA"]
    assert later and all(m.entity.name == "Computing Research Association" for m in later)


def test_a_title_cased_heading_sets_no_full_name(nlp, corpus):
    # PolNeAR train: the headline "Bolton and Gorka Slam ‘Neocons For Hillary.’" is tagged "Gorka Slam"; the body
    # names "Dr. Sebastian Gorka", and every later "Gorka" is him
    path = corpus / "polnear" / "train" / "text" / "breitbart_2016-05-05_bolton-and-gorka-slam-neocons-fo.txt"
    text = path.read_text(encoding="utf-8")
    entities = entities_of(nlp, text)
    assert entities.index.full_names["gorka"] == "Sebastian Gorka"
    later = [m for m in entities.all_mentions() if text[m.start_char : m.end_char] == "Gorka" and m.start_char > 50]
    assert later and all(m.entity.name == "Sebastian Gorka" for m in later)
