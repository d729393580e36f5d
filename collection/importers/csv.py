"""Object records from CSV: one row per object and language.

The file is UTF-8 (a byte-order mark is fine), comma-separated (semicolons or tabs are
recognised from the header line), with a header row naming the columns below. Only
``inventory_number`` and ``title`` are required; a column that is left out leaves that
field of existing objects as it is, while an empty cell clears it.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from collection.importers.records import (
    FileRefused,
    ParsedRecord,
    RecordRefused,
    Refusal,
    check_year_range,
    clean_text,
    parse_year,
    single_line,
    unique_names,
)

LIST_SEPARATOR = "|"


@dataclass(frozen=True)
class Column:
    """One CSV column: the ParsedRecord field it fills and how its cells are read."""

    name: str
    field: str
    kind: str = "text"  # text, line, list, year or bool
    help: str = ""


COLUMNS = [
    Column("inventory_number", "inventory_number", "line", "required; with the lender, the key"),
    Column("lender_slug", "lender_slug", "line", "empty for the museum's own collection"),
    Column(
        "language",
        "language",
        "line",
        "BCP 47 code of the texts; default: the site's default language (sv)",
    ),
    Column("title", "title", "line", "required"),
    Column("description", "description", "text", "plain text; a blank line starts a paragraph"),
    Column("label", "label", "text", "exhibition label text"),
    Column("credit_line", "credit_line", "line", ""),
    Column("object_type", "object_type", "line", "e.g. bowl"),
    Column("materials", "materials", "list", "materials and techniques"),
    Column("cultures", "cultures", "list", ""),
    Column("makers", "makers", "list", ""),
    Column("place_made", "places_made", "list", ""),
    Column("place_collected", "places_collected", "list", ""),
    Column("dating", "dating", "line", "as displayed, e.g. c. 1650"),
    Column("earliest_year", "earliest_year", "year", "whole number, negative for BCE"),
    Column("latest_year", "latest_year", "year", "not before earliest_year"),
    Column("dimensions", "dimensions_text", "line", "as displayed"),
    Column("inscriptions", "inscriptions", "text", ""),
    Column("rights_statement", "rights_statement", "line", "rightsstatements.org or CC URI"),
    Column("published", "is_published", "bool", "true or false; empty is false"),
]
COLUMNS_BY_NAME = {column.name: column for column in COLUMNS}
REQUIRED_COLUMNS = ("inventory_number", "title")
# Columns that say which object and language a row is about rather than what it holds.
KEY_COLUMNS = {"inventory_number", "lender_slug", "language"}

TRUE_VALUES = {"true", "yes", "1"}
FALSE_VALUES = {"false", "no", "0", ""}


def read_text(path: Path) -> str:
    """The whole file as text: refusing it up front beats importing half of it."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileRefused(
            f"not UTF-8 (byte 0x{data[error.start]:02x} on line {line}); "
            "save the file as CSV UTF-8 and import it again"
        ) from None


def guess_delimiter(header_line: str) -> str:
    # Spreadsheets in Swedish (and other comma-decimal) locales export with semicolons.
    counts = {delimiter: header_line.count(delimiter) for delimiter in ",;\t"}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def header_columns(fieldnames: list[str] | None) -> tuple[list[str], list[str]]:
    """The known columns of a header and the unknown ones; refuses a header without the key."""
    if not fieldnames:
        raise FileRefused("the file is empty: it needs a header row")
    names = [(name or "").strip().lower() for name in fieldnames]
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise FileRefused(
            f"missing required columns: {', '.join(missing)} "
            f"(the header has: {', '.join(name for name in names if name) or 'nothing'})"
        )
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        raise FileRefused(f"columns named twice in the header: {', '.join(repeated)}")
    return names, [name for name in names if name and name not in COLUMNS_BY_NAME]


def read_cell(column: Column, value: str):
    if column.kind == "list":
        return unique_names(value.split(LIST_SEPARATOR))
    if column.kind == "year":
        return parse_year(value, column.name)
    if column.kind == "bool":
        flag = value.strip().lower()
        if flag not in TRUE_VALUES | FALSE_VALUES:
            raise RecordRefused(f"{column.name} must be true or false, not {value!r}")
        return flag in TRUE_VALUES
    if column.kind == "line":
        return single_line(value)
    return clean_text(value)


def parse_row(number: int, names: list[str], cells: list[str]) -> ParsedRecord | Refusal:
    inventory_number = ""
    if "inventory_number" in names and names.index("inventory_number") < len(cells):
        inventory_number = single_line(cells[names.index("inventory_number")])
    if len(cells) > len(names):
        return Refusal(
            number,
            f"the row has {len(cells)} cells but the header {len(names)} columns "
            "(a separator inside an unquoted value?)",
            inventory_number,
        )
    values = {}
    try:
        for name, cell in zip(names, cells, strict=False):
            column = COLUMNS_BY_NAME.get(name)
            if column is not None:
                values[column.field] = read_cell(column, cell)
        if not values.get("inventory_number"):
            raise RecordRefused("missing inventory number")
        check_year_range(values.get("earliest_year"), values.get("latest_year"))
    except RecordRefused as refusal:
        return Refusal(number, str(refusal), inventory_number)
    given = frozenset(
        COLUMNS_BY_NAME[name].field
        for name in names
        if name in COLUMNS_BY_NAME and name not in KEY_COLUMNS
    )
    return ParsedRecord(number=number, given=given, **values)


def parse_csv(path: Path) -> tuple[list[ParsedRecord | Refusal], list[str]]:
    """Every data row of a CSV file, and the header's columns that the importer ignores.

    Rows are numbered by the file line they start on (the header is line 1), so a row with a
    multi-line description still points to the right place.
    """
    text = read_text(path)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=guess_delimiter(first_line))
    try:
        header = next(reader, None)
        names, ignored = header_columns(header)
        items = []
        next_line = reader.line_num + 1
        for cells in reader:
            number, next_line = next_line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            items.append(parse_row(number, names, cells))
    except csv.Error as error:
        raise FileRefused(f"line {reader.line_num}: not valid CSV ({error})") from None
    return items, ignored
