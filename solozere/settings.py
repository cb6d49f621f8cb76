"""Solozère settings: one module, every value from the environment with a safe local default.

The defaults run the site on SQLite with no server; production sets DATABASE_URL, SECRET_KEY,
ALLOWED_HOSTS and friends (see docs/deploy.md).
"""

from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-local-only-never-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# The site's public address (scheme and host, no path): every absolute link (canonical and
# OpenGraph URLs, JSON-LD, open data, e-mails) is made from it, never from a request's Host header,
# which a visitor chooses and a cached page would then show to everyone (places.links).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in ("http", "https") or not _site.netloc or _site.path or _site.query:
    raise ImproperlyConfigured(
        f"SITE_URL must be a scheme and a host, such as https://solozere.fr (got {SITE_URL!r})."
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "import_export",
    "rest_framework",
    "drf_spectacular",
    "simple_history",
    "axes",
    "csp",
    "territory",
    "places",
    "contributions",
    "opendata",
    "coverage",
    "backoffice",
    "agenda",
    "printing",
    "needs",
    "rooms",
    # Last: its section closes a place's page, after those of the apps above (places.extensions).
    "charter",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "solozere.middleware.PermissionsPolicyMiddleware",
    "solozere.middleware.DatabaseUnavailableMiddleware",
    "solozere.middleware.RejectNullCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as its documentation asks: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

# Pages compressed by Django itself, for a server with nothing in front that compresses them
# (production's nginx or Caddy does, docs/deploy.md); `make lighthouse` measures pages so. Django's
# compression pads its output against BREACH; its ETags become weak, which the page cache accepts.
if env.bool("GZIP", default=False):
    MIDDLEWARE.insert(0, "django.middleware.gzip.GZipMiddleware")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Repeated failed logins lock the account and address out for a while.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Lockouts are lifted with `manage.py axes_reset`, not from the back-office.
AXES_ENABLE_ADMIN = False
# Behind a reverse proxy (nginx, a load balancer), the visitor's address is the PROXY_COUNT-th
# from the right in X-Forwarded-For; left at 0, REMOTE_ADDR is the visitor (no proxy). The lockout
# and every rate limit count the address contributions.limits.client_address computes (IPv6 by /64).
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "contributions.limits.client_address"

# Behind HTTPS in production (HTTPS=true): redirect, secure cookies, HSTS. Off locally and in
# tests, which speak plain HTTP.
HTTPS = env.bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Geolocation for « Autour de moi », on this site only; nothing else.
PERMISSIONS_POLICY = "geolocation=(self), camera=(), microphone=(), payment=(), usb=()"

ROOT_URLCONF = "solozere.urls"
WSGI_APPLICATION = "solozere.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A database host that stops answering (rather than refusing) gives the 503 page in seconds.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["connect_timeout"] = env.int("DB_CONNECT_TIMEOUT", default=5)
    # Short queries: compiling them just in time costs more than it saves (a second and a half on
    # a facet count over 20,000 places, bench/results.md).
    options.setdefault("options", "-c jit=off")
# Lets two test runs share one PostgreSQL server (each names its own test database).
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="") or None}

# Cache: Redis when REDIS_URL is set, shared by every process and server; otherwise each process
# keeps its own in memory. Either way a cached page is named by the directory's state as the
# database tells it (places.freshness), so no process ever serves a page from before a change.
# Memory is bounded: a page over PAGE_CACHE_MAX_BYTES is never kept, and the local cache holds
# MAX_ENTRIES of them at most (Redis is bounded by its own `maxmemory`, see docs/deploy.md).
REDIS_URL = env.str("REDIS_URL", default="")
SOLOZERE_PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)
SOLOZERE_PAGE_CACHE_MAX_BYTES = env.int("PAGE_CACHE_MAX_BYTES", default=256 * 1024)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "solozere",
            "TIMEOUT": 3600,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "solozere",
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": env.int("LOCAL_CACHE_MAX_ENTRIES", default=200)},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# E-mail: printed on the console locally, sent through SMTP in production
# (EMAIL_URL=smtp+tls://user:password@smtp.example.org:587).
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Solozère <annuaire@solozere.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where public contributions are announced (Lozère Développement's coordinators); also the open
# data's contact point in the DCAT catalogue (opendata.metadata).
SOLOZERE_COORDINATION_EMAIL = env.str("COORDINATION_EMAIL", default="")
# The day the directory was first published as open data (DATA_ISSUED=YYYY-MM-DD): the DCAT
# catalogue's dct:issued and the « Données ouvertes » page's datePublished. Unset, no date is given.
_issued = env.str("DATA_ISSUED", default="")
try:
    SOLOZERE_DATA_ISSUED = date.fromisoformat(_issued) if _issued else None
except ValueError:
    raise ImproperlyConfigured(
        f"DATA_ISSUED must be a date, YYYY-MM-DD (got {_issued!r})."
    ) from None

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Production sets whitenoise.storage.CompressedManifestStaticFilesStorage after
        # collectstatic; the default needs no build step.
        "BACKEND": env.str(
            "STATICFILES_BACKEND", default="django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# A file uploaded to the back-office import waits here between its preview and its confirmation
# (never in the session). Not under MEDIA_ROOT, which the web server serves; with several
# servers, on the same shared volume as MEDIA_ROOT. Files left unconfirmed are removed after a day.
PENDING_IMPORTS_ROOT = env.path("PENDING_IMPORTS_ROOT", default=BASE_DIR / "pending-imports")
STORAGES["import_export"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PENDING_IMPORTS_ROOT},
}
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
# Imports write their own history (who, from which file): no admin log entry per place.
IMPORT_EXPORT_SKIP_ADMIN_LOG = True

# Without collectstatic (local runs, tests), whitenoise serves straight from the finders.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)

# The map draws Lozère from local GeoJSON; a tile server is an optional enhancement.
SOLOZERE_TILES_URL = env.str("TILES_URL", default="")
SOLOZERE_TILES_ATTRIBUTION = env.str(
    "TILES_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)


# The place form's address search asks a server speaking the API of the Base Adresse Nationale
# (https://api-adresse.data.gouv.fr, or an addok of one's own), through the back-office; without
# it the form has no address search and nothing is asked. Searches per hour for one account.
SOLOZERE_GEOCODER_URL = env.str("GEOCODER_URL", default="")
if SOLOZERE_GEOCODER_URL and urlsplit(SOLOZERE_GEOCODER_URL).scheme not in ("http", "https"):
    raise ImproperlyConfigured(
        f"GEOCODER_URL must be an http(s) address (got {SOLOZERE_GEOCODER_URL!r})."
    )
SOLOZERE_GEOCODER_TIMEOUT = env.float("GEOCODER_TIMEOUT", default=5.0)
SOLOZERE_GEOCODES_PER_HOUR = env.int("GEOCODES_PER_HOUR", default=300)


def _tiles_origin(url):
    """The tile server's origin, for the CSP (`{s}` subdomains become a wildcard)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}" if parts.netloc else None


# Content-Security-Policy: scripts only from this site (inline ones need the request's nonce);
# inline styles stay allowed because Leaflet and the admin set element styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", *filter(None, [_tiles_origin(SOLOZERE_TILES_URL)])],
        "connect-src": [SELF],
        "font-src": [SELF],
        # The service worker (/sw.js) and the web app manifest, from this site only.
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# The read API (opendata.api): read-only JSON for anyone, no session, cookie or CSRF token; every
# error in one JSON shape. No browsable API: it would load its own pages and scripts.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "EXCEPTION_HANDLER": "opendata.api.json_error",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Solozère",
    "DESCRIPTION": _("Lecture de l'annuaire des tiers-lieux de Lozère."),
    "SERVE_INCLUDE_SCHEMA": False,
    # Places and events share their accessibility's choices: one enum in the document.
    "ENUM_NAME_OVERRIDES": {"AccessibilityEnum": "places.models.Place.Accessibility"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "opendata.api.describe_site",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

LOGIN_URL = "admin:login"
# A form refused for its missing or stale CSRF token says so in French, in the site's look.
CSRF_FAILURE_VIEW = "solozere.views.csrf_failure"
# How long a reminder waits for its answer (backoffice.reminders): its « Toujours exact » link
# expires then, and the next reminder follows (after two, the coordination is told). When a place
# needs confirming is each place's own cadence (Place.review_months).
SOLOZERE_REMINDER_DAYS = env.int("REMINDER_DAYS", default=30)
# How long after its date a registration for an event (name, e-mail, phone) is kept before
# `purge_registrations` (run daily by cron) deletes it.
SOLOZERE_REGISTRATION_RETENTION_DAYS = env.int("REGISTRATION_RETENTION_DAYS", default=30)
# An alert for an unmet need not confirmed within these days is deleted (needs.alerts).
SOLOZERE_ALERT_CONFIRMATION_DAYS = env.int("ALERT_CONFIRMATION_DAYS", default=3)

# Rooms (rooms.bookings): a request of a room left unanswered this many days expires
# (`expire_room_requests`, run by cron), and the requester's name, e-mail, phone, organisation and
# purpose are erased this many months after the booking (`purge_room_requests`, run daily by cron).
SOLOZERE_ROOM_REQUEST_EXPIRY_DAYS = env.int("ROOM_REQUEST_EXPIRY_DAYS", default=5)
SOLOZERE_ROOM_RETENTION_MONTHS = env.int("ROOM_RETENTION_MONTHS", default=12)
# Rate limits, per hour, counted in the database (contributions.limits): public contributions and
# password resets per visitor address, invitations per coordinator's address, and the e-mails
# (password resets and invitations together) one mailbox receives.
SOLOZERE_CONTRIBUTIONS_PER_HOUR = env.int("CONTRIBUTIONS_PER_HOUR", default=5)
SOLOZERE_PASSWORD_RESETS_PER_HOUR = env.int("PASSWORD_RESETS_PER_HOUR", default=5)
SOLOZERE_INVITATIONS_PER_HOUR = env.int("INVITATIONS_PER_HOUR", default=30)
SOLOZERE_EMAILS_PER_RECIPIENT_PER_HOUR = env.int("EMAILS_PER_RECIPIENT_PER_HOUR", default=3)
# Calendars imported from the places' own agendas (agenda/fetching.py): a fetch ends after this
# many seconds and bytes, whatever the server does. Private, loopback and link-local addresses are
# refused (the server must not become a way into the network it sits in) unless this is on.
SOLOZERE_FEEDS_TIMEOUT = env.float("FEEDS_TIMEOUT", default=15.0)
SOLOZERE_FEEDS_MAX_BYTES = env.int("FEEDS_MAX_BYTES", default=2 * 1024 * 1024)
SOLOZERE_FEEDS_ALLOW_PRIVATE_NETWORKS = env.bool("FEEDS_ALLOW_PRIVATE_NETWORKS", default=False)
# Photos: accepted formats, largest upload, and the size they are stored at.
SOLOZERE_PHOTO_MAX_BYTES = env.int("PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
# Largest image accepted, in pixels, read from the file's header before anything is decoded: a
# small file can declare a huge image (a « decompression bomb ») that would fill a worker's memory.
# Decoding takes about 3 bytes a pixel: 50 million is 150 MB, and covers 48-megapixel cameras.
SOLOZERE_PHOTO_MAX_SOURCE_PIXELS = env.int("PHOTO_MAX_SOURCE_PIXELS", default=50_000_000)
SOLOZERE_PHOTO_MAX_PIXELS = 1600
# Printed documents (printing/): WeasyPrint runs in a process of its own, killed past this many
# seconds or this much memory; a document longer than this many pages is refused.
SOLOZERE_PDF_TIMEOUT = env.float("PDF_TIMEOUT", default=20.0)
SOLOZERE_PDF_MAX_MEMORY_MB = env.int("PDF_MAX_MEMORY_MB", default=1024)
SOLOZERE_PDF_MAX_PAGES = env.int("PDF_MAX_PAGES", default=40)
