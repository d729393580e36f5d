"""Give the staff roles their permissions on touring.

Venue coordinators run the tour: they keep the tour and its stops, the venues' confidential
contacts, and build, download and revoke content packages. Curators and registrars see the
packages and their reports (registrars the loan coverage above all); curators may also build
one, to check a venue's package before a release. Nobody else sees touring, unless an
administrator adds a permission to another group.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ALL = ["add", "change", "delete", "view"]
PACKAGES = ["view_packageversion", "build_package", "download_package", "revoke_package"]

ROLE_PERMISSIONS = {
    "Venue coordinators": [
        *PACKAGES,
        *(f"{action}_{model}" for model in ("tour", "venuecontact") for action in ALL),
    ],
    "Curators": ["view_packageversion", "build_package", "download_package", "view_tour"],
    "Registrars": ["view_packageversion", "view_tour"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; these must exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label="touring", codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in ROLE_PERMISSIONS:
        group = Group.objects.filter(name=role).first()
        if group:
            group.permissions.remove(*group.permissions.filter(content_type__app_label="touring"))


class Migration(migrations.Migration):
    dependencies = [
        ("touring", "0002_tour_and_contacts"),
        ("users", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
