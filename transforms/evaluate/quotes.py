"""Quote attribution scored against PolNeAR gold (`python -m transforms.evaluate.quotes --gold DIR`).

Protocol (the one issue 3 fixes, so figures compare with published extractors):
- Gold: per article one annotator (the alphabetically first `.ann` file of the article), and of its attributions the
  "quote-like" ones: the cue is a speech/communication cue (`SPEECH_CUE_WORDS`, `SPEECH_CUE_PHRASES` below) or the
  content holds a quotation mark. Cues of thought, belief, intention or evidence ("think", "wants", "shows",
  "believe", "poll found") are not speech and their attributions count only when their content is quoted.
- A gold attribution is *found* when the union of predicted quote spans covers >= 50 % of its content characters.
- A prediction is *right* when >= 50 % of its characters lie inside the content of one gold attribution
  (any attribution, quote-like or not: reported thought is still attributed material, not a false quote).
- Speaker: for each found gold attribution that has a source span, the prediction overlapping its content most
  is right when its speaker mention overlaps the source span, or its resolved name shares a capitalised word
  with the source text.
- Speaker full name: for each found gold attribution whose source names someone (the source span ends in
  capitalised words, "President Trump", "Clinton", "the State Department"), the fullest form of that name the
  article gives: an occurrence of the source's name words extended to the left over capitalised words and initials
  ("Donald J. Trump"), stopping at titles, roles, party and nationality words and at a sentence-initial word the
  article also writes in lower case ("Then"). Where two different fuller names end so ("Hillary Clinton",
  "Bill Clinton") the attribution is counted as ambiguous and left out. Right when the speaker of the prediction
  overlapping the content most has that name's `entity_key`. Pronoun and role sources are left out: PolNeAR has
  no coreference to say whom they name (`eval entities` scores those against GUM).
- Extraction runs on the raw file text, since the gold offsets index it.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from transforms.entities.keys import entity_key
from transforms.nlp.loading import load_pipeline
from transforms.quotes.rows import attribute_article

THRESHOLD = 0.5
ANNOTATOR_SUFFIX = re.compile(r"_[0-9a-f]+\.ann")  # "<article>_4e07.ann": one file per annotator
QUOTE_MARKS = frozenset('"“”„«»')

# Communication verbs (every inflection is listed so that the gold filter needs no model) and phrases.
SPEECH_CUE_LEMMAS = {
    "say": "say says said saying",
    "tell": "tell tells told telling",
    "add": "add adds added adding",
    "write": "write writes wrote written writing",
    "ask": "ask asks asked asking",
    "note": "note notes noted noting",
    "report": "report reports reported reporting",
    "announce": "announce announces announced announcing",
    "argue": "argue argues argued arguing",
    "describe": "describe describes described describing",
    "tweet": "tweet tweets tweeted tweeting",
    "post": "post posts posted posting",
    "explain": "explain explains explained explaining",
    "declare": "declare declares declared declaring",
    "claim": "claim claims claimed claiming",
    "state": "state states stated stating",
    "insist": "insist insists insisted insisting",
    "warn": "warn warns warned warning",
    "promise": "promise promises promised promising",
    "pledge": "pledge pledges pledged pledging",
    "vow": "vow vows vowed vowing",
    "reply": "reply replies replied replying",
    "respond": "respond responds responded responding",
    "answer": "answer answers answered answering",
    "acknowledge": "acknowledge acknowledges acknowledged acknowledging",
    "admit": "admit admits admitted admitting",
    "concede": "concede concedes conceded conceding",
    "deny": "deny denies denied denying",
    "confirm": "confirm confirms confirmed confirming",
    "reveal": "reveal reveals revealed revealing",
    "recall": "recall recalls recalled recalling",
    "predict": "predict predicts predicted predicting",
    "suggest": "suggest suggests suggested suggesting",
    "urge": "urge urges urged urging",
    "call": "call calls called calling",
    "accuse": "accuse accuses accused accusing",
    "criticize": "criticize criticizes criticized criticizing criticise criticises criticised criticising",
    "praise": "praise praises praised praising",
    "complain": "complain complains complained complaining",
    "boast": "boast boasts boasted boasting",
    "joke": "joke jokes joked joking",
    "quip": "quip quips quipped quipping",
    "mention": "mention mentions mentioned mentioning",
    "comment": "comment comments commented commenting",
    "remark": "remark remarks remarked remarking",
    "repeat": "repeat repeats repeated repeating",
    "emphasize": "emphasize emphasizes emphasized emphasizing emphasise emphasised",
    "stress": "stress stresses stressed stressing",
    "assert": "assert asserts asserted asserting",
    "contend": "contend contends contended contending",
    "maintain": "maintain maintains maintained maintaining",
    "allege": "allege alleges alleged alleging",
    "testify": "testify testifies testified testifying",
    "continue": "continue continues continued continuing",
    "cite": "cite cites cited citing",
    "quote": "quote quotes quoted quoting",
    "read": "read reads",
    "shout": "shout shouts shouted shouting",
    "yell": "yell yells yelled yelling",
    "scream": "scream screams screamed screaming",
    "announcement": "announcement announcements",
    "statement": "statement statements",
    "interview": "interview interviews interviewed",
    "according": "according",
}
# Words before a name that are not part of it ("Former Secretary of State Hillary Clinton", "Republican Ted Cruz").
NOT_NAME_WORDS = frozenset(
    "the a an mr mrs ms miss dr prof sir dame lord lady rev president vice prime minister secretary state senator "
    "sen rep representative congressman congresswoman gov governor mayor gen general col colonel capt captain lt "
    "sgt chancellor king queen prince princess pope judge justice chief chairman chairwoman chair spokesman "
    "spokeswoman spokesperson ambassador candidate nominee former first lady attorney leader speaker director ceo "
    "founder commissioner sheriff adviser advisor aide analyst pollster strategist host anchor correspondent "
    "reporter editor columnist democrat democrats democratic republican republicans gop independent libertarian "
    "hopeful rival frontrunner front-runner billionaire businessman businesswoman mogul u.s. us "
    "american british russian chinese mexican israeli iranian french german democratic-leaning conservative "
    "liberal progressive federal then now also but and when after as while says said house senate congress court "
    "activist economist professor author writer actor actress comedian singer lawyer doctor dr. scientist "
    "researcher historian expert".split()
)
# Last words of an organisation's name, which keeps the words a person's title would drop ("State Department").
ORG_HEADS = frozenset(
    "department ministry party committee campaign office house council agency administration court commission "
    "university association institute bureau service senate congress board post times news journal network "
    "foundation center centre group company corporation bank fund union league organization organisation "
    "government police force army".split()
)
PRONOUNS = frozenset("i me we us you he him she her it they them who this that these those".split())
PREPOSITIONS = frozenset("for of at from with in on to by".split())
NAME_PARTICLES = frozenset("of for on to and the de van von".split())
SOURCE_CUT = re.compile(r",|\(|\bwho\b|\bwhich\b|\bthat\b")
NAME_TOKEN = re.compile(r"[A-Z][\w'’-]*\.?|(?:[A-Z]\.)+")
INITIAL = re.compile(r"(?:[A-Z]\.)+")
SENTENCE_ENDS = tuple('.!?"“”\n')
SPEECH_CUE_WORDS = frozenset(w for forms in SPEECH_CUE_LEMMAS.values() for w in forms.split())
SPEECH_CUE_PHRASES = ("point out", "pointed out", "points out", "pointing out", "went on", "goes on")


@dataclass
class GoldAttribution:
    content: list[tuple[int, int]]
    source: list[tuple[int, int]]
    cue: str
    source_text: str
    quote_like: bool = False


@dataclass
class ArticleResult:
    name: str
    text: str
    gold: list[GoldAttribution]
    predictions: list[dict] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)  # the rule behind each prediction


def is_speech_cue(cue: str) -> bool:
    text = cue.lower()
    words = re.findall(r"[a-z]+", text)
    return any(w in SPEECH_CUE_WORDS for w in words) or any(p in text for p in SPEECH_CUE_PHRASES)


def parse_ann(path: Path, text: str) -> list[GoldAttribution]:
    """BRAT standoff: T lines are spans (possibly discontinuous, "s e;s e"), E lines tie them into attributions."""
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, ranges = parts[1].partition(" ")
            offsets = [tuple(int(x) for x in r.split()) for r in ranges.split(";")]
            spans[parts[0]] = (label, offsets)
        elif line.startswith("E") and len(parts) >= 2:
            events.append(parts[1].split())
    attributions = []
    for args in events:
        roles: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for arg in args[1:]:
            role, _, ref = arg.partition(":")
            if ref in spans:
                roles[role.rstrip("0123456789")].extend(spans[ref][1])
        if not roles["Content"]:
            continue
        cue = " ".join(text[s:e] for s, e in roles["Cue"])
        content_text = "".join(text[s:e] for s, e in roles["Content"])
        attribution = GoldAttribution(
            content=roles["Content"],
            source=roles["Source"],
            cue=cue,
            source_text=" ".join(text[s:e] for s, e in roles["Source"]),
        )
        attribution.quote_like = is_speech_cue(cue) or any(ch in QUOTE_MARKS for ch in content_text)
        attributions.append(attribution)
    return attributions


def gold_articles(gold_dir: Path, limit: int | None = None) -> list[tuple[str, str, list[GoldAttribution]]]:
    """(name, raw text, attributions) per article, one annotator each (the first .ann in sorted order)."""
    articles = []
    for text_path in sorted((gold_dir / "text").glob("*.txt")):
        anns = sorted(
            p
            for p in (gold_dir / "attributions").glob(text_path.stem + "_*.ann")
            if ANNOTATOR_SUFFIX.fullmatch(p.name[len(text_path.stem) :])
        )
        if not anns:
            continue
        text = text_path.read_text(encoding="utf-8")
        articles.append((text_path.stem, text, parse_ann(anns[0], text)))
        if limit and len(articles) >= limit:
            break
    return articles


def _covered(spans: list[tuple[int, int]], cover: set[int]) -> float:
    total = sum(e - s for s, e in spans)
    return sum(1 for s, e in spans for i in range(s, e) if i in cover) / total if total else 0.0


def _chars(spans) -> set[int]:
    return {i for s, e in spans for i in range(s, e)}


def _speaker_right(prediction: dict, gold: GoldAttribution) -> bool:
    start, end = prediction.get("speaker_char_start"), prediction.get("speaker_char_end")
    if start is not None and any(start < e and s < end for s, e in gold.source):
        return True
    capitalised = set(re.findall(r"\b[A-Z][\w'’-]+", prediction.get("speaker") or ""))
    return bool(capitalised & set(re.findall(r"\b[A-Z][\w'’-]+", gold.source_text)))


def source_name(source_text: str, lower_words: frozenset[str] = frozenset()) -> list[str]:
    """The name a PolNeAR source span ends in, as words ("President Donald Trump's" -> Donald, Trump); [] when it
    names no one (a pronoun, "the campaign", "A reporter for USA Today": its head is "reporter") or several ("Mr.
    Grassley and Mr. Leahy"). `lower_words`: words the article writes in lower case, not a name's first word
    ("Activist Angela Davis")."""
    if re.search(r"[A-Z][\w.'’-]*\s+(?:and|&)\s+(?:[A-Z]|the\b)", source_text):
        return []
    words = SOURCE_CUT.split(source_text, maxsplit=1)[0].split()
    cut = next(
        (i for i in range(1, len(words)) if words[i].lower() in PREPOSITIONS and not NAME_TOKEN.match(words[i - 1])),
        len(words),
    )
    run: list[str] = []
    for i in range(cut - 1, -1, -1):
        word = re.sub(r"['’]s?$", "", words[i])
        organisation = any(w.lower() in ORG_HEADS for w in run)
        particle = bool(run) and word.lower() in NAME_PARTICLES and i and NAME_TOKEN.match(words[i - 1])
        if particle:
            run.insert(0, word)
            continue
        if not NAME_TOKEN.fullmatch(word) or (run and not organisation and word.lower().rstrip(".") in NOT_NAME_WORDS):
            break
        run.insert(0, word)
    while run and run[0].lower().rstrip(".") in NOT_NAME_WORDS and not any(w.lower() in ORG_HEADS for w in run):
        run.pop(0)
    if len(run) > 1 and run[0].lower() in lower_words:
        run.pop(0)
    while run and run[0].lower() in NAME_PARTICLES:
        run.pop(0)
    if not run or all(w.lower() in PRONOUNS for w in run):
        return []
    return run if entity_key(" ".join(run)) else []


def article_full_name(text: str, source_text: str) -> tuple[str | None, bool]:
    """(the fullest form of the source's name in the article, whether that was ambiguous): see the docstring."""
    lower_words = frozenset(re.findall(r"(?<![\w@.])[a-z][a-z'’-]*", text))
    name = source_name(source_text, lower_words)
    if not name:
        return None, False
    own = entity_key(" ".join(name)).split("_")
    pattern = re.compile(r"(?<![\w.])" + r"\s+".join(map(re.escape, name)) + r"(?![\w-])(?!\s+[JS]r\b)")
    fuller: Counter = Counter()
    forms: dict[tuple[str, ...], str] = {}
    for match in pattern.finditer(text):
        full = f"{_name_prefix(text, match.start(), lower_words)} {match.group()}".strip()
        key = tuple(entity_key(full).split("_"))
        # A first and last name competes with its longer forms; a surname alone is never the fullest name.
        if len(key) > len(own) or (len(key) == len(own) > 1):
            fuller[key] += 1
            forms.setdefault(key, full)
    # Fuller forms that extend one another ("Hillary Clinton", "Crooked Hillary Clinton") are one name, written
    # most often in one form; two that do not ("Hillary Clinton", "Bill Clinton") are two people.
    roots = {k for k in fuller if not any(len(r) < len(k) and k[-len(r) :] == r for r in fuller)}
    if len(roots) > 1:
        return None, True
    if fuller:
        best = max(fuller, key=lambda k: (fuller[k], len(k)))
        return forms[best], False
    return " ".join(name), False  # the article never writes more than the source does


def _name_prefix(text: str, start: int, lower_words: frozenset[str]) -> str:
    """The capitalised words and initials just before `start` that belong to the name (up to three)."""
    kept: list[tuple[int, str]] = []
    position = start
    while len(kept) < 3:
        match = re.search(r"(\S+)\s+$", text[max(0, position - 40) : position])
        if not match:
            break
        word = match.group(1)
        word_start = position - len(match.group(0))
        sentence_end = word.endswith(".") and not INITIAL.fullmatch(word)  # "... Ted Cruz. Cruz said"
        if not NAME_TOKEN.fullmatch(word) or sentence_end or word.lower().rstrip(".") in NOT_NAME_WORDS:
            break
        before = text[:word_start].rstrip(" ")
        if (not before or before.endswith(SENTENCE_ENDS)) and word.lower().rstrip(".") in lower_words:
            break
        kept.insert(0, (word_start, word))
        position = word_start
    return " ".join(word for _, word in kept)


def _full_name_right(prediction: dict, text: str, gold: GoldAttribution, counts: Counter) -> None:
    full, ambiguous = article_full_name(text, gold.source_text)
    counts["full_name_ambiguous"] += ambiguous
    if full is None:
        return
    counts["full_name_total"] += 1
    counts["full_name_right"] += entity_key(prediction.get("speaker") or "") == entity_key(full)


def score(articles: list[ArticleResult]) -> dict:
    counts = Counter()
    by_type: dict[str, Counter] = defaultdict(Counter)
    by_rule: dict[str, Counter] = defaultdict(Counter)
    misses = []
    for article in articles:
        gold = [g for g in article.gold if g.quote_like]
        all_content = [_chars(g.content) for g in article.gold]
        predicted_chars = _chars((p["char_start"], p["char_end"]) for p in article.predictions)
        for p, rule in zip(article.predictions, article.rules or [None] * len(article.predictions)):
            pchars = range(p["char_start"], p["char_end"])
            right = any(sum(1 for i in pchars if i in c) >= THRESHOLD * len(pchars) for c in all_content)
            by_rule[rule]["predicted"] += 1
            by_rule[rule]["correct"] += right
            counts["predicted"] += 1
            counts["correct"] += right
            by_type[p["quote_type"]]["predicted"] += 1
            by_type[p["quote_type"]]["correct"] += right
        for g in gold:
            coverage = _covered(g.content, predicted_chars)
            counts["gold"] += 1
            if coverage < THRESHOLD:
                misses.append((sum(e - s for s, e in g.content), article, g, coverage))
                continue
            counts["found"] += 1
            best = max(article.predictions, key=lambda p: _overlap(p, g.content))
            by_type[best["quote_type"]]["found"] += 1
            if g.source:
                counts["speaker_total"] += 1
                counts["speaker_right"] += _speaker_right(best, g)
                _full_name_right(best, article.text, g, counts)
    precision = counts["correct"] / counts["predicted"] if counts["predicted"] else 0.0
    recall = counts["found"] / counts["gold"] if counts["gold"] else 0.0
    misses.sort(key=lambda m: -m[0])
    return {
        "articles": len(articles),
        "counts": dict(counts),
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "speaker_accuracy": counts["speaker_right"] / counts["speaker_total"] if counts["speaker_total"] else 0.0,
        "speaker_full_name_accuracy": (
            counts["full_name_right"] / counts["full_name_total"] if counts["full_name_total"] else 0.0
        ),
        "by_type": {t: dict(c) for t, c in sorted(by_type.items())},
        "rule_precision": {r: round(c["correct"] / c["predicted"], 3) for r, c in sorted(by_rule.items(), key=str)},
        "rule_counts": {r: c["predicted"] for r, c in sorted(by_rule.items(), key=str)},
        "worst_misses": [
            {
                "article": article.name,
                "cue": g.cue,
                "source": g.source_text,
                "coverage": round(cov, 2),
                "content": " … ".join(article.text[s:e] for s, e in g.content).replace("\n", " ")[:160],
            }
            for _, article, g, cov in misses[:25]
        ],
    }


def _overlap(prediction: dict, spans: list[tuple[int, int]]) -> int:
    return sum(max(0, min(e, prediction["char_end"]) - max(s, prediction["char_start"])) for s, e in spans)


def evaluate_quotes(gold_dir: Path, limit: int | None = None) -> dict:
    """Run the real extraction over a PolNeAR folder and score it; also times spaCy and attribute() apart."""
    nlp = load_pipeline()
    loaded = gold_articles(Path(gold_dir), limit)
    start = time.perf_counter()
    docs = list(nlp.pipe((text for _, text, _ in loaded), batch_size=32))
    spacy_seconds = time.perf_counter() - start
    results = []
    start = time.perf_counter()
    for (name, text, gold), doc in zip(loaded, docs):
        attributed = attribute_article(doc)
        quotes, rules = attributed.quotes, attributed.rules
        results.append(ArticleResult(name, text, gold, quotes, rules))
    attribute_seconds = time.perf_counter() - start
    result = score(results)
    n = len(loaded)
    result["throughput"] = {
        "spacy_articles_per_s": n / spacy_seconds if spacy_seconds else 0.0,
        "attribute_articles_per_s": n / attribute_seconds if attribute_seconds else 0.0,
        "pipeline_ratio": spacy_seconds / (spacy_seconds + attribute_seconds) if spacy_seconds else 0.0,
    }
    return result


def format_report(result: dict) -> str:
    c, t = result["counts"], result["throughput"]
    lines = [
        f"articles {result['articles']}  gold quote-like {c.get('gold', 0)}  predicted {c.get('predicted', 0)}",
        f"precision {result['precision']:.3f}  recall {result['recall']:.3f}  F1 {result['f1']:.3f}  "
        f"speaker accuracy {result['speaker_accuracy']:.3f} ({c.get('speaker_right', 0)}/{c.get('speaker_total', 0)})",
        f"speaker full name {result['speaker_full_name_accuracy']:.3f} "
        f"({c.get('full_name_right', 0)}/{c.get('full_name_total', 0)} found attributions whose source names someone; "
        f"{c.get('full_name_ambiguous', 0)} left out as ambiguous)",
        "per predicted type (precision = correct/predicted; found = gold attributions best matched by that type):",
    ]
    for quote_type, tc in result["by_type"].items():
        predicted = tc.get("predicted", 0)
        precision = tc.get("correct", 0) / predicted if predicted else 0.0
        lines.append(f"  {quote_type:9} predicted {predicted:5}  precision {precision:.3f}  found {tc.get('found', 0)}")
    lines.append(
        f"throughput: spaCy alone {t['spacy_articles_per_s']:.1f} articles/s, attribute() alone "
        f"{t['attribute_articles_per_s']:.1f} articles/s; spaCy+attribute runs at {t['pipeline_ratio']:.0%} "
        "of spaCy's speed"
    )
    lines.append("precision per rule on this gold (transforms/quotes/rows.py RULE_PRECISION holds the train figures):")
    for rule, precision in result["rule_precision"].items():
        lines.append(f"  {rule!s:24} predicted {result['rule_counts'][rule]:5}  precision {precision:.3f}")
    lines.append("worst misses (longest gold contents not found):")
    for miss in result["worst_misses"]:
        lines.append(
            f"  [{miss['article'][:40]}] cue={miss['cue']!r} source={miss['source']!r} "
            f"cov={miss['coverage']}: {miss['content']}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, required=True, help="a PolNeAR folder with text/ and attributions/")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N articles")
    args = parser.parse_args()
    print(format_report(evaluate_quotes(args.gold, args.limit)))


if __name__ == "__main__":
    main()
