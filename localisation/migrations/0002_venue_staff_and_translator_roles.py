"""The "Venue staff" group (admin access; view and change rooms and placements, which the
venue-scoped permission policy limits to the member's own venues) and the localisation
permissions for the "Translators" group."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VENUE_STAFF = [
    ("wagtailadmin", "admin", "access_admin"),
    ("exhibition", "room", "view_room"),
    ("exhibition", "room", "change_room"),
    ("exhibition", "placement", "view_placement"),
    ("exhibition", "placement", "change_placement"),
]
TRANSLATORS = [
    ("localisation", "venuestaff", "view_translation_report"),
    ("localisation", "venuestaff", "exchange_po_files"),
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, rows in (("Venue staff", VENUE_STAFF), ("Translators", TRANSLATORS)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, model, codename in rows:
            permission = Permission.objects.filter(
                content_type__app_label=app_label, content_type__model=model, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="Venue staff").delete()
    translators = Group.objects.filter(name="Translators").first()
    if translators is not None:
        translators.permissions.remove(
            *translators.permissions.filter(content_type__app_label="localisation")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("localisation", "0001_venue_staff"),
        ("stories", "0002_roles_and_ethics_review"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
