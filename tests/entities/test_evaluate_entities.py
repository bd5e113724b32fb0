"""`eval entities`: GUM gold reading, mention alignment and the scores, checked on predictions built from the gold
itself (a perfect prediction scores 1.0; one wrong entity costs exactly that mention)."""

from __future__ import annotations

import json
from functools import partial

import pytest
from typer.testing import CliRunner

from transforms.entities.keys import entity_key
from transforms.evaluate.entities import (
    GoldDocument,
    align_quotes,
    evaluate_entities,
    figures,
    format_report,
    head,
    proper_name,
    read_document,
    read_gold,
    score,
    score_document,
)

# A GUM-shaped record written by hand (its spans computed, so text[start:end] == mention text).
TEXT = (
    "Biologist Nick Bos studies ants. Bos said the team found that sick ants eat poison. "
    '"We were surprised," he said. The University of Helsinki funded it.'
)


def _mention(text: str, entity_id: int, entity_type: str, within: str | None = None) -> dict:
    """The mention `text`, at its first occurrence (inside the first occurrence of `within` when given)."""
    start = TEXT.index(within) + within.index(text) if within else TEXT.index(text)
    return {"start": start, "end": start + len(text), "text": text, "entity_id": entity_id, "entity_type": entity_type}


def _record() -> dict:
    mentions = [
        _mention("Biologist Nick Bos", 1, "person"),
        _mention("ants", 2, "animal"),
        _mention("Bos", 1, "person", within="Bos said"),
        _mention("the team", 3, "person"),
        _mention("We", 3, "person"),
        _mention("he", 1, "person", within="he said"),
        _mention("The University of Helsinki", 4, "organization"),
        _mention("it", 5, "abstract", within="funded it"),
    ]
    said = TEXT.index("said")
    content = TEXT.index("the team found")
    quote = TEXT.index('"We were')
    return {
        "id": "GUM_test_ants",
        "genre": "interview",
        "split": "dev",
        "text": TEXT,
        "mentions": sorted(mentions, key=lambda m: (m["start"], -m["end"])),
        "attributions": [
            {
                "relation": "attribution-positive",
                "source": [said - 4, said - 1],
                "cue": [said, said + 4],
                "content": [content, TEXT.index(" poison") + len(" poison")],
                "source_entity_id": 1,
            },
            {
                "relation": "attribution-positive",
                "source": [TEXT.index("he said"), TEXT.index("he said") + 2],
                "cue": [TEXT.index("he said") + 3, TEXT.index("he said") + 7],
                "content": [quote, quote + len('"We were surprised,"')],
                "source_entity_id": 1,
            },
        ],
    }


def perfect_predictions(document: GoldDocument) -> dict[str, list[dict]]:
    """The gold as the pipeline's rows: every person/organisation mention resolved to its entity's fullest name,
    every attribution a quote with its source's name."""
    mentions = []
    for m in document.person_mentions():
        entity = document.entities[m.entity_id]
        mentions.append(
            {
                "char_start": m.start,
                "char_end": m.end,
                "text": m.text,
                "entity_key": entity.full_key or f"gold-{m.entity_id}",
                "entity_name": entity.full_name,
                "mention_type": m.mention_type,
            }
        )
    quotes = []
    for a in document.attributions:
        entity = document.entities.get(a.source_entity_id)
        quotes.append(
            {
                "char_start": a.content[0],
                "char_end": a.content[1],
                "speaker": entity.full_name if entity else None,
                "speaker_char_start": a.source[0],
                "speaker_char_end": a.source[1],
                "cue": document.text[a.cue[0] : a.cue[1]] if a.cue else None,
            }
        )
    return {"mentions": mentions, "quotes": quotes}


def test_proper_names_drop_titles_and_keep_particles():
    text = "Biologist Nick Bos met Prof. Patrizia d'Ettorre of the University of Helsinki. Scientists agree; scientists"
    assert proper_name(text, 0, len("Biologist Nick Bos"), frozenset()) == "Nick Bos"
    start = text.index("Prof.")
    assert proper_name(text, start, start + len("Prof. Patrizia d'Ettorre"), frozenset()) == "Patrizia d'Ettorre"
    start = text.index("the University")
    assert proper_name(text, start, start + len("the University of Helsinki"), frozenset()) == "University of Helsinki"
    start = text.index("Scientists")
    assert proper_name(text, start, start + len("Scientists"), frozenset({"scientists"})) is None


def test_proper_names_stop_at_post_modifiers_and_refuse_nominals():
    text = "Mary Chaworth, whom he met at school, and the man who met Obama, and a Republican, and his mother"
    assert proper_name(text, 0, text.index(", and the"), frozenset()) == "Mary Chaworth"
    start = text.index("the man")
    assert proper_name(text, start, start + len("the man who met Obama"), frozenset()) is None
    start = text.index("a Republican")
    assert proper_name(text, start, start + len("a Republican"), frozenset()) is None
    start = text.index("his mother")
    assert proper_name(text, start, len(text), frozenset()) is None


def test_head_is_the_last_word_before_a_post_modifier():
    text = "the University of Portsmouth, United Kingdom"
    assert head(text, 0, len(text)) == text.index("University")
    text = "Ukraine's foreign minister"
    assert head(text, 0, len(text)) == text.index("minister")


def test_gold_entities_fullest_names_and_mention_types():
    document = read_document(_record())
    assert set(document.entities) == {1, 3, 4}  # ants (animal) and "it" (abstract) are not people or organisations
    bos = document.entities[1]
    assert bos.full_name == "Nick Bos" and bos.full_key == "nick_bos" and bos.name_keys == {"nick_bos", "bos"}
    assert [m.mention_type for m in bos.mentions] == ["name", "partial_name", "pronoun"]
    assert document.entities[3].full_key is None  # "the team" / "We": no proper name
    assert [m.mention_type for m in document.entities[3].mentions] == ["group", "pronoun"]
    assert document.entities[4].full_name == "University of Helsinki"
    said, quoted = document.attributions
    assert said.quote_like and said.source_type == "partial_name"
    assert quoted.quote_like and quoted.source_type == "pronoun"


def test_gold_predicted_scores_one():
    document = read_document(_record())
    result = score([document], {document.doc_id: perfect_predictions(document)})["all"]
    assert result["mention_detection"]["precision"] == result["mention_detection"]["recall"] == 1.0
    assert result["resolution"]["precision"] == result["resolution"]["recall"] == 1.0
    assert all(v["f1"] == 1.0 for v in result["coreference"].values())
    assert result["quotes"]["precision"] == result["quotes"]["recall"] == 1.0
    assert result["sources"]["all"] == {"n": 2, "right": 2, "accuracy": 1.0, "entity_accuracy": 1.0}
    assert result["sources"]["source:pronoun"]["n"] == 1


def test_one_wrong_entity_costs_exactly_that_mention():
    document = read_document(_record())
    predictions = perfect_predictions(document)
    he = next(p for p in predictions["mentions"] if p["text"] == "he")
    he.update(entity_name="University of Helsinki", entity_key=entity_key("University of Helsinki"))
    resolution = score([document], {document.doc_id: predictions})["all"]["resolution"]
    assert (resolution["right"], resolution["claimed"], resolution["gold"]) == (3, 4, 4)
    assert resolution["by_gold_type"]["pronoun"]["right"] == 0
    assert resolution["by_gold_type"]["name"]["right"] == 2  # Nick Bos and the University of Helsinki


def test_no_mentions_scores_zero_and_quotes_still_count():
    document = read_document(_record())
    predictions = perfect_predictions(document)
    result = score([document], {document.doc_id: {"mentions": [], "quotes": predictions["quotes"]}})["all"]
    assert result["mention_detection"]["recall"] == 0.0 and result["resolution"]["recall"] == 0.0
    assert result["quotes"]["recall"] == 1.0
    assert "no mentions" in format_report({**score([document], {}), "mentions_table": False})


def test_quotes_match_on_half_the_shorter_span_one_to_one():
    document = read_document(_record())
    content = document.attributions[0].content
    inside = {"char_start": content[0] + 2, "char_end": content[0] + 10}
    straddling = {"char_start": content[0] - len("Bos said "), "char_end": content[0] + 3}  # a quarter inside
    assert align_quotes(document.attributions, [inside]) == {0: 0}
    assert align_quotes(document.attributions, [straddling]) == {}
    assert align_quotes(document.attributions, [inside, dict(inside)]) == {0: 0}  # one of the two only


def test_source_of_an_unnamed_entity_is_judged_by_the_speaker_mention():
    record = _record()
    we = TEXT.index('"We were')
    record["attributions"][1]["source_entity_id"] = 3  # as if "We" (the team) said it
    record["attributions"][1]["source"] = [we + 1, we + 3]
    document = read_document(record)
    quote = {"char_start": we, "char_end": we + len('"We were surprised,"'), "speaker": "the team"}
    counts = score_document(document, [], [{**quote, "speaker_char_start": we + 1, "speaker_char_end": we + 3}])
    assert counts["source:all:right"] == 1
    counts = score_document(document, [], [{**quote, "speaker_char_start": 0, "speaker_char_end": 9}])
    assert counts["source:all:right"] == 0


# --- on the real corpus ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gum_documents(corpus) -> list[GoldDocument]:
    wanted = {"GUM_interview_ants", "GUM_bio_byron", "GUM_speech_floyd"}
    return [d for d in read_gold(corpus / "gum") if d.doc_id in wanted]


def test_real_gold_predicted_scores_one(gum_documents):
    assert len(gum_documents) == 3
    result = score(gum_documents, {d.doc_id: perfect_predictions(d) for d in gum_documents})
    for section in [result["all"], *result["by_split"].values(), *result["by_genre"].values()]:
        assert section["mention_detection"]["f1"] == 1.0
        assert section["resolution"]["f1"] == 1.0
        assert all(v["f1"] == 1.0 for v in section["coreference"].values())
        assert section["quotes"]["precision"] == 1.0
        assert section["sources"]["all"]["accuracy"] == 1.0


def test_real_gold_one_changed_entity_lowers_by_one(gum_documents):
    document = next(d for d in gum_documents if d.doc_id == "GUM_bio_byron")
    predictions = perfect_predictions(document)
    base = figures(score_document(document, **predictions), 1)["resolution"]
    mention = next(p for p in predictions["mentions"] if p["entity_name"] == "Byron")
    mention.update(entity_name="John Murray", entity_key="john_murray")
    changed = figures(score_document(document, **predictions), 1)["resolution"]
    assert changed["right"] == base["right"] - 1 and changed["claimed"] == base["claimed"]
    assert changed["recall"] == pytest.approx((base["gold"] - 1) / base["gold"], abs=1e-4)


def test_real_pipeline_end_to_end(corpus, nlp, tmp_path):
    from transforms.extract import extract_articles

    result = evaluate_entities(corpus / "gum", partial(extract_articles, nlp=nlp), limit=2, split="dev")
    assert result["all"]["documents"] == 2 and set(result["by_split"]) == {"dev"}
    for figure in (result["all"]["quotes"], result["all"]["mention_detection"], result["all"]["resolution"]):
        assert 0.0 <= figure["precision"] <= 1.0 and 0.0 <= figure["recall"] <= 1.0
    if result["mentions_table"]:
        assert result["all"]["mention_detection"]["predicted"] > 0
    assert format_report(result).startswith("GUM entities")


def test_cli_eval_entities_writes_json(corpus, nlp, tmp_path):
    from flows.cli import app

    out = tmp_path / "entities.json"
    run = CliRunner().invoke(
        app, ["eval", "entities", "--gold", str(corpus / "gum"), "--limit", "1", "--split", "test", "--json", str(out)]
    )
    assert run.exit_code == 0, run.output
    assert "mention detection" in run.output
    assert json.loads(out.read_text())["split"] == "test"
