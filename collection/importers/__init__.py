"""Importing object records from CSV and LIDO XML (see the import_objects command)."""

from collection.importers.csv import COLUMNS, parse_csv
from collection.importers.lido import clean_inventory_number, parse_lido
from collection.importers.records import (
    FileRefused,
    ImportReport,
    Outcome,
    ParsedRecord,
    ProvenanceRow,
    Refusal,
    Status,
)
from collection.importers.writer import ObjectRecordWriter

__all__ = [
    "COLUMNS",
    "FileRefused",
    "ImportReport",
    "ObjectRecordWriter",
    "Outcome",
    "ParsedRecord",
    "ProvenanceRow",
    "Refusal",
    "Status",
    "clean_inventory_number",
    "parse_csv",
    "parse_lido",
]
