"""`wirehouse sql`: a query, a file of SQL or an interactive prompt over a home's warehouse, read-only.

Each statement gets its own read-only connection (warehouse.load.connect), so an idle prompt never holds the file
against the nightly load. May import warehouse.load and flows.console.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from flows.console import console, error

FORMATS = ("table", "csv", "json", "parquet")
HISTORY_FILE = Path.home() / ".wirehouse_sql_history"
HISTORY_LENGTH = 2000

# What `.tables` shows at the prompt: every table, view and macro with its comment.
CATALOGUE_QUERY = """SELECT name, type, comment FROM (
    SELECT table_name AS name, 'table' AS type, comment FROM duckdb_tables() WHERE NOT internal
    UNION ALL SELECT view_name, 'view', comment FROM duckdb_views() WHERE NOT internal
    UNION ALL SELECT DISTINCT function_name, replace(function_type, '_', ' '), comment FROM duckdb_functions()
        WHERE function_type IN ('macro', 'table_macro') AND database_name = current_database()
) ORDER BY type, name"""


def run_sql(home: Path, query: str, format: str, out: Path | None) -> None:
    """Run `query` (several statements: the last one's result) on a read-only connection and write its result."""
    from warehouse.load import connect

    with connect(home, read_only=True) as con:
        result = con.sql(query)
        if format == "parquet":
            import pyarrow.parquet as pq

            pq.write_table(result.to_arrow_table(), out)
            return
        columns, rows = result.columns, result.fetchall()
    if out is None:
        print_rows(columns, rows, format, sys.stdout)
    else:
        with out.open("w", encoding="utf-8", newline="") as handle:
            print_rows(columns, rows, format, handle)


def sql_prompt(home: Path, format: str) -> None:
    """Read statements ending in ';' until end of input; a terminal gets prompts and a history file."""
    import readline

    from warehouse.load import connect

    with connect(home, read_only=True):
        pass  # fail now, not at the first statement, when there is no warehouse
    interactive = sys.stdin.isatty()
    if interactive:
        readline.set_history_length(HISTORY_LENGTH)
        if HISTORY_FILE.exists():
            readline.read_history_file(HISTORY_FILE)
        console.print(
            f"[dim]wirehouse sql on {home} (read-only). End statements with ';'. "
            ".tables lists tables, views and macros; Ctrl-D quits.[/dim]"
        )
    try:
        for statement in statements(interactive):
            run_statement(home, statement, format)
    finally:
        if interactive:
            readline.write_history_file(HISTORY_FILE)


def statements(interactive: bool):
    """The prompt's statements, each once its ';' is typed; `.tables` becomes the catalogue query."""
    lines: list[str] = []
    while True:
        try:
            line = input(("wirehouse> " if not lines else "      ...> ") if interactive else "")
        except EOFError:
            return
        except KeyboardInterrupt:
            lines = []
            console.print()
            continue
        command = line.strip()
        if not lines and command in (".quit", ".exit"):
            return
        if not lines and command == ".tables":
            line = CATALOGUE_QUERY + ";"
        elif not lines and not command:
            continue
        lines.append(line)
        if not line.rstrip().endswith(";"):
            continue
        if interactive and len(lines) > 1:
            one_history_entry(lines)
        yield "\n".join(lines)
        lines = []


def one_history_entry(lines: list[str]) -> None:
    """A statement typed over several lines becomes one history entry, so the up arrow brings back all of it."""
    import readline

    for _ in lines:
        readline.remove_history_item(readline.get_current_history_length() - 1)
    readline.add_history(" ".join(part.strip() for part in lines))


def run_statement(home: Path, statement: str, format: str) -> None:
    """One prompt statement; its error is printed and the prompt goes on."""
    from warehouse.load import WarehouseBusy

    try:
        run_sql(home, statement, format, None)
    except (WarehouseBusy, duckdb.Error) as exc:
        error(exc)


def print_rows(columns: list[str], rows: list[tuple], format: str, stream) -> None:
    if format == "json":
        stream.write(
            json.dumps([dict(zip(columns, row)) for row in rows], default=str, ensure_ascii=False, indent=1) + "\n"
        )
    elif format == "csv":
        import csv

        writer = csv.writer(stream)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        table = Table(caption=f"{len(rows)} row{'' if len(rows) == 1 else 's'}")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*("[dim]NULL[/dim]" if v is None else escape(str(v)) for v in row))
        (console if stream is sys.stdout else Console(file=stream, width=160)).print(table)
