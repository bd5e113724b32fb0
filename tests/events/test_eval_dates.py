"""`eval dates`: TimeBank's gold links from events to their dates, scored on real documents."""

from __future__ import annotations

import json
from datetime import date

import pytest

from transforms.evaluate.dates import evaluate_dates, format_report, gold_period, score_document

TIMEBANK = "timeml/timebank.jsonl"
# APW19980301.0720 (Israel and Lebanon, 1 March 1998) and APW19980322.0749 (Northern Ireland, 22 March 1998)
DOCUMENTS = {"APW19980301.0720", "APW19980322.0749"}


@pytest.mark.parametrize(
    "value,period",
    [
        ("1998-02-13", (date(1998, 2, 13), date(1998, 2, 13))),
        ("1998-W07", (date(1998, 2, 9), date(1998, 2, 15))),
        ("1997-02", (date(1997, 2, 1), date(1997, 2, 28))),
        ("1989-Q3", (date(1989, 7, 1), date(1989, 9, 30))),
        ("1998-SU", (date(1998, 6, 1), date(1998, 8, 31))),
        ("1996", (date(1996, 1, 1), date(1996, 12, 31))),
        ("199", (date(1990, 1, 1), date(1999, 12, 31))),
        ("PRESENT_REF", None),
        ("XXXX-WXX-1", None),
    ],
)
def test_timex_values_name_their_period(value, period):
    assert gold_period(value) == period


def test_each_gold_event_is_matched_and_judged(corpus, nlp):
    lines = (corpus / TIMEBANK).read_text(encoding="utf-8").splitlines()
    records = [r for r in map(json.loads, lines) if r["id"] in DOCUMENTS]
    scored = {item["event"]: item for record in records for item in score_document(record, nlp(record["text"]))[0]}
    # "Last week, Hezbollah fighters killed three Israeli soldiers and seriously wounded six others."
    assert scored["wounded"]["gold"] == ["1998-W08"] and scored["wounded"]["right"]
    # "Police seized a car bomb under construction Sunday": the gold day, matched through the trigger
    assert scored["seized"]["matched"] and scored["seized"]["predicted"] == "1998-03-22..1998-03-22"
    # "invited Sinn Fein to rejoin two weeks ago": a week is not the gold day
    assert scored["invited"]["dated"] and not scored["invited"]["right"]


def test_figures_cover_both_halves(corpus):
    result = evaluate_dates(corpus / TIMEBANK, DOCUMENTS)
    assert result["all"]["documents"] == 2 and result["first_half"]["documents"] == 1
    assert result["all"]["gold_items"] == result["first_half"]["gold_items"] + result["second_half"]["gold_items"]
    assert 0 < result["all"]["accuracy"] <= result["all"]["coverage"] <= 1
    # the diagnostic over every gold event dates more events than the triggers the event rules find
    every = result["all"]["every_event_accuracy"], result["all"]["every_event_coverage"]
    assert 0 < every[0] <= every[1] <= 1
    assert "Event dates on" in format_report(result)
