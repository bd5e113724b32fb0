"""Event types from the CAMEO verb dictionary: each pattern on the verb it was written for, phrasal and light-verb
triggers, sense checks by argument, modality cues, the CAMEO code on every row, and the leave-one-type-out check.

The sentences are written for these tests around the constructions the PLOVER and CAMEO codebooks define (none is
taken from the PLOVER gold records).
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

from transforms.evaluate.events import HAND_TABLES, hand_entries_removed
from transforms.events.plover import cameo_code, cameo_dictionary, lexicon, plover_of_code
from transforms.events.rows import find_events


def events_of(nlp, text):
    return find_events(nlp(text), None)


@pytest.mark.parametrize(
    ("text", "trigger", "event_type", "code"),
    [
        ("Riot police cordoned off the roads around the parliament.", "cordoned", "COERCE", "170"),
        ("The two governments signed a trade protocol in Ankara.", "signed", "SUPPORT", "057"),
        ("Ministers clashed over the new tax policy.", "clashed", "ACCUSE", "110"),
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


def objects_of(verb: str) -> set[str]:
    return {
        w for p in cameo_dictionary()["verbs"][verb].patterns.patterns for o in p.objects for w in o.stems | o.exact
    }


def test_a_pattern_belongs_to_the_verb_it_was_written_for():
    # CAMEO.2.0.txt writes "- * {ARMS SHIPMENT} [072] # EXPEDITE" under RUSH's block and "* PART [030] # TAKE" under
    # APPREHEND's: the synonyms keep the block's code, not each other's patterns.
    assert "shipment" in objects_of("expedite") and "shipment" not in objects_of("rush")
    assert "part" in objects_of("take") and "part" not in objects_of("capture")
    assert len(cameo_dictionary()["verbs"]["say"].patterns.patterns) < 20
    assert cameo_dictionary()["verbs"]["capture"].class_code == "171"


def test_taking_part_of_a_town_is_no_agreement(nlp):
    events = events_of(nlp, "Rebel fighters captured part of the town after heavy fighting.")
    assert next(e for e in events if e["trigger"] == "captured")["event_type"] in ("ASSAULT", "COERCE")


def test_a_verb_of_an_uncoded_class_reads_its_object_by_its_synonyms_patterns(nlp):
    # "suspend" has no pattern of its own for aid; CANCEL (no code) has "halt * AID" [162].
    event = events_of(nlp, "The agency suspended aid deliveries to the region.")[0]
    assert (event["trigger"], event["event_type"], event["cameo_code"]) == ("suspended", "SANCTION", "162")


def test_a_time_is_no_argument_and_a_place_no_frame(nlp):
    assert [e["event_type"] for e in events_of(nlp, "Troops and rebels clashed over the weekend.")] == ["ASSAULT"]
    assert [e["event_type"] for e in events_of(nlp, "Students demonstrated in the capital.")] == ["PROTEST"]


def test_the_compiled_dictionary_is_built_from_the_excerpt():
    """cameo_lexicon.json is what scripts/build_cameo_lexicon.py makes of cameo_verbs.txt now."""
    build = load_build_script()
    data = Path(build.DATA_DIR)
    synonyms, blocks = build.read_dictionary((data / "cameo_verbs.txt").read_text(encoding="utf-8"))
    verbs, phrases, classes, _ = build.compile_blocks(blocks, synonyms)
    shipped = json.loads((data / "cameo_lexicon.json").read_text(encoding="utf-8"))
    assert (shipped["phrases"], shipped["classes"]) == (phrases, classes)
    assert {v: e[:2] + e[3:] for v, e in shipped["verbs"].items()} == {v: e[:2] + e[3:] for v, e in verbs.items()}
    # The shipped patterns are the built ones plus the preposition frames.
    assert all(p in shipped["verbs"][v][2] for v, e in verbs.items() for p in e[2])


def test_pattern_owners_are_read_in_their_forms():
    build = load_build_script()
    block = build.Block("CANCEL", None, {"halt": None, "stop": None}, {"call off": "160"})
    verbs = {"halt": [], "stop": [], "conclude": []}
    assert build.owner_of("CALLED_OFF", block, verbs, {"call off": []}) == "call off"
    assert build.owner_of("STOPPED", block, verbs, {}) == "stop"
    assert build.owner_of("CONCLUDE", block, verbs, {}) == "conclude"  # copied from FINISH
    assert build.owner_of("URGE", block, verbs, {}) is None


def test_leaving_a_type_out_removes_its_hand_entries_and_restores_them():
    words = lexicon()
    before = {name: dict(words[name]) for name in HAND_TABLES}
    with hand_entries_removed("PROTEST", keep_dictionary=False):
        assert not [w for w, sense in words["verbs"].items() if sense[0] == "PROTEST"]
        assert words["verbs"] and not cameo_dictionary()["verbs"]
    assert {name: dict(words[name]) for name in HAND_TABLES} == before and cameo_dictionary()["verbs"]


def load_build_script():
    path = Path(__file__).resolve().parents[2] / "scripts" / "build_cameo_lexicon.py"
    spec = importlib.util.spec_from_file_location("build_cameo_lexicon", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module
    spec.loader.exec_module(module)
    return module
