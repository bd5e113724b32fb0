"""Build transforms/events/data/cameo_lexicon.json from the CAMEO verb dictionary and the CAMEO -> PLOVER table.

    python scripts/build_cameo_lexicon.py [--table ../shared/corpus/plover/CAMEO2PLOVER-2021.txt]

Reads transforms/events/data/cameo_verbs.txt (PETRARCH2's CAMEO verb dictionary, MIT) and the CAMEO2PLOVER table
(PLOVER manual draft 0.8, CC BY-SA 4.0), offline; the pipeline only reads the JSON this writes:

- `verbs`: lemma -> [its own code, its class's code, [its blocks]]. The own code is the one the dictionary gives the
  verb, or its block's for the verb the block is named after ("KILL"); the other members of a block are WordNet
  synonyms ("dominate" in DESTROY) and keep the block's code only as their class's (null: no code);
- `blocks`: per verb block, its patterns [[subject words, object words, prepositional phrases, code], ...]; a
  prepositional phrase is [preposition, its words...] ("(AGAINST GOVERNMENT)"). A word is a list of alternatives
  (a synonym set expanded; a multi-word one by its head word); one ending in "_" is an exact word, else a stem, as
  in TABARI's dictionaries. Code null: in that context the verb reports no event ("cut production");
- `phrases`: phrasal verbs ("cordon off", "wage war") -> code;
- `plover_of_code`: CAMEO code -> [PLOVER type, mode]. CAMEO 01 (public statements) has no PLOVER type; CAMEO 02
  (appeals) has no line in the table and takes REQUEST with the mode of the matching 10 code, as PLOVER's REQUEST
  covers both; a code missing from the table takes its parent's.
Run it again after editing cameo_verbs.txt; it needs no network.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "transforms" / "events" / "data"
DEFAULT_TABLE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "plover" / "CAMEO2PLOVER-2021.txt"
BLOCK = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]")
CODE = re.compile(r"\[([^\]]*)\]\s*$")
# Pattern markers for actors and the verb's own position; they are not words to match.
MARKERS = {"$", "+", "^", "%", "*", "-"}
TABLE_LINE = re.compile(r"^(\d{2,4}):\s*([A-Z]+)\s*(?:,\s*([^,#]*))?")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", type=Path, default=DEFAULT_TABLE, help="CAMEO2PLOVER-2021.txt")
    args = parser.parse_args(argv)
    synonyms, verbs, blocks, phrases = read_dictionary((DATA_DIR / "cameo_verbs.txt").read_text(encoding="utf-8"))
    lexicon = {
        "_about": (
            "Derived by scripts/build_cameo_lexicon.py from cameo_verbs.txt (PETRARCH2 CAMEO verb dictionary, "
            "Open Event Data Alliance, MIT) and CAMEO2PLOVER-2021.txt (PLOVER manual draft 0.8, Open Event Data "
            "Alliance, CC BY-SA 4.0). Do not edit by hand."
        ),
        "plover_of_code": plover_of_code(args.table.read_text(encoding="utf-8"), verbs, blocks, phrases),
        "verbs": verbs,
        "blocks": [expand(patterns, synonyms) for patterns in blocks],
        "phrases": phrases,
    }
    out = DATA_DIR / "cameo_lexicon.json"
    out.write_text(json.dumps(lexicon, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{out}: {len(verbs)} verbs, {sum(len(p) for p in blocks)} patterns, {len(phrases)} phrases")


def read_dictionary(text: str) -> tuple[dict, dict, list, dict]:
    synonyms: dict[str, list[str]] = {}
    verbs: dict[str, list] = {}
    blocks: list[list] = []
    phrases: dict[str, str | None] = {}
    current_set, block_code = None, None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("&"):
            current_set = line.rstrip("_")
            synonyms[current_set] = []
        elif line.startswith("+") and current_set is not None:
            synonyms[current_set].append(line[1:].strip().lower())
        elif match := BLOCK.match(line):
            current_set, block_code = None, code_of(match.group(2))
            block_verb = match.group(1).split("_")[0].lower()
            blocks.append([])
        elif line.startswith("- "):
            pattern = pattern_words(line)
            if pattern[:3] not in [p[:3] for p in blocks[-1]]:
                blocks[-1].append(pattern)
        elif current_set is None:
            found = CODE.search(line)
            word = CODE.sub("", line).strip().lower()
            own = code_of(found.group(1)) if found else (block_code if word == block_verb else None)
            if word.startswith("+"):
                # A phrasal verb ("+CALL_OFF") codes the phrase, not its verb ("call").
                phrases.setdefault(" ".join(word[1:].split("_")), code_of(found.group(1)) if found else block_code)
                continue
            entry = verbs.setdefault(word, [own, block_code, []])
            entry[0], entry[1] = entry[0] or own, entry[1] or block_code
            if len(blocks) - 1 not in entry[2]:
                entry[2].append(len(blocks) - 1)
    return synonyms, verbs, blocks, phrases


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


def plover_of_code(table: str, verbs: dict, blocks: list, phrases: dict) -> dict[str, list[str] | None]:
    known: dict[str, list[str]] = {}
    for line in table.splitlines():
        if match := TABLE_LINE.match(line.strip()):
            code, event_type, mode = match.group(1), match.group(2), (match.group(3) or "").strip()
            known.setdefault(code, [event_type, mode])
    used = {c for own, group, _ in verbs.values() for c in (own, group) if c} | {c for c in phrases.values() if c}
    used |= {p[3] for patterns in blocks for p in patterns if p[3]}
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
