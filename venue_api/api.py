"""The venue API: what a touring venue's ``venue_sync`` asks the museum, with a bearer token.

Every endpoint answers for the token's own venue only. A missing, wrong, revoked or expired
token gets the same 401; a version number that is not the venue's gets the same 404 whether it
belongs to another venue or to none. Responses name their fields (the schemas below): the
package metadata and the revocation list, nothing of the venue's contacts or the build report.
The OpenAPI description is at ``/api/venue/v1/openapi.json``.
"""

import datetime

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from stories.models import RevokedItem
from touring.models import PackageVersion
from venue_api import ratelimit
from venue_api.archives import ArchiveMissing, delta_archive, stored_archive
from venue_api.models import VenueApiToken
from venue_api.responses import file_response


class VenueToken(HttpBearer):
    """``Authorization: Bearer <token>``; counts the client address before anything else."""

    def __call__(self, request: HttpRequest):
        # The site answers unprefixed paths in its default language; a venue's client says
        # which language it reads with Accept-Language, and every endpoint passes here first.
        translation.activate(translation.get_language_from_request(request))
        ratelimit.hit_address(request)
        return super().__call__(request)

    def authenticate(self, request, token):
        found = VenueApiToken.authenticate(token)
        if found is not None:
            ratelimit.hit_token(found)
        return found


class VenueNinjaAPI(NinjaAPI):
    """Every answer depends on the token: no shared cache may keep or mix them up."""

    def create_response(self, request, data, *args, **kwargs):
        response = super().create_response(request, data, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ["Authorization"])
        return response


# No Swagger page: it loads its code from a CDN, which this site never does.
api = VenueNinjaAPI(
    title="Trafficking venue API",
    version="1",
    urls_namespace="venue_api",
    docs_url=None,
    auth=VenueToken(),
    description=(
        "Signed content packages for touring venues (format trafficking-package/1). Every "
        "endpoint needs the venue's token: `Authorization: Bearer <token>`."
    ),
)


@api.exception_handler(ratelimit.RateLimited)
def rate_limited(request, exc):
    response = api.create_response(
        request, {"detail": _("Too many requests. Try again later.")}, status=429
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    response = api.create_response(request, {"detail": _("Authentication required.")}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="venue"'
    return response


class PackageOut(Schema):
    number: int
    parent: int | None
    sha256: str
    size: int
    built_at: str | None
    valid_until: datetime.date | None
    revoked: bool
    key_id: str | None
    download_url: str


class RevokedOut(Schema):
    kind: str
    id: str
    since: datetime.date


class RevocationsOut(Schema):
    revoked: list[RevokedOut]


class ErrorOut(Schema):
    detail: str


def _packages(request):
    return (
        PackageVersion.objects.ready()
        .for_venue(request.auth.venue)
        .select_related("venue", "parent")
        .order_by("-number")
    )


def _package(request, number: int) -> PackageVersion:
    package = _packages(request).filter(number=number).first()
    if package is None:
        raise Http404
    return package


def _out(request, package: PackageVersion) -> dict:
    manifest = package.manifest or {}
    return {
        "number": package.number,
        "parent": package.parent.number if package.parent_id else None,
        "sha256": package.sha256,
        "size": package.size,
        "built_at": manifest.get("built_at"),
        "valid_until": package.valid_until,
        "revoked": package.is_revoked,
        "key_id": manifest.get("key_id"),
        "download_url": request.build_absolute_uri(
            reverse("venue_api:download", kwargs={"number": package.number})
        ),
    }


@api.get(
    "/packages",
    response=list[PackageOut],
    summary="List the venue's ready package versions, newest first",
    url_name="packages",
)
def packages(request):
    return [_out(request, package) for package in _packages(request)]


@api.get(
    "/packages/latest",
    response={200: PackageOut, 404: ErrorOut},
    summary="The newest ready package the museum has not revoked",
    url_name="latest",
)
def latest(request):
    package = _packages(request).filter(revoked_at__isnull=True).first()
    if package is None:
        return Status(404, {"detail": _("No package is available for this venue yet.")})
    return _out(request, package)


@api.get(
    "/packages/{number}",
    response={200: PackageOut, 404: ErrorOut},
    summary="One package version's metadata",
    url_name="package",
)
def package(request, number: int):
    return _out(request, _package(request, number))


def _serve(request, build):
    try:
        stored = build()
    except ArchiveMissing:
        return api.create_response(
            request, {"detail": _("The package file is not available.")}, status=404
        )
    return file_response(request, stored)


def _not_revoked(request, package):
    if package.is_revoked:
        return api.create_response(
            request,
            {"detail": _("The museum has revoked this package.")},
            status=410,
        )
    return None


@api.get(
    "/packages/{number}/download",
    response={200: bytes, 206: bytes, 304: None, 404: ErrorOut, 410: ErrorOut, 416: None},
    summary="The package zip (ETag, If-None-Match, Range)",
    url_name="download",
)
def download(request, number: int):
    package = _package(request, number)
    return _not_revoked(request, package) or _serve(request, lambda: stored_archive(package))


@api.get(
    "/packages/{number}/delta",
    response={
        200: bytes,
        206: bytes,
        304: None,
        400: ErrorOut,
        404: ErrorOut,
        410: ErrorOut,
        416: None,
    },
    summary="A zip of version n's manifest, its signature and the files changed since `from`",
    url_name="delta",
)
def delta(request, number: int, base: int = Query(..., alias="from")):  # noqa: B008
    package = _package(request, number)
    refused = _not_revoked(request, package)
    if refused:
        return refused
    if base == number:
        return api.create_response(
            request, {"detail": _("A delta needs two different versions.")}, status=400
        )
    # Deltas from a revoked version are fine: the venue holds its files either way.
    source = _package(request, base)
    return _serve(request, lambda: delta_archive(package, source))


@api.get(
    "/revocations",
    response=RevocationsOut,
    summary="Everything venues must remove (withdrawn or expired consent), oldest first",
    url_name="revocations",
)
def revocations(request):
    return {"revoked": revocation_list()}


def revocation_list() -> list[dict]:
    return [
        {"kind": item.kind, "id": item.public_id, "since": item.revoked_at.date()}
        for item in RevokedItem.objects.order_by("revoked_at", "pk")
    ]
