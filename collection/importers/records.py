"""The common layer of the object importers: one parsed record, refusals and the report.

A parser (CSV, LIDO) turns a file into :class:`ParsedRecord` and :class:`Refusal` items;
:class:`~collection.importers.writer.ObjectRecordWriter` turns those into database rows and
fills an :class:`ImportReport`. Parsers know nothing of the database, the writer nothing of
file formats.
"""

import datetime
import html
import re
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.html import escape, strip_tags

# Fields of ObjectText, written in the record's language.
TEXT_FIELDS = ("title", "description", "label", "credit_line")
# Plain fields of ObjectRecord.
SCALAR_FIELDS = (
    "object_type",
    "dating",
    "earliest_year",
    "latest_year",
    "dimensions_text",
    "inscriptions",
    "rights_statement",
    "is_published",
)
# Lists of vocabulary names: materials, cultures and makers are many-to-many relations,
# places are ObjectPlace rows with a role.
TERM_FIELDS = ("materials", "cultures", "makers")
PLACE_FIELDS = ("places_made", "places_collected")
ALL_FIELDS = frozenset((*TEXT_FIELDS, *SCALAR_FIELDS, *TERM_FIELDS, *PLACE_FIELDS, "provenance"))

YEAR_RE = re.compile(r"^[+-]?\d{1,7}$")


class FileRefused(Exception):
    """A whole file cannot be imported (wrong encoding, missing columns, malformed XML)."""


class RecordRefused(Exception):
    """One record cannot be imported; the message is the reason shown to the operator."""


@dataclass
class ProvenanceRow:
    """One provenance step as a source states it; ``place`` is a Place name."""

    kind: str
    date_text: str = ""
    earliest_year: int | None = None
    latest_year: int | None = None
    parties: str = ""
    place: str = ""
    source: str = ""
    note: str = ""


@dataclass
class ParsedRecord:
    """One object record with its texts in one language, as a file states it.

    ``number`` is the line (CSV) or the record's position in its file (LIDO), for the report.
    Only the fields named in ``given`` are written: a CSV without a ``cultures`` column, or a
    second-language row of an object already seen in the same import, leaves the other
    fields as they are. Empty values among ``given`` do clear a field.
    """

    number: int
    inventory_number: str
    lender_slug: str = ""
    language: str = ""
    title: str = ""
    description: str = ""
    label: str = ""
    credit_line: str = ""
    object_type: str = ""
    dating: str = ""
    earliest_year: int | None = None
    latest_year: int | None = None
    dimensions_text: str = ""
    inscriptions: str = ""
    rights_statement: str = ""
    is_published: bool = False
    materials: list[str] = field(default_factory=list)
    cultures: list[str] = field(default_factory=list)
    makers: list[str] = field(default_factory=list)
    places_made: list[str] = field(default_factory=list)
    places_collected: list[str] = field(default_factory=list)
    provenance: list[ProvenanceRow] = field(default_factory=list)
    given: frozenset[str] = ALL_FIELDS


@dataclass
class Refusal:
    """A record a parser could not read; the writer reports it without touching the database."""

    number: int
    reason: str
    inventory_number: str = ""


class Status(StrEnum):
    """What an import did with one record, in the order the summary line lists them."""

    CREATED = "created"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


@dataclass
class Outcome:
    """What happened to one record: ``detail`` names changed fields or the refusal reason."""

    source: str
    number: int
    status: Status
    inventory_number: str = ""
    detail: str = ""


@dataclass
class ImportReport:
    """Everything one import did, record by record, and the files it could not read."""

    outcomes: list[Outcome] = field(default_factory=list)
    refused_files: list[tuple[str, str]] = field(default_factory=list)

    def add(self, source: str, number: int, status: Status, inventory_number="", detail=""):
        outcome = Outcome(source, number, status, inventory_number, detail)
        self.outcomes.append(outcome)
        return outcome

    def count(self, status: Status) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    def summary(self) -> str:
        text = ", ".join(f"{status.value} {self.count(status)}" for status in Status)
        if self.refused_files:
            text += f", files refused {len(self.refused_files)}"
        return text


# --- value helpers shared by the parsers ---------------------------------------------------


def clean_text(value: str | None) -> str:
    """Trim a value; inner line breaks stay (descriptions and inscriptions have paragraphs)."""
    if value is None:
        return ""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def single_line(value: str | None) -> str:
    return " ".join((value or "").split())


def unique_names(names) -> list[str]:
    """Names in order, whitespace collapsed, empty ones and repeats (ignoring case) dropped."""
    seen = set()
    result = []
    for name in names:
        name = single_line(name)
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            result.append(name)
    return result


def parse_year(value: str, what: str) -> int | None:
    """A year as an integer (negative for BCE), None for an empty value."""
    value = value.strip()
    if not value:
        return None
    if not YEAR_RE.match(value):
        raise RecordRefused(f"bad year {value!r} in {what}: give a whole number such as 1650")
    year = int(value)
    # A year after next year is a typing error, not a dating.
    if year > datetime.date.today().year + 1:
        raise RecordRefused(f"bad year {value!r} in {what}: it lies in the future")
    return year


def check_year_range(earliest: int | None, latest: int | None) -> None:
    if earliest is not None and latest is not None and earliest > latest:
        raise RecordRefused(f"earliest year {earliest} is after latest year {latest}")


def plain_text_to_html(text: str) -> str:
    """Rich text for ObjectText.description from plain text.

    Sources mix plain text and stray HTML; markup is dropped rather than trusted, because the
    description is rendered as HTML on the public site. A blank line starts a paragraph.
    """
    text = html.unescape(strip_tags(clean_text(text)))
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    return "".join(
        "<p>" + "<br/>".join(escape(line.strip()) for line in part.split("\n")) + "</p>"
        for part in paragraphs
    )
