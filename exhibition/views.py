from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from exhibition.models import Venue
from visibility.channels import WEB


@require_safe
def tour(request):
    """The public tour: every venue announced on the web, in date order."""
    venues = Venue.objects.visible_in(WEB).only(
        "institution", "city", "country", "opens_on", "closes_on", "is_home_museum"
    )
    return render(request, "exhibition/tour.html", {"venues": venues, "title": _("Tour")})


@require_safe
@never_cache
def quick_exit_landing(request):
    """The neutral page "leave this site quickly" lands on.

    It names nothing of the museum or the exhibition, sends no referrer and is not cached,
    so a glance at the screen or the browser's cache shows nothing.
    """
    response = render(request, "exhibition/quick_exit_landing.html")
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /q/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


# Public views that live under each language prefix (/tour/, /en/tour/), before Wagtail's
# catch-all page route.
public_urlpatterns = [
    path("tour/", tour, name="tour"),
]
