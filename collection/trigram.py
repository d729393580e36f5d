"""The admin search's substring (trigram) index of object titles and inventory numbers.

``collection.admin_views.search_objects`` finds objects by part of a title (any language)
or of an inventory number. Without an index that is a scan of every row; migration
``collection.0009`` adds one, per database, with :func:`create` (and removes it with
:func:`drop`):

- SQLite: two FTS5 tables with the trigram tokenizer (SQLite 3.34 or later), one over
  ``collection_objecttext.title`` and one over ``collection_objectrecord.inventory_number``.
  They are external-content tables (the text is read from the source tables, not copied;
  the rowid is the source row's id) kept in step by SQL triggers on insert, update and
  delete, so that ``bulk_create``, ``update()``, deletes and raw SQL are all covered. The
  trigram tokenizer folds case for all of Unicode, which SQLite's LIKE does only for ASCII.
- PostgreSQL: the pg_trgm extension and GIN ``gin_trgm_ops`` indexes on the expressions
  Django's ``icontains`` compares, ``UPPER(column::text)``, which the planner then uses for
  ``LIKE '%…%'``.
- Other databases: nothing (the search falls back to a scan).

SQLite drops a table's triggers with the table, and Django alters a SQLite table by
building a new one and dropping the old: a later migration that alters a field of
``ObjectRecord`` or ``ObjectText`` would leave the index unmaintained. :func:`repair`, run
after every ``migrate`` (``CollectionConfig``), creates missing triggers again and rebuilds
the index from the source rows.

This module is app code that a migration calls: a change here changes what migrating a new
database does, so keep :func:`create` creating what :func:`repair` and the search expect.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

TEXTS = "collection_objecttext"
RECORDS = "collection_objectrecord"
TEXTS_FTS = "collection_objecttext_trigram"
RECORDS_FTS = "collection_objectrecord_trigram"

# (FTS table, source table, indexed column)
SQLITE_INDEXES = [(TEXTS_FTS, TEXTS, "title"), (RECORDS_FTS, RECORDS, "inventory_number")]
EVENTS = ("insert", "delete", "update")

POSTGRESQL_INDEXES = [
    ("collection_objecttext_title_trgm", TEXTS, "title"),
    ("collection_objectrecord_inventory_number_trgm", RECORDS, "inventory_number"),
]


def sqlite_triggers(fts: str, source: str, column: str) -> list[str]:
    """Insert, delete and update triggers keeping ``fts`` in step with ``source.column``.

    An external-content FTS5 table removes a row with the special 'delete' command, which
    must be given the old value exactly: the triggers are the only writers."""
    # Names are this module's constants, never input.
    delete_old = (
        f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column});"  # noqa: S608
    )
    insert_new = f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column});"  # noqa: S608
    return [
        (
            f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {source} "
            f"BEGIN {insert_new} END"
        ),
        (
            f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {source} "
            f"BEGIN {delete_old} END"
        ),
        (
            # Saving a model rewrites every column: leave the index alone when the text
            # is unchanged (publishing, for one, saves only other columns anyway).
            f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF id, {column} "
            f"ON {source} WHEN old.id IS NOT new.id OR old.{column} IS NOT new.{column} "
            f"BEGIN {delete_old} {insert_new} END"
        ),
    ]


def create(schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        import sqlite3

        if sqlite3.sqlite_version_info < (3, 34):
            raise RuntimeError(
                f"SQLite {sqlite3.sqlite_version} has no FTS5 trigram tokenizer (3.34 or later)."
            )
        for fts, source, column in SQLITE_INDEXES:
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE {fts} USING fts5({column}, content='{source}', "
                f"content_rowid='id', tokenize='trigram', columnsize=0)"
            )
            for sql in sqlite_triggers(fts, source, column):
                schema_editor.execute(sql)
            schema_editor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")  # noqa: S608
    elif connection.vendor == "postgresql":
        # A trusted extension since PostgreSQL 13: a database owner may create it.
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, table, column in POSTGRESQL_INDEXES:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
            )


def drop(schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for fts, _source, _column in SQLITE_INDEXES:
            for event in EVENTS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {fts}_{event}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {fts}")
    elif connection.vendor == "postgresql":
        # The extension stays: other indexes may use it, and it holds no data.
        for name, _table, _column in POSTGRESQL_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def repair(connection) -> list[str]:
    """On SQLite, create the triggers a table rebuild dropped and rebuild those FTS tables
    from their source rows; the names of the FTS tables repaired. Nothing before
    migration 0009 (no FTS tables) or on other databases."""
    if connection.vendor != "sqlite":
        return []
    repaired = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = set(cursor.fetchall())
        for fts, source, column in SQLITE_INDEXES:
            if ("table", fts) not in present:
                continue
            if all(("trigger", f"{fts}_{event}") in present for event in EVENTS):
                continue
            for sql in sqlite_triggers(fts, source, column):
                cursor.execute(sql)
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")  # noqa: S608
            repaired.append(fts)
    for fts in repaired:
        logger.warning(
            "The admin search index %s had lost its triggers (a migration rebuilt its "
            "table): triggers created again and the index rebuilt.",
            fts,
        )
    return repaired


def repair_after_migrate(sender, using, **kwargs) -> None:
    from django.db import connections

    repair(connections[using])
