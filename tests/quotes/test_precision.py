"""Quote precision (issue 15, item 3), each on real text from the corpus (tests/fixtures/excerpts, the file named):
a quoted title, name or headline is no one's words; a verb of doing is not a cue; a quotation that runs over a
paragraph break is one quote with one cue and speaker.
"""

from __future__ import annotations

from tests.conftest import excerpt
from transforms.quotes.rows import attribute_article


def run(nlp, text: str) -> list[tuple[dict, str]]:
    attributed = attribute_article(nlp(text))
    for quote in attributed.quotes:
        assert text[quote["char_start"] : quote["char_end"]] == quote["text"]
    return list(zip(attributed.quotes, attributed.rules))


def holding(found: list[tuple[dict, str]], fragment: str) -> tuple[dict, str]:
    hits = [(q, r) for q, r in found if fragment in q["text"]]
    assert hits, f"no quote holds {fragment!r}: {[(q['text'][:60], r) for q, r in found]}"
    return min(hits, key=lambda h: len(h[0]["text"]))


# --- titles, names and headlines ----------------------------------------------------------------------------------


def test_a_programme_title_is_not_a_quote(nlp):
    # polnear/dev/text/wash-post_2016-09-26_charlotte-struggles-to-return-to.txt: 'In an interview on CBS's "Face the
    # Nation," House Speaker Paul D. Ryan (R-Wis.) said ...' and '"...," Pence said on CNN's "State of the Union."'
    text = excerpt("polnear/dev/text/wash-post_2016-09-26_charlotte-struggles-to-return-to.txt")
    found = run(nlp, text)
    titles = [q["text"] for q, _ in found if q["text"].strip('".,') in ("Face the Nation", "State of the Union")]
    assert titles == []
    quote, _ = holding(found, "At the end of the day, we need to step away")
    assert quote["quote_type"] == "direct" and "Pence" in quote["speaker"]
    ryan, _ = holding(found, "the recent spate of police shootings")
    assert "Ryan" in ryan["speaker"] and ryan["quote_type"] == "mixed"


def test_a_quoted_heading_without_a_cue_is_not_a_quote(nlp):
    # polnear/train/text/huff-post_2016-05-16_trump-says-he-s-unlikely-to-have.txt: a Reuters subheading
    # "“DIVISIVE, STUPID AND WRONG”" between two paragraphs, a few after the spokesman was last cited (a quoted
    # paragraph without a cue would continue him)
    text = excerpt("polnear/train/text/huff-post_2016-05-16_trump-says-he-s-unlikely-to-have.txt")
    found = run(nlp, text)
    assert not [q for q, _ in found if "DIVISIVE" in q["text"]]
    quote, _ = holding(found, "Cameron will work with whoever is elected")
    assert quote["cue"] == "said"


# --- cues are verbs of speech, thought or attitude ----------------------------------------------------------------


def test_a_verb_of_doing_is_not_a_cue(nlp):
    # polnear/dev/text/politico_2016-09-15_trump-s-favorite-tv-doctor-has-a.txt: "He’s been investigated by
    # Congress for fraudulently promoting “magic” weight loss pills." ("promoting" reports no one's words)
    text = excerpt("polnear/dev/text/politico_2016-09-15_trump-s-favorite-tv-doctor-has-a.txt")
    found = run(nlp, text)
    assert not [q for q, _ in found if q["cue"] == "promoting"]
    assert not [q for q, _ in found if "magic" in q["text"] and q["speaker"] == "Congress"]


def test_a_verb_of_naming_governs_a_quoted_phrase(nlp):
    # polnear/dev/text/wash-post_2016-09-10_outrage-but-few-options-on-the-t.txt: "Japan branded North Korea an "outlaw
    # nation in the neighborhood."" ("branded" is no speech verb, but names what Japan called it)
    text = excerpt("polnear/dev/text/wash-post_2016-09-10_outrage-but-few-options-on-the-t.txt")
    quote, _ = holding(run(nlp, text), "outlaw nation")
    assert quote["speaker"] == "Japan" and quote["cue"] == "branded" and quote["quote_type"] == "partial"


# --- quotes over a paragraph break --------------------------------------------------------------------------------


def test_a_quotation_that_closes_after_a_line_break_is_one_quote(nlp):
    # polnear/train/text/breitbart_2016-01-10_conservative-icon-morton-blackwe.txt: '“..., Blackwell added, “have
    # focused ... participate personally\nin caucuses and primaries.”' (the break falls inside the quotation)
    text = excerpt("polnear/train/text/breitbart_2016-01-10_conservative-icon-morton-blackwe.txt")
    found = run(nlp, text)
    rest, _ = holding(found, "in caucuses and primaries")
    assert rest["quote_type"] == "direct" and "Blackwell" in rest["speaker"]


def test_a_multi_paragraph_quote_takes_the_cue_of_its_last_paragraph(nlp):
    # polnear/train/text/breitbart_2016-01-19_long-time-leaders-of-conservativ.txt: a quotation opened in one
    # paragraph and closed in the next, '... those [Democratic lies],” Viguerie says.'
    text = excerpt("polnear/train/text/breitbart_2016-01-19_long-time-leaders-of-conservativ.txt")
    found = run(nlp, text)
    first, _ = holding(found, "The number one thing you must have")
    second, rule = holding(found, "The one element Republicans have not had")
    assert second["quote_type"] == "direct" and rule == "direct_cue_after" and second["cue"] == "says"
    assert first["cue"] == "says" and first["speaker"] == second["speaker"] and "Viguerie" in first["speaker"]
    assert "\n" not in first["text"]  # one row per paragraph
