import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# IIIF tiles and info.json skip the site's middleware (collection/iiif/wsgi.py).
from collection.iiif.wsgi import IIIFShortPath  # noqa: E402

application = IIIFShortPath(application)
