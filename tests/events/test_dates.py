"""The date-expression table: news date phrases resolved against the article's published date.

Expressions come from real sentences (the source of each is in its comment); the expected period is what a
careful reader takes the phrase to mean on that publication date. Runs without the corpus.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from transforms.events.clause import clause_chain, date_scope
from transforms.events.dates import (
    FUTURE,
    PAST,
    ResolvedDate,
    date_mentions,
    event_date,
    looks_like_date,
    resolve_date,
)
from transforms.events.modality import modality

SEED = date(2025, 9, 4)  # corpus/seed/trump-putin-zelenskyy.txt, a Thursday
POLNEAR = date(2016, 9, 20)  # polnear/dev huff-post_2016-09-20_hillary-clinton-speaks-directly-, a Tuesday
REUTERS = date(1987, 2, 26)  # reuters21578 reut2-000, 26-FEB-1987 (a Thursday)
REUTERS_MARCH = date(1987, 3, 2)  # reuters21578 reut2-000, 2-MAR-1987 (a Monday)

D = date
TABLE = [
    # (expression, published, preference, start, end, granularity)
    # seed: "CBS News reported on Thursday" (published that Thursday)
    ("on Thursday", SEED, PAST, D(2025, 9, 4), None, "day"),
    # seed: "Trump said in a phone interview with CBS News on Wednesday"
    ("on Wednesday", SEED, PAST, D(2025, 9, 3), None, "day"),
    # seed: "Trump is expected to speak on the phone on Thursday with Zelenskyy"
    ("on Thursday", SEED, FUTURE, D(2025, 9, 4), None, "day"),
    # seed: "his Alaska summit with Putin in August failed"
    ("in August", SEED, PAST, D(2025, 8, 1), None, "month"),
    # seed: "he plans to hold talks about the war in Ukraine in coming days"
    ("in coming days", SEED, FUTURE, D(2025, 9, 5), D(2025, 9, 11), "week"),
    # seed: "Russia's full-scale military offensive against Ukraine in February 2022"
    ("in February 2022", SEED, PAST, D(2022, 2, 1), None, "month"),
    # seed: "when he took office in January"
    ("in January", SEED, PAST, D(2025, 1, 1), None, "month"),
    # polnear nyt_2016-09-19_old-hands-help-russia-navigate-u: "in an interview with The Washington Post last week"
    ("last week", D(2016, 9, 19), PAST, D(2016, 9, 12), None, "week"),
    # polnear huff-post_2016-09-20_hillary-clinton-speaks-directly-: "Tulsa police released video on Monday"
    ("on Monday", POLNEAR, PAST, D(2016, 9, 19), None, "day"),
    # polnear huff-post_2016-09-20_hillary-clinton-speaks-directly-: "of last week's shooting"
    ("last week's", POLNEAR, PAST, D(2016, 9, 12), None, "week"),
    # polnear (Sept 2016): "the Commander-in-Chief forum earlier this month"
    ("earlier this month", POLNEAR, PAST, D(2016, 9, 1), None, "month"),
    # reuters 26-FEB-1987: "after falling to 11-1/2 earlier this week"
    ("earlier this week", REUTERS, PAST, D(1987, 2, 23), None, "week"),
    # reuters 26-FEB-1987: "had already resigned for health reasons last month"
    ("last month", REUTERS, PAST, D(1987, 1, 1), None, "month"),
    # reuters 26-FEB-1987: "the two-week bank statement period ended yesterday"
    ("yesterday", REUTERS, PAST, D(1987, 2, 25), None, "day"),
    # reuters 26-FEB-1987: "at yesterday's traded level"
    ("yesterday's", REUTERS, PAST, D(1987, 2, 25), None, "day"),
    # reuters 26-FEB-1987: "an analysts' meeting Tuesday helped fuel the rumors"
    ("Tuesday", REUTERS, PAST, D(1987, 2, 24), None, "day"),
    # reuters 26-FEB-1987: "to hand over the prime minister's job next month"
    ("next month", REUTERS, FUTURE, D(1987, 3, 1), None, "month"),
    # reuters 26-FEB-1987: "is scheduled to be released in mid March"
    ("in mid March", REUTERS, FUTURE, D(1987, 3, 11), D(1987, 3, 20), "month"),
    # reuters 26-FEB-1987: "but in late March and April when demand slackens"
    ("in late March", REUTERS, FUTURE, D(1987, 3, 21), D(1987, 3, 31), "month"),
    # reuters 26-FEB-1987: "1 pct in mid-February from a month earlier"
    ("in mid-February", REUTERS, PAST, D(1987, 2, 11), D(1987, 2, 20), "month"),
    # reuters 26-FEB-1987: "a crisis last August"
    ("last August", REUTERS, PAST, D(1986, 8, 1), None, "month"),
    # reuters 2-MAR-1987: "05 mln in mid-January"
    ("in mid-January", REUTERS_MARCH, PAST, D(1987, 1, 11), D(1987, 1, 20), "month"),
    # reuters 2-MAR-1987: "Brazil's indefinite suspension of interest payments earlier this month"
    ("earlier this month", REUTERS_MARCH, PAST, D(1987, 3, 1), None, "month"),
    # PLOVER GSR AGREE record: "to lift embargoes on pharmaceutical sales in late February"
    ("in late February", D(2000, 3, 10), PAST, D(2000, 2, 21), D(2000, 2, 29), "month"),
    # PLOVER GSR AGREE record: "postpone the demonstration in Baku until 9 November"
    ("9 November", D(2000, 10, 1), FUTURE, D(2000, 11, 9), None, "day"),
    # PLOVER GSR AGREE record: "On September 29, Putin offered to negotiate"
    ("On September 29", D(1999, 10, 5), PAST, D(1999, 9, 29), None, "day"),
    # PLOVER GSR PROTEST record: "his lawyer said on Tuesday"
    ("on Tuesday", D(2000, 1, 1), PAST, D(1999, 12, 28), None, "day"),
    # PLOVER GSR THREATEN record: "for at least two years from 1 May" (the start date)
    ("1 May", D(2004, 3, 1), FUTURE, D(2004, 5, 1), None, "day"),
    # PLOVER GSR AGREE record: "a Pan Am plane in 1988"
    ("in 1988", D(1991, 11, 27), PAST, D(1988, 1, 1), None, "year"),
    # PLOVER GSR SANCTION record: "a uranium-based program in late 2002" is a year part; we keep the year
    ("in 2002", D(2003, 1, 10), PAST, D(2002, 1, 1), None, "year"),
    # seed-style headline phrasing "Wednesday's meeting" (Reuters: "Wednesday's meeting of OPEC ministers")
    ("Wednesday's meeting", SEED, PAST, D(2025, 9, 3), None, "day"),
    # reuters 1987 style ranges: "talks between March 3 and 5", "from Monday to Wednesday", "March 3-5"
    ("between March 3 and 5", REUTERS_MARCH, FUTURE, D(1987, 3, 3), D(1987, 3, 5), "day"),
    ("from Monday to Wednesday", REUTERS, PAST, D(1987, 2, 23), D(1987, 2, 25), "day"),
    ("March 3-5", REUTERS_MARCH, FUTURE, D(1987, 3, 3), D(1987, 3, 5), "day"),
    ("from 1998 to 2001", D(2003, 1, 1), PAST, D(1998, 1, 1), D(2001, 12, 31), "year"),
    # polnear nyt_2016-09-08_obama-on-climate-change-the-tren: "And this past weekend in Hangzhou, China"
    ("this past weekend", D(2016, 9, 8), PAST, D(2016, 9, 3), D(2016, 9, 4), "day"),
    # polnear politico_2016-09-15_trump-s-favorite-tv-doctor-has-a: "stumbling to a van this past weekend"
    ("this past weekend", D(2016, 9, 15), PAST, D(2016, 9, 10), D(2016, 9, 11), "day"),
    # polnear nyt_2016-10-02_a-curious-plan-to-fight-climate-: "when Patriot signaled last summer"
    ("last summer", D(2016, 10, 2), PAST, D(2016, 6, 1), D(2016, 8, 31), "month"),
    # polnear wash-post_2016-09-10_outrage-but-few-options-on-the-t: "will finish his term by the end of the year"
    ("by the end of the year", D(2016, 9, 10), FUTURE, D(2016, 10, 1), D(2016, 12, 31), "year"),
    # newsplease and PolNeAR: "two days ago", "this year", "next Tuesday", "tomorrow"
    ("two days ago", POLNEAR, PAST, D(2016, 9, 18), None, "day"),
    ("this year", POLNEAR, PAST, D(2016, 1, 1), None, "year"),
    ("next Tuesday", POLNEAR, FUTURE, D(2016, 9, 27), None, "day"),
    ("tomorrow", POLNEAR, FUTURE, D(2016, 9, 21), None, "day"),
    ("Sept. 11, 2001", POLNEAR, PAST, D(2001, 9, 11), None, "day"),
    # timeml APW19980219.0476 (19 Feb 1998): "In July last year in Phnom Penh", "In January this year, British
    # police officers ... concluded", "began to fall apart in mid-1996"
    ("In July last year", D(1998, 2, 19), PAST, D(1997, 7, 1), None, "month"),
    ("In January this year", D(1998, 2, 19), PAST, D(1998, 1, 1), None, "month"),
    ("in mid-1996", D(1998, 2, 19), PAST, D(1996, 5, 1), D(1996, 8, 31), "year"),
    # timeml WSJ910225-0066 (25 Feb 1991): "White House spokesman Marlin Fitzwater said late yesterday"
    ("late yesterday", D(1991, 2, 25), PAST, D(1991, 2, 24), None, "day"),
    # timeml CNN19980213.2130.0155: "as he arrived in Philadelphia later in the day"
    ("later in the day", D(1998, 2, 13), PAST, D(1998, 2, 13), None, "day"),
]


def score(table) -> float:
    hits = sum(
        resolve_date(text, published, prefer) == ResolvedDate(start, end, granularity)
        for text, published, prefer, start, end, granularity in table
    )
    return hits / len(table)


def test_date_table_resolves_at_least_95_percent():
    assert score(TABLE) >= 0.95


@pytest.mark.parametrize(
    "text,published,prefer,start,end,granularity", TABLE, ids=[f"{row[0]}@{row[1]}" for row in TABLE]
)
def test_each_expression(text, published, prefer, start, end, granularity):
    resolved = resolve_date(text, published, prefer)
    assert (resolved.start, resolved.end, resolved.granularity) == (start, end, granularity)


def test_without_a_published_date_nothing_resolves():
    resolved = resolve_date("on Thursday", None)
    assert resolved.start is None and resolved.granularity == "unresolved"


def test_published_datetime_is_accepted():
    published = datetime(2025, 9, 4, 23, 30, tzinfo=UTC)
    assert resolve_date("yesterday", published).start == date(2025, 9, 3)


@pytest.mark.parametrize("duration", ["two years", "six months", "18-month", "several weeks", "48-hour"])
def test_durations_are_not_dates(duration):
    # PLOVER GSR records: "in prison for two years", "imposed six months ago", "a 48-hour search"
    assert not looks_like_date(duration)


def test_a_period_before_the_calendar_is_no_date():
    # GUM_voyage_vavau (Wikivoyage): "settled some 3,000 years ago"; it crashed the document's extraction
    assert resolve_date("3000 years ago", date(2000, 6, 15)) == resolve_date("", date(2000, 6, 15))
    assert not looks_like_date("3000 years ago")


# --- which events a date governs, on TimeBank sentences (../shared/corpus/timeml, first half of the documents) ----

SEED_PLANS = (
    "Trump on Wednesday said he plans to hold talks about the war in Ukraine in coming days after his Alaska summit "
    "with Putin in August failed to achieve a breakthrough."
)
ATTACHMENTS = [
    # (sentence, event word, published, expected (start, end, granularity) or None)
    # APW19980301.0720: a time dates the verbs coordinated with the one it modifies
    (
        "Last week, Hezbollah fighters killed three Israeli soldiers and seriously wounded six others.",
        "wounded",
        date(1998, 3, 1),
        (date(1998, 2, 16), None, "week"),
    ),
    # APW19980322.0749: the parser hangs "Sunday" on the object's noun; it is the seizing's time
    (
        "Police seized a car bomb under construction Sunday in a town bordering Northern Ireland.",
        "seized",
        date(1998, 3, 22),
        (date(1998, 3, 22), None, "day"),
    ),
    # VOA19980501.1800.0355 (a Friday): a present tense with a bare weekday looks forward
    (
        "He and Palestinian leader Yasser Arafat meet separately Monday with US Secretary of State Madeleine Albright.",
        "meet",
        date(1998, 5, 1),
        (date(1998, 5, 4), None, "day"),
    ),
    # AP900815-0044: a date between the subject and its verb is the verb's
    (
        "The U.N. Security Council on Aug. 6 ordered a global embargo on trade with Iraq as punishment for seizing "
        "Kuwait.",
        "ordered",
        date(1990, 8, 15),
        (date(1990, 8, 6), None, "day"),
    ),
    # WSJ900813-0157: a "when" clause shares its main clause's time
    (
        "President Bush implied as much yesterday when reporters asked whether the interdiction would apply to food.",
        "asked",
        date(1990, 8, 13),
        (date(1990, 8, 12), None, "day"),
    ),
    # CNN19980213.2130.0155: a relative time the model does not tag
    (
        "One contrary view of the issue presented itself to the president as he arrived in Philadelphia later in "
        "the day.",
        "arrived",
        date(1998, 2, 13),
        (date(1998, 2, 13), None, "day"),
    ),
    # APW19980213.1310: the time of a verb's complement dates the verb
    (
        "Treasurer Peter Costello, Environment Minister Robert Hill and Attorney General Daryl Williams all voted "
        "to support the republic Friday.",
        "voted",
        date(1998, 2, 13),
        (date(1998, 2, 13), None, "day"),
    ),
    # seed article: the complement of an intention keeps its time; the plan is not held in coming days
    (SEED_PLANS, "hold", SEED, (date(2025, 9, 5), date(2025, 9, 11), "week")),
    (SEED_PLANS, "plans", SEED, None),
    # APW19980227.0494: a relative clause keeps its own time
    (
        "The two presidents on Friday signed the plan, which calls for cooperation in the metallurgy, fuel, energy, "
        "aircraft building, missile, space and chemical industries.",
        "calls",
        date(1998, 2, 27),
        None,
    ),
    # reuters 3-MAR-1987 (reut2-001, NEWID 1207): a span keeps both ends and its granularity
    (
        "The ICO executive board will meet from March 30 to April 1\nbut the full council is not due to meet again "
        "until September.",
        "meet",
        date(1987, 3, 3),
        (date(1987, 3, 30), date(1987, 4, 1), "day"),
    ),
    # issue 16: "paid tribute Tuesday to the victims of the bombing" dates the tribute, not the bombing
    ("He paid tribute Tuesday to the victims of the bombing.", "bombing", date(1998, 3, 1), None),
    (
        "He paid tribute Tuesday to the victims of the bombing.",
        "paid",
        date(1998, 3, 1),
        (date(1998, 2, 24), None, "day"),
    ),
]


def date_of(nlp, sentence: str, word: str, published: date) -> ResolvedDate | None:
    """The date the events code gives the event at `word`, as rows.event_row reads it."""
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == word)
    chain = clause_chain(token)
    mentions = date_mentions(doc, doc.text, doc.ents)
    return event_date(date_scope(chain), mentions, published, modality(chain).future)[1]


@pytest.mark.parametrize("sentence,word,published,expected", ATTACHMENTS, ids=[row[1] for row in ATTACHMENTS])
def test_a_date_dates_the_events_it_governs(nlp, sentence, word, published, expected):
    resolved = date_of(nlp, sentence, word, published)
    assert (resolved and (resolved.start, resolved.end, resolved.granularity)) == expected
