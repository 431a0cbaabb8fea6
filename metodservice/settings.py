"""Settings for metodservice, read from the environment.

Unset variables give a development setup: DEBUG on, SQLite in the project folder.
Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (see README).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", True)
_DEV_KEY = "dev-only-insecure-key-change-me-in-production-0123456789abcdef"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "django.contrib.postgres",  # the catalogue's stored search vector (experience); harmless on SQLite
    "rules.apps.AutodiscoverRulesConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "django_tasks_db",
    "import_export",
    "metodservice.apps_axes.AxesConfig",
    "metodservice.common",
    "metodservice",
    "structure",
    "planning",
    "attestation",
    "experience",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A form sent drops the menu's badge the session kept (metodservice.attention).
    "metodservice.attention.AttentionMiddleware",
    # With DEBUG on (make run), a missing page is the portal's Russian 404, not Django's English technical page.
    "metodservice.common.middleware.PortalNotFoundMiddleware",
    # Every view asks for a logged-in user unless marked @login_not_required (a test walks all the URLs).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "metodservice.common.middleware.IdleSessionMiddleware",
    "metodservice.common.middleware.NoStoreForLoggedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # A request that may write runs in one transaction; a read, in none (instead of ATOMIC_REQUESTS).
    "metodservice.common.middleware.AtomicWritesMiddleware",
]

ROOT_URLCONF = "metodservice.urls"
# A failed CSRF check (a form left open past the session, cookies off) answers in the portal's layout, in Russian.
CSRF_FAILURE_VIEW = "metodservice.views.csrf_failure"
WSGI_APPLICATION = "metodservice.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "structure.context_processors.portal",
                "metodservice.navigation.navigation",
                "metodservice.attention.attention",
            ],
        },
    },
]

# Widgets render with the project's templates, so templates/django/forms/widgets/select.html (a faster select)
# overrides Django's own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 60),
        # A persistent connection is checked before a request reuses it, so the first requests after a database
        # restart get a fresh connection instead of failing once per worker.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Documents and long reports are rendered by a background task (metodservice.common.documents). With PostgreSQL the
# tasks wait in the database for `manage.py db_worker` (README, "Production"); the SQLite quick start runs each task
# at once in the request that asked for it. TASKS_BACKEND=immediate or =database overrides the choice.
_TASKS_BACKEND = os.environ.get(
    "TASKS_BACKEND", "database" if DATABASES["default"]["ENGINE"].endswith("postgresql") else "immediate"
)
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
        }[_TASKS_BACKEND]
    }
}

AUTH_USER_MODEL = "structure.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: after AXES_FAILURE_LIMIT failures a username is locked from that client address for
# AXES_COOLOFF_MINUTES (the lockout page says how long: metodservice.views.locked_out).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # a user from one address; colleagues are not locked out
AXES_LOCKOUT_CALLABLE = "metodservice.views.locked_out"
AXES_RESET_ON_SUCCESS = True
if envbool("BEHIND_PROXY", not DEBUG):
    # django-axes finds the client's address with django-ipware (installed: without it axes silently uses
    # REMOTE_ADDR, which behind the proxy is the proxy). PROXY_COUNT proxies stand in front of the app; each appends
    # the address it received the request from to X-Forwarded-For, and the last one's own address is REMOTE_ADDR,
    # so the client is the PROXY_COUNT-th entry from the right. In ipware's terms that is PROXY_COUNT - 1 proxy
    # entries after the client, counted from the right (left-most order), and not strict: whatever a client
    # prepends to the header itself (a forged left-most entry) is ignored instead of disabling the header.
    AXES_IPWARE_PROXY_COUNT = max(envint("PROXY_COUNT", 1) - 1, 0)
    AXES_IPWARE_PROXY_ORDER = "left-most"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    IPWARE_STRICT = False

# A session ends after SESSION_IDLE_MINUTES without a request (default: a working day). The session store itself
# refuses a session past its expiry date, SESSION_COOKIE_AGE after it was last saved; IdleSessionMiddleware saves an
# active user's session at most once a minute to move that date on (not SESSION_SAVE_EVERY_REQUEST: a write on
# every request for the same effect).
# The menu's badge (what waits for the user) is counted at most this often per session, in seconds; the user's own
# forms and the dashboard count it afresh (metodservice.attention). 0: counted on every page.
ATTENTION_SECONDS = envint("ATTENTION_SECONDS", 60)
# How long the live annual report's figures are kept for its page and PDF (reports.sections.compute_kept).
REPORT_FIGURES_SECONDS = envint("REPORT_FIGURES_SECONDS", 60)
# The start of the current academic year is read at most this often per process (planning.selectors.years): a year
# made current in one process is seen by the others within it. 0: read on every use.
CURRENT_YEAR_SECONDS = envint("CURRENT_YEAR_SECONDS", 60)
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", 480)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Moscow")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploads (metodservice/common/uploads.py): every uploaded file is checked by content against its kind's types and at
# most UPLOAD_MAX_BYTES (the proxy's client_max_body_size must be a little larger, see README). The first handler
# drops what an upload has beyond the limit, so an over-large file gets the form's message, not a full disk.
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "metodservice.common.uploads.SizeCapUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# django-filter's empty choice is "---------" unless set; the portal's filters say "все" (all) everywhere.
FILTERS_EMPTY_CHOICE_LABEL = _("all")
FILTERS_NULL_LABEL = _("not set")

EMAIL_BACKEND_PATH = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": (
            {"host": os.environ.get("EMAIL_HOST", "localhost"), "port": envint("EMAIL_PORT", 25)}
            if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "metodservice@localhost")

# Everything the pages load comes from this server: no CDN, no inline scripts.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# The college: shown on orders and reports.
COLLEGE_NAME = os.environ.get(
    "COLLEGE_NAME", "Государственное бюджетное профессиональное образовательное учреждение «Техникум»"
)
COLLEGE_SHORT_NAME = os.environ.get("COLLEGE_SHORT_NAME", "Техникум")
COLLEGE_CITY = os.environ.get("COLLEGE_CITY", "г. Энск")

# The portal's public address, printed in the QR code of signed and approved documents (their verification page).
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")

# The quorum of a meeting of a unit: more than this fraction of its members present ("1/2": more than half; "2/3",
# "0.6" …; 0 ≤ fraction < 1). A protocol without a quorum is not signed (planning.signing.quorum_needed).
MEETING_QUORUM = os.environ.get("MEETING_QUORUM", "1/2")
# The college's attestation commission sits with at least this many members (DOMAIN.md "Attestation"): a conformity
# sitting is neither planned nor decided with fewer (attestation.services.conformity).
ATTESTATION_COMMISSION_MIN_MEMBERS = envint("ATTESTATION_COMMISSION_MIN_MEMBERS", 5)

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403, 404, …) is logged at INFO without a traceback; a fault (500) stays ERROR with it.
    "filters": {"refusals_as_info": {"()": "metodservice.common.logfilters.RefusalsAsInfo"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "level": LOG_LEVEL}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"filters": ["refusals_as_info"]},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}
