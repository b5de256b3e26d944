"""Noramål settings: one file, read from environment variables."""

import os
from datetime import timedelta
from pathlib import Path

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from noramal import config
from signin import config as signin_config

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-local-use"
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "mptt",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_tasks_db",
    "axes",
    # Single sign-on (OpenID Connect and SAML 2.0) through django-allauth; our part is `signin`.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "goals",
    "accounts",
    "followup",
    "reports",
    "signin",
]

MIDDLEWARE = [
    # First: a load balancer's probe is answered before host checks and HTTPS redirects (noramal/health.py).
    "noramal.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # One JSON line per request, with its id and the user's id (noramal/requestlog.py).
    "noramal.requestlog.RequestLogMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Before any view or middleware reads the post: over-long ones get a Swedish page (noramal/middleware.py).
    "noramal.middleware.OverlongPostMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # The browser that changed the goal tree is not served a stale tree page (goals/treecache.py).
    "goals.treecache.ChangeCookieMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout signalled during login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # The app serves its own static files, compressed and with hashed names cached for a year (with debug
    # on, runserver serves them from their folders).
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

ROOT_URLCONF = "noramal.urls"
WSGI_APPLICATION = "noramal.wsgi.application"

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
                "django.template.context_processors.csp",
                "noramal.context_processors.site",
            ],
        },
    },
]

# SQLite by default (WAL, IMMEDIATE transactions so that writers queue instead of failing), at SQLITE_PATH
# or any sqlite:// DATABASE_URL; PostgreSQL or another server through DATABASE_URL.
DATABASES = config.databases(os.environ, BASE_DIR / "db.sqlite3")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Posts: room for a large board's values sheet and a long text, whose length the forms cap instead
# (goals.textinput.DESCRIPTION_MAX), so that the form comes back with the text and an error. Beyond these the
# body is not read: the page says so (noramal/middleware.py). Uploaded files do not count here.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# The rendered goal tree is cached (goals/treecache.py) in the database, so that every worker process
# shares it and a tree change invalidates it in the change's own transaction. Its table is created by
# `migrate` (goals/migrations/0004_goal_tree_cache_table.py).
# Slow work (large PDF reports) runs in the background: `python manage.py db_worker` takes tasks from the
# database. A Celery, RQ or Redis backend can take over when a site grows.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "goal_tree": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "noramal_cache",
        # One entry per language and filter combination, plus the version.
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
GOAL_TREE_CACHE = "goal_tree"

# --- Logins -------------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First, so that a locked account+address is refused before the password is even checked.
    "axes.backends.AxesBackend",
    # Django's password check, refused for all but break-glass administrators when NORAMAL_LOCAL_LOGIN is off.
    "signin.backends.LocalPasswordBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Kept so that older hashes still verify; they are upgraded to Argon2 at the next login.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "accounts:workspace"
LOGOUT_REDIRECT_URL = "goals:home"
# Personal data kept for a time (accounts/retention.py, `manage.py purge_personal_data`): how long a login
# lasts (a working day unless NORAMAL_SESSION_DAYS says otherwise; "0.5" is twelve hours), how long the login
# records (django-axes: username, address, browser) and the audit events are kept (unset: audit events stay).
SESSION_COOKIE_AGE = config.days_in_seconds(os.environ, "NORAMAL_SESSION_DAYS", default=60 * 60 * 10)
NORAMAL_LOGIN_LOG_DAYS = config.whole_days(os.environ, "NORAMAL_LOGIN_LOG_DAYS", default=90)
NORAMAL_AUDIT_RETENTION_DAYS = config.whole_days(os.environ, "NORAMAL_AUDIT_RETENTION_DAYS", default=None)
# django-axes: after this many failed logins the username is locked from that address (the right password
# included) until the cool-off has passed or an administrator runs `manage.py axes_reset`.
AXES_FAILURE_LIMIT = int(os.environ.get("NORAMAL_LOGIN_FAILURE_LIMIT", "5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("NORAMAL_LOGIN_COOLOFF_MINUTES", "30")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind reverse proxies the client's address is read from X-Forwarded-For (django-ipware): say how many
# proxies there are in DJANGO_PROXY_COUNT. See noramal/config.py.
PROXY_COUNT = config.proxy_count(os.environ)
_client_address = config.client_address_settings(os.environ)
AXES_IPWARE_PROXY_COUNT = _client_address["AXES_IPWARE_PROXY_COUNT"]
AXES_IPWARE_META_PRECEDENCE_ORDER = _client_address["AXES_IPWARE_META_PRECEDENCE_ORDER"]

# --- Single sign-on (signin/config.py reads the NORAMAL_OIDC_* and NORAMAL_SAML_* variables) ------------
# No provider configured: the login page is the local one. Users are created at their first sign-in; their
# roles come from the provider's groups (signin.models.GroupRoleMapping, kept in the admin).
SOCIALACCOUNT_PROVIDERS = signin_config.providers(os.environ)
NORAMAL_LOCAL_LOGIN, NORAMAL_BREAK_GLASS_USERS = signin_config.local_login(os.environ)
ACCOUNT_ADAPTER = "signin.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "signin.adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_REQUIRED = False
SOCIALACCOUNT_STORE_TOKENS = False
ACCOUNT_EMAIL_VERIFICATION = "none"
# Staff whom an administrator already gave a local account with the same e-mail address keep that account
# (and its roles): the municipality's identity provider vouches for the address.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface is Swedish for everyone, whatever language a browser asks for (no LocaleMiddleware);
# English is the source language of the code and the translation catalogue.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Bootstrap comes from the npm package installed by `npm ci`, never from a CDN.
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist")]
# With debug off the pages name static files by their content's hash (so they can be cached for a year) and
# WhiteNoise serves them compressed from STATIC_ROOT: run `manage.py collectstatic` before starting.
# With debug on (development, tests) files are served as they are, from their folders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))

# --- Security headers ---------------------------------------------------------------------------------
# Only the app's own files run or style a page: no inline script or style, nothing from another host.
# A template that really needs an inline <script> gives it nonce="{{ csp_nonce }}".
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # Bootstrap draws form controls with data: SVG images from its stylesheet.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
if PROXY_COUNT:
    # The proxy terminates TLS and says so in this header; without it the SSL redirect would loop.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    # Sending "preload" enrols nothing by itself: a domain is preloaded only when submitted to the list.
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)

# --- E-mail -------------------------------------------------------------------------------------------
# Through the SMTP server named by EMAIL_HOST (with debug off, the machine's own mail server on localhost
# when none is named); with debug on and no EMAIL_HOST, mails are printed to the console (what `make run`
# shows). Django 6.1's MAILERS, filled from the environment.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST or not DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST or "localhost",
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "use_ssl": env_bool("EMAIL_USE_SSL", False),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del EMAIL_HOST
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noramal@localhost")
# The site's own address, for the links in e-mails (reminders and notices are sent outside any request).
SITE_URL = os.environ.get("NORAMAL_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Reminders (followup/reminders.py, docs/reminders.md): working days before a person's deadline on which the
# digest goes out (besides the day itself and when late), the hour of the worker's daily run, and the working
# days before a period's own deadline at which everyone with work left is told it is about to close.
REMINDER_DAYS = config.day_list(os.environ, "NORAMAL_REMINDER_DAYS", default=(10, 3))
REMINDER_HOUR = int(os.environ.get("NORAMAL_REMINDER_HOUR", "7"))
CLOSING_NOTICE_DAYS = int(os.environ.get("NORAMAL_CLOSING_NOTICE_DAYS", "5"))
# What the apps above accounts add to Min sida: callables (request) -> (template, data).
WORKSPACE_SECTIONS = ["followup.views.mywork.workspace_section"]
# A password-reset link works for this long.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The municipality this installation serves (Kolada's municipality id; Nora is 1884).
MUNICIPALITY_NAME = os.environ.get("NORAMAL_MUNICIPALITY_NAME", "Nora kommun")
MUNICIPALITY_ID = config.municipality_id(os.environ)
# Kolada's API (v3), which fetch_kolada asks; a machine without internet imports downloaded files instead.
KOLADA_URL = os.environ.get("NORAMAL_KOLADA_URL", "https://api.kolada.se/v3")
# Days between the fetches the worker plans itself (`fetch_kolada --schedule`); 0 turns them off.
KOLADA_FETCH_DAYS = int(os.environ.get("NORAMAL_KOLADA_FETCH_DAYS", "7"))
# A report run that has made no progress for this long is taken for dead and marked failed (reports/tasks.py).
REPORT_RUN_TIMEOUT_MINUTES = int(os.environ.get("NORAMAL_REPORT_RUN_TIMEOUT_MINUTES", "15"))
# The licence of the open data, stated in its DCAT-AP-SE description for the national data portal.
OPENDATA_LICENSE = os.environ.get(
    "NORAMAL_OPENDATA_LICENSE", "http://creativecommons.org/publicdomain/zero/1.0/"
)
# Where visitors report accessibility problems (the accessibility statement, /tillganglighet/).
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("NORAMAL_ACCESSIBILITY_EMAIL", "")

# Tree writes are serialised (see goals/tree.py). Only the concurrency test turns this off, to prove
# that it can see the corruption the lock prevents.
GOAL_TREE_LOCK = True

# Logs go to standard output for the service manager (journald, the container runtime). With debug off
# each record is one JSON line (the request log: method, path, status, duration; errors with their
# traceback), every one carrying the request's id and the user's id; NORAMAL_LOG_FORMAT=text for plain lines.
LOG_FORMAT = os.environ.get("NORAMAL_LOG_FORMAT", "text" if DEBUG else "json")
LOG_LEVEL = os.environ.get("NORAMAL_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "noramal.requestlog.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # The request log is at INFO; with debug on, runserver prints its own lines instead.
        "noramal.request": {"level": LOG_LEVEL if not DEBUG else "WARNING"},
    },
}
