"""IIIF Presentation API 3.0 endpoints: object manifests and the collection of objects.

They share the image server's :func:`~collection.iiif.views.iiif_endpoint`, so CORS is set in
one place only and OPTIONS/HEAD behave alike across the IIIF prefix.
"""

import hashlib
import json

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control

from collection.iiif.presentation import manifest_objects, object_manifest, objects_collection
from collection.iiif.views import iiif_endpoint

PART_TYPES = {"Canvas", "AnnotationPage", "Annotation"}
CONTENT_TYPE = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'


def base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def document_response(request, document: dict) -> HttpResponse:
    """``document`` as JSON-LD with an ETag, or a 304 when the client has it already."""
    body = json.dumps(document, indent=2, ensure_ascii=False).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["ETag"] = etag
    # Cacheable, but revalidated on every use (a 304 is cheap with the ETag): a withdrawn
    # object, image or voice annotation must not outlive its withdrawal in any cache.
    patch_cache_control(response, public=True, no_cache=True, max_age=0)
    response = get_conditional_response(request, etag=etag, response=response)
    if request.method == "HEAD" and response.status_code == 200:
        # Same headers as a GET, no body.
        response.content = b""
        response["Content-Length"] = str(len(body))
    return response


def not_found(reason: str = "No published object with images has this number.") -> HttpResponse:
    response = HttpResponse(
        reason + "\n",
        status=404,
        content_type="text/plain; charset=utf-8",
    )
    # Visibility can change at any time: no cache may keep the 404 for later.
    response["Cache-Control"] = "no-store"
    return response


@iiif_endpoint
def object_manifest_view(request, pk: int):
    """The manifest of one object; 404 unless the web may show it and one of its images."""
    obj = manifest_objects().filter(pk=pk).select_related("lender").first()
    if obj is None:
        return not_found()
    return document_response(request, object_manifest(obj, base_url=base_url(request)))


def find_part(node, wanted: str):
    """The JSON object in ``node`` whose ``id`` is ``wanted`` (depth first), or None."""
    if isinstance(node, dict):
        if node.get("id") == wanted and "type" in node:
            return node
        children = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        if (found := find_part(child, wanted)) is not None:
            return found
    return None


@iiif_endpoint
def object_manifest_part_view(request, pk: int, part: str):
    """A canvas, annotation page or annotation of an object's manifest, on its own.

    Their ids are URLs inside the manifest's; dereferencing one gives that part with the
    Presentation context, so nothing a viewer or crawler follows ends in a 404. Built from the
    same manifest, so it can never show more than the manifest does.
    """
    obj = manifest_objects().filter(pk=pk).select_related("lender").first()
    if obj is None:
        return not_found()
    manifest = object_manifest(obj, base_url=base_url(request))
    wanted = f"{manifest['id'].rsplit('/', 1)[0]}/{part}"
    found = find_part(manifest.get("items", []), wanted)
    if found is None or found.get("type") not in PART_TYPES:
        return not_found("This manifest has no canvas, annotation page or annotation here.")
    return document_response(request, {"@context": manifest["@context"], **found})


@iiif_endpoint
def unknown(request, rest: str):
    """Any other path under the Presentation prefix."""
    return not_found(
        "Not found. Manifests are objects/{number}/manifest; the collection of all objects "
        "is collections/objects."
    )


@iiif_endpoint
def objects_collection_view(request):
    """All object manifests the web may show, as one Collection."""
    return document_response(request, objects_collection(base_url=base_url(request)))
