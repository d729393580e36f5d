"""Keep IIIF derivatives in step with the records: pyramids for new masters, and no cached
image of anything the web may no longer show.

An image leaves the web when its own flag is turned off, its object is unpublished or loses
its online permission, it is detached, or it is deleted. Cached files are what nginx serves
without asking Django, so each of those events purges them (after the transaction commits,
when the new state is what every worker sees). A replaced master or a tighter size limit
changes what may be served, so it purges as well. ``manage.py purge_iiif_cache`` sweeps
everything that is cached but no longer visible, for changes made outside the ORM.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from collection.iiif import pyramid
from collection.iiif.access import web_images
from collection.iiif.tasks import build_pyramid, purge_now_and_later

# What an image's cached files depend on besides visibility.
_CONTENT_FIELDS = ("file", "max_online_size")


def purge_unless_visible(image_pks) -> None:
    """Purge the cached images of those of ``image_pks`` the web may not show (now)."""
    pks = {int(pk) for pk in image_pks}
    if not pks:
        return
    visible = set(web_images().filter(pk__in=pks).values_list("pk", flat=True))
    hidden = sorted(pks - visible)
    if hidden:
        purge_now_and_later([str(pk) for pk in hidden])


def _on_commit_purge_unless_visible(image_pks) -> None:
    pks = list(image_pks)
    transaction.on_commit(lambda: purge_unless_visible(pks))


def image_pre_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._iiif_previous = None
        return
    instance._iiif_previous = (
        sender.objects.filter(pk=instance.pk)
        .values("file", "max_online_size", "may_publish_online")
        .first()
    )


def image_post_save(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    previous = getattr(instance, "_iiif_previous", None)
    pk = instance.pk
    file_changed = created or previous is None or previous["file"] != instance.file.name
    content_changed = previous is not None and any(
        previous[name] != (instance.file.name if name == "file" else getattr(instance, name))
        for name in _CONTENT_FIELDS
    )
    if file_changed and instance.file:
        transaction.on_commit(lambda: build_pyramid.enqueue(pk))
    if content_changed:
        transaction.on_commit(lambda: purge_now_and_later([str(pk)]))
    else:
        _on_commit_purge_unless_visible([pk])


def image_post_delete(sender, instance, **kwargs):
    pk = instance.pk

    def purge():
        purge_now_and_later([str(pk)])
        pyramid.remove_pyramids(pk)

    transaction.on_commit(purge)


def object_image_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.image_id:
        _on_commit_purge_unless_visible([instance.image_id])


def object_changed(sender, instance, raw=False, **kwargs):
    from collection.models import ObjectImage

    if raw or instance.pk is None:
        return
    pks = ObjectImage.objects.filter(object_id=instance.pk).values_list("image_id", flat=True)
    _on_commit_purge_unless_visible(pks)


def loan_changed(sender, instance, raw=False, **kwargs):
    from collection.models import ObjectImage

    if raw or instance.pk is None:
        return
    pks = ObjectImage.objects.filter(object__loans=instance).values_list("image_id", flat=True)
    _on_commit_purge_unless_visible(pks)


def loan_objects_changed(sender, instance, action, pk_set=None, **kwargs):
    from collection.models import LoanAgreement, ObjectImage

    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if isinstance(instance, LoanAgreement):
        objects = {"object__loans": instance}
        if action == "post_remove" and pk_set:
            objects = {"object_id__in": pk_set}
    else:
        objects = {"object_id": instance.pk}
    pks = list(ObjectImage.objects.filter(**objects).values_list("image_id", flat=True))
    _on_commit_purge_unless_visible(pks)


def connect() -> None:
    """Connect the handlers (CollectionConfig.ready)."""
    from collection.models import LoanAgreement, MuseumImage, ObjectImage, ObjectRecord

    uid = "collection.iiif"
    pre_save.connect(image_pre_save, sender=MuseumImage, dispatch_uid=f"{uid}.image_pre")
    post_save.connect(image_post_save, sender=MuseumImage, dispatch_uid=f"{uid}.image_post")
    post_delete.connect(image_post_delete, sender=MuseumImage, dispatch_uid=f"{uid}.image_del")
    post_save.connect(object_image_changed, sender=ObjectImage, dispatch_uid=f"{uid}.oi_save")
    post_delete.connect(object_image_changed, sender=ObjectImage, dispatch_uid=f"{uid}.oi_delete")
    post_save.connect(object_changed, sender=ObjectRecord, dispatch_uid=f"{uid}.object")
    post_save.connect(loan_changed, sender=LoanAgreement, dispatch_uid=f"{uid}.loan")
    m2m_changed.connect(
        loan_objects_changed,
        sender=LoanAgreement.loaned_objects.through,
        dispatch_uid=f"{uid}.loan_objects",
    )
