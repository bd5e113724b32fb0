"""Event extraction against the PLOVER gold standard records (`python -m transforms.evaluate.events --gold FILE`).

Each gold record is one sentence. It runs through the real pipeline (`load_pipeline` + `events.find_events`) with
the record's `date` as the published date and no sources, and is scored on one predicted event:

- **Which event**: the highest-confidence event of the sentence (ties: the earliest trigger). A sentence with no
  event counts as a miss everywhere.
- **Type**: gold labels are PLOVER 0.5b1, mapped to the current types (DEMAND -> REQUEST, DISAPPROVE and
  INVESTIGATE -> ACCUSE, FIGHT -> ASSAULT). The 0.5b1 coders also recorded a stated intention as the intention
  itself: a future or hypothetical cooperative action is AGREE, a future material-conflict action is THREATEN, a
  negated future cooperative action is REJECT. The events table keeps the literal action with its `future`,
  `hypothetical` and `negated` flags (as PLOVER 2 does), so `gold_convention_type` applies that rule before
  comparing. Both the literal and the converted accuracy are reported.
- **Per type**: convention and literal type accuracy, actor and recipient match for each gold type.
- **Actor / recipient match**: the prediction's actor (recipient) text against the gold `source` (`target`)
  `actorText`s. Both sides become sets of lower-case content words (stop words and possessive 's dropped); they
  match when the words they share cover at least half of the smaller set. Recipient match is scored only on
  records with a gold target.
- **Leave one type out** (`--leave-one-type-out`): how well the types generalise beyond the hand lexicon. For each
  gold type, the hand entries that give that type (event_lexicon.json's verbs, nouns, phrases, object, preposition
  and person-object rules) are removed and its records scored again (convention type); once with the CAMEO verb
  dictionary and once without it. The share is over the records of all types, each scored with its own type left
  out.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from transforms.events import triggers
from transforms.events.plover import cameo_dictionary, lexicon, quad_class
from transforms.events.rows import find_events
from transforms.nlp.loading import load_pipeline

OLD_LABELS = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
COOPERATIVE = ("CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT")
STOP_WORDS = frozenset("the a an of in on at to for and or from by with its their his her s".split())
MATCH_SHARE = 0.5
WORST_MISSES = 12
# The lexicon tables whose entries name a type: word -> [type, mode], or word -> {object: [type, mode]}.
HAND_TABLES = ("verbs", "nouns", "phrases", "person_object_verbs", "object_rules", "prep_rules")


def evaluate_events(gold_path: Path) -> dict:
    records = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    nlp = load_pipeline()
    scored = [score_record(record, doc) for record, doc in zip(records, nlp.pipe(r["text"] for r in records))]
    with_target = [s for s in scored if s["gold_recipients"]]
    return {
        "gold": str(gold_path),
        "records": len(scored),
        "type_accuracy": share(s["type_correct"] for s in scored),
        "literal_type_accuracy": share(s["literal_type_correct"] for s in scored),
        "quad_class_accuracy": share(s["quad_correct"] for s in scored),
        "actor_match": share(s["actor_match"] for s in scored),
        "recipient_match": share(s["recipient_match"] for s in with_target),
        "recipient_records": len(with_target),
        "no_event": sum(1 for s in scored if s["predicted_type"] is None),
        "confusion": confusion(scored),
        "per_type": per_type(scored),
        "misses": worst_misses(scored),
    }


def leave_one_type_out(gold_path: Path) -> dict:
    """Per gold type, the share of its records still given their type once the hand entries for it are removed:
    with the CAMEO dictionary, and with neither."""
    records = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    docs = list(load_pipeline().pipe(r["text"] for r in records))
    by_type: dict[str, list[int]] = {}
    for place, record in enumerate(records):
        by_type.setdefault(OLD_LABELS.get(record["event"], record["event"]), []).append(place)
    found: dict[str, dict[str, float]] = {}
    for keep_dictionary, column in ((True, "with_dictionary"), (False, "without_dictionary")):
        for event_type, places in by_type.items():
            with hand_entries_removed(event_type, keep_dictionary):
                correct = [score_record(records[p], docs[p])["type_correct"] for p in places]
            found.setdefault(event_type, {"n": len(places)})[column] = share(correct)
    pooled = {
        column: round(sum(v[column] * v["n"] for v in found.values()) / len(records), 4)
        for column in ("with_dictionary", "without_dictionary")
    }
    return {"gold": str(gold_path), "records": len(records), **pooled, "per_type": dict(sorted(found.items()))}


@contextmanager
def hand_entries_removed(event_type: str, keep_dictionary: bool) -> Iterator[None]:
    """The lexicon without the entries that give `event_type` (and the CAMEO dictionary emptied unless kept),
    restored on exit. The tables are the cached ones the rules read, so the trigger caches are rebuilt around it."""
    words, dictionary = lexicon(), cameo_dictionary()
    saved_words = {name: words[name] for name in HAND_TABLES}
    saved_dictionary = {name: dictionary[name] for name in ("verbs", "phrases")}
    for name in HAND_TABLES:
        words[name] = without_type(words[name], event_type)
    if not keep_dictionary:
        dictionary.update(verbs={}, phrases={})
    triggers.clear_caches()
    try:
        yield
    finally:
        words.update(saved_words)
        dictionary.update(saved_dictionary)
        triggers.clear_caches()


def without_type(table: dict, event_type: str) -> dict:
    kept = {}
    for word, found in table.items():
        if isinstance(found, dict):
            rules = {obj: sense for obj, sense in found.items() if sense[0] != event_type}
            if rules:
                kept[word] = rules
        elif found[0] != event_type:
            kept[word] = found
    return kept


def format_leave_one_type_out(result: dict) -> str:
    lines = [
        f"Leave one type out on {result['gold']} ({result['records']} sentences): each type's hand entries removed",
        f"  type still found     {result['with_dictionary']:.3f} with the CAMEO dictionary,"
        f" {result['without_dictionary']:.3f} without it",
        "",
        "per type (gold)   n  with  without",
        *(
            f"  {t:<12} {v['n']:>4}  {v['with_dictionary']:.2f}  {v['without_dictionary']:.2f}"
            for t, v in result["per_type"].items()
        ),
    ]
    return "\n".join(lines)


def score_record(record: dict, doc) -> dict:
    published = datetime.fromisoformat(record["date"]).replace(tzinfo=UTC) if record.get("date") else None
    events = find_events(doc, published, [])
    event = max(events, key=lambda e: (e["confidence"], -e["trigger_char_start"]), default=None)
    gold_type = OLD_LABELS.get(record["event"], record["event"])
    predicted = gold_convention_type(event) if event else None
    gold_actors = actor_texts(record.get("source"))
    gold_recipients = actor_texts(record.get("target"))
    return {
        "id": record["id"],
        "text": record["text"],
        "gold_type": gold_type,
        "predicted_type": predicted,
        "literal_type": event["event_type"] if event else None,
        "trigger": event["trigger"] if event else None,
        "actor": event["actor"] if event else None,
        "recipient": event["recipient"] if event else None,
        "gold_actors": gold_actors,
        "gold_recipients": gold_recipients,
        "type_correct": predicted == gold_type,
        "literal_type_correct": bool(event) and event["event_type"] == gold_type,
        "quad_correct": predicted is not None and quad_class(predicted) == quad_class(gold_type),
        "actor_match": bool(event) and matches(event["actor"], gold_actors),
        "recipient_match": bool(event) and matches(event["recipient"], gold_recipients),
    }


def worst_misses(scored: list[dict]) -> list[dict]:
    """Wrong types, worst first: no event at all, then the wrong quad class, then the wrong type within it."""
    misses = [s for s in scored if not s["type_correct"]]
    return sorted(misses, key=lambda s: (s["predicted_type"] is not None, s["quad_correct"]))[:WORST_MISSES]


def gold_convention_type(event: dict) -> str:
    """The type a PLOVER 0.5b1 coder gives the event: stated intentions are AGREE, THREATEN or REJECT."""
    event_type = event["event_type"]
    intended = event["future"] or event["hypothetical"]
    if not intended:
        return event_type
    if event_type in COOPERATIVE:
        return "REJECT" if event["negated"] else "AGREE"
    if quad_class(event_type) == "material conflict" and not event["negated"]:
        return "THREATEN"
    return event_type


def actor_texts(actors) -> list[str]:
    return [a["actorText"] for a in actors or [] if isinstance(a, dict) and a.get("actorText")]


def content_words(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", re.sub(r"['’]s\b", "", text.lower()))
    return {w for w in words if w not in STOP_WORDS}


def matches(predicted: str | None, gold: list[str]) -> bool:
    """Token overlap covering at least half of the smaller side, against any gold actor."""
    if not predicted or not gold:
        return False
    found = content_words(predicted)
    for text in gold:
        wanted = content_words(text)
        if found and wanted and len(found & wanted) >= MATCH_SHARE * min(len(found), len(wanted)):
            return True
    return False


def share(flags) -> float:
    flags = list(flags)
    return round(sum(flags) / len(flags), 4) if flags else 0.0


def confusion(scored: list[dict]) -> dict[str, dict[str, int]]:
    table: dict[str, Counter] = {}
    for s in scored:
        table.setdefault(s["gold_type"], Counter())[s["predicted_type"] or "-"] += 1
    return {gold: dict(counts) for gold, counts in sorted(table.items())}


def per_type(scored: list[dict]) -> dict[str, dict]:
    """Per gold type: records, convention and literal type accuracy, actor match, recipient match (on records with a
    gold target)."""
    by_type: dict[str, list[dict]] = {}
    for s in scored:
        by_type.setdefault(s["gold_type"], []).append(s)
    return {
        t: {
            "n": len(rows),
            "accuracy": share(s["type_correct"] for s in rows),
            "literal_accuracy": share(s["literal_type_correct"] for s in rows),
            "actor_match": share(s["actor_match"] for s in rows),
            "recipient_match": share(s["recipient_match"] for s in rows if s["gold_recipients"]),
        }
        for t, rows in sorted(by_type.items())
    }


def format_report(result: dict) -> str:
    lines = [
        f"PLOVER events on {result['gold']} ({result['records']} sentences)",
        f"  type accuracy        {result['type_accuracy']:.3f}  (literal types: {result['literal_type_accuracy']:.3f};"
        f" quad class: {result['quad_class_accuracy']:.3f}; no event: {result['no_event']})",
        f"  actor match          {result['actor_match']:.3f}",
        f"  recipient match      {result['recipient_match']:.3f}"
        f"  (on {result['recipient_records']} with a gold target)",
        "",
        "per type (gold)   n  type  literal  actor  recipient",
        *(
            f"  {t:<12} {v['n']:>4}  {v['accuracy']:.2f}  {v['literal_accuracy']:.2f}     {v['actor_match']:.2f}"
            f"   {v['recipient_match']:.2f}"
            for t, v in result["per_type"].items()
        ),
        "",
        "confusion (gold -> predicted counts):",
    ]
    for gold, counts in result["confusion"].items():
        cells = ", ".join(f"{p} {n}" for p, n in sorted(counts.items(), key=lambda kv: -kv[1]))
        lines.append(f"  {gold:<10} {cells}")
    lines += ["", "misses:"]
    for miss in result["misses"]:
        lines.append(
            f"  {miss['id']}: gold {miss['gold_type']}, got {miss['predicted_type']} "
            f"(trigger {miss['trigger']!r}) | {miss['text'][:110]}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, required=True, help="PLOVER gold records (JSON list)")
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    parser.add_argument("--leave-one-type-out", action="store_true", help="score each type without its hand entries")
    args = parser.parse_args(argv)
    if args.leave_one_type_out:
        result = leave_one_type_out(args.gold)
        print(json.dumps(result, indent=1) if args.json else format_leave_one_type_out(result))
        return
    result = evaluate_events(args.gold)
    print(json.dumps(result, indent=1, default=str) if args.json else format_report(result))


if __name__ == "__main__":
    main()
