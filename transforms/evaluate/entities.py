"""Mentions, coreference and quote sources scored against GUM (`wirehouse eval entities --gold FILE_OR_DIR`).

Each GUM document (`gum.jsonl`; `--gold` takes the file or its folder) goes through the real extraction
(`transforms.extract.extract_articles`, the caller passes it in; the body is the document's text, so GUM's offsets
index it) and is scored on the `mentions` and `quotes` frames (no `mentions` frame, or an empty one, scores 0 on
the mention figures; the quote figures still count). The gold is read without a model: every word list below is this module's own, so the evaluator
does not share the lexicon of the code it judges.

Gold entities and their names
- The gold people and organisations are GUM entities whose mentions are mostly typed `person` or `organization`.
- A gold mention is a *proper name* when its part before any appositive, parenthesis or relative clause ("Mary
  Chaworth, whom he met ...") ends in a run of capitalised words (name particles such as "of", "de", "van"
  allowed inside: "University of Helsinki", "Patrizia d'Ettorre") preceded by no preposition, conjunction or verb
  ("the younger John Edleston", "Russian Foreign Ministry spokeswoman Maria Zakharova" name someone; "a friend of
  Obama" does not). Leading titles and role words are dropped ("Biologist Nick Bos" -> "Nick Bos"), a person's
  name ends before "of" ("Napoleon III of France"), and none is a pronoun, a heading in capitals, a kind ("a
  Republican") or a sentence-initial word the document also writes in lower case ("Scientists").
- An entity is *named* when one of its mentions is a proper name. Its *fullest name* is the proper name with the
  most words once normalised by `transforms.entities.keys.entity_key` (ties: the most frequent, then the first);
  its *names* are the keys of all its proper names. The Wikipedia link is not used: the article's own words are
  what the pipeline can name an entity by.
- Gold mention types, the same five the `mentions` table uses: `pronoun` (personal, possessive, reflexive,
  relative and demonstrative pro-forms), `name` (a proper name whose key is the fullest name's), `partial_name`
  (another proper name: "Bos" for "Nick Bos"), `group` (an organisation's nominal, a plural or coordinated
  nominal, a collective noun: "the team", "Bos and colleagues") and `role` (any other nominal of one person:
  "the spokeswoman", "his father").

Mentions
- Alignment: a predicted mention and a gold mention (of any entity type) align when their spans are equal, or
  when they overlap and share their head word, the same token of the text (the head of a span is its last word
  before a post-modifier: a comma, a parenthesis, "of", "who", "and" ...; a possessive 's is dropped). Pairs are
  taken one to one, exact spans first, then by the larger character Jaccard overlap.
- Mention detection: recall = gold person/organisation mentions aligned / gold person/organisation mentions;
  precision = predicted mentions aligned to a gold person/organisation mention / predicted mentions (a predicted
  mention aligned to a place or an object is a detection error).
- Resolution (the headline): over the gold person/organisation mentions of *named* entities, a mention is
  *right* when its aligned prediction's `entity_name` has the key of the gold entity's fullest name. Recall =
  right / those gold mentions (unaligned and unresolved ones count as misses); precision = right / the resolved
  predictions that claim one (those aligned to a named entity's mention, plus those aligned to an unnamed
  entity's mention whose name is the name of some named gold entity of the document: a wrong link). A resolved
  prediction aligned to an unnamed entity with a name no gold entity has (a description, "a White House
  official") is counted apart, neither right nor wrong. `entity` is the lenient figure: the name is one of the
  gold entity's names, or part of its fullest name ending as it does ("Otto Jespersen" for "Jens Otto Harry
  Jespersen"): the right entity, maybe not by its fullest name. Both are reported per gold mention type.
- Coreference: MUC, B-cubed and LEA (Moosavi and Strube 2016, which weighs entities by size and counts resolved
  singletons) over the person/organisation mentions, pooled over documents as the CoNLL scorer does. Gold
  clusters are the GUM entities; predicted clusters the predicted mentions grouped by `entity_key`, an unresolved
  mention alone; a prediction aligned to no gold person/organisation mention stays in as a mention gold lacks.

Attributions (quotes)
- A predicted quote and a GUM attribution *match* when their content spans share at least half of the shorter
  span's characters; pairs are taken one to one by the larger Jaccard overlap. Quote precision = predictions
  matched to any attribution / predictions; recall = quote-like attributions matched / quote-like attributions.
  Quote-like: the cue is a speech cue (`quotes.is_speech_cue`) or the content opens or closes with a quotation
  mark; GUM's thoughts ("I think") and its cue-less credits, bylines and speaker labels are not, unless quoted.
- Source, for every matched pair whose attribution names a source: when the gold source entity is named, right
  when the quote's `speaker` has the key of its fullest name (lenient `entity`: as for mentions); when it is
  unnamed (or the source is no mention), right when the quote's speaker mention overlaps a gold mention of that
  entity (or the gold source span). Split by the gold source mention's type (name, partial_name, pronoun, role,
  group), and for floating quotes: no cue in GUM, no cue in ours.

Figures are given for all the documents run and for GUM's train, dev and test splits apart (keep test for a
check), and the main ones per genre.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from transforms.entities.keys import entity_key
from transforms.evaluate.quotes import QUOTE_MARKS, is_speech_cue

PERSON_TYPES = frozenset({"person", "organization"})
SPLITS = ("train", "dev", "test")
MENTION_TYPES = ("name", "partial_name", "role", "pronoun", "group")
THRESHOLD = 0.5  # share of the shorter content span two attributions must share

PRONOUNS = frozenset(
    "i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his himself she her "
    "hers herself it its itself they them their theirs themselves one oneself who whom whose which that this these "
    "those there here someone somebody anyone anybody everyone everybody noone nobody y'all ya".split()
)
# A determiner that makes a capitalised word a kind, not a name ("a Republican"; but "a Dr. Bailey").
INDEFINITES = frozenset("a an some any every each another".split())
# Titles and role words that stand before a name without being part of it ("President", "Biologist").
TITLE_WORDS = frozenset(
    "mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend father sister brother president "
    "vice prime minister secretary senator sen rep representative congressman congresswoman gov governor mayor "
    "gen general major brigadier col colonel capt captain lt lieutenant sgt sergeant admiral commander chancellor king "
    "queen prince "
    "princess emperor empress pope bishop archbishop cardinal rabbi imam judge justice chief chairman chairwoman "
    "chair ceo cfo coo founder co-founder director manager coach spokesman spokeswoman spokesperson ambassador "
    "envoy candidate nominee former first late deputy earl duke duchess baron baroness count countess marquess viscount acting assistant associate biologist scientist researcher "
    "physicist chemist mathematician astronomer economist historian philosopher linguist psychologist sociologist "
    "doctor physician surgeon nurse author writer novelist poet journalist reporter correspondent editor "
    "columnist photographer artist painter sculptor actor actress singer songwriter musician composer rapper "
    "producer designer architect engineer lawyer attorney prosecutor activist officer detective agent analyst "
    "player striker goalkeeper champion athlete interviewee host presenter anchor leader head member student "
    "teacher fellow curator owner executive president-elect madam".split()
)
# Words a name may hold between its capitalised words ("University of Helsinki", "Ludwig van Beethoven").
NAME_PARTICLES = frozenset(
    "of and & for the de del della di da du dos das van von der den la le bin ibn al el on".split()
)
# Collective nouns: a nominal headed by one is a group, not one person's role.
GROUP_NOUNS = frozenset(
    "team group couple family company government party committee board council army police staff crew band "
    "audience public community crowd class club department ministry agency administration firm organisation "
    "organization union parliament congress senate court jury faculty university school society association "
    "network media press coalition alliance panel commission household population majority minority pair".split()
)
# Words after which a span's head has been said: post-modifiers.
HEAD_BOUNDARIES = frozenset(
    ", ( ) ; : — – - who whom whose which that of in at from with for on to by about like as than and or but".split()
)
# Where a mention's name has ended: an appositive, a parenthesis or a relative clause follows.
POST_MODIFIERS = frozenset(", ( ; : — – who whom whose which that".split())
# Words that do not stand between a determiner and a name: prepositions, conjunctions, verbs of a clause.
NOT_BEFORE_NAMES = frozenset(
    "of in at from with for on to by about like as than and or but nor is was are were be been has have had "
    "said says met called named known".split()
)
TOKEN = re.compile(r"[^\s,;:()\[\]\"“”—–]+|[,;:()\[\]\"“”—–]")
CAPITALISED = re.compile(r"^(?:[a-z]{1,3}['’-])?[A-Z]")
NUMBER = re.compile(r"^[0-9][0-9.,]*$")
POSSESSIVE_END = re.compile(r"['’]s?$")
SENTENCE_END = tuple('.!?:"“”\n')
LOWER_WORD = re.compile(r"(?<![\w@.])[a-z][a-z'’-]*(?![\w@])")


# --- gold -------------------------------------------------------------------------------------------------------


@dataclass
class GoldMention:
    index: int
    start: int
    end: int
    text: str
    entity_id: int
    mention_type: str = "role"
    name: str | None = None  # the proper name it holds, when it is one


@dataclass
class GoldEntity:
    entity_id: int
    entity_type: str
    mentions: list[GoldMention] = field(default_factory=list)
    full_key: str | None = None  # key of the fullest proper name; None when the entity is unnamed
    full_name: str | None = None
    name_keys: frozenset[str] = frozenset()


@dataclass
class GoldAttribution:
    content: tuple[int, int]
    source: tuple[int, int]
    cue: tuple[int, int] | None
    source_entity_id: int | None
    relation: str
    quote_like: bool
    source_type: str | None  # mention type of the gold source mention


@dataclass
class GoldDocument:
    doc_id: str
    genre: str
    split: str
    text: str
    mentions: list[GoldMention]
    entities: dict[int, GoldEntity]
    attributions: list[GoldAttribution]

    def person_mentions(self) -> list[GoldMention]:
        return [m for m in self.mentions if m.entity_id in self.entities]


def tokens(text: str, offset: int = 0) -> list[tuple[int, int, str]]:
    return [(offset + t.start(), offset + t.end(), t.group()) for t in TOKEN.finditer(text)]


def _bare(word: str) -> str:
    return POSSESSIVE_END.sub("", word).rstrip(".").lower()


def _at_sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" ")
    return not before or before.endswith(SENTENCE_END)


def proper_name(text: str, start: int, end: int, lower_words: frozenset[str], person: bool = False) -> str | None:
    """The proper name the span is (see the module docstring), titles dropped; None when it is none. A person's
    name ends before "of" ("David McIntosh of the Club for Growth", "Napoleon III of France")."""
    words = tokens(text[start:end], start)
    modifiers = POST_MODIFIERS | {"of"} if person else POST_MODIFIERS
    cut = next((i for i, (_, _, w) in enumerate(words) if i and w.lower() in modifiers), len(words))
    words = words[:cut]
    run: list[tuple[int, int, str]] = []
    for token in reversed(words):
        word = token[2]
        if CAPITALISED.match(word) or NUMBER.match(word) or (run and word.lower() in NAME_PARTICLES):
            run.insert(0, token)
        else:
            break
    while run and (run[0][2].lower() in NAME_PARTICLES or NUMBER.match(run[0][2])):
        run.pop(0)
    before = words[: len(words) - len(run)]
    if not run or any(not _may_precede_name(w) for _, _, w in before):
        return None
    titled = False
    while run and _bare(run[0][2]) in TITLE_WORDS:
        run.pop(0)
        titled = True
    if len(run) == 1 and not titled and words[0][2].lower() in INDEFINITES:
        return None
    if len(run) == 1 and run[0][0] == start and _at_sentence_start(text, start) and _bare(run[0][2]) in lower_words:
        return None  # "Scientists" opening a sentence
    while run and run[0][2].lower() in NAME_PARTICLES:
        run.pop(0)
    if not run or all(_bare(w) in PRONOUNS for _, _, w in run) or _heading(run):
        return None
    return POSSESSIVE_END.sub("", text[run[0][0] : run[-1][1]]) or None


def _heading(run: list[tuple[int, int, str]]) -> bool:
    """Words in capitals, as headings have them ("AFRICAN AMERICAN SOLDIERS"; an acronym alone is a name)."""
    long_words = [w for _, _, w in run if len(w.strip(".")) > 3]
    return len(run) > 1 and bool(long_words) and all(w.isupper() for w in long_words)


def _may_precede_name(word: str) -> bool:
    """Determiners, titles, capitalised words and modifiers ("the younger John Edleston"), not a preposition or
    a conjunction ("a friend of Obama", "Bos and Smith")."""
    return word.lower() not in NOT_BEFORE_NAMES and word not in HEAD_BOUNDARIES


def head(text: str, start: int, end: int) -> int | None:
    """Offset of the span's head word: its last word before a post-modifier."""
    words = tokens(text[start:end], start)
    last = None
    for i, (s, _, word) in enumerate(words):
        if i and word.lower() in HEAD_BOUNDARIES:
            break
        if word not in HEAD_BOUNDARIES:
            last = s
    return last


def _mention_type(mention: GoldMention, entity: GoldEntity, text: str) -> str:
    if _bare(mention.text) in PRONOUNS or mention.text.lower() in PRONOUNS:
        return "pronoun"
    if mention.name is not None:
        return "name" if entity_key(mention.name) == entity.full_key else "partial_name"
    head_at = head(text, mention.start, mention.end)
    head_word = _bare(TOKEN.match(text, head_at).group()) if head_at is not None else ""
    plural = head_word.endswith("s") and not head_word.endswith(("ss", "us", "is"))
    coordinated = " and " in mention.text or " & " in mention.text
    if entity.entity_type == "organization" or plural or coordinated or head_word in GROUP_NOUNS:
        return "group"
    return "role"


def read_document(record: dict) -> GoldDocument:
    text = record["text"]
    lower_words = frozenset(LOWER_WORD.findall(text))  # only words written in lower case somewhere
    mentions = [
        GoldMention(i, m["start"], m["end"], m["text"], m["entity_id"]) for i, m in enumerate(record["mentions"])
    ]
    types: dict[int, Counter] = defaultdict(Counter)
    for m in record["mentions"]:
        types[m["entity_id"]][m["entity_type"]] += 1
    entities: dict[int, GoldEntity] = {}
    for mention in mentions:
        entity_type = types[mention.entity_id].most_common(1)[0][0]
        if entity_type not in PERSON_TYPES:
            continue
        entity = entities.setdefault(mention.entity_id, GoldEntity(mention.entity_id, entity_type))
        entity.mentions.append(mention)
        mention.name = proper_name(text, mention.start, mention.end, lower_words, entity_type == "person")
    for entity in entities.values():
        _name_entity(entity)
        for mention in entity.mentions:
            mention.mention_type = _mention_type(mention, entity, text)
    attributions = [_attribution(a, text, mentions, entities) for a in record.get("attributions") or []]
    return GoldDocument(
        record["id"], record.get("genre", ""), record.get("split", ""), text, mentions, entities, attributions
    )


def _name_entity(entity: GoldEntity) -> None:
    names = [m.name for m in entity.mentions if m.name is not None and entity_key(m.name)]
    if not names:
        return
    counts = Counter(entity_key(n) for n in names)
    best = max(names, key=lambda n: (len(entity_key(n).split("_")), counts[entity_key(n)], -names.index(n)))
    entity.full_name, entity.full_key = best, entity_key(best)
    entity.name_keys = frozenset(counts)


def _attribution(raw: dict, text: str, mentions: list[GoldMention], entities: dict) -> GoldAttribution:
    content = tuple(raw["content"])
    source = tuple(raw["source"])
    cue = tuple(raw["cue"]) if raw.get("cue") else None
    body = text[content[0] : content[1]].strip()
    quoted = bool(body) and (body[0] in QUOTE_MARKS or body[-1] in QUOTE_MARKS or body[0] in "‘'")
    cue_text = " ".join(text[s:e] for s, e in raw.get("cue_parts") or ([cue] if cue else []))
    source_type = None
    entity_id = raw.get("source_entity_id")
    if entity_id in entities:
        holding = [m for m in entities[entity_id].mentions if m.start <= source[0] and source[1] <= m.end]
        exact = [m for m in entities[entity_id].mentions if (m.start, m.end) == source]
        chosen = exact or sorted(holding, key=lambda m: m.end - m.start)
        source_type = chosen[0].mention_type if chosen else None
    elif _bare(text[source[0] : source[1]]) in PRONOUNS:
        source_type = "pronoun"
    return GoldAttribution(
        content=content,
        source=source,
        cue=cue,
        source_entity_id=entity_id,
        relation=raw.get("relation", ""),
        quote_like=(bool(cue_text) and is_speech_cue(cue_text)) or quoted,
        source_type=source_type,
    )


def read_gold(path: Path, split: str = "all", limit: int | None = None) -> list[GoldDocument]:
    """The GUM documents of `split` (train, dev, test or all) in file order, the first `limit` of them."""
    path = Path(path)
    if path.is_dir():
        path = path / "gum.jsonl"
    documents = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            if split != "all" and record.get("split") != split:
                continue
            documents.append(read_document(record))
            if limit and len(documents) >= limit:
                break
    return documents


# --- alignment ----------------------------------------------------------------------------------------------------


def _jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def align_mentions(document: GoldDocument, predicted: list[dict]) -> dict[int, int]:
    """Predicted mention index -> gold mention index, one to one: equal spans, then shared heads by overlap."""
    by_span = defaultdict(list)
    by_head = defaultdict(list)
    for g in document.mentions:
        by_span[(g.start, g.end)].append(g)
        by_head[head(document.text, g.start, g.end)].append(g)
    candidates = []
    for i, p in enumerate(predicted):
        span = (p["char_start"], p["char_end"])
        for g in by_span.get(span, []):
            candidates.append((2.0, g.entity_id in document.entities, -g.index, -i, i, g.index))
        for g in by_head.get(head(document.text, *span), []):
            if (g.start, g.end) != span and g.start < span[1] and span[0] < g.end:
                jaccard = _jaccard(span, (g.start, g.end))
                candidates.append((jaccard, g.entity_id in document.entities, -g.index, -i, i, g.index))
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for *_, i, g in sorted(candidates, reverse=True):
        if i not in pairs and g not in taken:
            pairs[i] = g
            taken.add(g)
    return pairs


def align_quotes(attributions: list[GoldAttribution], quotes: list[dict]) -> dict[int, int]:
    """Predicted quote index -> gold attribution index, one to one by Jaccard overlap of the contents, for pairs
    sharing at least THRESHOLD of the shorter content."""
    candidates = []
    for i, q in enumerate(quotes):
        span = (q["char_start"], q["char_end"])
        for j, a in enumerate(attributions):
            inter = max(0, min(span[1], a.content[1]) - max(span[0], a.content[0]))
            shorter = min(span[1] - span[0], a.content[1] - a.content[0])
            if inter and inter >= THRESHOLD * shorter:
                candidates.append((_jaccard(span, a.content), -j, -i, i, j))
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for *_, i, j in sorted(candidates, reverse=True):  # ties: the earlier attribution, the earlier quote
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
    return pairs


# --- scoring ------------------------------------------------------------------------------------------------------


def _key(name: str | None) -> str | None:
    return entity_key(name) or None if name else None


def score_document(document: GoldDocument, mentions: list[dict], quotes: list[dict]) -> Counter:
    """Every count one document contributes (summed over documents, they give every figure)."""
    counts = Counter()
    pairs = align_mentions(document, mentions)
    _score_detection(document, mentions, pairs, counts)
    _score_resolution(document, mentions, pairs, counts)
    _score_coreference(document, mentions, pairs, counts)
    _score_attributions(document, quotes, counts)
    return counts


def _score_detection(document: GoldDocument, mentions: list[dict], pairs: dict[int, int], counts: Counter) -> None:
    counts["mentions_gold"] += len(document.person_mentions())
    counts["mentions_predicted"] += len(mentions)
    for i, p in enumerate(mentions):
        gold = document.mentions[pairs[i]] if i in pairs else None
        person = gold is not None and gold.entity_id in document.entities
        counts["mentions_aligned"] += person
        counts["mentions_aligned_other_type"] += gold is not None and not person
        counts[f"predicted_type:{p.get('mention_type')}:predicted"] += 1
        counts[f"predicted_type:{p.get('mention_type')}:aligned"] += person


def _score_resolution(document: GoldDocument, mentions: list[dict], pairs: dict[int, int], counts: Counter) -> None:
    aligned = {g: mentions[i] for i, g in pairs.items()}
    named_keys = {e.full_key for e in document.entities.values() if e.full_key}
    named_keys |= {k for e in document.entities.values() for k in e.name_keys}
    for gold in document.person_mentions():
        entity = document.entities[gold.entity_id]
        prediction = aligned.get(gold.index)
        key = _key(prediction.get("entity_name")) if prediction else None
        if entity.full_key is None:
            if key is not None:
                counts["resolved_unnamed_gold"] += 1
                counts["resolution_claimed"] += key in named_keys  # a named entity's name on another entity
            continue
        prefix = f"type:{gold.mention_type}:"
        right, same_entity = key == entity.full_key, _names_entity(key, entity)
        for name, value in (
            ("gold", 1),
            ("found", prediction is not None),
            ("resolved", key is not None),
            ("right", right),
            ("entity", same_entity),
        ):
            counts[f"resolution_{name}"] += value
            counts[prefix + name] += value
        counts["resolution_claimed"] += key is not None


def _names_entity(key: str | None, entity: GoldEntity) -> bool:
    """The lenient figure: one of the entity's names, or part of its fullest name that ends as it does ("Otto
    Jespersen" for "Jens Otto Harry Jespersen")."""
    if key is None or entity.full_key is None:
        return False
    words, full = key.split("_"), entity.full_key.split("_")
    return key in entity.name_keys or (words[-1] == full[-1] and set(words) <= set(full))


def _score_coreference(document: GoldDocument, mentions: list[dict], pairs: dict[int, int], counts: Counter) -> None:
    gold_clusters = [frozenset(m.index for m in e.mentions) for e in document.entities.values()]
    person_indexes = {m.index for m in document.person_mentions()}
    response: dict[object, set] = defaultdict(set)
    for i, p in enumerate(mentions):
        mention_id = pairs[i] if pairs.get(i) in person_indexes else ("predicted", i)
        key = p.get("entity_key") or ("alone", i)
        response[key].add(mention_id)
    response_clusters = [frozenset(c) for c in response.values()]
    for metric, (numerator, denominator) in {
        "muc_recall": _muc(gold_clusters, response_clusters),
        "muc_precision": _muc(response_clusters, gold_clusters),
        "b3_recall": _b_cubed(gold_clusters, response_clusters),
        "b3_precision": _b_cubed(response_clusters, gold_clusters),
        "lea_recall": _lea(gold_clusters, response_clusters),
        "lea_precision": _lea(response_clusters, gold_clusters),
    }.items():
        counts[f"{metric}_num"] += numerator
        counts[f"{metric}_den"] += denominator


def _muc(keys: list[frozenset], responses: list[frozenset]) -> tuple[float, float]:
    where = {m: i for i, r in enumerate(responses) for m in r}
    numerator = denominator = 0
    for k in keys:
        parts = {where.get(m, ("alone", m)) for m in k}
        numerator += len(k) - len(parts)
        denominator += len(k) - 1
    return numerator, denominator


def _b_cubed(keys: list[frozenset], responses: list[frozenset]) -> tuple[float, float]:
    where = {m: i for i, r in enumerate(responses) for m in r}
    numerator = 0.0
    for k in keys:
        overlaps = Counter(where[m] for m in k if m in where)
        numerator += sum(n * n for n in overlaps.values()) / len(k)
    return numerator, sum(len(k) for k in keys)


def _lea(keys: list[frozenset], responses: list[frozenset]) -> tuple[float, float]:
    where = {m: i for i, r in enumerate(responses) for m in r}
    numerator = 0.0
    for k in keys:
        if len(k) == 1:
            (m,) = k
            numerator += m in where and len(responses[where[m]]) == 1
            continue
        overlaps = Counter(where[m] for m in k if m in where)
        numerator += len(k) * sum(n * (n - 1) / 2 for n in overlaps.values()) / (len(k) * (len(k) - 1) / 2)
    return numerator, sum(len(k) for k in keys)


def _score_attributions(document: GoldDocument, quotes: list[dict], counts: Counter) -> None:
    pairs = align_quotes(document.attributions, quotes)
    counts["quotes_predicted"] += len(quotes)
    counts["quotes_matched"] += len(pairs)
    counts["quotes_gold"] += sum(a.quote_like for a in document.attributions)
    counts["quotes_found"] += sum(document.attributions[j].quote_like for j in pairs.values())
    counts["attributions_gold"] += len(document.attributions)
    for i, j in pairs.items():
        gold, quote = document.attributions[j], quotes[i]
        right, same_entity = _source_right(document, gold, quote)
        groups = ["all", f"source:{gold.source_type or 'none'}"]
        if gold.cue is None:
            groups.append("floating:gold")
        if not quote.get("cue"):
            groups.append("floating:ours")
        if gold.quote_like:
            groups.append("quote_like")
        for group in groups:
            counts[f"source:{group}:n"] += 1
            counts[f"source:{group}:right"] += right
            counts[f"source:{group}:entity"] += same_entity


def _source_right(document: GoldDocument, gold: GoldAttribution, quote: dict) -> tuple[bool, bool]:
    entity = document.entities.get(gold.source_entity_id) if gold.source_entity_id is not None else None
    if entity is not None and entity.full_key:
        key = _key(quote.get("speaker"))
        return key == entity.full_key, _names_entity(key, entity)
    start, end = quote.get("speaker_char_start"), quote.get("speaker_char_end")
    if start is None or end is None:
        return False, False
    spans = [gold.source]
    if gold.source_entity_id is not None:
        spans += [(m.start, m.end) for m in document.mentions if m.entity_id == gold.source_entity_id]
    right = any(start < e and s < end for s, e in spans)
    return right, right


# --- figures ------------------------------------------------------------------------------------------------------


def _ratio(numerator: float, denominator: float) -> float:
    return round(numerator / denominator, 4) if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0


def figures(counts: Counter, documents: int) -> dict:
    """The reported figures from summed counts."""
    c = counts
    detection_p = _ratio(c["mentions_aligned"], c["mentions_predicted"])
    detection_r = _ratio(c["mentions_aligned"], c["mentions_gold"])
    resolution_p = _ratio(c["resolution_right"], c["resolution_claimed"])
    resolution_r = _ratio(c["resolution_right"], c["resolution_gold"])
    quotes_p = _ratio(c["quotes_matched"], c["quotes_predicted"])
    quotes_r = _ratio(c["quotes_found"], c["quotes_gold"])
    coreference = {}
    for metric in ("muc", "b3", "lea"):
        p = _ratio(c[f"{metric}_precision_num"], c[f"{metric}_precision_den"])
        r = _ratio(c[f"{metric}_recall_num"], c[f"{metric}_recall_den"])
        coreference[metric] = {"precision": p, "recall": r, "f1": _f1(p, r)}
    return {
        "documents": documents,
        "mention_detection": {
            "gold": c["mentions_gold"],
            "predicted": c["mentions_predicted"],
            "aligned": c["mentions_aligned"],
            "aligned_other_type": c["mentions_aligned_other_type"],
            "precision": detection_p,
            "recall": detection_r,
            "f1": _f1(detection_p, detection_r),
        },
        "resolution": {
            "gold": c["resolution_gold"],
            "found": c["resolution_found"],
            "resolved": c["resolution_resolved"],
            "claimed": c["resolution_claimed"],
            "right": c["resolution_right"],
            "entity": c["resolution_entity"],
            "precision": resolution_p,
            "recall": resolution_r,
            "f1": _f1(resolution_p, resolution_r),
            "entity_recall": _ratio(c["resolution_entity"], c["resolution_gold"]),
            "resolved_unnamed_gold": c["resolved_unnamed_gold"],
            "by_gold_type": {t: _type_figures(c, f"type:{t}:") for t in MENTION_TYPES},
            "by_predicted_type": {
                t: {
                    "predicted": c[f"predicted_type:{t}:predicted"],
                    "aligned": c[f"predicted_type:{t}:aligned"],
                    "precision": _ratio(c[f"predicted_type:{t}:aligned"], c[f"predicted_type:{t}:predicted"]),
                }
                for t in sorted({k.split(":")[1] for k in c if k.startswith("predicted_type:")})
            },
        },
        "coreference": coreference,
        "quotes": {
            "gold_quote_like": c["quotes_gold"],
            "gold_attributions": c["attributions_gold"],
            "predicted": c["quotes_predicted"],
            "matched": c["quotes_matched"],
            "found": c["quotes_found"],
            "precision": quotes_p,
            "recall": quotes_r,
            "f1": _f1(quotes_p, quotes_r),
        },
        "sources": {
            group: {
                "n": c[f"source:{group}:n"],
                "right": c[f"source:{group}:right"],
                "accuracy": _ratio(c[f"source:{group}:right"], c[f"source:{group}:n"]),
                "entity_accuracy": _ratio(c[f"source:{group}:entity"], c[f"source:{group}:n"]),
            }
            for group in _source_groups(c)
        },
    }


def _type_figures(c: Counter, prefix: str) -> dict:
    gold = c[prefix + "gold"]
    return {
        "gold": gold,
        "found": c[prefix + "found"],
        "resolved": c[prefix + "resolved"],
        "right": c[prefix + "right"],
        "accuracy": _ratio(c[prefix + "right"], gold),
        "accuracy_found": _ratio(c[prefix + "right"], c[prefix + "found"]),
        "entity_accuracy": _ratio(c[prefix + "entity"], gold),
    }


def _source_groups(c: Counter) -> list[str]:
    order = (
        ["all", "quote_like"] + [f"source:{t}" for t in (*MENTION_TYPES, "none")] + ["floating:gold", "floating:ours"]
    )
    present = {k.removesuffix(":n").removeprefix("source:") for k in c if k.startswith("source:") and k.endswith(":n")}
    return [g for g in order if g in present or g == "all"]


def score(documents: list[GoldDocument], predictions: dict[str, dict[str, list[dict]]]) -> dict:
    """Figures for all the documents, per split and per genre; `predictions[doc_id]` holds "mentions" and
    "quotes" row lists (a document missing from it predicted nothing)."""
    per_document = {
        d.doc_id: score_document(
            d, predictions.get(d.doc_id, {}).get("mentions", []), predictions.get(d.doc_id, {}).get("quotes", [])
        )
        for d in documents
    }

    def summed(docs: Iterable[GoldDocument]) -> tuple[Counter, int]:
        total, n = Counter(), 0
        for d in docs:
            total.update(per_document[d.doc_id])
            n += 1
        return total, n

    result = {"all": figures(*summed(documents))}
    result["by_split"] = {
        s: figures(*summed(d for d in documents if d.split == s))
        for s in SPLITS
        if any(d.split == s for d in documents)
    }
    result["by_genre"] = {
        g: figures(*summed(d for d in documents if d.genre == g)) for g in sorted({d.genre for d in documents})
    }
    return result


# --- running the pipeline -----------------------------------------------------------------------------------------


def articles_frame(documents: list[GoldDocument]) -> pl.DataFrame:
    """The GUM documents as rows of the articles table, the body exactly the gold text."""
    from transforms.schema import ARTICLES, conform

    rows = [
        {
            "article_id": d.doc_id,
            "title": d.doc_id,
            "body": d.text,
            "language": "en",
            "extracted_chars": len(d.text),
            "run_id": "eval-entities",
        }
        for d in documents
    ]
    return conform(rows, ARTICLES)


# The extraction under test: articles frame in, frames out ("mentions", "quotes", "extraction_failures").
# `transforms.extract.extract_articles`, passed in by the caller (`wirehouse eval entities`): evaluate and extract
# are sibling layers, so this module does not import it.
Extract = Callable[[pl.DataFrame], dict[str, pl.DataFrame]]


def predict(documents: list[GoldDocument], extract: Extract) -> tuple[dict[str, dict[str, list[dict]]], list[dict]]:
    """Run the extraction; (per document its "mentions" and "quotes" rows, the extraction failures). A missing or
    empty "mentions" frame predicts no mentions."""
    frames = extract(articles_frame(documents))
    predictions: dict[str, dict[str, list[dict]]] = {d.doc_id: {"mentions": [], "quotes": []} for d in documents}
    for table in ("mentions", "quotes"):
        frame = frames.get(table)
        if frame is None or frame.is_empty():
            continue
        for row in frame.sort("article_id", "char_start").iter_rows(named=True):
            predictions.setdefault(row["article_id"], {"mentions": [], "quotes": []})[table].append(row)
    failures = frames["extraction_failures"].to_dicts() if "extraction_failures" in frames else []
    return predictions, failures


def evaluate_entities(gold: Path, extract: Extract, limit: int | None = None, split: str = "all") -> dict:
    """Read the GUM documents of `split`, run `extract` over them and score it (see the module docstring)."""
    documents = read_gold(gold, split, limit)
    predictions, failures = predict(documents, extract)
    result = score(documents, predictions)
    result["gold"] = str(gold)
    result["split"] = split
    result["extraction_failures"] = failures
    result["mentions_table"] = any(p["mentions"] for p in predictions.values())
    return result


# --- report -------------------------------------------------------------------------------------------------------


def _section(title: str, f: dict) -> list[str]:
    md, rs, q = f["mention_detection"], f["resolution"], f["quotes"]
    lines = [
        f"{title} ({f['documents']} documents)",
        f"  mention detection  P {md['precision']:.3f}  R {md['recall']:.3f}  F1 {md['f1']:.3f}"
        f"  (gold {md['gold']}, predicted {md['predicted']}, aligned {md['aligned']},"
        f" aligned to other types {md['aligned_other_type']})",
        f"  resolution (fullest name)  P {rs['precision']:.3f}  R {rs['recall']:.3f}  F1 {rs['f1']:.3f}"
        f"  right {rs['right']}/{rs['gold']} (claimed {rs['claimed']});  right entity R {rs['entity_recall']:.3f};"
        f"  resolved on unnamed gold entities {rs['resolved_unnamed_gold']}",
        "    per gold mention type   gold   found  resolved  right  acc    acc|found  entity acc",
    ]
    for t, tf in rs["by_gold_type"].items():
        lines.append(
            f"    {t:<22} {tf['gold']:>5}  {tf['found']:>6}  {tf['resolved']:>8}  {tf['right']:>5}  "
            f"{tf['accuracy']:.3f}  {tf['accuracy_found']:.3f}      {tf['entity_accuracy']:.3f}"
        )
    if rs["by_predicted_type"]:
        lines.append(
            "    per predicted type (aligned to a gold person/org mention): "
            + ", ".join(f"{t} {v['aligned']}/{v['predicted']}" for t, v in rs["by_predicted_type"].items())
        )
    lines.append(
        "  coreference        "
        + "  ".join(
            f"{m.upper()} P {v['precision']:.3f} R {v['recall']:.3f} F1 {v['f1']:.3f}"
            for m, v in f["coreference"].items()
        )
    )
    lines.append(
        f"  quotes             P {q['precision']:.3f}  R {q['recall']:.3f}  F1 {q['f1']:.3f}"
        f"  (quote-like gold {q['gold_quote_like']} of {q['gold_attributions']} attributions,"
        f" predicted {q['predicted']}, matched {q['matched']}, quote-like found {q['found']})"
    )
    lines.append("    source of matched quotes   n     right  accuracy  entity acc")
    for group, sf in f["sources"].items():
        lines.append(
            f"    {group:<24} {sf['n']:>5}  {sf['right']:>6}  {sf['accuracy']:.3f}     {sf['entity_accuracy']:.3f}"
        )
    return lines


def format_report(result: dict) -> str:
    lines = [f"GUM entities and attributions: {result.get('gold', '')} (split {result.get('split', 'all')})"]
    if not result.get("mentions_table"):
        lines.append("  the extraction returned no mentions: mention figures are 0")
    for failure in result.get("extraction_failures") or []:
        lines.append(f"  extraction failed on {failure['article_id']}: {failure['reason']}")
    lines += _section("all", result["all"])
    for split, f in result["by_split"].items():
        lines += [""] + _section(split, f)
    lines += ["", "per genre       docs  mention F1  resolution P    R     quotes F1  source acc  (n)"]
    for genre, f in result["by_genre"].items():
        rs, src = f["resolution"], f["sources"]["all"]
        lines.append(
            f"  {genre:<14} {f['documents']:>4}  {f['mention_detection']['f1']:.3f}       {rs['precision']:.3f}  "
            f"{rs['recall']:.3f}   {f['quotes']['f1']:.3f}      {src['accuracy']:.3f}  ({src['n']})"
        )
    return "\n".join(lines)
