"""docs/queries.md stays true: regenerated on the demo corpus, its questions and SQL match the committed page and
every query answers with rows. The answers themselves are not compared: they follow the extractors, which keep
improving (regenerate with `python -m docs.make_queries --home demo-home`)."""

from __future__ import annotations

import re

from docs.make_queries import QUERIES_DOC, answer_all, load_questions, main, render

QUESTION_OR_SQL = re.compile(r"^## .*$|^```sql\n(?s:.*?)^```$", re.MULTILINE)


def questions_and_sql(page: str) -> list[str]:
    """The page's headings and SQL blocks, in order, plus its introduction."""
    return [page.split("\n## ", 1)[0], *QUESTION_OR_SQL.findall(page)]


def test_committed_page_has_the_questions_and_sql_a_regeneration_gives(demo_home):
    questions = load_questions()
    answers = answer_all(demo_home, questions)
    assert len(answers) == len(questions) == len({a.question for a in answers}) > 20
    assert questions_and_sql(render(answers)) == questions_and_sql(QUERIES_DOC.read_text(encoding="utf-8"))


def test_every_question_answers_on_the_demo_corpus(demo_home):
    answers = answer_all(demo_home, load_questions())
    assert [a.question for a in answers if not a.rows] == []
    audit = answers[-1]
    assert audit.columns == ["quotes", "not_matching_body"] and audit.rows[0][0] > 0 and audit.rows[0][1] == 0


def test_command_writes_the_page(demo_home, tmp_path):
    page = tmp_path / "queries.md"
    assert main(["--home", str(demo_home), "--out", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    questions = len(load_questions())
    assert text.count("\n## ") == questions and text.count("```sql") == questions
    # Each answer is a markdown table whose header row names the query's columns.
    assert "| name | quotes | articles | outlets |" in text
