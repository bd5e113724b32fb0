"""Write docs/queries.md: each question of docs/questions.toml, its SQL and the answer a warehouse gives.

    bash scripts/demo.sh                                  # builds ./demo-home from the demo inbox
    .venv/bin/python -m docs.make_queries --home demo-home

The answers follow the extractors, so regenerate after changing them; the questions and SQL live only in
questions.toml.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

QUESTIONS_FILE = Path(__file__).with_name("questions.toml")
QUERIES_DOC = Path(__file__).with_name("queries.md")
# Long quotes are cut in the page; the warehouse has them whole.
MAX_CELL_CHARS = 140

HEADER = """# Questions for the warehouse

Each answer below is what the SQL returns on the demo corpus (`demo/inbox`, loaded by `bash scripts/demo.sh` into
`demo-home`). The page is generated from `docs/questions.toml`; after changing the questions or the extractors,
regenerate it with

```bash
.venv/bin/python -m docs.make_queries --home demo-home
```

Try any of them yourself with `.venv/bin/wirehouse sql --home demo-home "…"`. The views and macros they use are in
`warehouse/sql/views.sql`, `warehouse/sql/macros.sql` and, across articles, `warehouse/sql/stories/`;
`SELECT table_name, column_name, comment FROM duckdb_columns()` says what every column means.
"""


@dataclass(frozen=True)
class Answer:
    question: str
    sql: str
    columns: list[str]
    rows: list[tuple]


def load_questions(path: Path = QUESTIONS_FILE) -> list[dict]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["question"]


def answer_all(home: Path, questions: list[dict]) -> list[Answer]:
    from warehouse.load import connect

    answers = []
    with connect(home, read_only=True) as con:
        for item in questions:
            sql = item["sql"].strip()
            result = con.execute(sql)
            answers.append(Answer(item["question"], sql, [d[0] for d in result.description], result.fetchall()))
    return answers


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        text = value.isoformat()
    elif isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    else:
        text = str(value)
    text = " ".join(text.split())
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1].rstrip() + "…"
    return text.replace("|", "\\|")


def render(answers: list[Answer]) -> str:
    parts = [HEADER]
    for number, answer in enumerate(answers, 1):
        parts.append(f"## {number}. {answer.question}\n\n```sql\n{answer.sql}\n```\n")
        if not answer.rows:
            parts.append("*No rows on the demo corpus.*\n")
            continue
        lines = ["| " + " | ".join(answer.columns) + " |", "|" + "---|" * len(answer.columns)]
        lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in answer.rows]
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="wirehouse home whose warehouse answers (demo-home)")
    parser.add_argument("--out", type=Path, default=QUERIES_DOC, help=f"page to write (default {QUERIES_DOC})")
    args = parser.parse_args(argv)
    answers = answer_all(args.home, load_questions())
    args.out.write_text(render(answers), encoding="utf-8")
    unanswered = [a.question for a in answers if not a.rows]
    print(f"wrote {len(answers)} questions to {args.out}")
    for question in unanswered:
        print(f"no rows: {question}", file=sys.stderr)
    return 1 if unanswered else 0


if __name__ == "__main__":
    sys.exit(main())
