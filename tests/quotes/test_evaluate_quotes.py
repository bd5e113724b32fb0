"""`eval quotes`: the speaker full-name figure (the fullest form of a named gold source in the article) beside the
figures that were there before it."""

from __future__ import annotations

from transforms.evaluate.quotes import ArticleResult, GoldAttribution, article_full_name, score, source_name

ARTICLE = (
    "Then Trump said it. Former Secretary of State Hillary Clinton spoke. President Donald J. Trump's aide spoke. "
    "Donald Trump Jr. came. Republican Ted Cruz agreed. Cruz said so. Bill Clinton waved. The State Department said."
)


def test_source_name_is_the_name_a_source_ends_in():
    assert source_name("President Donald Trump's") == ["Donald", "Trump"]
    assert source_name("Sen. Ted Cruz (R-Texas)") == ["Ted", "Cruz"]
    assert source_name("the State Department") == ["State", "Department"]
    assert (
        source_name("The nonpartisan Commission on Presidential Debates")
        == "Commission on Presidential Debates".split()
    )
    assert source_name("He") == [] and source_name("the Trump campaign") == [] and source_name("officials") == []
    assert source_name("A reporter for USA Today") == []  # the reporter spoke, not the paper
    assert source_name("Mr. Grassley and Mr. Leahy") == []  # two people: no one name to check
    assert source_name("Rep. G.K. Butterfield (D-N.C.)") == ["G.K.", "Butterfield"]


def test_fuller_forms_of_one_name_are_one_name():
    text = "Crooked Hillary Clinton lies, he said. Hillary Clinton spoke. Hillary Clinton won. Clinton said."
    assert article_full_name(text, "Clinton") == ("Hillary Clinton", False)
    assert article_full_name(text, "Hillary Clinton") == ("Hillary Clinton", False)


def test_full_name_is_the_fullest_form_in_the_article():
    assert article_full_name(ARTICLE, "Trump") == ("Donald J. Trump", False)  # not "Then Trump", not Donald Trump Jr.
    assert article_full_name(ARTICLE, "Mr. Cruz") == ("Ted Cruz", False)  # not "Republican Ted Cruz", not "so. Cruz"
    assert article_full_name(ARTICLE, "the State Department") == ("State Department", False)
    assert article_full_name(ARTICLE, "Clinton") == (None, True)  # Hillary or Bill: left out
    assert article_full_name(ARTICLE, "she") == (None, False)


def _gold(text: str, source: str, content: str) -> GoldAttribution:
    start = text.index(source)
    content_start = text.index(content)
    return GoldAttribution(
        content=[(content_start, content_start + len(content))],
        source=[(start, start + len(source))],
        cue="said",
        source_text=source,
        quote_like=True,
    )


def _prediction(text: str, content: str, speaker: str, mention: str) -> dict:
    start, mention_start = text.index(content), text.index(mention)
    return {
        "char_start": start,
        "char_end": start + len(content),
        "quote_type": "direct",
        "speaker": speaker,
        "speaker_char_start": mention_start,
        "speaker_char_end": mention_start + len(mention),
    }


def test_score_counts_speaker_full_name_and_keeps_the_other_figures():
    text = 'Maria Zakharova is a spokeswoman. "No talks," Zakharova said. "Never," Zakharova added.'
    gold = [
        _gold(text, "Zakharova said", '"No talks,"'),
        _gold(text, "Zakharova added", '"Never,"'),
    ]
    gold[0].source_text = gold[0].source_text.removesuffix(" said")
    gold[1].source_text = gold[1].source_text.removesuffix(" added")
    predictions = [
        _prediction(text, '"No talks,"', "Maria Zakharova", "Zakharova said"),
        _prediction(text, '"Never,"', "Zakharova", "Zakharova added"),  # right speaker, not by her full name
    ]
    result = score([ArticleResult("a", text, gold, predictions, ["direct", "direct"])])
    assert result["speaker_accuracy"] == 1.0  # the figure as before: the mention overlaps the gold source
    assert result["speaker_full_name_accuracy"] == 0.5
    assert (result["counts"]["full_name_right"], result["counts"]["full_name_total"]) == (1, 2)
    assert {"precision", "recall", "f1", "by_type", "rule_precision", "worst_misses"} <= set(result)
