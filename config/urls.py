from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from collection.media_views import serve_media
from exhibition import views as exhibition_views
from exhibition.sitemaps import sitemaps
from search.api import api as search_api
from venue_api.api import api as venue_api

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", exhibition_views.robots_txt, name="robots_txt"),
    path("q/", exhibition_views.quick_exit_landing, name="quick_exit_landing"),
    path("iiif/presentation/testimonies/", include("stories.iiif_urls")),
    path("iiif/presentation/exhibition/", include("exhibition.iiif_urls")),
    path("iiif/", include("collection.iiif.urls")),
    path("api/search/", search_api.urls),
    path("api/venue/v1/", venue_api.urls),
]

if settings.SERVE_MEDIA:
    # The embedded set-up serves uploaded media itself, checking what the web may show; at
    # scale the same rules must hold in front of object storage. Restricted files (consent
    # documents) never live under MEDIA_ROOT.
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", serve_media, name="media"))

urlpatterns += i18n_patterns(
    path("", include("collection.urls")),
    path("", include("search.urls")),
    path("", include("stories.urls")),
    path("", include(exhibition_views.public_urlpatterns)),
    path("", include("exhibition.room_views")),
    path("", include("programme.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
