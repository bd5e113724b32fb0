"""Forms of reported speech added to the rules, each on a real sentence from PolNeAR train (the file is named).

The sentences are read from verbatim corpus excerpts (tests/fixtures/excerpts), not retyped; the two tests that
need a whole article take the `corpus` fixture.
"""

from __future__ import annotations

from tests.conftest import excerpt
from transforms.quotes.rows import attribute_article

TRAIN = "polnear/train/text"


def paragraphs(name: str, needle: str, following: int = 0) -> str:
    """The paragraph of train/text/<name> holding needle, with the next `following` paragraphs (blank lines kept)."""
    text = excerpt(f"{TRAIN}/{name}")
    start = text.index(needle)
    start = text.rfind("\n", 0, start) + 1
    end = start
    for _ in range(following + 1):
        end = text.find("\n", end + 1)
        while end != -1 and text[end + 1 : end + 2] == "\n":
            end += 1
        end = len(text) if end == -1 else end
        if following and end < len(text):
            end = text.find("\n", end + 1) if _ < following else end
            end = len(text) if end == -1 else end
    return text[start:end].rstrip("\n")


def run(nlp, text: str) -> list[tuple[dict, str]]:
    attributed = attribute_article(nlp(text))
    quotes, rules = attributed.quotes, attributed.rules
    for quote in quotes:
        assert text[quote["char_start"] : quote["char_end"]] == quote["text"]
    return list(zip(quotes, rules))


def holding(found: list[tuple[dict, str]], fragment: str) -> tuple[dict, str]:
    hits = [(q, r) for q, r in found if fragment in q["text"]]
    assert hits, f"no quote holds {fragment!r}: {[(q['text'][:60], r) for q, r in found]}"
    return min(hits, key=lambda h: len(h[0]["text"]))


def test_clause_the_parse_runs_into_the_next_paragraph(nlp):
    # usa-today_2016-04-01_obama-asian-leaders-huddle-on-re.txt: "... Donald Trump says China is using trade rules
    # to take jobs away from the U.S." (no final stop; the parse runs into the next paragraph)
    text = paragraphs("usa-today_2016-04-01_obama-asian-leaders-huddle-on-re.txt", "Donald Trump says China", 1)
    quote, _ = holding(run(nlp, text), "China is using trade rules")
    assert "\n" not in quote["text"] and quote["speaker"] == "Donald Trump"


def test_name_before_an_appositive_speaks(nlp):
    # wash-post_2016-05-26_hacker-who-revealed-private-clin.txt: "As a part of his plea, Marcel Lehel Lazar, 44,
    # said that he victimized nearly 100 Americans ..."
    text = paragraphs("wash-post_2016-05-26_hacker-who-revealed-private-clin.txt", "Marcel Lehel Lazar, 44, said")
    quote, _ = holding(run(nlp, text), "he victimized nearly 100 Americans")
    assert "Lazar" in quote["speaker"]


def test_that_clause_after_a_long_addressee(nlp):
    # west-journal_2016-01-29_trump-made-this-shocking-final-d.txt: "Donald Trump told the audience at his
    # fundraiser for veterans that he and Fox News had multiple conversations Thursday but that nothing ..."
    text = paragraphs("west-journal_2016-01-29_trump-made-this-shocking-final-d.txt", "told the audience at his")
    quote, _ = holding(run(nlp, text), "he and Fox News had multiple conversations")
    assert quote["cue"] == "told" and "Trump" in quote["speaker"]
    assert "the audience" not in quote["text"]


def test_reporting_noun_with_its_clause(nlp):
    # breitbart_2016-08-15_biden-stumping-for-clinton-trash*.txt: "Trump’s accusation that Obama and Clinton created
    # the so-called Islamic State extremist group had imperiled ..., Biden said."
    name = "breitbart_2016-08-15_biden-stumping-for-clinton-trash.txt"
    text = paragraphs(name, "accusation that Obama and Clinton")
    found = run(nlp, text)
    quote, rule = holding(found, "Obama and Clinton created the so-called Islamic State")
    assert rule == "indirect_noun" and quote["cue"] == "accusation" and "Trump" in quote["speaker"]


def test_sentence_final_cue_after_content_the_parse_misattached(nlp):
    # usa-today_2016-03-30_teen-girl-pepper-sprayed-in-scuf.txt: "As GOP front-runner Donald Trump prepared to
    # speak ..., a 15-year-old girl outside the venue was pepper-sprayed by another bystander, police said."
    text = paragraphs("usa-today_2016-03-30_teen-girl-pepper-sprayed-in-scuf.txt", "by another bystander, police said")
    quote, _ = holding(run(nlp, text), "was pepper-sprayed by another bystander")
    assert quote["speaker_mention"] == "police" and not quote["text"].endswith(",")


def test_of_two_subjects_the_one_nearest_the_cue_speaks(nlp):
    # wash-post_2015-12-13_misinformation-enters-mainstream*.txt: "The Internet has also made it possible for people
    # with like-minded, if bogus, ideas and theories to organize ..., she said." (the parse gives "said" two
    # subjects: "people" and "she")
    name = "wash-post_2015-12-13_misinformation-enters-mainstream.txt"
    text = paragraphs(name, "The Internet has also made it possible")
    quote, _ = holding(run(nlp, text), "The Internet has also made it possible")
    assert quote["speaker_mention"] == "she"


def test_called_for_someone_to_act(nlp):
    # west-journal_2016-06-13_trump-calls-on-obama-to-resign.txt: "Trump called for the president to resign."
    text = paragraphs("west-journal_2016-06-13_trump-calls-on-obama-to-resign.txt", "Trump called for the president")
    quote, _ = holding(run(nlp, text), "the president to resign")
    assert quote["cue"].startswith("called") and "Trump" in quote["speaker"]


def test_asked_if_question_and_one_word_answer(nlp):
    # breitbart_2016-05-15_trump-talks-to-megyn-kelly-about.txt: "Asked if he was ever bullied, the Republican
    # presidential candidate said no."
    text = paragraphs("breitbart_2016-05-15_trump-talks-to-megyn-kelly-about.txt", "Asked if he was ever bullied")
    found = run(nlp, text)
    question, _ = holding(found, "he was ever bullied")
    assert question["cue"] == "Asked"
    answer, rule = holding(found, "no")
    assert rule == "indirect_answer" and answer["text"] == "no"
    assert answer["speaker_mention"] == "the Republican presidential candidate"


def test_said_with_a_gerund_clause(nlp):
    # usa-today_2016-06-27_orlando-shootings-temper-lgbt-pr.txt: "Manny Gomez said seeing so many police officers
    # at Pride was a welcome sight."
    text = paragraphs("usa-today_2016-06-27_orlando-shootings-temper-lgbt-pr.txt", "Manny Gomez said seeing")
    quote, _ = holding(run(nlp, text), "seeing so many police officers at Pride")
    assert quote["speaker"] == "Manny Gomez"


def test_opening_mark_used_as_closing_mark(nlp):
    # huff-post_2016-02-01_here-s-why-winning-iowa-could-br.txt: “The reality is, ... problems for her here,“ said
    # Jim Clyburn, ... (the quotation closes with an opening mark)
    text = paragraphs("huff-post_2016-02-01_here-s-why-winning-iowa-could-br.txt", "said Jim Clyburn")
    quote, _ = holding(run(nlp, text), "The reality is, if Mrs. Clinton loses Iowa")
    assert quote["quote_type"] == "direct" and quote["speaker"] == "Jim Clyburn"
    assert quote["text"].endswith("here,“")


def test_clause_runs_on_over_its_continuation(nlp):
    # huff-post_2016-04-22_marco-rubio-i-m-not-interested-i.txt: "He said he’ll support whomever the Republican
    # Party nominates for president, but beyond that, he doesn’t want to be involved in the 2016 race anymore."
    text = paragraphs("huff-post_2016-04-22_marco-rubio-i-m-not-interested-i.txt", "He said he’ll support whomever")
    quote, _ = holding(run(nlp, text), "he’ll support whomever")
    assert "he doesn’t want to be involved in the 2016 race anymore" in quote["text"]


def test_interview_transcript_turn(nlp, corpus):
    # breitbart_2016-07-10_ok-gov-fallin-trump-is-trying-to.txt: "FALLIN: Well, I think the whole nation needs to
    # work together, ..." (the whole article, so that the label names a person the article introduces)
    text = (corpus / TRAIN / "breitbart_2016-07-10_ok-gov-fallin-trump-is-trying-to.txt").read_text(encoding="utf-8")
    quote, rule = holding(run(nlp, text), "Well, I think the whole nation needs to work together")
    assert rule == "direct_transcript" and "Fallin" in quote["speaker"]
    assert not quote["text"].startswith("FALLIN")


def test_quoted_sentence_the_author_finishes(nlp, corpus):
    # wash-post_2016-05-09_for-outgoing-u-n-chief-climate-d*.txt: '"There have been some deniers, [but] 97 percent of
    # world scientists are in support" of the evidence behind human contributions to climate change.'
    path = next((corpus / TRAIN).glob("wash-post_2016-05-09_for-outgoing-u-n-chief-climate-d*.txt"))
    quote, rule = holding(run(nlp, path.read_text(encoding="utf-8")), "There have been some deniers")
    assert rule == "mixed_continued" and quote["quote_type"] == "mixed"
    assert quote["text"].endswith("of the evidence behind human contributions to climate change")
    assert quote["speaker"] == "Ban Ki-moon"


def test_parenthetical_cue_hung_on_an_auxiliary(nlp):
    # politico_2016-07-02_sanders-california-suppor*.txt: "Even then, he said, he’s learned enough about Hillary
    # Clinton that he’s fairly sure he can’t support her." (the parse hangs "he said" on the auxiliary "’s")
    text = paragraphs("politico_2016-07-02_sanders-california-supporters-ca.txt", "Even then, he said")
    quote, rule = holding(run(nlp, text), "learned enough about Hillary Clinton")
    assert rule == "indirect_parenthetical" and quote["text"].startswith("Even then")
    assert quote["text"].endswith("he can’t support her") and quote["speaker_mention"] == "he"


def test_contracted_has_is_not_a_passive(nlp):
    # usa-today_2016-04-26_sanders-will-back-clinto*.txt: "While he's said he'll fight all the way to the
    # convention, Sanders must decide ..." (the parse reads "'s said" as a passive)
    text = paragraphs("usa-today_2016-04-26_sanders-will-back-clinton-eventu.txt", "While he's said he'll fight")
    quote, _ = holding(run(nlp, text), "he'll fight all the way to the convention")
    assert quote["speaker_mention"] == "he"


def test_name_before_a_parenthesis_speaks(nlp):
    # politico_2016-08-08_how-newtown-gave-chris-mu*.txt: "... Sen. Chris Murphy (a Connecticut Democrat so boyish
    # he has been mistaken for a junior staffer) says he was unfocused, a bit adrift, ..."
    text = paragraphs(
        "politico_2016-08-08_how-newtown-gave-chris-murphy-a-.txt", "Sen. Chris Murphy (a Connecticut Democrat"
    )
    quote, _ = holding(run(nlp, text), "he was unfocused")
    assert quote["speaker"] == "Chris Murphy"


def test_reported_with_a_gerund(nlp):
    # nyt_2016-03-22_trump-s-success-finally-unites*.txt: "Mr. Kasich reported having $1.3 million in cash on hand at
    # the beginning of March."
    text = paragraphs("nyt_2016-03-22_trump-s-success-finally-unites-t.txt", "Mr. Kasich reported having")
    quote, _ = holding(run(nlp, text), "having $1.3 million in cash on hand")
    assert quote["cue"] == "reported" and "Kasich" in quote["speaker"]


def test_cue_clause_fenced_by_commas_reports_its_sentence(nlp):
    # huff-post_2016-02-12_the-democratic-primary-i*.txt: "Voters, Clinton suggested, don’t have to worry that big
    # banks can influence politicians like herself with huge campaign contributions."
    text = paragraphs("huff-post_2016-02-12_the-democratic-primary-is-a-figh.txt", "Voters, Clinton suggested")
    quote, rule = holding(run(nlp, text), "have to worry that big banks")
    assert rule == "indirect_parenthetical" and quote["text"].startswith("Voters")
    assert quote["text"].endswith("huge campaign contributions") and "Clinton" in quote["speaker"]
