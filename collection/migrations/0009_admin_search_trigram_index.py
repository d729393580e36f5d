"""A substring (trigram) index of object titles and inventory numbers for the admin search:
FTS5 trigram tables kept by triggers on SQLite, pg_trgm GIN indexes on PostgreSQL. What
it creates, and why, is in ``collection/trigram.py``."""

from django.db import migrations


def create(apps, schema_editor):
    from collection import trigram

    trigram.create(schema_editor)


def drop(apps, schema_editor):
    from collection import trigram

    trigram.drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("collection", "0008_iiif_pyramid_source"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
