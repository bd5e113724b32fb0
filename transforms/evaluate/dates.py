"""Event dates scored against TimeBank's gold links from events to time expressions
(`python -m transforms.evaluate.dates --gold timebank.jsonl`).

Each document runs through the real pipeline (`load_pipeline` + `events.find_events`) with its creation time (DCT)
as the published date. Protocol:

- **Gold items**: events linked by a TLINK to a TIMEX3 of type DATE in the same sentence (spaCy's sentences) where
  the link says the event happens at that time: the event IS_INCLUDED in it, DURING it, SIMULTANEOUS with or
  IDENTITY to it, or BEGINS or ENDS it (links from the time to the event are read through their inverses:
  INCLUDES, BEGUN_BY, ENDED_BY). BEFORE/AFTER links do not date the event, nor do INCLUDES/BEGUN_BY/ENDED_BY from
  the event (it lasts beyond that time). The time's value must name a calendar period (day `1998-02-13`, week
  `1998-W07`, month, quarter `1989-Q3`, half `1989-H1`, season `1998-SU`, year, decade `199`); `PRESENT_REF`,
  unanchored (`XXXX-...`) values and ON_OR_AFTER/BEFORE-style mods say no period and are left out.
- **Matching**: a predicted event matches a gold item when their triggers share a character.
- **Figures** over matched items: *coverage*, the share carrying a resolved date; *accuracy*, the share whose
  predicted period (event_date to event_end_date, or the end of its granularity) lies inside the gold period, i.e.
  equals the gold value at the gold's granularity (a day inside a gold month is right, a month for a gold day is
  not); *dated accuracy*, the same among the dated ones. An event linked to several times is right when one fits.
- **Halves**: documents sorted by id; develop against the first half, the second is the held-out-like check.
- **Every gold event** (a diagnostic of the date rules alone, apart from which words the event rules take as
  triggers): the same figures when the gold event's own word is dated as rows.event_row dates a trigger
  (clause.date_scope + dates.event_date), over all gold items.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from transforms.events.clause import clause_chain, date_scope
from transforms.events.dates import date_mentions, event_date, month_span
from transforms.events.modality import modality
from transforms.events.rows import find_events
from transforms.nlp.loading import load_pipeline

# Relations (read from the event to the time) under which the event happens at that time.
DATING_RELATIONS = frozenset({"IS_INCLUDED", "DURING", "SIMULTANEOUS", "IDENTITY", "BEGINS", "ENDS"})
# A link from the time to the event, read from the event.
INVERSE = {
    "INCLUDES": "IS_INCLUDED",
    "IS_INCLUDED": "INCLUDES",
    "DURING": "DURING_INV",
    "DURING_INV": "DURING",
    "BEGINS": "BEGUN_BY",
    "BEGUN_BY": "BEGINS",
    "ENDS": "ENDED_BY",
    "ENDED_BY": "ENDS",
    "BEFORE": "AFTER",
    "AFTER": "BEFORE",
    "IBEFORE": "IAFTER",
    "IAFTER": "IBEFORE",
}
# Mods that leave the value naming the event's period ("early 1998", "about a year ago"); the others shift it.
PERIOD_MODS = frozenset({None, "START", "MID", "END", "APPROX"})
SEASON_MONTHS = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
CALENDAR_VALUE = re.compile(r"(\d{4})(?:-(?:(\d\d)(?:-(\d\d))?|W(\d\d)|Q([1-4])|H([12])|(SP|SU|FA|WI)))?|(\d{3})")
MISSES_SHOWN = 15


@dataclass(frozen=True)
class GoldItem:
    event_id: str
    start: int
    end: int
    text: str
    periods: tuple[tuple[date, date, str], ...]  # (first day, last day, TIMEX3 value) of each dating time


def gold_period(value: str) -> tuple[date, date] | None:
    """The first and last day a TIMEX3 DATE value names, or None when it names no calendar period."""
    match = CALENDAR_VALUE.fullmatch(value)
    if not match:
        return None
    year, month, day_of_month, week, quarter, half, season, decade = match.groups()
    if decade:
        return date(int(decade) * 10, 1, 1), date(int(decade) * 10 + 9, 12, 31)
    year = int(year)
    if day_of_month:
        found = date(year, int(month), int(day_of_month))
        return found, found
    if month:
        return month_span(year, int(month), 1)
    if week:
        first = date.fromisocalendar(year, int(week), 1)
        return first, first + timedelta(days=6)
    if quarter:
        return month_span(year, 3 * int(quarter) - 2, 3)
    if half:
        return month_span(year, 6 * int(half) - 5, 6)
    if season:
        return month_span(year, SEASON_MONTHS[season], 3)
    return date(year, 1, 1), date(year, 12, 31)


def word_period(doc, item: GoldItem, mentions, published: datetime) -> tuple[date, date] | None:
    """The period the date rules give the gold event's own word, read as for a trigger."""
    chain = clause_chain(doc.char_span(item.start, item.end, alignment_mode="expand").root)
    _, resolved = event_date(date_scope(chain), mentions, published, modality(chain).future)
    if resolved is None:
        return None
    row = {"event_date": resolved.start, "event_end_date": resolved.end, "date_granularity": resolved.granularity}
    return predicted_period(row)


def fits(period: tuple[date, date] | None, item: GoldItem) -> bool:
    return period is not None and any(first <= period[0] and period[1] <= last for first, last, _ in item.periods)


def predicted_period(event: dict) -> tuple[date, date] | None:
    """The period an event row's date names: its start to its end, or to the end of its granularity."""
    start = event["event_date"]
    if start is None:
        return None
    if event["event_end_date"] is not None:
        return start, event["event_end_date"]
    granularity = event["date_granularity"]
    if granularity == "week":
        return start, start + timedelta(days=6)
    if granularity == "month":
        return month_span(start.year, start.month, 1)
    if granularity == "year":
        return date(start.year, 1, 1), date(start.year, 12, 31)
    return start, start


def gold_items(record: dict, doc) -> tuple[list[GoldItem], int]:
    """The document's gold items, and how many dating links were left out for a value naming no period."""
    events = {e["id"]: e for e in record["events"]}
    dates = {t["id"]: t for t in record["timexes"] if t["type"] == "DATE"}
    periods: dict[str, list[tuple[date, date, str]]] = {}
    left_out = 0
    for link in record["tlinks"]:
        if link["from"] in events and link["to"] in dates:
            event_id, timex_id, relation = link["from"], link["to"], link["rel"]
        elif link["from"] in dates and link["to"] in events:
            event_id, timex_id, relation = link["to"], link["from"], INVERSE.get(link["rel"], link["rel"])
        else:
            continue
        event, timex = events[event_id], dates[timex_id]
        if relation not in DATING_RELATIONS or not same_sentence(doc, event["start"], timex["start"]):
            continue
        period = gold_period(timex["value"]) if timex["mod"] in PERIOD_MODS else None
        if period is None:
            left_out += 1
            continue
        periods.setdefault(event_id, []).append((*period, timex["value"]))
    items = [
        GoldItem(event_id, events[event_id]["start"], events[event_id]["end"], events[event_id]["text"], tuple(found))
        for event_id, found in periods.items()
    ]
    return items, left_out


def same_sentence(doc, first_char: int, second_char: int) -> bool:
    first = doc.char_span(first_char, first_char + 1, alignment_mode="expand")
    second = doc.char_span(second_char, second_char + 1, alignment_mode="expand")
    return first is not None and second is not None and first[0].sent.start == second[0].sent.start


def score_document(record: dict, doc) -> tuple[list[dict], int]:
    published = datetime.fromisoformat(record["dct"]).replace(tzinfo=UTC)
    events = find_events(doc, published)
    items, left_out = gold_items(record, doc)
    mentions = date_mentions(doc, doc.text, doc.ents)
    scored = []
    for item in items:
        event = next(
            (e for e in events if e["trigger_char_start"] < item.end and item.start < e["trigger_char_end"]), None
        )
        period = predicted_period(event) if event else None
        word = word_period(doc, item, mentions, published)
        sentence = doc.char_span(item.start, item.end, alignment_mode="expand")[0].sent
        scored.append(
            {
                "document": record["id"],
                "event": item.text,
                "gold": [value for _, _, value in item.periods],
                "matched": event is not None,
                "date_text": event["date_text"] if event else None,
                "predicted": f"{period[0]}..{period[1]}" if period else None,
                "dated": period is not None,
                "right": fits(period, item),
                "word_dated": word is not None,
                "word_right": fits(word, item),
                "sentence": sentence.text,
            }
        )
    return scored, left_out


def figures(scored: list[dict], documents: int) -> dict:
    matched = [s for s in scored if s["matched"]]
    dated = [s for s in matched if s["dated"]]
    return {
        "documents": documents,
        "gold_items": len(scored),
        "matched": len(matched),
        "coverage": share(s["dated"] for s in matched),
        "accuracy": share(s["right"] for s in matched),
        "dated_accuracy": share(s["right"] for s in dated),
        "every_event_coverage": share(s["word_dated"] for s in scored),
        "every_event_accuracy": share(s["word_right"] for s in scored),
    }


def evaluate_dates(gold_path: Path, documents: set[str] | None = None) -> dict:
    """The figures on every document of `gold_path` (or only those whose id is in `documents`)."""
    records = sorted(
        (json.loads(line) for line in Path(gold_path).read_text(encoding="utf-8").splitlines() if line.strip()),
        key=lambda r: r["id"],
    )
    records = [r for r in records if documents is None or r["id"] in documents]
    nlp = load_pipeline()
    per_document, left_out = [], 0
    for record, doc in zip(records, nlp.pipe(r["text"] for r in records)):
        scored, skipped = score_document(record, doc)
        per_document.append(scored)
        left_out += skipped
    half = (len(records) + 1) // 2
    first, second = per_document[:half], per_document[half:]
    everything = [s for scored in per_document for s in scored]
    return {
        "gold": str(gold_path),
        "all": figures(everything, len(records)),
        "first_half": figures([s for scored in first for s in scored], len(first)),
        "second_half": figures([s for scored in second for s in scored], len(second)),
        "links_without_period": left_out,
        "misses": [s for s in everything if s["matched"] and not s["right"]][:MISSES_SHOWN],
    }


def share(flags) -> float:
    flags = list(flags)
    return round(sum(flags) / len(flags), 4) if flags else 0.0


def format_report(result: dict) -> str:
    lines = [f"Event dates on {result['gold']}"]
    for name in ("all", "first_half", "second_half"):
        f = result[name]
        lines.append(
            f"  {name.replace('_', ' '):<12} {f['documents']:>3} docs  gold {f['gold_items']:>4}  matched "
            f"{f['matched']:>4}  accuracy {f['accuracy']:.3f}  coverage {f['coverage']:.3f}"
            f"  dated accuracy {f['dated_accuracy']:.3f}"
            f"  | every gold event: accuracy {f['every_event_accuracy']:.3f} coverage {f['every_event_coverage']:.3f}"
        )
    lines += [f"  dating links to a value naming no period (left out): {result['links_without_period']}", "", "misses:"]
    for miss in result["misses"]:
        lines.append(
            f"  {miss['document']}: {miss['event']!r} gold {'/'.join(miss['gold'])}, got {miss['predicted']}"
            f" ({miss['date_text']!r}) | {miss['sentence'][:100]}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, required=True, help="TimeBank documents (timebank.jsonl)")
    parser.add_argument("--doc", action="append", help="score only this document id (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    args = parser.parse_args(argv)
    result = evaluate_dates(args.gold, set(args.doc) if args.doc else None)
    print(json.dumps(result, indent=1, default=str) if args.json else format_report(result))


if __name__ == "__main__":
    main()
