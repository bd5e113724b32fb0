"""entity_key: one key per source, whatever titles, initials, possessives or party tags decorate the name."""

from __future__ import annotations

import pytest

from transforms.entities.keys import entity_key


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
