"""Every write to public content raises the content generation (see models.ContentGeneration).

Invalidation is by default-deny: a save, delete or many-to-many change of any model raises
it, except for models listed in ``IGNORED`` that never change what a visitor sees (sessions,
task results, log entries, editing-session pings, search index rows, users). A new app is
covered without anyone remembering to register it. Signals sent by the stories app for
consent changes and revocations raise it too, since they may follow bulk updates.
"""

from django.apps import apps as global_apps
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_migrate
from django.dispatch import receiver

from responsecache.models import ContentGeneration, bump_generation

IGNORED_APPS = {
    "sessions",
    "contenttypes",
    "admin",
    "auth",
    "users",
    "django_tasks_db",
    "wagtailsearch",
    "modelsearch",
    "wagtailusers",
    "wagtailadmin",
    "taggit",
    "venue_api",  # tokens
    "localisation",  # who is venue staff
}
IGNORED_MODELS = {
    "wagtailcore.revision",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailcore.pagesubscription",
    "wagtailcore.taskstate",
    "wagtailcore.workflowstate",
    "wagtailimages.rendition",
    "touring.packageversion",
}


_migrating = False


@receiver(pre_migrate, dispatch_uid="responsecache_pre_migrate")
def _migration_starts(sender, **kwargs):
    # Migrations write with historical models and may run before the generation table
    # exists; a migrated database starts with an empty cache anyway.
    global _migrating
    _migrating = True


@receiver(post_migrate, dispatch_uid="responsecache_post_migrate")
def _migration_ends(sender, **kwargs):
    global _migrating
    _migrating = False


def affects_public_content(model) -> bool:
    if _migrating or model._meta.apps is not global_apps:
        return False
    if model is ContentGeneration or model._meta.app_label == "responsecache":
        return False
    opts = model._meta
    if opts.app_label in IGNORED_APPS:
        return False
    return opts.label_lower not in IGNORED_MODELS


@receiver(post_save, dispatch_uid="responsecache_save")
@receiver(post_delete, dispatch_uid="responsecache_delete")
def content_written(sender, using="default", raw=False, **kwargs):
    if raw or not affects_public_content(sender):
        return
    bump_generation(using)


@receiver(m2m_changed, dispatch_uid="responsecache_m2m")
def relation_changed(sender, instance, action, using="default", **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if affects_public_content(type(instance)):
        bump_generation(using)


def _connect_stories_signals():
    from stories import signals

    for name in ("consent_changed", "revoked", "visibility_changed"):
        signal = getattr(signals, name, None)
        if signal is not None:
            signal.connect(_stories_changed, dispatch_uid=f"responsecache_{name}")


def _stories_changed(sender, **kwargs):
    bump_generation()


_connect_stories_signals()
