"""Dates of events: the date expressions of news text ("on Thursday", "in August", "last week", "late February
2022"), the trigger each one attaches to, and the period it names read from an article's published date.

`resolve_date` returns the period an expression names: its first day, its last day when the expression is a range
or part of a period ("late February", "in coming days"), and a granularity (day, week, month, year, unresolved).
Our own rules handle the relative and partial forms newswire uses (quarters, halves and fiscal periods among
them, and years, decades and days written as words); dateparser is the fallback for the rest.
`date_mentions` finds the expressions in a Doc (DATE and TIME entities) and the words they modify; `event_date`
picks the one nearest a trigger in its date scope (clause.date_scope) and reads it forward when the tense or a
schedule points ahead, back for a past tense, and to the nearest side when nothing gives the event a tense.
A time placed from another ("the following day", "two days later", "a year earlier") is read from the last
readable date in its sentence or the two before, as a narrative moves its time (TimeML's anaphoric times;
HeidelTime reads them so in narratives); after an amount or "from"/"than" it dates the figure compared with, and
placed from an event ("the day before the vote") or with no date in reach it leaves its event undated.
May import: spaCy, dateparser, transforms.nlp and events.plover (the lexicon's future words).
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateparser.date import DateDataParser
from spacy.tokens import Doc, Span, Token

from transforms.events.plover import lexicon
from transforms.nlp import docfacts
from transforms.nlp.docfacts import children

# The side of the published date a time is read on. NEAREST is for an event the grammar gives no tense (an event
# noun, an infinitive): "a cutback in September" written in August is next month's, not last year's.
PAST, FUTURE, NEAREST = "past", "future", "nearest"

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
UNITS = {
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "year": "year",
    "years": "year",
}
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "several": 3,
    "few": 3,
    "a few": 3,
}
# Parts of a month: "early/mid/late February" name days 1-10, 11-20 and 21-end.
MONTH_PARTS = {
    "early": (1, 10),
    "beginning of": (1, 10),
    "start of": (1, 10),
    "mid": (11, 20),
    "middle of": (11, 20),
    "late": (21, 31),
    "end of": (21, 31),
}

MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
WEEKDAY_RE = "|".join(WEEKDAYS)
PART_RE = "|".join(sorted(MONTH_PARTS, key=len, reverse=True))
LEADING_WORDS = re.compile(r"^(?:on|in|at|during|since|from|by|of|over|until|through|throughout|the|its|their|our)\s+")
# "Wednesday's meeting" names Wednesday; "the day's talks" is not a date.
POSSESSIVE_TAIL = re.compile(r"['’]s\b.*$")
# "two years", "18-month", "several weeks" are durations, which dateparser would read as "... ago".
DURATION = re.compile(
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|a few|many|\w+-?)"
    r"[\s-]+(?:\w+\s+)?(?:hours?|days?|weeks?|months?|years?|decades?)(?:\s+long)?"
)
# dateparser is only worth asking (at ~10 ms a call) about a phrase with a calendar word or a numeric date in it.
DATE_ANCHOR = re.compile(rf"\b(?:{MONTH_RE}|{WEEKDAY_RE})\b|\d{{1,4}}[/.-]\d{{1,2}}|\bago\b")
# "Tuesday night" is Tuesday; "last night" and "this morning" are relative_day's.
DAY_PARTS = re.compile(r"(?<!last)(?<!this)\s+(?:morning|afternoon|evening|night|noon)$")
# A clock time before the day it is on: "10 a.m. Wednesday", "noon EST Tuesday", the wires' "1030 gmt today".
CLOCK_TIME = re.compile(
    r"^(?:at\s+)?(?:\d{1,2}(?:[:.]\d\d)?\s*[ap]\.?m\.?|noon|midnight|\d{4}(?=\s+(?:gmt|est|edt|bst|cet|local time)))"
    r"(?:\s+(?:est|edt|gmt|bst|cet|local time))?,?\s+"
)
WHITESPACE = re.compile(r"\s+")
# Hedges that leave the time they modify: "nearly four years ago", "a week or so ago", "just last month".
APPROXIMATION = re.compile(r"^(?:nearly|almost|about|roughly|around|approximately|some|just)\s+|\s+or\s+so\b")
FISCAL = re.compile(r"\bfiscal[\s-]+")
QUARTER_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
HALF_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "last": 2, "latter": 2}
PERIOD_ORDINAL_RE = "|".join(sorted(QUARTER_ORDINALS.keys() | HALF_ORDINALS.keys(), key=len, reverse=True))
POSSESSIVE_PART = re.compile(rf"^(.+?)'s\s+((?:(?:{PERIOD_ORDINAL_RE})[\s-]+)?(?:quarter|half))$")

# Numbers written as words, for years ("nineteen ninety-six", "two thousand"), decades ("the nineties") and days
# of the month ("March eighth").
UNIT_WORDS = {w: n for n, w in enumerate("one two three four five six seven eight nine".split(), start=1)}
TEEN_WORDS = {
    w: n
    for n, w in enumerate(
        "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split(), start=10
    )
}
TENS_WORDS = {w: n for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
DECADE_WORDS = {
    w: n for n, w in enumerate("twenties thirties forties fifties sixties seventies eighties nineties".split(), start=2)
}
CENTURY_WORDS = {"eighteen": 18, "nineteen": 19, "twenty": 20}
ORDINAL_UNITS = "first second third fourth fifth sixth seventh eighth ninth".split()
ORDINAL_DAYS = {w: n for n, w in enumerate(ORDINAL_UNITS, start=1)}
ORDINAL_DAYS.update(
    {
        w: n
        for n, w in enumerate(
            "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth "
            "twentieth".split(),
            start=10,
        )
    }
)
ORDINAL_DAYS.update({f"twenty{sep}{w}": 20 + n for n, w in enumerate(ORDINAL_UNITS, start=1) for sep in "- "})
ORDINAL_DAYS.update({"thirtieth": 30, "thirty-first": 31, "thirty first": 31})


def word_alternatives(*words) -> str:
    return "|".join(sorted((w for group in words for w in group), key=len, reverse=True))


TWO_DIGIT_WORDS_RE = rf"(?:{word_alternatives(TEEN_WORDS)}|(?:{word_alternatives(TENS_WORDS)})(?:[\s-]+(?:{word_alternatives(UNIT_WORDS)}))?)"
SPELLED_YEAR = re.compile(
    rf"\b({word_alternatives(CENTURY_WORDS)})[\s-]+(hundred|oh[\s-]+(?:{word_alternatives(UNIT_WORDS)})|{TWO_DIGIT_WORDS_RE})\b"
)
TWO_THOUSAND = re.compile(rf"\btwo thousand(?:\s+(?:and\s+)?({TWO_DIGIT_WORDS_RE}|{word_alternatives(UNIT_WORDS)}))?\b")
SPELLED_DECADE = re.compile(rf"\b(?:({word_alternatives(CENTURY_WORDS)})\s+)?({word_alternatives(DECADE_WORDS)})\b")
ORDINAL_RE = word_alternatives(ORDINAL_DAYS)
MONTH_ORDINAL = re.compile(rf"\b({MONTH_RE})\.?\s+(?:the\s+)?({ORDINAL_RE})\b")
ORDINAL_OF_MONTH = re.compile(rf"\b(?:the\s+)?({ORDINAL_RE})\s+of\s+({MONTH_RE})\b")
SPELLED_NUMBER_WORD = re.compile(
    rf"\b(?:{word_alternatives(CENTURY_WORDS, DECADE_WORDS, ORDINAL_DAYS, ('thousand',))})\b"
)


@dataclass(frozen=True)
class ResolvedDate:
    start: date | None
    end: date | None
    granularity: str

    @property
    def resolved(self) -> bool:
        return self.start is not None


UNRESOLVED = ResolvedDate(None, None, "unresolved")


def resolve_date(text: str, published_at: date | datetime | None, prefer: str = PAST) -> ResolvedDate:
    """The period `text` names, read from `published_at`; unresolved without a published date or a match."""
    if published_at is None or not text:
        return UNRESOLVED
    reference = day_of(published_at)
    phrase = normalise(text)
    try:
        for rule in RULES:
            result = rule(phrase, reference, prefer)
            if result is not None:
                return result
    except (ValueError, OverflowError):  # a period Python's calendar cannot hold ("3,000 years ago"): no date
        return UNRESOLVED
    return parse_with_dateparser(phrase, reference, prefer)


@functools.lru_cache(maxsize=4096)
def looks_like_date(text: str) -> bool:
    """Whether `text` names a point or period in time (not a duration such as "two years")."""
    return resolve_date(text, date(2000, 6, 15)).resolved


def normalise(text: str) -> str:
    phrase = WHITESPACE.sub(" ", text.lower().replace("’", "'")).strip(" ,.;")
    phrase = spelled_numbers(APPROXIMATION.sub("", phrase))
    # "this year's third quarter" names a part of this year; "Wednesday's meeting" names Wednesday.
    phrase = POSSESSIVE_PART.sub(r"\2 of \1", phrase)
    phrase = POSSESSIVE_TAIL.sub("", phrase).replace("this past ", "last ")
    # A fiscal period is named like the calendar one it is reported as ("fiscal 1989", "the fiscal first quarter").
    phrase = FISCAL.sub("", phrase).replace("year-end", "end of the year")
    previous = None
    while previous != phrase:
        previous, phrase = phrase, CLOCK_TIME.sub("", LEADING_WORDS.sub("", phrase))
    return DAY_PARTS.sub("", phrase)


def spelled_numbers(phrase: str) -> str:
    """Years, decades and days of the month written as words, as broadcast transcripts write them: "nineteen
    ninety-six" -> 1996, "the nineties" -> the 90s, "March eighth" -> March 8."""
    if not SPELLED_NUMBER_WORD.search(phrase):
        return phrase
    phrase = SPELLED_YEAR.sub(lambda m: str(century_year(m.group(1), m.group(2))), phrase)
    phrase = TWO_THOUSAND.sub(lambda m: str(2000 + (two_digit_value(m.group(1)) if m.group(1) else 0)), phrase)
    phrase = SPELLED_DECADE.sub(lambda m: f"{CENTURY_WORDS.get(m.group(1), '')}{DECADE_WORDS[m.group(2)]}0s", phrase)
    phrase = MONTH_ORDINAL.sub(lambda m: f"{m.group(1)} {ORDINAL_DAYS[m.group(2)]}", phrase)
    return ORDINAL_OF_MONTH.sub(lambda m: f"{ORDINAL_DAYS[m.group(1)]} {m.group(2)}", phrase)


def century_year(century: str, rest: str) -> int:
    hundreds = CENTURY_WORDS[century] * 100
    if rest == "hundred":
        return hundreds
    return hundreds + two_digit_value(rest.removeprefix("oh").strip(" -"))


def two_digit_value(words: str) -> int:
    tens, _, unit = words.replace("-", " ").partition(" ")
    if tens in TEEN_WORDS:
        return TEEN_WORDS[tens]
    if tens in UNIT_WORDS:
        return UNIT_WORDS[tens]
    return TENS_WORDS[tens] * 10 + (UNIT_WORDS[unit] if unit else 0)


# --- rules: each takes (phrase, reference, prefer) and returns a ResolvedDate or None ---------------------------


# "late yesterday", "earlier today": a part of the day is still that day.
DAY_MODIFIER = re.compile(r"^(?:early|earlier|late|later)\s+")


def relative_day(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    offsets = {
        "in the day": 0,
        "today": 0,
        "tonight": 0,
        "this morning": 0,
        "this afternoon": 0,
        "this evening": 0,
        "yesterday": -1,
        "last night": -1,
        "tomorrow": 1,
        "day before yesterday": -2,
        "day after tomorrow": 2,
    }
    offset = offsets.get(DAY_MODIFIER.sub("", phrase))
    return None if offset is None else day(reference + timedelta(days=offset))


WEEKDAY_PHRASE = re.compile(
    rf"(?:(?:early|earlier|late|later)\s+)?(last|this coming|this|next|coming|previous)?\s*({WEEKDAY_RE})"
)


def weekday(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    match = WEEKDAY_PHRASE.fullmatch(phrase)
    if not match:
        return None
    modifier, name = match.groups()
    delta = (WEEKDAYS[name] - reference.weekday()) % 7
    back = (reference.weekday() - WEEKDAYS[name]) % 7
    ahead = modifier is None and (prefer == FUTURE or prefer == NEAREST and delta < back)
    if modifier in ("next", "coming", "this coming") or ahead:
        return day(reference + timedelta(days=delta or (7 if modifier else 0)))
    if modifier in ("last", "previous"):
        back = back or 7
    return day(reference - timedelta(days=back))


WEEKDAY_AND_DATE_PHRASE = re.compile(rf"(?:{WEEKDAY_PHRASE.pattern}),?\s+(.*\d.*)")


def weekday_and_date(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    """'Saturday, April 25': of the readings of the date on either side, the one that falls on that weekday."""
    match = WEEKDAY_AND_DATE_PHRASE.fullmatch(phrase)
    if not match:
        return None
    readings = [resolve_date(match.group(3), reference, side) for side in (prefer, PAST, FUTURE)]
    days = [r for r in readings if r.granularity == "day" and r.end is None]
    if not days:
        return None
    return next((d for d in days if d.start.weekday() == WEEKDAYS[match.group(2)]), days[0])


WEEKEND_PHRASE = re.compile(r"(last|this|next|coming|past)?\s*weekend")


def weekend(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    """'(this/last/next) weekend': Saturday to Sunday, the nearest one on the preferred side."""
    match = WEEKEND_PHRASE.fullmatch(phrase)
    if not match:
        return None
    modifier = match.group(1)
    saturday = reference - timedelta(days=(reference.weekday() - 5) % 7)
    if modifier in ("next", "coming") or (modifier is None and prefer == FUTURE):
        saturday = saturday if reference.weekday() >= 5 and modifier is None else saturday + timedelta(weeks=1)
    return ResolvedDate(saturday, saturday + timedelta(days=1), "day")


DECADE_PHRASE = re.compile(r"(early|mid|late)?[\s-]*'?((?:1[89]|20)?\d)0s")


def decade(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    """'the 1990s', 'the mid-1970s': a span of years."""
    match = DECADE_PHRASE.fullmatch(phrase)
    if not match:
        return None
    part, stem = match.groups()
    first, last = {"early": (0, 3), "mid": (3, 6), "late": (6, 9), None: (0, 9)}[part]
    start_year = int(stem) * 10
    if len(stem) == 1:  # "the nineties": the latest such decade begun by the reference or about to begin
        start_year += reference.year // 100 * 100
        start_year -= 100 if start_year > reference.year + 2 else 0
    return ResolvedDate(date(start_year + first, 1, 1), date(start_year + last, 12, 31), "year")


RELATIVE_PERIOD_PHRASE = re.compile(
    r"(?:(earlier|later|early|late)\s+)?(last|past|previous|this|current|next|coming)\s+(week|month|year)"
)


def relative_period(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    """last/this/next week|month|year, and earlier/later this month."""
    match = RELATIVE_PERIOD_PHRASE.fullmatch(phrase)
    if not match:
        return None
    _, which, unit = match.groups()
    step = RELATIVE_STEPS[which]
    # Written on a Sunday, the last day of its week, "talks starting this week" are in the week from tomorrow.
    if unit == "week" and step == 0 and prefer == FUTURE and reference.weekday() == 6:
        step = 1
    return period(unit, reference, step)


COMING_OR_RECENT_PHRASE = re.compile(
    r"(?:the\s+)?(coming|next|recent|past|last)\s+(?:few\s+|several\s+)?(days|weeks|months)"
)


def coming_or_recent(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    """'in (the) coming days', 'in recent weeks', 'the next few days': a window after or before the reference."""
    match = COMING_OR_RECENT_PHRASE.fullmatch(phrase)
    if not match:
        return None
    direction, unit = match.groups()
    span_days = {"days": 7, "weeks": 30, "months": 365}[unit]
    granularity = {"days": "week", "weeks": "month", "months": "year"}[unit]
    if direction in ("coming", "next"):
        return ResolvedDate(reference + timedelta(days=1), reference + timedelta(days=span_days), granularity)
    return ResolvedDate(reference - timedelta(days=span_days), reference - timedelta(days=1), granularity)


AGO_PHRASE = re.compile(r"(\d+|a few|[a-z]+)\s+(days?|weeks?|months?|years?)\s+ago")


def ago(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    match = AGO_PHRASE.fullmatch(phrase)
    if not match or (match.group(1) not in NUMBER_WORDS and not match.group(1).isdigit()):
        return None
    count = int(match.group(1)) if match.group(1).isdigit() else NUMBER_WORDS[match.group(1)]
    unit = UNITS[match.group(2)]
    if unit == "day":
        return day(reference - timedelta(days=count))
    if unit == "week":
        return ResolvedDate(monday(reference - timedelta(weeks=count)), None, "week")
    if unit == "month":
        return period("month", reference, -count)
    return ResolvedDate(date(reference.year - count, 1, 1), None, "year")


PART_OF_MONTH_PHRASE = re.compile(rf"({PART_RE})[\s-]*(?:of\s+)?({MONTH_RE})\.?(?:,?\s+(\d{{4}}))?")


def part_of_month(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    match = PART_OF_MONTH_PHRASE.fullmatch(phrase)
    if not match:
        return None
    part, month_name, year = match.groups()
    month = MONTHS[month_name]
    year = int(year) if year else year_for(month, None, reference, prefer)
    first, last = MONTH_PARTS[part]
    last = min(last, calendar.monthrange(year, month)[1]) if last == 31 else last
    return ResolvedDate(date(year, month, first), date(year, month, last), "month")


PART_OF_YEAR_PHRASE = re.compile(r"(early|mid|late)[\s-]*((?:19|20)\d\d)")


def part_of_year(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    """'mid-1996', 'late 2002': the third of the year it names, at year granularity."""
    match = PART_OF_YEAR_PHRASE.fullmatch(phrase)
    if not match:
        return None
    part, year = match.group(1), int(match.group(2))
    first, last = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[part]
    return ResolvedDate(date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1]), "year")


CALENDAR_PHRASES = tuple(
    (re.compile(pattern), fields)
    for pattern, fields in (
        (rf"({MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?", ("month", "day", "year")),
        (rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_RE})\.?(?:,?\s+(\d{{4}}))?", ("day", "month", "year")),
        (rf"({MONTH_RE})\.?,?\s+(?:of\s+)?(\d{{4}})", ("month", "year")),
        (rf"({MONTH_RE})\.?", ("month",)),
        # "the 1988 period": the part of 1988 a report compares with, read as the year
        (r"(?:the\s+year\s+)?((?:19|20)\d\d)(?:\s+period)?", ("year",)),
        (r"(\d{4})-(\d\d)-(\d\d)", ("year", "month", "day")),
    )
)


def month_day_year(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    """'February 2022', 'August', 'June 30', '30 June 2021', 'Sept. 19, 2001', '2022'."""
    for pattern, fields in CALENDAR_PHRASES:
        match = pattern.fullmatch(phrase)
        if match:
            parts = dict(zip(fields, match.groups()))
            return calendar_date(parts, reference, prefer)
    return None


PART_OF_PERIOD_PHRASE = re.compile(
    r"(end|beginning|start|middle)\s+of\s+(?:the\s+)?(this|last|next)?\s*(week|month|year)"
)


def part_of_period(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    """'the end of the month', 'the beginning of next year': the first or last stretch of a period."""
    match = PART_OF_PERIOD_PHRASE.fullmatch(phrase)
    if not match:
        return None
    part, which, unit = match.groups()
    whole = period(unit, reference, {"last": -1, "next": 1}.get(which, 0))
    start, end = whole.start, period_end(whole)
    if unit == "week":
        first, last = {"end": (4, 6), "middle": (2, 4)}.get(part, (0, 1))
        return ResolvedDate(start + timedelta(days=first), start + timedelta(days=last), "week")
    if unit == "month":
        first, last = {"end": (21, end.day), "middle": (11, 20)}.get(part, (1, 10))
        return ResolvedDate(start.replace(day=first), start.replace(day=last), "month")
    first, last = {"end": (10, 12), "middle": (5, 8)}.get(part, (1, 3))
    return ResolvedDate(
        date(start.year, first, 1), period_end(ResolvedDate(date(start.year, last, 1), None, "month")), "year"
    )


SEASON_PHRASE = re.compile(r"(last|this|next|coming)?\s*(spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?(\d{4}))?")


def season(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    """'last summer', 'this spring' (northern-hemisphere seasons), as the months they cover."""
    match = SEASON_PHRASE.fullmatch(phrase)
    if not match:
        return None
    which, name, year = match.groups()
    first_month = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}[name]
    if year:
        return season_of(int(year), first_month)
    seasons = [season_of(year, first_month) for year in (reference.year - 1, reference.year, reference.year + 1)]
    if which == "this":
        return seasons[1]
    if which is None and prefer == NEAREST:
        return min(seasons, key=lambda s: months_away(s.start, s.end, reference))
    if which == "last" or (which is None and prefer == PAST):
        ended = [s for s in seasons if (s.end < reference if which == "last" else s.start <= reference)]
        return ended[-1]
    return next(s for s in seasons if (s.start > reference if which else s.end >= reference))


def season_of(year: int, first_month: int) -> ResolvedDate:
    start = date(year, first_month, 1)
    last_month_start = date(year + (first_month + 2 > 12), (first_month + 1) % 12 + 1, 1)
    return ResolvedDate(start, period_end(ResolvedDate(last_month_start, None, "month")), "month")


MODIFIED_MONTH_PHRASE = re.compile(rf"(last|next|this|coming)\s+({MONTH_RE})\.?")


def modified_month(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    """'last August' is the latest August before last month, 'next March' the first after next month (the month
    next to this one is "last month" or "next month": "last February" written in March is a year back); 'this May'
    is this year's."""
    match = MODIFIED_MONTH_PHRASE.fullmatch(phrase)
    if not match:
        return None
    which, month_name = match.groups()
    month = MONTHS[month_name]
    if which == "this":
        return ResolvedDate(date(reference.year, month, 1), None, "month")
    distance = (reference.month - month if which == "last" else month - reference.month) % 12
    step = distance if distance >= 2 else distance + 12
    return period("month", reference, -step if which == "last" else step)


FARTHEST_YEARLESS_DAY = 300  # days
RELATIVE_STEPS = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}
MONTHS_COUNT = re.compile(r"(\w+)\s+months")

MONTH_OF_RELATIVE_YEAR_PHRASE = re.compile(
    rf"({MONTH_RE})\.?(?:\s+(\d{{1,2}})(?:st|nd|rd|th)?)?,?\s+(?:of\s+)?(last|this|next)\s+year"
)


def month_of_relative_year(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    """'July last year', 'in January this year', 'March 3 next year'."""
    match = MONTH_OF_RELATIVE_YEAR_PHRASE.fullmatch(phrase)
    if not match:
        return None
    month_name, day_of_month, which = match.groups()
    year = reference.year + {"last": -1, "this": 0, "next": 1}[which]
    parts = {"month": month_name, "day": day_of_month, "year": str(year)}
    return calendar_date(parts, reference, prefer)


YEAR_REFERENCE_RE = r"\d{4}|this year|last year|next year"
QUARTER_OR_HALF_PHRASE = re.compile(
    rf"(?:(\d{{4}})\s+)?((?:(?:year-ago|year-earlier|comparable)\s+)*)(?:({PERIOD_ORDINAL_RE})[\s-]+)?(quarter|half)"
    rf"(?:\s+of\s+({YEAR_REFERENCE_RE})|\s+(a\s+year\s+(?:ago|earlier)))?"
)


def quarter_or_half(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    """'the third quarter (of 1989)', 'third-quarter', 'the 1988 second quarter', 'the first half', 'this year's
    first quarter'; 'the year-ago quarter' and 'the 1988 quarter' name the quarter a report compares with, the
    latest one ended, in that year. Without a year, a quarter is this year's once it has begun, else last year's;
    one looked forward to is the nearest ("expects to report a third-quarter loss" in November is this year's: a
    quarter is reported after it ends)."""
    match = QUARTER_OR_HALF_PHRASE.fullmatch(phrase)
    if not match:
        return None
    year, year_back, ordinal, unit, of_year, a_year_back = match.groups()
    months = 3 if unit == "quarter" else 6
    ordinals = QUARTER_ORDINALS if unit == "quarter" else HALF_ORDINALS
    number = ordinals.get(ordinal) if ordinal else None
    year = int(year) if year else relative_year(of_year, reference)
    if (ordinal and number is None) or (number is None and year is None and not (year_back or a_year_back)):
        return None  # "the quarter", "the half": a period named earlier in the story
    if number is None:
        if unit == "half":
            return None
        latest = latest_ended_quarter(reference)
        number, year = (latest.start.month + 2) // 3, year or latest.start.year
    if year is None:
        side = PAST if prefer == PAST else NEAREST
        year = pick_year(lambda y: month_span(y, months * (number - 1) + 1, months), reference, side)
    year -= 1 if year_back or a_year_back else 0
    start, end = month_span(year, months * (number - 1) + 1, months)
    return ResolvedDate(start, end, "month")


RELATIVE_QUARTER_PHRASE = re.compile(
    r"(latest|most recent|past|last|previous|prior|this|current|next|coming)\s+quarter"
)


def relative_quarter(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    """'the latest quarter', 'last quarter' (the latest one ended), 'the current quarter', 'next quarter'."""
    match = RELATIVE_QUARTER_PHRASE.fullmatch(phrase)
    if not match:
        return None
    step = RELATIVE_STEPS.get(match.group(1), -1)
    first_month = (reference.month - 1) // 3 * 3 + 1 + 3 * step
    start, end = month_span(reference.year + (first_month - 1) // 12, (first_month - 1) % 12 + 1, 3)
    return ResolvedDate(start, end, "month")


FIRST_MONTHS_PHRASE = re.compile(rf"first\s+(\w+)\s+(months|quarters)(?:\s+of\s+({YEAR_REFERENCE_RE}))?")


def first_months(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    """'the first nine months (of 1997)', 'the first two quarters of 1990': from January on, this year's unless
    a year is named."""
    match = FIRST_MONTHS_PHRASE.fullmatch(phrase)
    if not match:
        return None
    count, unit, of_year = match.groups()
    count = int(count) if count.isdigit() else NUMBER_WORDS.get(count)
    months = count * (3 if unit == "quarters" else 1) if count else 0
    if not 0 < months <= 12:
        return None
    start, end = month_span(relative_year(of_year, reference) or reference.year, 1, months)
    return ResolvedDate(start, end, "month")


PERIOD_ENDED_PHRASE = re.compile(r"(.+?)\s+(?:that\s+)?(?:ended|ending|ends)\s+(.+)")


def period_ended(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    """'the year ended Sept. 30' (a fiscal year, named by the year it ends in), 'the fourth quarter ended Aug. 26'
    (the quarter of that number in that year), 'the six months ended Oct. 1' (the months up to that day)."""
    match = PERIOD_ENDED_PHRASE.fullmatch(phrase)
    if not match:
        return None
    head, end_text = match.groups()
    end = resolve_date(end_text, reference, PAST)
    if end.granularity != "day" or end.end is not None:
        return None
    if head in ("year", "12 months", "twelve months"):
        return ResolvedDate(date(end.start.year, 1, 1), None, "year")
    count = MONTHS_COUNT.fullmatch(head)
    if count:
        months = int(count.group(1)) if count.group(1).isdigit() else NUMBER_WORDS.get(count.group(1), 0)
        before = end.start.year * 12 + end.start.month - 1 - months
        start = safe_date(before // 12, before % 12 + 1, end.start.day) + timedelta(days=1)
        return ResolvedDate(start, end.start, "month") if months else None
    quarter = QUARTER_OR_HALF_PHRASE.fullmatch(head)
    if quarter and quarter.group(3) and not (quarter.group(1) or quarter.group(5)):
        return quarter_or_half(f"{head} of {end.start.year}", reference, prefer)
    return None


# "and" joins the ends of a range only after "between": "in 1998 and 2001" names two years.
WORDED_RANGE = re.compile(r"between\s+(.+?)\s+and\s+(.+)|(.+?)\s+(?:to|until|through|till)\s+(.+)")
DASHED_RANGE = re.compile(r"(.+?)\s*[-–]\s*(.+)")


def date_range(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    """'between March 3 and 5', 'from Monday to Wednesday', 'March 3-5', '3-5 March', '2019-2021'."""
    match = WORDED_RANGE.fullmatch(phrase) or DASHED_RANGE.fullmatch(phrase.removeprefix("between "))
    if not match:
        return None
    first, second = share_month(*(part for part in match.groups() if part is not None))
    start = resolve_date(first, reference, prefer)
    if not start.resolved:
        return None
    # The end is the first such time from the start on ("March 3-5" read back from March 4 still ends March 5).
    end = resolve_date(second, start.start, FUTURE)
    # Both ends name the same kind of time: "Friday to December's figures" is no span.
    if not end.resolved or end.start < start.start or end.granularity != start.granularity:
        return None
    return ResolvedDate(start.start, end.end or period_end(end), start.granularity)


RULES = (
    relative_day,
    weekday,
    weekday_and_date,
    weekend,
    decade,
    relative_period,
    coming_or_recent,
    ago,
    part_of_month,
    part_of_year,
    part_of_period,
    season,
    modified_month,
    month_of_relative_year,
    quarter_or_half,
    relative_quarter,
    first_months,
    period_ended,
    month_day_year,
    date_range,
)


# --- helpers ------------------------------------------------------------------------------------------------------


def day(value: date) -> ResolvedDate:
    return ResolvedDate(value, None, "day")


def monday(value: date) -> date:
    return value - timedelta(days=value.weekday())


def period(unit: str, reference: date, step: int) -> ResolvedDate:
    if unit == "week":
        return ResolvedDate(monday(reference) + timedelta(weeks=step), None, "week")
    if unit == "month":
        months = reference.year * 12 + reference.month - 1 + step
        return ResolvedDate(date(months // 12, months % 12 + 1, 1), None, "month")
    return ResolvedDate(date(reference.year + step, 1, 1), None, "year")


def month_span(year: int, first_month: int, months: int) -> tuple[date, date]:
    """The first and last day of `months` months from `first_month` of `year`."""
    last = year * 12 + first_month - 1 + months - 1
    last_year, last_month = divmod(last, 12)
    last_day = calendar.monthrange(last_year, last_month + 1)[1]
    return date(year, first_month, 1), date(last_year, last_month + 1, last_day)


def months_away(start: date, end: date, reference: date) -> int:
    """How many months separate the reference from a period (0 inside it)."""
    index = reference.year * 12 + reference.month
    if end < reference:
        return index - (end.year * 12 + end.month)
    if start > reference:
        return start.year * 12 + start.month - index
    return 0


def pick_year(span_of_year, reference: date, prefer: str) -> int:
    """The year whose period (`span_of_year(year)` -> first and last day) is the latest begun by the reference
    (PAST), the first not ended by it (FUTURE) or the one nearest it (NEAREST; a tie goes to the past)."""
    years = (reference.year - 1, reference.year, reference.year + 1)
    if prefer == PAST:
        return max(y for y in years if span_of_year(y)[0] <= reference)
    if prefer == FUTURE:
        return min(y for y in years if span_of_year(y)[1] >= reference)
    return min(years, key=lambda y: (months_away(*span_of_year(y), reference), y > reference.year))


def latest_ended_quarter(reference: date) -> ResolvedDate:
    first_month = (reference.month - 1) // 3 * 3 - 2
    start, end = month_span(reference.year - (first_month < 1), (first_month - 1) % 12 + 1, 3)
    return ResolvedDate(start, end, "month")


def relative_year(which: str | None, reference: date) -> int | None:
    """'1989', 'this year', 'last year', 'next year' as a year number; None for None."""
    if which is None:
        return None
    if which.isdigit():
        return int(which)
    return reference.year + RELATIVE_STEPS[which.split()[0]]


def period_end(resolved: ResolvedDate) -> date:
    """The last day of the period a resolved date names."""
    start = resolved.start
    if resolved.granularity == "week":
        return start + timedelta(days=6)
    if resolved.granularity == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if resolved.granularity == "year":
        return date(start.year, 12, 31)
    return start


def year_for(month: int, day_of_month: int | None, reference: date, prefer: str) -> int:
    """The year that puts (month, day) nearest the reference on the preferred side (or on either side for
    NEAREST); a bare month that is the reference's own month stays in the reference's year."""
    if day_of_month is None:
        if prefer == NEAREST:
            return pick_year(lambda y: month_span(y, month, 1), reference, NEAREST)
        same_side = month >= reference.month if prefer == FUTURE else month <= reference.month
        return reference.year if same_side else reference.year + (1 if prefer == FUTURE else -1)
    years = (reference.year - 1, reference.year, reference.year + 1)

    def days_away(year: int) -> int:
        return (safe_date(year, month, day_of_month) - reference).days

    nearest = min(years, key=lambda y: abs(days_away(y)))
    if prefer == NEAREST:
        return nearest
    on_side = [y for y in years if (days_away(y) >= 0 if prefer == FUTURE else days_away(y) <= 0)]
    preferred = min(on_side, key=lambda y: abs(days_away(y)))
    # A day a year away is written with its year: "at an October 16 meeting" three days later is that one.
    return preferred if abs(days_away(preferred)) <= FARTHEST_YEARLESS_DAY else nearest


def safe_date(year: int, month: int, day_of_month: int) -> date:
    """The day, or the month's last day for a day it does not have (February 29 outside leap years)."""
    return date(year, month, min(day_of_month, calendar.monthrange(year, month)[1]))


def calendar_date(parts: dict, reference: date, prefer: str) -> ResolvedDate | None:
    if "month" in parts and not parts["month"].isdigit():
        parts["month"] = MONTHS[parts["month"]]
    month = int(parts["month"]) if parts.get("month") else None
    day_of_month = int(parts["day"]) if parts.get("day") else None
    if month is None:
        return ResolvedDate(date(int(parts["year"]), 1, 1), None, "year")
    year = int(parts["year"]) if parts.get("year") else year_for(month, day_of_month, reference, prefer)
    if day_of_month is None:
        return ResolvedDate(date(year, month, 1), None, "month")
    try:
        return day(date(year, month, day_of_month))
    except ValueError:
        return None


def share_month(first: str, second: str) -> tuple[str, str]:
    """'March 3' + '5' -> 'March 3', 'March 5'; '3' + '5 March' -> '3 March', '5 March'."""
    if second.isdigit() and len(second) <= 2:
        month = re.match(rf"({MONTH_RE})\.?\s", first)
        if month:
            second = f"{month.group(1)} {second}"
    if first.isdigit() and len(first) <= 2:
        month = re.search(rf"\s({MONTH_RE})\.?(?:\s+\d{{4}})?$", second)
        if month:
            first = f"{first}{second[month.start() :]}"
    return first, second


@functools.lru_cache(maxsize=64)
def dateparser_for(reference: date, prefer: str) -> DateDataParser:
    """One parser per (published date, direction): an article's dates all share one."""
    settings = {
        "RELATIVE_BASE": datetime.combine(reference, datetime.min.time()),
        "PREFER_DATES_FROM": FUTURE if prefer == FUTURE else PAST,
        "RETURN_TIME_AS_PERIOD": False,
        "STRICT_PARSING": False,
    }
    return DateDataParser(languages=["en"], settings=settings)


@functools.lru_cache(maxsize=4096)
def parse_with_dateparser(phrase: str, reference: date, prefer: str) -> ResolvedDate:
    if not DATE_ANCHOR.search(phrase) or DURATION.fullmatch(phrase):
        return UNRESOLVED
    data = dateparser_for(reference, prefer).get_date_data(phrase)
    if data.date_obj is None:
        return UNRESOLVED
    found = data.date_obj.date()
    granularity = data.period if data.period in ("day", "week", "month", "year") else "day"
    if granularity == "month":
        found = found.replace(day=1)
    elif granularity == "year":
        found = date(found.year, 1, 1)
    elif granularity == "week":
        found = monday(found)
    return ResolvedDate(found, None, granularity)


# --- times placed from another time ("a year earlier", "the following day") ---------------------------------------

# The granularities from finest to coarsest; a month also stands for a span of months (a quarter, a half).
GRANULARITY_ORDER = ("day", "week", "month", "year")
PLACING_UNITS = {**UNITS, "quarter": "quarter", "quarters": "quarter"}
PLACING_UNIT_RE = "|".join(sorted(PLACING_UNITS, key=len, reverse=True))
COUNT_RE = r"\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten"
# "a year earlier", "two days later", "three weeks after", "a day before", with "only", "just" or "the" before.
COUNTED_PLACING = re.compile(
    rf"(?:(?:only|just|the)\s+)?({COUNT_RE})\s+({PLACING_UNIT_RE})\s+(earlier|later|before|after)"
)
# "the following year", "the next day", "the previous week", "the same day", "the week after", "the day before".
NAMED_PLACING = re.compile(
    rf"(?:the\s+)?(?:(following|next|previous|preceding|prior|same)\s+({PLACING_UNIT_RE})"
    rf"|({PLACING_UNIT_RE})\s+(after|following|before|earlier|later))"
)
# "later that month", "earlier in the week", "later the same day": within the reference's own period.
WITHIN_PLACING = re.compile(rf"(?:earlier|later)\s+(?:that|the\s+same)\s+({PLACING_UNIT_RE})")
PLACING_STEPS = {"following": 1, "next": 1, "after": 1, "later": 1, "previous": -1, "preceding": -1, "prior": -1}
PLACING_STEPS.update({"before": -1, "earlier": -1, "same": 0})
# A time placed after an amount or a comparison dates the figure compared with, not an event: "profit soared to
# $155 million from $99 million a year earlier", "up from a year earlier", "higher than a year earlier".
BASELINE_LABELS = frozenset("MONEY QUANTITY PERCENT CARDINAL".split())
BASELINE_WORDS = frozenset("from than versus vs vs.".split())
# A relative time is read from the last readable date expression in its sentence or the sentences just before
# (the time the narrative is at), never from farther back.
REFERENCE_SENTENCES = 2


def placing(text: str) -> tuple[str, int, bool] | None:
    """(unit, steps, counted) of a time placed from another one: "a year earlier" -> ("year", -1, True), "the
    following day" -> ("day", 1, False), "the same day" -> ("day", 0, False); None for a vague count ("a few days
    later") or another phrase. A counted time moves its reference; a named one is the unit's period there."""
    phrase = normalise(text)
    if match := COUNTED_PLACING.fullmatch(phrase):
        count, unit, direction = match.groups()
        number = int(count) if count.isdigit() else NUMBER_WORDS[count]
        return PLACING_UNITS[unit], number * PLACING_STEPS[direction], True
    if match := NAMED_PLACING.fullmatch(phrase):
        first_direction, first_unit, second_unit, second_direction = match.groups()
        return PLACING_UNITS[first_unit or second_unit], PLACING_STEPS[first_direction or second_direction], False
    if match := WITHIN_PLACING.fullmatch(phrase):
        return PLACING_UNITS[match.group(1)], 0, False
    return None


UNIT_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def placed_from(text: str, reference: ResolvedDate) -> ResolvedDate | None:
    """The period a time placed from `reference` names, or None when the phrase is no such time or is finer than
    its reference ("a day later" than 1995). A counted time moves the reference by whole units: "a year earlier"
    than the third quarter of 1989 is the third quarter of 1988, "two days later" than May 22 is May 24. A named
    one is the unit's period from the reference: "the following year" after May 22, 1995 is 1996, "the same day"
    as March 3 is March 3, "the week after" is the next week."""
    found = placing(text)
    if found is None or not reference.resolved:
        return None
    unit, steps, counted = found
    granularity, start = reference.granularity, reference.start
    end = reference.end or start
    span = (end.year - start.year) * 12 + end.month - start.month + 1 if granularity == "month" else 0
    if unit == "quarter":  # three months, from a month or a span of months only
        if granularity != "month":
            return None
    elif GRANULARITY_ORDER.index(unit) < GRANULARITY_ORDER.index(granularity):
        return None
    if unit == "day":
        return day(start + timedelta(days=steps))
    if unit == "week":
        return period("week", start + timedelta(weeks=steps), 0)
    if UNIT_MONTHS[unit] < span:  # a month of a quarter cannot be placed from the quarter
        return None
    if granularity == "month" and (counted or unit == "quarter"):
        months = steps * UNIT_MONTHS[unit]
        if months % span:  # a span moves by whole spans
            return None
        moved_end = shift_months(end, months)
        last_day = month_span(moved_end.year, moved_end.month, 1)[1] if reference.end is not None else None
        return ResolvedDate(shift_months(start, months), last_day, "month")
    # the month or year a day, a week or a month falls in, moved
    return period(unit, start, steps)


def shift_months(value: date, months: int) -> date:
    """The same day `months` months away (the month's last day when it is shorter)."""
    index = value.year * 12 + value.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(value.day, calendar.monthrange(year, month + 1)[1]))


# --- mentions: the date expressions of a Doc and the token each one attaches to ----------------------------------

DATE_PREPOSITIONS = frozenset("on in at during since from between by until through".split())
DATE_MODIFIERS = frozenset("early late mid earlier later".split())
# The model often leaves the determiner out of "this year's results" (it tags "year").
DATE_DETERMINERS = frozenset("this last next coming past".split())
WIDENING_WORDS = DATE_MODIFIERS | DATE_PREPOSITIONS | DATE_DETERMINERS
PLACING_ADVERBS = frozenset("after before earlier later".split())
# A time placed from another one ("the week after", "a year earlier", "the same day"): read from its reference.
RELATIVE_TIME = re.compile(r"\b(?:after|before|earlier|later|following|previous|prior|same)\b", re.IGNORECASE)
RANGE_CONNECTOR = re.compile(r"\s*(?:[-–]|to|until|through|and)\s*")
# Arcs from a noun up to the verb whose object it is part of ("win an order for equipment worth 600 mln yen this
# week": the parser hangs the date on "yen").
OBJECT_ARCS = frozenset("dobj pobj prep pcomp dative attr oprd appos conj".split())
PRESENT_TAGS = ("VBP", "VBZ")
# Clauses a date before their opening words (subject, conjunction, relative word) cannot be part of.
CLAUSE_ARCS = frozenset("ccomp advcl relcl".split())
CLAUSE_OPENERS = frozenset("nsubj nsubjpass expl mark".split())
RELATIVE_TAGS = frozenset("WDT WP WP$ WRB".split())
# Relative expressions the small model does not tag as DATE. The lookahead on the letters that can start a match
# lets the scan skip most positions quickly.
EXTRA_DATES = re.compile(
    r"(?=[ictnrpely])(?:\b(?:in\s+)?(?:the\s+)?(?:coming|next|recent|past)\s+(?:few\s+)?(?:days|weeks|months)\b"
    r"|\b(?:earlier|later)\s+(?:this\s+(?:week|month|year)|in\s+the\s+day)\b"
    r"|\b(?:(?:earlier|later)\s+)?(?:today|yesterday|tomorrow|tonight)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    text: str
    char_start: int
    attach: tuple[Token, ...]  # the tokens the expression modifies, nearest first
    readable: bool  # False for a time placed from another ("the week after"): read from `reference`, if any
    # For a time placed from another: the last readable expression in its sentence or the REFERENCE_SENTENCES
    # before (the time the narrative is at); None for a readable one, or with none in reach.
    reference: DateMention | None = None


def date_mentions(doc: Doc, text: str, ents: tuple[Span, ...]) -> list[DateMention]:
    """DATE entities (widened to their preposition and 'early/late' modifiers) plus relative phrases the model
    misses; durations ("two years") are left out. `text` and `ents` are the doc's."""
    # TIME entities name a day too: "met last night", "at noon Wednesday".
    entities = [ent for ent in ents if ent.label_ in ("DATE", "TIME")]
    spans = list(entities)
    for match in EXTRA_DATES.finditer(text):
        covered = any(ent.start_char <= match.start() < ent.end_char for ent in entities)
        if not covered and (span := doc.char_span(match.start(), match.end(), alignment_mode="expand")) is not None:
            spans.append(span)
    mentions = []
    facts = docfacts.of(doc)
    last_readable: tuple[int, DateMention] | None = None  # (its sentence's start token, the mention)
    for span in join_ranges(sorted(spans, key=lambda s: s.start), text):
        widened = widen(span)
        widened_text = text[widened.start_char : widened.end_char]  # Span.text joins its tokens per access
        readable = looks_like_date(widened_text)
        if not readable and not RELATIVE_TIME.search(widened_text):
            continue
        sentence_start = facts.sentence(widened.start)[0]
        reference = None if readable else placing_reference(widened, sentence_start, last_readable, facts)
        mention = DateMention(widened_text, widened.start_char, attachment(span, widened), readable, reference)
        mentions.append(mention)
        if readable:
            last_readable = (sentence_start, mention)
    return mentions


def placing_reference(
    widened: Span, sentence_start: int, last_readable: tuple[int, DateMention] | None, facts: docfacts.DocFacts
) -> DateMention | None:
    """The expression a time placed from another is read from: the last readable one (with its sentence's start
    token), when it stands in the same sentence or the REFERENCE_SENTENCES before; None after an amount or a
    comparison (the figure's time) and for a time placed from an event ("the day before the vote")."""
    if last_readable is None:
        return None
    doc = widened.doc
    before = doc[widened.start - 1] if widened.start > 0 else None
    if widened[0].lower_ in BASELINE_WORDS or (
        before is not None and (before.ent_type_ in BASELINE_LABELS or before.lower_ in BASELINE_WORDS)
    ):
        return None
    if any(c.dep_ in ("pobj", "pcomp") for c in children(widened[-1])):
        return None
    reach = sentence_start
    for _ in range(REFERENCE_SENTENCES):
        reach = facts.sentence(reach - 1)[0] if reach > 0 else reach
    return last_readable[1] if last_readable[0] >= reach else None


def join_ranges(spans: list[Span], text: str) -> list[Span]:
    """Two expressions joined as a span ("from Monday to Wednesday", "between March 10 and 12", "1998-2001") are
    one expression: the model tags each end apart."""
    joined: list[Span] = []
    for span in spans:
        previous = joined[-1] if joined else None
        connector = text[previous.end_char : span.start_char] if previous is not None else ""
        starts_range = previous is not None and previous.start > 0 and span.doc[previous.start - 1].lower_
        if RANGE_CONNECTOR.fullmatch(connector) and (connector.strip() != "and" or starts_range == "between"):
            joined[-1] = span.doc[previous.start : span.end]
        else:
            joined.append(span)
    return joined


def widen(span: Span) -> Span:
    """The expression with its preposition and modifiers before it and a placing adverb after it ("the week
    after")."""
    doc, start, end = span.doc, span.start, span.end
    while start > 0 and doc[start - 1].lower_ in WIDENING_WORDS:
        start -= 1
        if doc[start].lower_ in DATE_PREPOSITIONS:
            break
    if end < len(doc) and doc[end].dep_ == "advmod" and doc[end].lower_ in PLACING_ADVERBS:
        end += 1
    return doc[start:end]


def attachment(span: Span, widened: Span) -> tuple[Token, ...]:
    """The word the expression modifies and, when that is a noun in a verb's object it follows ("seized a car bomb
    under construction Sunday", "pleaded guilty to a conspiracy charge Thursday"), the verb too: the parser hangs
    a clause's time on the nearest noun. Last comes the expression's own head word, for a clause that hangs on it
    ("in 1985, when the Israelis created a buffer zone")."""
    root = span.root
    word = clause_word(modified_word(span, widened), widened)
    return tuple(dict.fromkeys((*object_verb(word, span), root)))


def modified_word(span: Span, widened: Span) -> Token:
    """The head the expression hangs on: its preposition's head when the preposition governs nothing else (the
    parser may hang the noun elsewhere: "In nineteen ninety-one Charles Keating was convicted"), else its root's
    head."""
    first, root = widened[0], span.root
    governs_other = any(c.dep_ == "pobj" and not span.start <= c.i < span.end for c in children(first))
    if first.dep_ == "prep" and first.lower_ in DATE_PREPOSITIONS and not governs_other:
        return first.head
    head = root.head
    return head.head if head.dep_ == "prep" or (root.dep_ == "pobj" and head.head != head) else head


def clause_word(word: Token, widened: Span) -> Token:
    """A date before the subject or conjunction of a clause belongs to the clause above it: "said on Wednesday he
    is", "a referendum next year after delegates voted"."""
    while word.dep_ in CLAUSE_ARCS and word.head != word:
        openers = [c for c in children(word) if c.dep_ in CLAUSE_OPENERS or c.tag_ in RELATIVE_TAGS]
        if not any(o.i > widened.start for o in openers):
            break
        word = word.head
    return word


def object_verb(word: Token, span: Span) -> tuple[Token, ...]:
    """The noun the expression modifies and the verb whose subject or object that noun is."""
    if word.pos_ not in ("NOUN", "PROPN"):
        return (word,)
    # "The U.N. Security Council on Aug. 6 ordered": between a subject and its verb, the date is the verb's; so is
    # the time of the subject itself ("third-quarter net income rose 11%", "Tuesday's meeting ended").
    if word.dep_ in ("nsubj", "nsubjpass") and span.end <= word.head.i:
        return word, word.head
    if span.start < word.i:
        return (word,)
    token = word
    while token.dep_ in OBJECT_ARCS and token.head != token:
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return word, token
    return (word,)


def event_date(
    scope: list[Token], mentions: list[DateMention], published_at: date | datetime | None, future: bool
) -> tuple[str | None, ResolvedDate | None]:
    """The date expression attached nearest the trigger in its date scope (clause.date_scope), resolved from the
    published date: towards the future for future events and for times a present tense or a schedule puts ahead
    ("meet separately Monday", "a summit set for April")."""
    positions = {t.i: n for n, t in enumerate(scope)}
    attached = [
        (positions[token.i], m, rank, token)
        for m in mentions
        for rank, token in enumerate(m.attach)
        if token.i in positions
    ]
    # Nearest first; of two on one word, the one it governs itself before one its subject or object lends it.
    attached.sort(key=lambda a: (a[0], not a[1].readable, a[2], abs(a[1].char_start - scope[0].idx)))
    trigger = scope[0]
    happened = trigger.pos_ in ("VERB", "AUX") and past_tense(trigger)
    for position, mention, _, word in attached:
        # A time placed from another is read from its reference; one we cannot place, nearer than any other,
        # leaves the event undated rather than lending it a farther one ("would make a request next week ... and
        # meet the week after" is read from "next week"; "three days after the vote" is not).
        if not mention.readable:
            placed = placed_time(mention, published_at)
            return (mention.text, placed) if placed is not None else (None, None)
        # The tense is the trigger's own when it is a verb ("voted to support the republic Friday" is past) or a
        # predicate ("is payable Jan. 2"), else that of the verb carrying the date ("they hold talks Monday").
        verb = (
            trigger if trigger.pos_ in ("VERB", "AUX") else trigger.head if trigger.dep_ in ("acomp", "attr") else word
        )
        # A date on the trigger's complement takes the complement's tense: "agreed to meet ... Thursday".
        verb = word if word.dep_ == "xcomp" and word.head == trigger else verb
        # A date on a past governor is read back whatever the event's own mood: "decided Tuesday to withdraw".
        governor_past = word != trigger and word.pos_ in ("VERB", "AUX") and past_tense(word)
        forward = not governor_past and (future or looks_forward(verb) or scheduled(word))
        side = FUTURE if forward else NEAREST if untensed(verb) and not governor_past else PAST
        resolved = resolve_date(mention.text, published_at, side)
        # A past event takes no time after the report from its complement: "agreed to send a mission next week".
        later = published_at is not None and resolved.resolved and resolved.start > day_of(published_at)
        if happened and position > 0 and later:
            continue
        return mention.text, resolved
    return None, None


def placed_time(mention: DateMention, published_at: date | datetime | None) -> ResolvedDate | None:
    """The period of a time placed from its reference expression, the reference read back from the report."""
    if mention.reference is None:
        return None
    return placed_from(mention.text, resolve_date(mention.reference.text, published_at))


def day_of(published_at: date | datetime) -> date:
    return published_at.date() if isinstance(published_at, datetime) else published_at


def past_tense(verb: Token) -> bool:
    """A simple past or a perfect: "agreed", "was killed", "has agreed", "had been arranged"."""
    auxiliaries = [c for c in children(verb) if c.dep_ in ("aux", "auxpass")]
    if any(a.tag_ == "MD" for a in auxiliaries):
        return False
    return verb.tag_ == "VBD" or any(a.tag_ == "VBD" or a.lemma_ == "have" for a in auxiliaries)


def looks_forward(verb: Token) -> bool:
    """Whether an event's verb puts its time ahead of the report: a present tense that is not perfect ("they meet
    Monday", "the vote is held in April") or "is to"."""
    if verb.dep_ == "xcomp" and verb.head.lemma_ == "be" and verb.head.tag_ in PRESENT_TAGS:
        return True
    auxiliaries = [c for c in children(verb) if c.dep_ in ("aux", "auxpass")]
    if verb.tag_ in PRESENT_TAGS:
        return not auxiliaries
    return (
        verb.tag_ in ("VBG", "VBN")
        and bool(auxiliaries)
        and all(a.tag_ in PRESENT_TAGS and a.lemma_ != "have" for a in auxiliaries)
    )


def untensed(verb: Token) -> bool:
    """An event noun or adjective, or a bare infinitive ("an agreement to acquire the bank in January"): nothing
    places its time before or after the report."""
    return (
        verb.pos_ in ("NOUN", "PROPN", "ADJ")
        or verb.tag_ == "VB"
        and not any(c.dep_ in ("aux", "auxpass") and c.tag_ != "TO" for c in children(verb))
    )


def scheduled(word: Token) -> bool:
    """A participle of scheduling: "a summit set for April", "talks scheduled for Monday", "due in March"."""
    return word.tag_ in ("VBN", "JJ") and word.lemma_.lower() in lexicon()["future_governors"]
