"""entity_key: one key per source, whatever titles, initials, possessives or party tags decorate the name."""

from __future__ import annotations

import pytest

from transforms.entities.keys import entity_key, person_key, same_entity


@pytest.mark.parametrize(
    "name, key",
    [
        ("Donald Trump", "donald_trump"),
        ("President Donald J. Trump", "donald_trump"),  # title and middle initial
        ("Trump’s", "trump"),  # curly possessive, as in "Trump’s inability" (seed article)
        ("Mr. Trump", "trump"),  # NYT style (PolNeAR nyt_*)
        ("Sen. Bernie Sanders (I-Vt.)", "bernie_sanders"),  # party tag (PolNeAR huff-post_*)
        ("Donald J. Trump Jr.", "donald_trump_jr"),  # the son keeps his own key
        ("CBS News", "cbs_news"),
        ("Volodymyr Zelenskyy", "volodymyr_zelenskyy"),
    ],
)
def test_entity_key(name, key):
    assert entity_key(name) == key


def test_surname_alone_stays_a_surname_key():
    # "Trump" alone cannot be told from another Trump by a pure function; the resolver uses the article's full name
    assert entity_key("President Trump") == entity_key("Trump") == "trump"


@pytest.mark.parametrize(
    "fullest, short",
    [
        ("George Walker Bush", "George Bush"),  # a middle name (GUM bio_* give the fullest form first)
        ("George W. Bush", "George Bush"),
        ("Jared Tristan Padalecki", "Jared Padalecki"),
    ],
)
def test_person_key_joins_the_fullest_form_to_the_short_one(fullest, short):
    assert person_key(fullest) == person_key(short) == entity_key(short)


def test_person_key_keeps_surname_particles_and_suffixes():
    assert person_key("Ludwig van Beethoven") == "ludwig_van_beethoven"
    assert person_key("Donald J. Trump Jr.") == "donald_trump_jr"  # the son is not the father
    assert person_key("President Donald Trump") == "donald_trump"


def test_same_entity_joins_a_surname_to_full_keys_ending_in_it_only():
    assert same_entity("trump", "donald_trump") and same_entity("donald_trump", "trump")
    assert not same_entity("donald_trump", "ivanka_trump") and not same_entity("trump", "trumpet_player")
