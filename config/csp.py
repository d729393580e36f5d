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
