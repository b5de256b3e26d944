"""Settings for the load benchmark's gunicorn: production-like (DEBUG off), over plain HTTP on loopback.

Everything comes from noramal.settings; only what plain HTTP on 127.0.0.1 needs is changed: no redirect to
HTTPS and no Secure flag on the cookies (the load generator's logins would not be sent back otherwise).
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-never-used-for-anything-real-0123456789")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

from noramal.settings import *  # noqa: E402,F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
ROOT_URLCONF = "tests.bench.urls"
# The folder of the static baseline: a copy of the tree page's bytes (tests/bench/load.py writes it).
BENCH_STATIC_ROOT = os.environ.get("NORAMAL_BENCH_STATIC", "")
# Errors only: a line per request would cost the server time the figures should not include.
LOGGING = {
    **LOGGING,  # noqa: F405
    "root": {"handlers": ["console"], "level": "ERROR"},
    "loggers": {name: {**logger, "level": "ERROR"} for name, logger in LOGGING["loggers"].items()},  # noqa: F405
}
# Hashed names as in production, without WhiteNoise's compressed copies: collecting those took longer than
# seeding the whole municipality, and the bench measures pages, not static files.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
