"""Venue coordinators (the museum staff who run the tour) create and revoke venue API tokens.

Nobody else does, unless an administrator adds the permission to another group.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE = "Venue coordinators"
CODENAME = "manage_venueapitoken"


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ROLE)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="venue_api", codename=CODENAME)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=ROLE).first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="venue_api", codename=CODENAME)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("venue_api", "0001_initial"),
        ("users", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
