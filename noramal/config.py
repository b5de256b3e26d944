"""Settings read from the environment that need more than a lookup: the database, addresses, durations."""

import dj_database_url

# Writers queue (IMMEDIATE, busy timeout) instead of failing with "database is locked"; WAL lets readers
# go on while one writes.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
        "PRAGMA busy_timeout=20000;"
    ),
}


def databases(environ, default_sqlite_path):
    """DATABASES from DATABASE_URL, or SQLite at SQLITE_PATH; every SQLite database gets SQLITE_OPTIONS."""
    if environ.get("DATABASE_URL"):
        # A connection per gunicorn thread, kept a minute and checked before reuse: one the server closed
        # meanwhile (a restart) is replaced instead of failing the request (gunicorn.conf.py).
        database = dj_database_url.parse(environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True)
    else:
        database = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": environ.get("SQLITE_PATH", str(default_sqlite_path)),
        }
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["OPTIONS"] = {**SQLITE_OPTIONS, **database.get("OPTIONS", {})}
    return {"default": database}


def proxy_count(environ):
    """How many reverse proxies stand in front of the app (DJANGO_PROXY_COUNT, 0 when none)."""
    return int(environ.get("DJANGO_PROXY_COUNT", "0") or "0")


def client_address_settings(environ):
    """django-ipware's settings for django-axes, so that a lockout is for the client's address.

    Each proxy appends the address it was reached from to X-Forwarded-For; the one in front of the app is
    REMOTE_ADDR and is not in the list. So with N proxies the header holds the client and N - 1 proxies,
    and ipware (strict) takes the client only when the header has exactly that many entries, else it
    falls back to REMOTE_ADDR: a client cannot choose its address by sending the header itself. Without a
    proxy the header is not read at all.
    """
    count = proxy_count(environ)
    if not count:
        return {"AXES_IPWARE_PROXY_COUNT": None, "AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",)}
    return {
        "AXES_IPWARE_PROXY_COUNT": count - 1,
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
    }


def municipality_id(environ):
    """Kolada's municipality id (NORAMAL_MUNICIPALITY_ID, Nora's 1884 by default), with its leading zero."""
    value = environ.get("NORAMAL_MUNICIPALITY_ID", "1884").strip()
    # Kolada's ids are four digits: Stockholm is "0180", which a deployment may well write as 180.
    return value.zfill(4) if value.isdigit() else value


def days_in_seconds(environ, name, *, default):
    """A duration in days (decimals allowed: "0.5" is twelve hours), in seconds; `default` when unset."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    days = float(raw.replace(",", "."))
    if days <= 0:
        raise ValueError(f"{name} must be a positive number of days, not {raw!r}")
    return round(days * 24 * 60 * 60)


def whole_days(environ, name, *, default):
    """A number of whole days (at least 1); `default` when unset."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    days = int(raw)
    if days < 1:
        raise ValueError(f"{name} must be a whole number of days, 1 or more, not {raw!r}")
    return days


def day_list(environ, name, *, default):
    """Whole numbers of days, comma separated ("10,3"), largest first; `default` when unset."""
    raw = environ.get(name, "").strip()
    if not raw:
        return tuple(default)
    try:
        days = sorted({int(part) for part in raw.split(",") if part.strip()}, reverse=True)
    except ValueError:
        raise ValueError(f"{name} must be whole numbers of days separated by commas, not {raw!r}") from None
    if not days or days[-1] < 1:
        raise ValueError(f"{name} must be whole numbers of days, 1 or more, not {raw!r}")
    return tuple(days)
