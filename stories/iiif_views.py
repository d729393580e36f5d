"""IIIF endpoints of stories: the manifest of a spoken testimony and its parts."""

import json

from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from collection.iiif.presentation_views import CONTENT_TYPE, PART_TYPES, base_url, find_part
from collection.iiif.views import iiif_endpoint
from stories.iiif import testimony_for_manifest, testimony_manifest


def _missing() -> HttpResponse:
    response = HttpResponse(
        "No published spoken testimony has this name.\n",
        status=404,
        content_type="text/plain; charset=utf-8",
    )
    response["Cache-Control"] = "no-store"
    return response


def _json(document: dict) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False), content_type=CONTENT_TYPE
    )
    # Consent can be withdrawn at any moment: browsers revalidate, shared caches keep nothing.
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _manifest(request, slug: str) -> dict | None:
    testimony = testimony_for_manifest(slug)
    if testimony is None:
        return None
    return testimony_manifest(testimony, base_url=base_url(request))


@iiif_endpoint
def testimony_manifest_view(request, slug: str):
    manifest = _manifest(request, slug)
    if manifest is None:
        return _missing()
    return _json(manifest)


@iiif_endpoint
def testimony_part_view(request, slug: str, part: str):
    manifest = _manifest(request, slug)
    if manifest is None:
        return _missing()
    wanted = f"{manifest['id'].rsplit('/', 1)[0]}/{part}"
    found = find_part(manifest.get("items", []), wanted)
    if found is None or found.get("type") not in PART_TYPES:
        return _missing()
    return _json({"@context": manifest["@context"], **found})
