"""A short path through the WSGI application for IIIF image requests and info.json.

Viewers fetch dozens of tiles per screen. Through Django's full handler each one would also
pass the site's middleware (sessions, locale, CSRF, authentication, messages, CSP, redirects),
which costs about as much as the tile itself. None of that applies to a public, cookie-less image
response, so ``IIIFShortPath`` hands exactly those two URL shapes (GET and HEAD) straight to
their views; everything else, and any request that raises, goes through Django as usual.

What the views rely on still holds here: hosts are checked against ``ALLOWED_HOSTS`` (by
``build_absolute_uri``), visibility is looked up for every request, and the views set CORS
and caching headers themselves. The database connection stays open between requests of a
worker (it is closed after an error and reopened by Django when next needed).
"""

import logging
import re

from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.db import connections
from django.urls import set_script_prefix

from collection.iiif import views

logger = logging.getLogger(__name__)

_IMAGE = re.compile(r"/iiif/3/([^/]+)/([^/]+)/([^/]+)/([^/]+)/([^/]+)")
_INFO = re.compile(r"/iiif/3/([^/]+)/info\.json")


class IIIFShortPath:
    """WSGI middleware: IIIF image and info.json requests skip Django's middleware stack."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/iiif/3/") or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.application(environ, start_response)
        if match := _IMAGE.fullmatch(path):
            view, args = views.image_request, match.groups()
        elif match := _INFO.fullmatch(path):
            view, args = views.info, match.groups()
        else:
            return self.application(environ, start_response)
        set_script_prefix(get_script_name(environ))
        request = WSGIRequest(environ)
        # The path Django would see: WSGI hands it over as latin-1 decoded bytes.
        try:
            args = tuple(arg.encode("latin-1").decode() for arg in args)
        except UnicodeError:
            return self.application(environ, start_response)
        try:
            response = view(request, *args)
        except DisallowedHost:
            return self.application(environ, start_response)  # Django answers 400 and logs it
        except Exception:
            # Let Django handle (and log) it; a broken connection is reopened there.
            for connection in connections.all(initialized_only=True):
                connection.close()
            logger.debug("IIIF short path failed; handing over to Django", exc_info=True)
            return self.application(environ, start_response)
        response["X-Content-Type-Options"] = "nosniff"
        status = f"{response.status_code} {response.reason_phrase}"
        start_response(status, list(response.items()))
        # Not the response object itself: closing it would send request_finished, which
        # closes the database connection, only for the next request to open it again.
        stream = getattr(response, "file_to_stream", None)
        if stream is not None and "wsgi.file_wrapper" in environ:
            # sendfile() for cached images, as Django's handler does.
            response.file_to_stream = None
            return environ["wsgi.file_wrapper"](stream, response.block_size)
        if response.streaming:
            return response
        return [response.content]
