"""Event types from the CAMEO verb dictionary: phrasal and light-verb triggers, sense checks by argument, modality
cues, and the CAMEO code on every row.

The sentences are written for these tests around the constructions the PLOVER and CAMEO codebooks define (none is
taken from the PLOVER gold records).
"""

from __future__ import annotations

import re

import pytest

from transforms.events.plover import cameo_code, plover_of_code
from transforms.events.rows import find_events


def events_of(nlp, text):
    return find_events(nlp(text), None)


@pytest.mark.parametrize(
    ("text", "trigger", "event_type", "code"),
    [
        ("Riot police cordoned off the roads around the parliament.", "cordoned", "COERCE", "170"),
        ("The two governments signed a trade protocol in Ankara.", "signed", "SUPPORT", "057"),
        ("Ministers clashed over the new tax policy.", "clashed", "ACCUSE", "111"),
    ],
)
def test_cameo_phrases_and_patterns_give_type_and_code(nlp, text, trigger, event_type, code):
    event = next(e for e in events_of(nlp, text) if e["trigger"] == trigger)
    assert (event["event_type"], event["cameo_code"], event["cameo_root"]) == (event_type, code, code[:2])


def test_a_vow_to_wage_war_is_a_threat(nlp):
    events = events_of(nlp, "The rebels vowed to wage war against the government.")
    assert [e["event_type"] for e in events] == ["THREATEN"]


def test_meeting_a_demand_is_no_meeting(nlp):
    assert not [e for e in events_of(nlp, "The mines cannot meet demand for coal.") if e["event_type"] == "CONSULT"]
    assert [e["event_type"] for e in events_of(nlp, "The minister met his Iranian counterpart.")] == ["CONSULT"]


def test_a_material_verb_with_only_a_that_clause_is_a_statement(nlp):
    assert events_of(nlp, "The general allowed that mistakes had been made.") == []


def test_about_to_is_future(nlp):
    event = events_of(nlp, "Egypt is about to restore diplomatic ties with Iran.")[0]
    assert event["event_type"] == "SUPPORT" and event["future"]


def test_a_plan_is_the_planned_act_flagged_future(nlp):
    events = events_of(nlp, "The president plans to hold talks with the rebels.")
    assert [(e["trigger"], e["event_type"], e["future"]) for e in events] == [("talks", "CONSULT", True)]


def test_a_class_default_needs_two_actors(nlp):
    # "overpower" is known only as a member of CAMEO's DESTROY class.
    assert [e["event_type"] for e in events_of(nlp, "Government troops overpowered the rebels.")] == ["ASSAULT"]
    assert events_of(nlp, "The issue is likely to overpower the debate.") == []


def test_every_code_maps_to_its_type():
    assert plover_of_code("0871") == ("RETREAT", "ceasefire")
    assert plover_of_code("026") == ("REQUEST", "meet")  # an appeal is a request
    assert plover_of_code("012") is None  # public statements are no PLOVER event
    assert re.fullmatch(r"\d{3,4}", cameo_code("CONSULT", "phone")) and cameo_code("CONSULT", "") == "040"
