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
    NEAREST,
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
WSJ = date(1989, 11, 2)  # timeml wsj_0068 ... wsj_0189, the Wall Street Journal of Thursday 2 Nov 1989

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
    # Quarters, halves and fiscal periods, as timeml's WSJ earnings reports of 2 Nov 1989 name them (a quarter is
    # its three months at month granularity): wsj_0167 "had a loss ... in the third quarter", wsj_0068 "its
    # third-quarter loss", wsj_0161 "expects to report a third-quarter net loss", wsj_0144 "in the 1988 second
    # quarter", wsj_0068 "the year-ago quarter", wsj_0132 "in the latest quarter", wsj_0135 "In fiscal 1989" and
    # "in the current fiscal year", wsj_0189 "For the year ended Sept. 30", wsj_0127 "the six months ended Oct. 1"
    ("in the third quarter", WSJ, PAST, D(1989, 7, 1), D(1989, 9, 30), "month"),
    ("third-quarter", WSJ, PAST, D(1989, 7, 1), D(1989, 9, 30), "month"),
    ("third-quarter", WSJ, FUTURE, D(1989, 7, 1), D(1989, 9, 30), "month"),
    ("in the 1988 second quarter", WSJ, PAST, D(1988, 4, 1), D(1988, 6, 30), "month"),
    ("the year-ago quarter", WSJ, PAST, D(1988, 7, 1), D(1988, 9, 30), "month"),
    ("in the latest quarter", WSJ, PAST, D(1989, 7, 1), D(1989, 9, 30), "month"),
    ("In fiscal 1989", WSJ, PAST, D(1989, 1, 1), None, "year"),
    ("in the current fiscal year", WSJ, FUTURE, D(1989, 1, 1), None, "year"),
    ("the year ended Sept. 30", WSJ, PAST, D(1989, 1, 1), None, "year"),
    ("the six months ended Oct. 1", WSJ, PAST, D(1989, 4, 2), D(1989, 10, 1), "month"),
    # timeml NYT19980206.0460: "after averaging 242,000 for the first nine months of 1997"
    ("the first nine months of 1997", D(1998, 2, 6), PAST, D(1997, 1, 1), D(1997, 9, 30), "month"),
    # timeml wsj_1014 (26 Oct 1989) style: "the second half of 1989"
    ("the second half of 1989", D(1989, 10, 26), PAST, D(1989, 7, 1), D(1989, 12, 31), "month"),
    # Years and decades in words (broadcast transcripts): timeml PRI19980115.2000.0186 "In nineteen ninety-one
    # Charles Keating was convicted", CNN19980223.1130.0960 "in the winter of nineteen ninety-four",
    # VOA19980303.1600.2745 "hate group numbers dropping through the nineties"
    ("In nineteen ninety-one", D(1998, 1, 15), PAST, D(1991, 1, 1), None, "year"),
    ("in the winter of nineteen ninety-four", D(1998, 2, 23), PAST, D(1994, 12, 1), D(1995, 2, 28), "month"),
    ("through the nineties", D(1998, 3, 3), PAST, D(1990, 1, 1), D(1999, 12, 31), "year"),
    # timeml APW19980301.0720 (1 March 1998): "helicopters crashed last February" (February 1997: the month just
    # past would be "last month")
    ("last February", D(1998, 3, 1), PAST, D(1997, 2, 1), None, "month"),
    # timeml NYT19980424.0421 (24 April 1998): "said in an editorial on Saturday, April 25" (the weekday fixes it)
    ("on Saturday, April 25", D(1998, 4, 24), PAST, D(1998, 4, 25), None, "day"),
    # timeml wsj_0073 (Thursday 2 Nov 1989): "will begin mailing materials ... at the end of this week"
    ("at the end of this week", WSJ, FUTURE, D(1989, 11, 3), D(1989, 11, 5), "week"),
    # A month read from an event without tense is the nearest one: timeml AP900816-0139 (16 Aug 1990) "a 15-20
    # percent cutback in its oil supply in September", wsj_0172 "an agreement to acquire ... in January"
    ("in September", D(1990, 8, 16), NEAREST, D(1990, 9, 1), None, "month"),
    ("in January", WSJ, NEAREST, D(1990, 1, 1), None, "month"),
    # Hedges: timeml CNN19980227.2130.0067 "And just last month", WSJ910225-0066 "a week or so ago"
    ("just last month", D(1998, 2, 27), PAST, D(1998, 1, 1), None, "month"),
    ("a week or so ago", D(1991, 2, 25), PAST, D(1991, 2, 18), None, "week"),
    # Reuters TIME expressions and clock times: reut2-015 (9-APR-1987) "Conable met last night with Brazilian
    # officials", reut2-009 (24-MAR-1987) "will hold a news conference at noon est Wednesday"
    ("last night", D(1987, 4, 9), PAST, D(1987, 4, 8), None, "day"),
    ("at noon est Wednesday", D(1987, 3, 24), FUTURE, D(1987, 3, 25), None, "day"),
    # reut2-011 (1-APR-1987): "at a news conference by chairman Rune Andersson at 1030 gmt today"
    ("at 1030 gmt today", D(1987, 4, 1), FUTURE, D(1987, 4, 1), None, "day"),
    # reut2-002 (19-OCT-1987): "the board at an October 16 meeting decided to defer": a day a year ahead would
    # carry its year
    ("October 16", D(1987, 10, 19), FUTURE, D(1987, 10, 16), None, "day"),
    # reut2-005 (Sunday 15-MAR-1987): "Ivorian delegates would be present at talks ... starting this week"
    ("this week", D(1987, 3, 15), FUTURE, D(1987, 3, 16), None, "week"),
    # reut2-005 (15-MAR-1987): "scheduled to be held in ... Yamoussoukro between March 19-22"
    ("between March 19-22", D(1987, 3, 15), FUTURE, D(1987, 3, 19), D(1987, 3, 22), "day"),
]


@pytest.mark.parametrize(
    "text,published,prefer,start,end,granularity", TABLE, ids=[f"{row[0]}@{row[1]}" for row in TABLE]
)
def test_each_expression(text, published, prefer, start, end, granularity):
    resolved = resolve_date(text, published, prefer)
    assert (resolved.start, resolved.end, resolved.granularity) == (start, end, granularity)


NO_DATE = [
    # (phrase, published): phrases that name no period we can read
    ("on Thursday", None),  # no published date to read it from
    # PLOVER GSR records: "in prison for two years", "imposed six months ago", "a 48-hour search": durations
    ("two years", SEED),
    ("six months", SEED),
    ("18-month", SEED),
    ("several weeks", SEED),
    ("48-hour", SEED),
    # GUM_voyage_vavau (Wikivoyage): "settled some 3,000 years ago", before the calendar; it crashed extraction
    ("3000 years ago", D(2000, 6, 15)),
    # timeml wsj_0160: "had a loss of $5.5 million for the quarter": a quarter named earlier in the story
    ("for the quarter", WSJ),
]


@pytest.mark.parametrize("text,published", NO_DATE, ids=[row[0] for row in NO_DATE])
def test_phrases_that_name_no_period(text, published):
    assert resolve_date(text, published) == ResolvedDate(None, None, "unresolved")
    assert published is None or not looks_like_date(text)


def test_published_datetime_is_accepted():
    published = datetime(2025, 9, 4, 23, 30, tzinfo=UTC)
    assert resolve_date("yesterday", published).start == date(2025, 9, 3)


# --- which events a date governs, on TimeBank sentences (../shared/corpus/timeml, first half of the documents) ----

REUTERS_APRIL_MET = (
    'Conable met last night with Brazilian officials and told reporters, "We agreed to send a mission to Brazil next '
    'week to explore further the state of progress and to get clarifications."'
)
SEED_PLANS = (
    "Trump on Wednesday said he plans to hold talks about the war in Ukraine in coming days after his Alaska summit "
    "with Putin in August failed to achieve a breakthrough."
)
ATTACHMENTS = [
    # (sentence, event word, published, expected (start, end, granularity) or None)
    # polnear train (2016): a time placed from the last date before it is read from that date
    (
        "On March 2, 2015, the New York Times revealed that Clinton used a personal email account as secretary of "
        "state, and the following day, the Benghazi committee requested documents related to it be preserved.",
        "requested",
        date(2016, 9, 1),
        (date(2015, 3, 3), None, "day"),
    ),
    # reuters21578 reut2-006, 17-MAR-1987: counted from "October 1985", a month sixteen months on
    (
        "The kwacha stood at 2.2 per dollar when the auction system was first introduced in October 1985, but it slid "
        "to around 15 per dollar by the time it was suspended 16 months later.",
        "suspended",
        date(1987, 3, 17),
        (date(1987, 2, 1), None, "month"),
    ),
    # timeml wsj_0918: "a year earlier" after an amount dates the figure compared with, not the soaring
    (
        "Leading the gains for Du Pont in the latest quarter was its industrial products segment, where profit "
        "soared to $155 million from $99 million a year earlier.",
        "soared",
        WSJ,
        None,
    ),
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
    # APW19980301.0720: a "when" clause on a time happens then
    (
        "Since 1985 _ when the Israelis created a security buffer zone southern Lebanon _",
        "created",
        date(1998, 3, 1),
        (date(1985, 1, 1), None, "year"),
    ),
    # PRI19980205.2000.1998 and wsj_0122: a scheduling modifier sets its event noun's time, forward
    (
        "With the general election due this September, record figures couldn't have come at a worst time for "
        "Chancellor Kohl.",
        "election",
        date(1998, 2, 5),
        (date(1998, 9, 1), None, "month"),
    ),
    (
        "Under terms of the agreement, shareholders other than the Underwoods will receive $3,500 a share at "
        "closing, which is expected in December.",
        "closing",
        WSJ,
        (date(1989, 12, 1), None, "month"),
    ),
    # wsj_0132: an amount only measures the event it is "of"
    (
        "The 32% state-owned DSM had eight million guilders of extraordinary charges in the latest quarter, mainly "
        "to reflect one-time losses in connection with the disposal of some operations.",
        "charges",
        WSJ,
        (date(1989, 7, 1), date(1989, 9, 30), "month"),
    ),
    # PRI19980115.2000.0186: the preposition says where the time hangs when the parser hangs the year elsewhere
    (
        "In nineteen ninety-one Charles Keating was convicted in state court of helping to defraud thousands of "
        "investors.",
        "convicted",
        date(1998, 1, 15),
        (date(1991, 1, 1), None, "year"),
    ),
    # APW19980213.1310: a time before a clause's conjunction is not that clause's ("next year after ... voted")
    (
        "Prime Minister John Howard, a monarchist himself, promised to put the question to a national referendum "
        "next year after convention delegates voted 89-52 for a republic, with 11 abstentions.",
        "referendum",
        date(1998, 2, 13),
        (date(1999, 1, 1), None, "year"),
    ),
    # reuters 9-APR-1987 (reut2-015): a TIME expression dates its verb; a past event takes no later time from its
    # complement ("agreed to send a mission next week")
    (REUTERS_APRIL_MET, "met", date(1987, 4, 9), (date(1987, 4, 8), None, "day")),
    (REUTERS_APRIL_MET, "agreed", date(1987, 4, 9), None),
    # reuters 19-OCT-1987 (reut2-006): the arranging, not the meeting, was last week
    ("The meeting had been arranged last week, the spokesman said.", "meeting", date(1987, 10, 19), None),
    # reuters 9-APR-1987 (reut2-015): a relative clause that stages an event noun gives its time
    (
        "Funaro, who spoke today to the International Monetary Fund's interim committee, was referring to talks he "
        "began Tuesday with creditor banks in New York.",
        "talks",
        date(1987, 4, 9),
        (date(1987, 4, 7), None, "day"),
    ),
    # reuters 6-MAR-1987 (reut2-010): coordinated verbs of another tense tell another time
    (
        "The Navy last month grounded half of its A-6E attack jets for wing inspections after a California "
        "accident but has since returned half of the grounded planes to service, a Navy spokesman said.",
        "returned",
        date(1987, 3, 6),
        None,
    ),
    # reuters 19-MAR-1987 (reut2-007): a date on a past governor is read back ("decided Tuesday to withdraw")
    (
        "Brodsky told the Futures Industry Association that the exchange's board decided Tuesday to withdraw the "
        "proposal, which aimed to quell price volatility in the popular contract.",
        "withdraw",
        date(1987, 3, 19),
        (date(1987, 3, 17), None, "day"),
    ),
    # reuters 23-APR-1987 (reut2-017): a purpose infinitive shares its verb's time
    (
        "He also told reporters that many major nations yesterday intervened heavily to support the dollar against "
        "the yen.",
        "support",
        date(1987, 4, 23),
        (date(1987, 4, 22), None, "day"),
    ),
    # reuters 2-APR-1987 (reut2-012): the subject of a verb of expectation takes its complement's time
    (
        "Fresh talks are expected to be held early next week but the actual date has not yet been fixed, he added.",
        "talks",
        date(1987, 4, 2),
        (date(1987, 4, 6), None, "week"),
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
