"""Staff pages for touring: package lists per venue with build progress, build reports,
downloads and revocation, and the loan coverage report with its chart."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exhibition.models import Venue
from touring.actions import (
    BUILD_PERMISSION,
    DOWNLOAD_PERMISSION,
    REVOKE_PERMISSION,
    QueueBuild,
    RevokePackage,
    can_see_packages,
)
from touring.coverage import coverage_svg, loan_coverage
from touring.models import PackageVersion

# Seconds between refreshes while a build runs: progress shows without JavaScript.
REFRESH_SECONDS = 3


def _require(request, allowed: bool):
    if not allowed:
        raise PermissionDenied


def package_index(request):
    """Every venue with its newest package."""
    _require(request, can_see_packages(request.user))
    rows = []
    for venue in Venue.objects.order_by("opens_on", "institution"):
        rows.append({"venue": venue, "latest": venue.package_versions.order_by("-number").first()})
    return TemplateResponse(
        request, "touring/admin/index.html", {"rows": rows, "title": _("Content packages")}
    )


def venue_packages(request, venue_id: int):
    """One venue's packages: status and progress, reports, downloads, build and revoke."""
    _require(request, can_see_packages(request.user))
    venue = get_object_or_404(Venue, pk=venue_id)
    versions = list(venue.package_versions.order_by("-number"))
    running = any(
        v.status in (PackageVersion.Status.QUEUED, PackageVersion.Status.BUILDING) for v in versions
    )
    return TemplateResponse(
        request,
        "touring/admin/venue_packages.html",
        {
            "venue": venue,
            "versions": versions,
            "refresh": REFRESH_SECONDS if running else None,
            "can_build": request.user.has_perm(BUILD_PERMISSION),
            "can_download": request.user.has_perm(DOWNLOAD_PERMISSION),
            "can_revoke": request.user.has_perm(REVOKE_PERMISSION),
            "title": _("Content packages for %(venue)s") % {"venue": venue.institution},
        },
    )


@require_POST
def build(request, venue_id: int):
    venue = get_object_or_404(Venue, pk=venue_id)
    version = QueueBuild(venue, user=request.user).execute()
    messages.success(request, _("Version %(number)s is being built.") % {"number": version.number})
    return redirect("touring_venue_packages", venue.pk)


def version_report(request, pk: int):
    _require(request, can_see_packages(request.user))
    version = get_object_or_404(PackageVersion.objects.select_related("venue"), pk=pk)
    return TemplateResponse(
        request,
        "touring/admin/report.html",
        {
            "version": version,
            "report": version.report or {},
            "title": _("Build report of %(version)s") % {"version": version},
        },
    )


def download(request, pk: int):
    _require(request, request.user.has_perm(DOWNLOAD_PERMISSION))
    version = get_object_or_404(PackageVersion, pk=pk, status=PackageVersion.Status.READY)
    if not version.archive:
        raise Http404
    return FileResponse(
        version.archive.open("rb"),
        as_attachment=True,
        filename=f"{version.venue.slug}-v{version.number}.zip",
        content_type="application/zip",
    )


@require_POST
def revoke(request, pk: int):
    version = get_object_or_404(PackageVersion, pk=pk)
    try:
        RevokePackage(version, user=request.user, reason=request.POST.get("reason", "")).execute()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Version %(number)s is revoked.") % {"number": version.number})
    return redirect("touring_venue_packages", version.venue_id)


def coverage(request, venue_id: int):
    """Objects placed at the venue that their loans do not let it show, with a chart."""
    _require(request, can_see_packages(request.user))
    venue = get_object_or_404(Venue, pk=venue_id)
    problems = loan_coverage(venue)
    return TemplateResponse(
        request,
        "touring/admin/coverage.html",
        {
            "venue": venue,
            "problems": problems,
            # Built from escaped parts only (coverage_svg escapes every text it writes).
            "svg": mark_safe(coverage_svg(venue, problems)),  # noqa: S308
            "title": _("Loan coverage at %(venue)s") % {"venue": venue.institution},
        },
    )
