"""IIIF Image API 3.0 endpoints: base URI, info.json and image requests.

CORS headers are set here and only here (a second ``Access-Control-Allow-Origin`` from a
proxy makes browsers refuse the response, see ECOSYSTEM.md). Errors are short plain text.
"""

import functools
import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.urls import get_script_prefix, reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

import pyvips

from collection.iiif import processing, tiles
from collection.iiif.access import ServedImage, find_web_image, image_identifier
from collection.iiif.cache import cacheable, get_cache
from collection.iiif.image_api import IIIFError, ImageRequest, Limits, Plan
from collection.iiif.info import CONTEXT, PROFILE_URI, info_document
from collection.iiif.pyramid import MasterError, built_pyramid, check_master_size
from collection.iiif.tiles import DamagedTile

logger = logging.getLogger(__name__)

JSON_LD = f'application/ld+json;profile="{CONTEXT}"'
ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")
# Short enough that a withdrawn image leaves browser and proxy caches within the hour.
MAX_AGE = 3600
# Server-wide cap on output pixels (the spec's maxArea): protects workers from huge
# enlargements and full-size renders of very large masters.
DEFAULT_MAX_AREA = 12_000_000


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


class Unavailable(Exception):
    """The image's file cannot be served (missing, damaged or too large)."""


def _source(image: ServedImage) -> tuple[str, bool] | None:
    """The file to render ``image`` from, and whether it is its pyramid; None when the
    master is missing. The pyramid is used once built; until then the master."""
    pyramid = built_pyramid(image.pk, image.file_name, image.pyramid_source)
    if pyramid is not None:
        return pyramid, True
    path = image.master_path
    return (path, False) if path and os.path.isfile(path) else None


def _size(path: str, is_pyramid: bool) -> tuple[int, int]:
    """The pixel size of the image at ``path``; Unavailable when it cannot be read or is
    larger than the server accepts (a decompression bomb)."""
    try:
        pyramid = is_pyramid and tiles.jpeg_pyramid(path)
        width, height = pyramid.size if pyramid else processing.image_size(path)
        check_master_size(width, height)
    except (pyvips.Error, MasterError) as error:
        logger.warning("IIIF: cannot serve %s: %s", path, error)
        raise Unavailable from None
    return width, height


def _unavailable() -> HttpResponse:
    # 404 rather than 5xx: asking again will not help, and nothing is wrong with the request.
    return _text("This image's file is damaged or too large and cannot be served.", 404)


def _limits(image, width: int, height: int) -> Limits:
    max_area = getattr(settings, "IIIF_MAX_AREA", DEFAULT_MAX_AREA)
    return Limits.for_image(width, height, image.max_online_size, max_area)


def _service_id(request, image) -> str:
    return request.build_absolute_uri(_base_path(get_script_prefix()) + image_identifier(image))


@functools.lru_cache(maxsize=8)
def _base_path(script_prefix: str) -> str:
    """The path of every image's base URI but for the identifier (reversed once)."""
    return reverse("iiif:base", args=["1"])[:-1]


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
    source = image and _source(image)
    if not source:
        return _not_found()
    path, is_pyramid = source
    try:
        width, height = _size(path, is_pyramid)
    except Unavailable:
        return _unavailable()
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
    return _for_head(request, _conditional(request, etag, os.stat(path).st_mtime, response))


def _render(path: str, is_pyramid: bool, plan: Plan, target) -> None:
    """Render ``plan`` into the file ``target``: grid tiles straight from the pyramid's
    JPEG tiles when it can, everything else with pyvips."""
    pyramid = is_pyramid and tiles.jpeg_pyramid(path)
    if pyramid and tiles.render_tile(pyramid, plan, target):
        return
    processing.render(path, plan, target)


def _uncached(request, path: str, is_pyramid: bool, plan: Plan, stub: HttpResponse):
    """Render without storing (a request the cache cannot name); no validators then."""
    with tempfile.TemporaryDirectory(prefix="iiif-") as folder:
        target = Path(folder) / f"image.{plan.format}"
        try:
            _render(path, is_pyramid, plan, target)
        except (pyvips.Error, DamagedTile) as error:
            logger.warning("IIIF: cannot render %s (%s): %s", path, plan.canonical, error)
            return _unavailable()
        body = target.read_bytes()
    response = HttpResponse(
        body if request.method != "HEAD" else b"", content_type=plan.content_type
    )
    response["Content-Length"] = str(len(body))
    response["Link"] = stub["Link"]
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _file_response(request, path, stat: os.stat_result, plan: Plan, headers: dict):
    if request.method == "HEAD":
        response = HttpResponse(b"", content_type=plan.content_type, headers=headers)
        response["Content-Length"] = str(stat.st_size)
        return response
    response = FileResponse(open(path, "rb"), content_type=plan.content_type)  # noqa: SIM115
    for name, value in headers.items():
        response[name] = value
    return response


@iiif_endpoint
def image_request(request, identifier: str, region: str, size: str, rotation: str, filename: str):
    """One image: ``{region}/{size}/{rotation}/{quality}.{format}`` of the master."""
    try:
        # Syntax first: a malformed request says nothing about whether the image exists.
        parsed = ImageRequest.parse(region, size, rotation, filename)
    except IIIFError as error:
        return _text(error.reason, error.status)
    image = find_web_image(identifier)
    source = image and _source(image)
    if not source:
        return _not_found()
    path, is_pyramid = source
    try:
        width, height = _size(path, is_pyramid)
    except Unavailable:
        return _unavailable()
    try:
        plan = parsed.resolve(width, height, _limits(image, width, height))
    except IIIFError as error:
        return _text(error.reason, error.status)

    identifier = image_identifier(image)
    requested = f"{region}/{size}/{rotation}/{filename}"
    stub = HttpResponse(content_type=plan.content_type)
    service_id = _service_id(request, image)
    stub["Link"] = f'<{service_id}/{plan.canonical}>;rel="canonical", <{PROFILE_URI}>;rel="profile"'
    cache = get_cache()
    storable = cacheable(identifier, plan.canonical)
    cached = cache.get(identifier, plan.canonical) if storable else None
    aliases = [requested] if cacheable(identifier, requested) else []
    if cached is None:
        pyramid = is_pyramid and tiles.jpeg_pyramid(path)
        if pyramid:
            try:
                copied = tiles.stored_tile(pyramid, plan)
            except DamagedTile as error:
                logger.warning(
                    "IIIF: cannot copy a tile of %s (%s): %s", path, plan.canonical, error
                )
                return _unavailable()
            if copied is not None:
                if storable and cache.asked_before(identifier, plan.canonical):
                    _store_copy(cache, identifier, plan.canonical, aliases, copied, pyramid)
                return _copied_response(request, copied, pyramid.version, plan, stub)
        if not storable:
            return _uncached(request, path, is_pyramid, plan, stub)
        try:
            cache.put(
                identifier,
                plan.canonical,
                lambda target: _render(path, is_pyramid, plan, target),
                aliases=aliases,
            )
        except (pyvips.Error, DamagedTile) as error:
            logger.warning("IIIF: cannot render image %s (%s): %s", image.pk, plan.canonical, error)
            return _unavailable()
        cached = cache.get(identifier, plan.canonical)
        if cached is None:  # evicted or purged at once by another worker: still answer
            return _uncached(request, path, is_pyramid, plan, stub)
    file_path, stat = cached
    response = _conditional(
        request, _file_etag(int(stat.st_mtime), stat.st_size), stat.st_mtime, stub
    )
    if response is not stub:
        return response
    headers = {name: stub[name] for name in ("ETag", "Last-Modified", "Cache-Control", "Link")}
    return _file_response(request, file_path, stat, plan, headers)


def _file_etag(mtime: int, size: int) -> str:
    # nginx's ETag for a file of this modification time and size, so a client revalidates
    # alike whichever layer answered.
    return f'"{mtime:x}-{size:x}"'


def _store_copy(cache, identifier: str, canonical: str, aliases, jpeg: bytes, pyramid):
    """Store a tile copied from ``pyramid`` in the cache, with the pyramid's time as its
    modification time: nginx then sends the same ETag as :func:`_copied_response`."""
    try:
        cache.put(
            identifier, canonical, lambda target: target.write_bytes(jpeg), aliases, pyramid.version
        )
    except OSError as error:  # a full disk: the visitor still gets the tile
        logger.warning("IIIF: cannot store a tile of %s: %s", identifier, error)


def _copied_response(request, jpeg: bytes, version_ns: int, plan: Plan, stub: HttpResponse):
    """A tile copied from the pyramid, answered from memory with the pyramid's validators."""
    mtime = version_ns // 1_000_000_000
    response = _conditional(request, _file_etag(mtime, len(jpeg)), mtime, stub)
    if response is not stub:
        return response
    response = HttpResponse(
        jpeg if request.method != "HEAD" else b"", content_type=plan.content_type
    )
    for name in ("ETag", "Last-Modified", "Cache-Control", "Link"):
        response[name] = stub[name]
    response["Content-Length"] = str(len(jpeg))
    return response
