"""Settings shared by every deployment: production-safe defaults, values from the environment.

The embedded set-up (SQLite and files under ``var/``, embedded search, database task queue)
needs no variables at all; ``dev.py`` and ``test.py`` relax what only matters in production.
The README lists every variable.
"""

from pathlib import Path

from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

import dj_database_url

from config.env import Env

env = Env()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env.str("VAR_DIR", str(BASE_DIR / "var"))).resolve()

DEBUG = env.bool("DEBUG", False)
SECRET_KEY = env.str("SECRET_KEY", required=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Our apps first so their templates and static files win over the defaults.
    "users",
    "visibility",
    "collection",
    "stories",
    "exhibition",
    "touring",
    "localisation",
    "venue_api",
    "programme",
    "search",
    "responsecache",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "responsecache.middleware.ResponseCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.csp.SiteCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "exhibition.context_processors.site_chrome",
                "programme.context_processors.programme_link",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another (postgres://… for scale).
DATABASE_URL = env.str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except ValueError as error:
    raise ImproperlyConfigured(
        "DATABASE_URL must be a database URL such as sqlite:////abs/path/db.sqlite3 or "
        f"postgres://user@host:5432/name ({error})."
    ) from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web workers read while the task worker writes; IMMEDIATE transactions
    # avoid "database is locked" errors on lock upgrades. Connections are kept between a
    # worker's requests (60 s, as for PostgreSQL): opening one, with these pragmas, cost
    # about 2 ms, and under gunicorn about 5 ms of every page that reads the database.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Swedish first (the default locale, created by the first migrate), then English;
# touring venues add theirs with CONTENT_LANGUAGES, e.g. "sv,en,de".
CONTENT_LANGUAGES = env.languages("CONTENT_LANGUAGES", ["sv", "en"])
LANGUAGE_CODE = CONTENT_LANGUAGES[0]
LANGUAGES = [(code, LANG_INFO.get(code, {}).get("name_local", code)) for code in CONTENT_LANGUAGES]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
# Explicit fallbacks: the languages a visitor reads, in order, when a text is missing in
# theirs (localisation.fallbacks); the default language is always the last resort.
LANGUAGE_FALLBACKS = {"se": ["sv", "en"], "lt": ["en"], "de": ["en"], "en": ["sv"]}
TIME_ZONE = env.str("TIME_ZONE", "Europe/Stockholm")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", str(VAR_DIR / "media")))
SERVE_MEDIA = env.bool("SERVE_MEDIA", False)

# Search: embedded unless ELASTICSEARCH_URL points at a cluster.
ELASTICSEARCH_URL = env.url("ELASTICSEARCH_URL", schemes=("http", "https"))
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX": env.str("ELASTICSEARCH_INDEX_PREFIX", "trafficking"),
            "TIMEOUT": 10,
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# The public search service (search/): an embedded tantivy index per channel under
# SEARCH_INDEX_DIR, always kept up to date; Elasticsearch answers queries when configured.
SEARCH_INDEX_DIR = Path(env.str("SEARCH_INDEX_DIR", str(VAR_DIR / "search-index")))
# Threads one query may count facets in (0: the cores available, at most 4); see
# search/backends/embedded.py for when more than one helps.
SEARCH_THREADS = env.int("SEARCH_THREADS", 1)
# Searches whose facet counts each process keeps per state of an index (0: none), so that
# the next page or another sort order of a search counts nothing again.
SEARCH_FACET_CACHE = env.int("SEARCH_FACET_CACHE", 128)
# The Swedish Hunspell dictionary (Debian: hunspell-sv), for splitting compound words.
SEARCH_SWEDISH_DICTIONARY = env.str("SEARCH_SWEDISH_DICTIONARY", "/usr/share/hunspell/sv_SE.dic")
ELASTICSEARCH_INDEX_PREFIX = env.str("ELASTICSEARCH_INDEX_PREFIX", "trafficking")

# IIIF Image API: rendered images are cached on disk, outside MEDIA_ROOT (never public as
# files), least recently used evicted past the cap; maxArea limits any one response.
IIIF_CACHE_DIR = Path(env.str("IIIF_CACHE_DIR", str(VAR_DIR / "iiif-cache")))
IIIF_CACHE_MAX_MB = env.int("IIIF_CACHE_MAX_MB", 500, minimum=1)
# 12 megapixels (e.g. 4243x2828) keeps a worker under 300 MB even for a rotated WebP.
IIIF_MAX_AREA = env.int("IIIF_MAX_AREA", 12_000_000, minimum=1)
# Tiled pyramidal TIFFs built from each master by a background task, read instead of it;
# masters over IIIF_MAX_MASTER_PIXELS (decompression bombs) are refused.
IIIF_PYRAMID_DIR = Path(env.str("IIIF_PYRAMID_DIR", str(VAR_DIR / "iiif-pyramids")))
IIIF_MAX_MASTER_PIXELS = env.int("IIIF_MAX_MASTER_PIXELS", 2_000_000_000, minimum=1)

# Stories: the real identities of voices are encrypted at rest with these Fernet keys
# (comma-separated; the first encrypts, all decrypt, so keys can be rotated). Restricted files
# (signed consent documents) live outside MEDIA_ROOT and are never served as media.
IDENTITY_ENCRYPTION_KEYS = env.list("IDENTITY_ENCRYPTION_KEYS", [])
# Whole responses for anonymous visitors, invalidated by every write to public content (see
# responsecache). Each worker keeps its own copy unless CACHES points at a shared cache.
RESPONSE_CACHE = env.bool("RESPONSE_CACHE", True)
RESPONSE_CACHE_TIMEOUT = env.int("RESPONSE_CACHE_TIMEOUT", 300)
RESPONSE_CACHE_SKIP_PREFIXES = [
    "/admin/",
    "/api/",
    "/iiif/",
    "/media/",
    "/static/",
    "/documents/",
    "/q/",
]
RESTRICTED_MEDIA_ROOT = Path(env.str("RESTRICTED_MEDIA_ROOT", str(VAR_DIR / "restricted")))

# Content packages for touring venues: signed with the museum's Ed25519 key (32 raw bytes,
# URL-safe base64; `python -c "from touring.signing import generate_private_key as g; print(g())"`)
# and stored outside MEDIA_ROOT, served only through the venue API.
PACKAGE_SIGNING_KEY = env.str("PACKAGE_SIGNING_KEY", "")
PACKAGE_ROOT = Path(env.str("PACKAGE_ROOT", str(VAR_DIR / "packages")))
# Where a venue language lacks a text, packages show it in this language, marked and reported;
# images are rendered into packages as static tiles up to this many pixels on the longest side.
TOURING_FALLBACK_LANGUAGE = env.str("TOURING_FALLBACK_LANGUAGE", "en")
TOURING_IMAGE_MAX_SIZE = env.int("TOURING_IMAGE_MAX_SIZE", 2048, minimum=256)
# Venue API (venue_api/): requests per token and per client address in each window (counted in
# the default cache, so several workers need a shared cache such as Redis or Memcached).
# venue_sync verifies packages with PACKAGE_VERIFY_KEY (a venue pins the museum's public key).
VENUE_API_RATE_LIMIT = env.int("VENUE_API_RATE_LIMIT", 120, minimum=1)
VENUE_API_RATE_WINDOW = env.int("VENUE_API_RATE_WINDOW", 60, minimum=1)
PACKAGE_VERIFY_KEY = env.str("PACKAGE_VERIFY_KEY", "")

# Background work (derivatives, packages, reindexing) goes through Django's tasks framework.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

WAGTAIL_SITE_NAME = "Trafficking"
WAGTAILADMIN_BASE_URL = env.str("SITE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "collection.MuseumImage"
WAGTAILIMAGES_IMAGE_FORM_BASE = "collection.forms.MuseumImageForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.int("IMAGE_MAX_UPLOAD_MB", 200, minimum=1) * 1024 * 1024
# Refuse decompression bombs: Wagtail decodes uploads with Pillow, which itself refuses
# images over ~179 megapixels. Larger masters need the tiled pipeline of the IIIF work.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 178_000_000
WAGTAILDOCS_EXTENSIONS = ["pdf", "txt", "vtt", "csv", "xml", "json", "zip"]
WAGTAILEMBEDS_FINDERS = []  # no third-party embeds: visitors may be people at risk

# Where "leave this site quickly" sends a visitor: a neutral page of our own by default;
# an operator may point it at a neutral outside site instead.
QUICK_EXIT_URL = env.str("QUICK_EXIT_URL", "/q/")

# Visitor contributions (stories/contributions): answers per client and window (counted in
# the default cache, so several workers need a shared cache), how long pending or rejected
# answers are kept, the largest request body read, and how many reverse proxies in front
# append to X-Forwarded-For (0: the socket's peer address is the client).
CONTRIBUTION_RATE_LIMIT = env.int("CONTRIBUTION_RATE_LIMIT", 5, minimum=1)
CONTRIBUTION_RATE_WINDOW = env.int("CONTRIBUTION_RATE_WINDOW", 3600, minimum=1)
CONTRIBUTION_RETENTION_DAYS = env.int("CONTRIBUTION_RETENTION_DAYS", 30, minimum=1)
CONTRIBUTION_MAX_BODY_BYTES = 64 * 1024
CONTRIBUTION_TRUSTED_PROXIES = env.int("CONTRIBUTION_TRUSTED_PROXIES", 0, minimum=0)

# Security headers. Production tightens further (production.py); these hold everywhere.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The Wagtail admin uses inline styles and scripts; it still loads nothing from other hosts.
CONTENT_SECURITY_POLICY_ADMIN_UPDATE = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "frame-ancestors": ["'self'"],  # page previews render in an iframe
    "frame-src": ["'self'"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "WARNING"},
        # One line per task state change is too much at INFO; failures still show.
        "django_tasks": {"level": "WARNING"},
        # libvips logs a dozen lines per rendered tile at INFO.
        "pyvips": {"level": "WARNING"},
        # WeasyPrint logs each layout step (and its own stylesheets at import) at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
