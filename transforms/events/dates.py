"""Dates of events: the date expressions of news text ("on Thursday", "in August", "last week", "late February
2022"), the trigger each one attaches to, and the period it names read from an article's published date.

`resolve_date` returns the period an expression names: its first day, its last day when the expression is a range
or part of a period ("late February", "in coming days"), and a granularity (day, week, month, year, unresolved).
Our own rules handle the relative and partial forms newswire uses; dateparser is the fallback for the rest.
`date_mentions` finds the expressions in a Doc and the words they modify; `event_date` picks the one nearest a
trigger in its date scope (clause.date_scope) and reads it forward when the tense or a schedule points ahead.
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
from transforms.nlp.docfacts import children

PAST, FUTURE = "past", "future"

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
LEADING_WORDS = re.compile(r"^(?:on|in|at|during|since|from|by|of|over|until|the)\s+")
# "Wednesday's meeting" names Wednesday; "the day's talks" is not a date.
POSSESSIVE_TAIL = re.compile(r"['’]s\b.*$")
# "two years", "18-month", "several weeks" are durations, which dateparser would read as "... ago".
DURATION = re.compile(
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|a few|many|\w+-?)"
    r"[\s-]+(?:\w+\s+)?(?:hours?|days?|weeks?|months?|years?|decades?)(?:\s+long)?"
)
# dateparser is only worth asking (at ~10 ms a call) about a phrase with a calendar word or a numeric date in it.
DATE_ANCHOR = re.compile(rf"\b(?:{MONTH_RE}|{WEEKDAY_RE})\b|\d{{1,4}}[/.-]\d{{1,2}}|\bago\b")
DAY_PARTS = re.compile(r"\s+(?:morning|afternoon|evening|night|noon)$")
WHITESPACE = re.compile(r"\s+")


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
    reference = published_at.date() if isinstance(published_at, datetime) else published_at
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
    phrase = POSSESSIVE_TAIL.sub("", phrase).replace("this past ", "last ")
    previous = None
    while previous != phrase:
        previous, phrase = phrase, LEADING_WORDS.sub("", phrase)
    return DAY_PARTS.sub("", phrase)


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


WEEKDAY_PHRASE = re.compile(rf"(?:(?:early|earlier|late|later)\s+)?(last|this|next|coming|previous)?\s*({WEEKDAY_RE})")


def weekday(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    match = WEEKDAY_PHRASE.fullmatch(phrase)
    if not match:
        return None
    modifier, name = match.groups()
    delta = (WEEKDAYS[name] - reference.weekday()) % 7
    if modifier in ("next", "coming") or (modifier is None and prefer == FUTURE):
        return day(reference + timedelta(days=delta or (7 if modifier else 0)))
    back = (reference.weekday() - WEEKDAYS[name]) % 7
    if modifier in ("last", "previous"):
        back = back or 7
    return day(reference - timedelta(days=back))


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


DECADE_PHRASE = re.compile(r"(early|mid|late)?[\s-]*((?:1[89]|20)\d)0s")


def decade(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    """'the 1990s', 'the mid-1970s': a span of years."""
    match = DECADE_PHRASE.fullmatch(phrase)
    if not match:
        return None
    part, stem = match.groups()
    first, last = {"early": (0, 3), "mid": (3, 6), "late": (6, 9), None: (0, 9)}[part]
    start_year = int(stem) * 10
    return ResolvedDate(date(start_year + first, 1, 1), date(start_year + last, 12, 31), "year")


RELATIVE_PERIOD_PHRASE = re.compile(
    r"(?:(earlier|later|early|late)\s+)?(last|past|previous|this|next|coming)\s+(week|month|year)"
)


def relative_period(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    """last/this/next week|month|year, and earlier/later this month."""
    match = RELATIVE_PERIOD_PHRASE.fullmatch(phrase)
    if not match:
        return None
    _, which, unit = match.groups()
    step = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}[which]
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
        (r"(?:the\s+year\s+)?((?:19|20)\d\d)", ("year",)),
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


PART_OF_PERIOD_PHRASE = re.compile(r"(end|beginning|start|middle)\s+of\s+(?:the\s+)?(this|last|next)?\s*(month|year)")


def part_of_period(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    """'the end of the month', 'the beginning of next year': the first or last stretch of a period."""
    match = PART_OF_PERIOD_PHRASE.fullmatch(phrase)
    if not match:
        return None
    part, which, unit = match.groups()
    whole = period(unit, reference, {"last": -1, "next": 1}.get(which, 0))
    start, end = whole.start, period_end(whole)
    if unit == "month":
        first, last = {"end": (21, end.day), "middle": (11, 20)}.get(part, (1, 10))
        return ResolvedDate(start.replace(day=first), start.replace(day=last), "month")
    first, last = {"end": (10, 12), "middle": (5, 8)}.get(part, (1, 3))
    return ResolvedDate(
        date(start.year, first, 1), period_end(ResolvedDate(date(start.year, last, 1), None, "month")), "year"
    )


SEASON_PHRASE = re.compile(r"(last|this|next|coming)?\s*(spring|summer|fall|autumn|winter)")


def season(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    """'last summer', 'this spring' (northern-hemisphere seasons), as the months they cover."""
    match = SEASON_PHRASE.fullmatch(phrase)
    if not match:
        return None
    which, name = match.groups()
    first_month = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}[name]
    seasons = [season_of(year, first_month) for year in (reference.year - 1, reference.year, reference.year + 1)]
    if which == "this":
        return seasons[1]
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
    """'last August' is the latest August before this month; 'next March' the first after; 'this May' this year's."""
    match = MODIFIED_MONTH_PHRASE.fullmatch(phrase)
    if not match:
        return None
    which, month_name = match.groups()
    month = MONTHS[month_name]
    if which == "this":
        year = reference.year
    elif which == "last":
        year = reference.year if month < reference.month else reference.year - 1
    else:
        year = reference.year if month > reference.month else reference.year + 1
    return ResolvedDate(date(year, month, 1), None, "month")


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


# "and" joins the ends of a range only after "between": "in 1998 and 2001" names two years.
WORDED_RANGE = re.compile(r"between\s+(.+?)\s+and\s+(.+)|(.+?)\s+(?:to|until|through|till)\s+(.+)")
DASHED_RANGE = re.compile(r"(.+?)\s*[-–]\s*(.+)")


def date_range(phrase: str, reference: date, prefer: str) -> ResolvedDate | None:
    """'between March 3 and 5', 'from Monday to Wednesday', 'March 3-5', '3-5 March', '2019-2021'."""
    match = WORDED_RANGE.fullmatch(phrase) or DASHED_RANGE.fullmatch(phrase)
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
    """The year that puts (month, day) nearest the reference on the preferred side; a bare month that is the
    reference's own month stays in the reference's year."""
    if day_of_month is None:
        same_side = month >= reference.month if prefer == FUTURE else month <= reference.month
    elif prefer == FUTURE:
        same_side = (month, day_of_month) >= (reference.month, reference.day)
    else:
        same_side = (month, day_of_month) <= (reference.month, reference.day)
    return reference.year if same_side else reference.year + (1 if prefer == FUTURE else -1)


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
        "PREFER_DATES_FROM": prefer,
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


# --- mentions: the date expressions of a Doc and the token each one attaches to ----------------------------------

DATE_PREPOSITIONS = frozenset("on in at during since from between by until through".split())
DATE_MODIFIERS = frozenset("early late mid earlier later".split())
WIDENING_WORDS = DATE_MODIFIERS | DATE_PREPOSITIONS
PLACING_ADVERBS = frozenset("after before earlier later".split())
# A time placed from another one ("the week after", "a year earlier", "the same day"), which we cannot read.
RELATIVE_TIME = re.compile(r"\b(?:after|before|earlier|later|following|previous|prior|same)\b", re.IGNORECASE)
RANGE_CONNECTOR = re.compile(r"\s*(?:[-–]|to|until|through|and)\s*")
# Arcs from a noun up to the verb whose object it is part of.
OBJECT_ARCS = frozenset("dobj pobj prep pcomp dative attr oprd".split())
PRESENT_TAGS = ("VBP", "VBZ")
# Relative expressions the small model does not tag as DATE. The lookahead on the letters that can start a match
# lets the scan skip most positions quickly.
EXTRA_DATES = re.compile(
    r"(?=[ictnrpel])(?:\b(?:in\s+)?(?:the\s+)?(?:coming|next|recent|past)\s+(?:few\s+)?(?:days|weeks|months)\b"
    r"|\b(?:earlier|later)\s+(?:this\s+(?:week|month|year)|in\s+the\s+day)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    text: str
    char_start: int
    attach: tuple[Token, ...]  # the tokens the expression modifies, nearest first
    readable: bool  # False for a time placed from another ("the week after"): it claims its event, undated


def date_mentions(doc: Doc, text: str, ents: tuple[Span, ...]) -> list[DateMention]:
    """DATE entities (widened to their preposition and 'early/late' modifiers) plus relative phrases the model
    misses; durations ("two years") are left out. `text` and `ents` are the doc's."""
    entities = [ent for ent in ents if ent.label_ == "DATE"]
    spans = list(entities)
    for match in EXTRA_DATES.finditer(text):
        covered = any(ent.start_char <= match.start() < ent.end_char for ent in entities)
        if not covered and (span := doc.char_span(match.start(), match.end(), alignment_mode="expand")) is not None:
            spans.append(span)
    mentions = []
    for span in join_ranges(sorted(spans, key=lambda s: s.start), text):
        widened = widen(span)
        widened_text = text[widened.start_char : widened.end_char]  # Span.text joins its tokens per access
        readable = looks_like_date(widened_text)
        if readable or RELATIVE_TIME.search(widened_text):
            mentions.append(DateMention(widened_text, widened.start_char, attachment(span), readable))
    return mentions


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


def attachment(span: Span) -> tuple[Token, ...]:
    """The word the expression modifies and, when that is a noun in a verb's object it follows ("seized a car bomb
    under construction Sunday", "pleaded guilty to a conspiracy charge Thursday"), the verb too: the parser hangs
    a clause's time on the nearest noun."""
    root = span.root
    head = root.head
    word = head.head if head.dep_ == "prep" or (root.dep_ == "pobj" and head.head is not head) else head
    if word.pos_ not in ("NOUN", "PROPN") or span.start < word.i:
        return (word,)
    # "The U.N. Security Council on Aug. 6 ordered": between a subject and its verb, the date is the verb's.
    if word.dep_ in ("nsubj", "nsubjpass") and span.end <= word.head.i:
        return word, word.head
    token = word
    while token.dep_ in OBJECT_ARCS and token.head is not token:
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
        (positions[token.i], m, token)
        for m in mentions
        for token in m.attach
        if token.i in positions and belongs_to_clause(m, token)
    ]
    if not attached:
        return None, None
    # A time we cannot place, nearer than any other, leaves the event undated rather than lending it a farther one
    # ("would make a request next week ... and meet the week after").
    _, mention, word = min(attached, key=lambda a: (a[0], not a[1].readable, abs(a[1].char_start - scope[0].idx)))
    if not mention.readable:
        return None, None
    # The tense is the trigger's own when it is a verb ("voted to support the republic Friday" is past) or a
    # predicate ("is payable Jan. 2"), else that of the verb carrying the date ("they hold talks Monday").
    trigger = scope[0]
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else trigger.head if trigger.dep_ in ("acomp", "attr") else word
    forward = future or looks_forward(verb) or scheduled(word)
    return mention.text, resolve_date(mention.text, published_at, FUTURE if forward else PAST)


def belongs_to_clause(mention: DateMention, word: Token) -> bool:
    """A date before the subject of a reported clause belongs to the reporting verb ("said on Wednesday he is")."""
    if word.dep_ != "ccomp":
        return True
    subject = next((c for c in children(word) if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject is None or mention.char_start > subject.idx


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


def scheduled(word: Token) -> bool:
    """A participle of scheduling: "a summit set for April", "talks scheduled for Monday", "due in March"."""
    return word.tag_ in ("VBN", "JJ") and word.lemma_.lower() in lexicon()["future_governors"]
