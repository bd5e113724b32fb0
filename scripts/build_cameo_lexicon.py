"""Build transforms/events/data/cameo_lexicon.json from the CAMEO verb dictionary and the CAMEO -> PLOVER table.

    python scripts/build_cameo_lexicon.py [--table ../shared/corpus/plover/CAMEO2PLOVER-2021.txt]

Reads transforms/events/data/cameo_verbs.txt (PETRARCH2's CAMEO verb dictionary, MIT) and the CAMEO2PLOVER table
(PLOVER manual draft 0.8, CC BY-SA 4.0), offline; the pipeline only reads the JSON this writes:

- `verbs`: lemma -> [its own code, its class's code, its patterns, [its uncoded classes]]. The own code is the one the dictionary gives the
  verb, or its block's for the verb the block is named after ("KILL"); the other members of a block are WordNet
  synonyms ("dominate" in DESTROY) and keep the block's code only as their class's (null: no code). A pattern
  belongs to the verbs its comment names ("- * {ARMS SHIPMENT} [072] # EXPEDITE" is EXPEDITE's, not RUSH's), as
  CAMEO.2.0.txt writes each pattern under the verb it was found for; a name in another form ("CALLED_OFF") is
  read as its verb ("CALL_OFF"), one of another block as that verb ("CONCLUDE" in CANCEL), and one naming no verb
  of the dictionary ("URGE" in DEMAND) as the pattern of the verb its block is named after;
- a verb whose patterns with one preposition and different objects agree on a PLOVER quad class ("clash (OVER
  IMPRISONMENT)", "(OVER EFFORTS)" 110, "(OVER PLAN)" 127: verbal conflict) reads that preposition as a frame: it
  gets "* (OVER)" with their commonest code, for the objects the dictionary does not list ("clashed over the
  policy"); where they disagree ("appeal (FOR RELEASE)" 0253, "(FOR &FOOD)" 0233), the object decides, and a
  preposition of place or time ("in", "during") is never a frame ("demonstrated in the capital");
- `classes`: per verb block without a code of its own ("---  START   [---]": start, begin, launch, open...), the
  patterns of all its verbs. Such a verb takes its event from its object alone, so the pipeline reads it by its
  synonyms' patterns where none of its own fits ("began a hunger strike" as START's "* {HUNGER STRIKE}");
- a pattern is [subject words, object words, prepositional phrases, code]; a prepositional phrase is
  [preposition, its words...] ("(AGAINST GOVERNMENT)"). A word is a list of alternatives (a synonym set expanded;
  a multi-word one by its head word); one ending in "_" is an exact word, else a stem, as in TABARI's
  dictionaries. Code null: in that context the verb reports no event ("cut production");
- `phrases`: phrasal verbs ("cordon off", "carry out") -> [code, their patterns] ("carry out * RAID" 190);
- `plover_of_code`: CAMEO code -> [PLOVER type, mode]. CAMEO 01 (public statements) has no PLOVER type; CAMEO 02
  (appeals) has no line in the table and takes REQUEST with the mode of the matching 10 code, as PLOVER's REQUEST
  covers both; a code missing from the table takes its parent's.
Run it again after editing cameo_verbs.txt; it needs no network.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "transforms" / "events" / "data"
QUADS = DATA_DIR / "plover.json"
DEFAULT_TABLE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "plover" / "CAMEO2PLOVER-2021.txt"
BLOCK = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]")
CODE = re.compile(r"\[([^\]]*)\]\s*$")
# Pattern markers for actors and the verb's own position; they are not words to match.
MARKERS = {"$", "+", "^", "%", "*", "-"}
TABLE_LINE = re.compile(r"^(\d{2,4}):\s*([A-Z]+)\s*(?:,\s*([^,#]*))?")
# Prepositions that introduce where or when an act happens rather than what it is about: never a frame.
SETTING_PREPOSITIONS = frozenset(
    "in at on near during after before since until inside outside within throughout".split()
)
# Regular endings a pattern's owner may carry ("CALLED_OFF", "STEPPED_UP", "RULED_OUT"): -ed, -d, -ing, -s.
ENDINGS = ("ed", "d", "ing", "s")


@dataclass
class Block:
    """One verb block: its code, its verbs (lemma -> own code), its phrasal verbs and its patterns with owners."""

    name: str
    code: str | None
    verbs: dict[str, str | None] = field(default_factory=dict)
    phrases: dict[str, str | None] = field(default_factory=dict)
    patterns: list[tuple[list, list[str]]] = field(default_factory=list)  # (pattern, owner names as written)

    @property
    def head(self) -> str:
        """The verb the block is named after ("KILL", "MEET" of MEET_PEOPLE)."""
        return self.name.split("_")[0].lower()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", type=Path, default=DEFAULT_TABLE, help="CAMEO2PLOVER-2021.txt")
    args = parser.parse_args(argv)
    synonyms, blocks = read_dictionary((DATA_DIR / "cameo_verbs.txt").read_text(encoding="utf-8"))
    verbs, phrases, classes, skipped = compile_blocks(blocks, synonyms)
    codes = plover_of_code(args.table.read_text(encoding="utf-8"), verbs, phrases)
    quad_of_type = json.loads(QUADS.read_text(encoding="utf-8"))["quad_class"]
    frames = add_preposition_frames(verbs, lambda code: quad_of_type[codes[code][0]] if codes.get(code) else code)
    lexicon = {
        "_about": (
            "Derived by scripts/build_cameo_lexicon.py from cameo_verbs.txt (PETRARCH2 CAMEO verb dictionary, "
            "Open Event Data Alliance, MIT) and CAMEO2PLOVER-2021.txt (PLOVER manual draft 0.8, Open Event Data "
            "Alliance, CC BY-SA 4.0). Do not edit by hand."
        ),
        "plover_of_code": codes,
        "verbs": verbs,
        "phrases": phrases,
        "classes": classes,
    }
    out = DATA_DIR / "cameo_lexicon.json"
    out.write_text(json.dumps(lexicon, sort_keys=True) + "\n", encoding="utf-8")
    patterns = sum(len(entry[2]) for entry in verbs.values()) + sum(len(entry[1]) for entry in phrases.values())
    print(
        f"{out}: {len(verbs)} verbs, {len(phrases)} phrases, {patterns} verb patterns ({frames} preposition frames;"
        f" {skipped} skipped: no owner)"
    )


def read_dictionary(text: str) -> tuple[dict[str, list[str]], list[Block]]:
    synonyms: dict[str, list[str]] = {}
    blocks: list[Block] = []
    current_set = None
    for raw in text.splitlines():
        line, _, comment = raw.strip().partition("#")
        line = line.strip()
        if not line:
            continue
        if line.startswith("&"):
            current_set = line.rstrip("_")
            synonyms[current_set] = []
        elif line.startswith("+") and current_set is not None:
            synonyms[current_set].append(line[1:].strip().lower())
        elif match := BLOCK.match(line):
            current_set = None
            blocks.append(Block(match.group(1), code_of(match.group(2))))
        elif line.startswith("- "):
            blocks[-1].patterns.append((pattern_words(line), comment.split()))
        elif current_set is None:
            read_member(blocks[-1], line)
    return synonyms, blocks


def read_member(block: Block, line: str) -> None:
    """A verb of the block ("ACCUSE [112]") or a phrasal verb ("+CALL_OFF [160]"), with its own code if any."""
    found = CODE.search(line)
    word = CODE.sub("", line).strip().lower()
    if word.startswith("+"):
        # A phrasal verb codes the phrase, not its verb ("call" of "call off").
        block.phrases[" ".join(word[1:].split("_"))] = code_of(found.group(1)) if found else block.code
        return
    block.verbs[word] = code_of(found.group(1)) if found else (block.code if word == block.head else None)


def compile_blocks(blocks: list[Block], synonyms: dict[str, list[str]]) -> tuple[dict, dict, list, int]:
    """Verbs and phrasal verbs with the patterns written for them (a verb in several blocks gathers its own from
    each), and the patterns of each block without a code. Returns (verbs, phrases, classes, patterns whose comment
    names no verb of the dictionary)."""
    verbs: dict[str, list] = {}
    phrases: dict[str, list] = {}
    for block in blocks:
        for word, own in block.verbs.items():
            entry = verbs.setdefault(word, [own, block.code, [], []])
            entry[0], entry[1] = entry[0] or own, entry[1] or block.code
        for phrase, code in block.phrases.items():
            phrases.setdefault(phrase, [code, []])
    classes: list[list] = []
    skipped = 0
    for block in blocks:
        shared: list = []
        for pattern, names in block.patterns:
            owners = owners_of(names, block, verbs, phrases)
            skipped += not owners
            for owner in owners:
                add_pattern(verbs[owner][2] if owner in verbs else phrases[owner][1], pattern)
            if owners & block.verbs.keys():
                add_pattern(shared, pattern)
        if block.code is None and shared and len(block.verbs) > 1:
            for word in block.verbs:
                verbs[word][3].append(len(classes))
            classes.append(expand(shared, synonyms))
    for entry in verbs.values():
        entry[2] = expand(entry[2], synonyms)
    for entry in phrases.values():
        entry[1] = expand(entry[1], synonyms)
    return verbs, phrases, classes, skipped


def add_pattern(patterns: list, pattern: list) -> None:
    if pattern[:3] not in [p[:3] for p in patterns]:
        patterns.append(pattern)


def owners_of(names: list[str], block: Block, verbs: dict, phrases: dict) -> set[str]:
    owners = {owner_of(name, block, verbs, phrases) for name in names} - {None}
    if not owners and block.head in block.verbs:
        # A verb of no block ("URGE" in DEMAND) had its patterns merged into this one: they are its verb's.
        owners = {block.head}
    return owners


def owner_of(name: str, block: Block, verbs: dict, phrases: dict) -> str | None:
    """The verb or phrasal verb a pattern's comment names: 'EXPEDITE' -> 'expedite', 'CALLED_OFF' -> 'call off',
    'STEPPED_UP' -> 'step up', 'KILLED_AND' (a coordination) -> 'kill'. A member of the pattern's block first; else a
    verb of another block the pattern was copied from ('CONCLUDE' in CANCEL is FINISH's); None for a name that is
    no verb of the dictionary."""
    first, *rest = name.lower().replace("_", " ").split()
    stems = [first, *base_forms(first)]
    in_block = [" ".join([stem, *rest]) for stem in stems] + stems
    found = next((c for c in in_block if c in block.verbs or c in block.phrases), None)
    return found or next((c for c in in_block[: len(stems)] if c in verbs or c in phrases), None)


def base_forms(word: str) -> list[str]:
    """Candidate bases of a regularly inflected word: 'called' -> 'call', 'stepped' -> 'step', 'ruled' -> 'rule'."""
    forms = []
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)]
            forms += [stem, stem + "e", stem[:-1] if stem[-1] == stem[-2] else stem]
    if word.endswith("ied"):
        forms.append(word[:-3] + "y")
    return forms


def add_preposition_frames(verbs: dict, quad: Callable[[str | None], str | None]) -> int:
    """Give each verb "* (PREP)" where its patterns "* (PREP OBJECT)" (two or more, no other words) agree on the
    quad class of their codes (`quad`: code -> quad class, or the code itself where it has no PLOVER type), with
    their commonest code. Returns how many were added."""
    added = 0
    for entry in verbs.values():
        frames: dict[str, list[str | None]] = {}
        bare = set()
        for subject, objects, phrases, code in entry[2]:
            if subject or objects or len(phrases) != 1:
                continue
            preposition, *words = phrases[0]
            for alternative in preposition:
                if words:
                    frames.setdefault(alternative, []).append(code)
                else:
                    bare.add(alternative)
        for preposition, codes in frames.items():
            agree = len({quad(code) for code in codes}) == 1
            if len(codes) > 1 and agree and preposition not in bare | SETTING_PREPOSITIONS:
                entry[2].append([[], [], [[[preposition]]], Counter(codes).most_common(1)[0][0]])
                added += 1
    return added


def code_of(bracket: str) -> str | None:
    """'042:043' -> '042' (the verb's own reading), ':173' -> '173', '---' -> None."""
    first, _, second = bracket.partition(":")
    code = first.strip() or second.strip()
    code = code.rstrip("!")
    return code if code.isdigit() else None


def pattern_words(line: str) -> list:
    """'- POLICE * DEMONSTRATORS (DURING PROTEST) [175]' -> [['police'], ['demonstrators'], [['during', 'protest']],
    '175']."""
    found = CODE.search(line)
    code = code_of(found.group(1)) if found else None
    before, _, after = CODE.sub("", line)[1:].partition("*")
    phrases = [words_of(group) for group in re.findall(r"\(([^)]*)\)", after)]
    objects = words_of(re.sub(r"\([^)]*\)", " ", after))
    return [words_of(before), objects, [p for p in phrases if p], code]


def words_of(text: str) -> list[str]:
    cleaned = re.sub(r"[(){}]", " ", text)
    return [w.lower() for w in cleaned.split() if w not in MARKERS]


def expand(entries: list, synonyms: dict[str, list[str]]) -> list:
    """Each word becomes its list of alternatives; the most specific patterns (most words) come first."""

    def alternatives(word: str) -> list[str]:
        # A multi-word alternative ("machine gun", "to_withdraw") is matched by its last word, its head.
        found = synonyms.get(word.upper().rstrip("_"), []) if word.startswith("&") else [word]
        heads = [w.replace("_", " ").split()[-1] + ("_" if w.endswith("_") else "") for w in found if w.strip("_ ")]
        return list(dict.fromkeys(heads))

    expanded = [
        [
            [alternatives(w) for w in before],
            [alternatives(w) for w in objects],
            [[alternatives(w) for w in phrase] for phrase in phrases],
            code,
        ]
        for before, objects, phrases, code in entries
    ]
    return sorted(expanded, key=lambda e: -(len(e[0]) + len(e[1]) + sum(map(len, e[2]))))


def plover_of_code(table: str, verbs: dict, phrases: dict) -> dict[str, list[str] | None]:
    known: dict[str, list[str]] = {}
    for line in table.splitlines():
        if match := TABLE_LINE.match(line.strip()):
            code, event_type, mode = match.group(1), match.group(2), (match.group(3) or "").strip()
            known.setdefault(code, [event_type, mode])
    used = {c for own, group, *_ in verbs.values() for c in (own, group) if c} | {c for c, _ in phrases.values() if c}
    used |= {p[3] for entry in verbs.values() for p in entry[2] if p[3]}
    used |= {p[3] for _, patterns in phrases.values() for p in patterns if p[3]}
    return {code: plover_type(code, known) for code in sorted(used)}


def plover_type(code: str, known: dict[str, list[str]]) -> list[str] | None:
    if code.startswith("01"):
        return None
    if code.startswith("02"):
        # An appeal is a request: take the mode of the matching demand code (026 -> 106 'meet').
        return ["REQUEST", plover_type("10" + code[2:], known)[1]]
    return next((known[prefix] for prefix in (code, code[:3], code[:2]) if prefix in known), None)


if __name__ == "__main__":
    main()
