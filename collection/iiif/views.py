"""IIIF Image API 3.0 endpoints: base URI, info.json and image requests.

CORS headers are set here and only here (a second ``Access-Control-Allow-Origin`` from a
proxy makes browsers refuse the response, see ECOSYSTEM.md). Errors are short plain text.
"""

import functools
import hashlib
import json
import logging
import os

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

import pyvips

from collection.iiif import processing
from collection.iiif.access import find_web_image, image_identifier
from collection.iiif.cache import cache_key, get_cache
from collection.iiif.image_api import IIIFError, ImageRequest, Limits
from collection.iiif.info import CONTEXT, PROFILE_URI, info_document

logger = logging.getLogger(__name__)

JSON_LD = f'application/ld+json;profile="{CONTEXT}"'
ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")
# Short enough that a withdrawn image leaves browser and proxy caches within the hour.
MAX_AGE = 3600
# Server-wide cap on output pixels (the spec's maxArea): protects workers from huge
# enlargements and full-size renders of very large masters.
DEFAULT_MAX_AREA = 25_000_000


def _text(reason: str, status: int) -> HttpResponse:
    response = HttpResponse(f"{reason}\n", status=status, content_type="text/plain; charset=utf-8")
    # Visibility can change at any time: no cache may keep an error for later.
    response["Cache-Control"] = "no-store"
    return response


def _not_found() -> HttpResponse:
    return _text("No image with this identifier.", 404)


def iiif_endpoint(view):
    """Allow GET, HEAD and OPTIONS only, and add the CORS header to every response."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            response["Access-Control-Allow-Methods"] = ", ".join(ALLOWED_METHODS)
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in ALLOWED_METHODS:
            response = _text(f"Method {request.method} is not allowed.", 405)
            response["Allow"] = ", ".join(ALLOWED_METHODS)
        else:
            response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def _master(image) -> tuple[str, os.stat_result] | None:
    """The master file's path and stat, or None when the file is missing."""
    try:
        path = image.file.path
        return path, os.stat(path)
    except (FileNotFoundError, ValueError):
        return None


def _limits(image, width: int, height: int) -> Limits:
    max_area = getattr(settings, "IIIF_MAX_AREA", DEFAULT_MAX_AREA)
    return Limits.for_image(width, height, image.max_online_size, max_area)


def _service_id(request, image) -> str:
    return request.build_absolute_uri(reverse("iiif:base", args=[image_identifier(image)]))


def _conditional(request, etag: str, last_modified: float, response: HttpResponse):
    """``response`` with validators and caching headers, or a 304/412 in its place."""
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return get_conditional_response(
        request, etag=etag, last_modified=int(last_modified), response=response
    )


def _for_head(request, response: HttpResponse) -> HttpResponse:
    """For HEAD, the same headers with no body (the length stays that of a GET)."""
    if request.method != "HEAD" or response.status_code != 200:
        return response
    head = HttpResponse(b"", status=200)
    for name, value in response.items():
        head[name] = value
    head["Content-Length"] = str(len(response.content))
    return head


@iiif_endpoint
def unknown(request, rest: str):
    """A path under the IIIF prefix that is no Image API request, e.g. an unescaped slash."""
    return _text(
        "Not found. Image API requests are {identifier}/info.json and "
        "{identifier}/{region}/{size}/{rotation}/{quality}.{format}.",
        404,
    )


@iiif_endpoint
def base(request, identifier: str):
    """The base URI of an image redirects to its info.json (spec 2.1)."""
    image = find_web_image(identifier)
    if image is None:
        return _not_found()
    info_url = reverse("iiif:info", args=[image_identifier(image)])
    response = HttpResponseRedirect(request.build_absolute_uri(info_url), status=303)
    return response


@iiif_endpoint
def info(request, identifier: str):
    """The image information document of one image."""
    image = find_web_image(identifier)
    master = image and _master(image)
    if not master:
        return _not_found()
    path, stat = master
    width, height = processing.image_size(path)
    document = info_document(
        _service_id(request, image),
        width,
        height,
        _limits(image, width, height),
        rights=image.rights_statement,
    )
    # JSON-LD unless the client asks for plain JSON (spec 5.1; content negotiation).
    content_type = JSON_LD
    if request.headers.get("Accept"):
        preferred = request.get_preferred_type(["application/ld+json", "application/json"])
        if preferred == "application/json":
            content_type = "application/json"
    body = json.dumps(document, indent=2).encode()
    etag = '"' + hashlib.sha256(body + content_type.encode()).hexdigest()[:32] + '"'
    response = HttpResponse(body, content_type=content_type)
    response["Link"] = f'<{PROFILE_URI}>;rel="profile"'
    patch_vary_headers(response, ["Accept"])
    return _for_head(request, _conditional(request, etag, stat.st_mtime, response))


@iiif_endpoint
def image_request(request, identifier: str, region: str, size: str, rotation: str, filename: str):
    """One image: ``{region}/{size}/{rotation}/{quality}.{format}`` of the master."""
    try:
        # Syntax first: a malformed request says nothing about whether the image exists.
        parsed = ImageRequest.parse(region, size, rotation, filename)
    except IIIFError as error:
        return _text(error.reason, error.status)
    image = find_web_image(identifier)
    master = image and _master(image)
    if not master:
        return _not_found()
    path, stat = master
    width, height = processing.image_size(path)
    try:
        plan = parsed.resolve(width, height, _limits(image, width, height))
    except IIIFError as error:
        return _text(error.reason, error.status)

    key = cache_key(image_identifier(image), plan.cache_name, stat.st_mtime_ns, stat.st_size)
    etag = f'"{key[:32]}"'
    service_id = _service_id(request, image)
    stub = HttpResponse(content_type=plan.content_type)
    stub["Link"] = f'<{service_id}/{plan.canonical}>;rel="canonical", <{PROFILE_URI}>;rel="profile"'
    not_modified = _conditional(request, etag, stat.st_mtime, stub)
    if not_modified is not stub:
        return not_modified

    cache = get_cache()
    cached = cache.get(key, plan.format)
    if cached is None:
        try:
            cached = cache.put(
                key, plan.format, lambda target: processing.render(path, plan, target)
            )
        except pyvips.Error:
            logger.exception("IIIF: could not render image %s (%s)", image.pk, plan.cache_name)
            return _text("The image could not be rendered.", 500)
    headers = {name: stub[name] for name in ("ETag", "Last-Modified", "Cache-Control", "Link")}
    if request.method == "HEAD":
        response = HttpResponse(b"", content_type=plan.content_type, headers=headers)
        response["Content-Length"] = str(cached.stat().st_size)
        return response
    try:
        handle = open(cached, "rb")  # noqa: SIM115 (FileResponse closes it)
    except FileNotFoundError:
        # Evicted by another worker between the lookup and here: render once more.
        cached = cache.put(key, plan.format, lambda target: processing.render(path, plan, target))
        handle = open(cached, "rb")  # noqa: SIM115
    response = FileResponse(
        handle, content_type=plan.content_type, filename=f"{image_identifier(image)}.{plan.format}"
    )
    for name, value in headers.items():
        response[name] = value
    return response
