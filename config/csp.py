"""Content-Security-Policy: strict for the public site, relaxed only where the admin needs it."""

from django.conf import settings
from django.urls import reverse

from csp.middleware import CSPMiddleware


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's extra allowances on admin URLs only."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path.startswith(reverse("wagtailadmin_home")):
            parts.update = {**(parts.update or {}), **settings.CONTENT_SECURITY_POLICY_ADMIN_UPDATE}
        return parts


# Page-specific allowances, applied with django-csp's @csp_update on the views named.

# The Mirador page (collection.views.viewer) alone may apply inline <style> elements.
# Why: Mirador 4 is React with MUI, whose emotion style engine writes every component's CSS
# at run time into <style> elements of a cache that Mirador creates inside its bundle, with no
# way to hand it a nonce; without this allowance the viewer renders unstyled and unusable.
# Why it is narrow: scripts stay 'self' only (no inline script, no eval), and img-src,
# font-src and connect-src stay 'self', so injected CSS could neither run code nor send
# anything to another host. No other page gets it.
MIRADOR_PAGE_CSP = {"style-src": ["'unsafe-inline'"]}

# Object pages (deep zoom with OpenSeadragon) may apply an *empty* <style> element and nothing
# else: the hash below is that of the empty string. OpenSeadragon styles its elements through
# the CSSOM, which style-src does not govern, but it also appends a <style> of its own (hiding
# the focus outline on touch screens) unless the page already has one marked
# data-openseadragon-mobile-css. The object page carries that marker, empty, so the viewer
# adds nothing and keeps a visible focus outline; the marker needs this hash to be applied.
EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
DEEP_ZOOM_PAGE_CSP = {"style-src": [EMPTY_STYLE_HASH]}
