"""The user's own identifiers for entities (Wikidata QIDs, internal ids): HOME/entity_ids.csv into entity_identifiers.

The file has a header row with the columns `name` and `identifier` (others are ignored), one entity per row. Each
name is keyed as the extractors key sources (transforms.entities.keys.entity_key), so "Maria Zakharova" joins the
entity `maria_zakharova`; the `entities` view joins the table. Nothing is downloaded: the table holds what the file
says, replaced whole on every load and rebuild (no file: no rows).

May import transforms.entities.keys and transforms.schema; nothing of flows/.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import polars as pl

from transforms.entities.keys import entity_key
from transforms.schema import ENTITY_IDENTIFIERS

IDENTIFIERS_FILE = "entity_ids.csv"
REQUIRED_COLUMNS = ("name", "identifier")


class EntityIdentifiersError(ValueError):
    """HOME/entity_ids.csv cannot be read as name,identifier rows; the message names the file and the line."""


def read_entity_identifiers(path: Path) -> pl.DataFrame:
    """The file's rows as entity_identifiers rows (empty when there is no file).

    A name given twice with the same identifier counts once; two identifiers for one entity are an error, as the
    warehouse could not say which one is meant."""
    if not path.exists():
        return pl.DataFrame(schema=ENTITY_IDENTIFIERS.schema)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")  # -sig: spreadsheets write a byte order mark
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EntityIdentifiersError(f"{path} line {line}: not UTF-8 ({exc.reason})") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    rows: dict[str, dict] = {}
    lines: dict[str, int] = {}
    try:
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise EntityIdentifiersError(
                f"{path} line 1: the header must name the columns name,identifier (missing: {', '.join(missing)})"
            )
        for record in reader:
            line = reader.line_num
            if None in record or None in record.values():
                raise EntityIdentifiersError(f"{path} line {line}: expected {len(reader.fieldnames)} fields")
            name, identifier = record["name"].strip(), record["identifier"].strip()
            key = entity_key(name)
            if not key or not identifier:
                raise EntityIdentifiersError(f"{path} line {line}: a row needs a name and an identifier")
            if key in rows and rows[key]["identifier"] != identifier:
                raise EntityIdentifiersError(
                    f"{path} line {line}: {name!r} is the entity {key!r} of line {lines[key]}, "
                    f"which has another identifier ({rows[key]['identifier']!r})"
                )
            rows.setdefault(key, {"name": name, "entity_key": key, "identifier": identifier})
            lines.setdefault(key, line)
    except csv.Error as exc:  # an unclosed quotation mark, a stray quote inside a field
        # The reader counts the lines of the rows it finished: the failing row starts on the next one.
        raise EntityIdentifiersError(f"{path} line {reader.line_num + 1}: not a CSV row ({exc})") from exc
    return pl.DataFrame(list(rows.values()), schema=ENTITY_IDENTIFIERS.schema)


def load_entity_identifiers(con: duckdb.DuckDBPyConnection, home: Path) -> int:
    """Replace entity_identifiers with HOME/entity_ids.csv's rows (inside the caller's transaction); the row count."""
    identifiers = read_entity_identifiers(Path(home) / IDENTIFIERS_FILE)
    con.register("identifier_rows", identifiers.to_arrow())
    try:
        con.execute("DELETE FROM entity_identifiers")
        con.execute("INSERT INTO entity_identifiers BY NAME SELECT * FROM identifier_rows")
    finally:
        con.unregister("identifier_rows")
    return identifiers.height
