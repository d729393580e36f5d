"""Uploaded media for the embedded set-up, served only as far as the web may show it.

Originals are never public: they may be larger than a lender allows online, or not allowed
online at all. A rendition is served to the public only when its image is visible on the
web and the rendition is within the image's online size limit. Staff who may use the admin
see everything (the admin shows thumbnails of every image).
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

from collection.models import MuseumImage, MuseumRendition
from visibility.channels import WEB


def _is_staff(request) -> bool:
    user = request.user
    return user.is_authenticated and user.has_perm("wagtailadmin.access_admin")


def _rendition_is_public(path: str) -> bool:
    rendition = (
        MuseumRendition.objects.filter(file=path).only("image_id", "width", "height").first()
    )
    if rendition is None:
        return False
    image = MuseumImage.objects.visible_in(WEB).filter(pk=rendition.image_id).first()
    if image is None:
        return False
    limit = image.online_size_limit()
    return not limit or max(rendition.width, rendition.height) <= limit


# Folders under MEDIA_ROOT that this route never serves, not even to staff: testimony
# recordings are served by their own view, which checks consent on every request.
NEVER_SERVED = frozenset({"testimonies"})


@require_safe
def serve_media(request, path: str):
    # Leading slashes dropped as serve() drops them, so "//testimonies/…" is caught too.
    clean = PurePosixPath(path.lstrip("/"))
    if ".." in clean.parts:
        raise Http404("No such file.")
    if not clean.parts or clean.parts[0].lower() in NEVER_SERVED or "\\" in path:
        raise Http404("No such file.")
    if not _is_staff(request) and not (
        clean.parts and clean.parts[0] == "images" and _rendition_is_public(str(clean))
    ):
        raise Http404("No such file.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if not _is_staff(request):
        response["Cache-Control"] = "public, max-age=86400"
    return response
