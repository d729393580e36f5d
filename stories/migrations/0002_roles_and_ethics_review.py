"""Give the staff roles their permissions on stories, and set up the ethics review.

Only ethics reviewers may publish testimonies and perspectives, see real identities and
record consent (the ledger's bases can be personal; curators see only a voice's current
consent status in the listing). Curators write and submit; the "Ethics review" workflow (one group approval
task for the Ethics reviewers group) is assigned to testimonies and perspectives, so what a
curator submits is published only when an ethics reviewer approves it.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORIAL = ["testimony", "perspective"]
CRUD = ["add", "change", "delete", "view"]

ROLE_PERMISSIONS = {
    "Ethics reviewers": [(m, a) for m in EDITORIAL for a in [*CRUD, "publish", "lock", "unlock"]]
    + [(m, a) for m in ("voice", "theme", "supportresource") for a in CRUD]
    + [
        ("consent", "view"),
        ("consent", "record_consent"),
        ("consent", "view_consent_document"),
        ("consentevent", "view"),
        ("voiceidentity", "view_identity"),
        ("voiceidentity", "change_identity"),
        ("revokeditem", "view"),
    ],
    "Curators": [(m, a) for m in EDITORIAL for a in ("add", "change", "view")]
    + [(m, a) for m in ("voice", "theme", "supportresource") for a in ("add", "change", "view")],
    "Translators": [(m, a) for m in (*EDITORIAL, "theme", "supportresource") for a in ("change", "view")],
    "Educators": [(m, "view") for m in (*EDITORIAL, "voice", "theme", "supportresource")],
    "Venue coordinators": [(m, "view") for m in ("supportresource",)],
}


def codename(model: str, action: str) -> str:
    return f"{action}_{model}" if action in (*CRUD, "publish", "lock", "unlock") else action


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for role, pairs in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for model, action in pairs:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label="stories",
                    content_type__model=model,
                    codename=codename(model, action),
                )
            )

    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    task_type = ContentType.objects.get_for_model(GroupApprovalTask)
    task = GroupApprovalTask.objects.create(
        name="Ethics review", content_type=task_type, active=True
    )
    task.groups.add(Group.objects.get(name="Ethics reviewers"))
    workflow = Workflow.objects.create(name="Ethics review", active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for model in EDITORIAL:
        WorkflowContentType.objects.update_or_create(
            content_type=ContentType.objects.get(app_label="stories", model=model),
            defaults={"workflow": workflow},
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in ROLE_PERMISSIONS:
        group = Group.objects.filter(name=role).first()
        if group:
            group.permissions.remove(*group.permissions.filter(content_type__app_label="stories"))
    apps.get_model("wagtailcore", "Workflow").objects.filter(name="Ethics review").delete()
    apps.get_model("wagtailcore", "Task").objects.filter(name="Ethics review").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0001_initial"),
        ("users", "0002_staff_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
