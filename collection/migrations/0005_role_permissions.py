"""Give the staff roles their permissions on the collection.

Registrars keep objects, lenders and loans, and alone see insurance values and lenders'
contact details. Curators edit objects and clear sensitive ones, and may view lenders and
loans. Translators edit objects (their texts). Everyone else may view objects.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["objectrecord", "lender", "loanagreement", "place", "culture", "material", "maker"]
ALL = ["add", "change", "delete", "view"]

ROLE_PERMISSIONS = {
    "Registrars": [(m, a) for m in MODELS for a in ALL]
    + [("lender", "view_lender_contact"), ("loanagreement", "view_insurance")],
    "Curators": [(m, a) for m in ("objectrecord", "place", "culture", "material", "maker") for a in ALL]
    + [("lender", "view"), ("loanagreement", "view"), ("objectrecord", "clear_sensitive_object")],
    "Translators": [("objectrecord", "change"), ("objectrecord", "view")],
    "Ethics reviewers": [("objectrecord", "view")],
    "Educators": [("objectrecord", "view")],
    "Venue coordinators": [("objectrecord", "view")],
}


def codename(model: str, action: str) -> str:
    return f"{action}_{model}" if action in ALL else action


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; these must exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, pairs in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for model, action in pairs:
            group.permissions.add(
                Permission.objects.get(content_type__app_label="collection", content_type__model=model, codename=codename(model, action))
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in ROLE_PERMISSIONS:
        group = Group.objects.filter(name=role).first()
        if group:
            group.permissions.remove(*group.permissions.filter(content_type__app_label="collection"))


class Migration(migrations.Migration):
    dependencies = [
        ("collection", "0004_permissions"),
        ("users", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
