"""Settings read from the environment: the database, the client's address behind proxies, Kolada's id."""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from noramal import config

SQLITE = "django.db.backends.sqlite3"


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"SQLITE_PATH": "/srv/noramal/data.sqlite3"},
        {"DATABASE_URL": "sqlite:////srv/noramal/data.sqlite3"},
        {"DATABASE_URL": "sqlite:///data.sqlite3"},
    ],
)
def test_every_sqlite_database_gets_wal_and_immediate_transactions(environ):
    database = config.databases(environ, Path("/app/db.sqlite3"))["default"]
    assert database["ENGINE"] == SQLITE
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] == 20
    assert "PRAGMA journal_mode=WAL;" in database["OPTIONS"]["init_command"]
    assert "PRAGMA busy_timeout=20000;" in database["OPTIONS"]["init_command"]


def test_the_sqlite_file_is_the_one_named():
    assert config.databases({}, Path("/app/db.sqlite3"))["default"]["NAME"] == "/app/db.sqlite3"
    named = config.databases({"DATABASE_URL": "sqlite:////srv/x.sqlite3"}, Path("/app/db.sqlite3"))
    assert named["default"]["NAME"] == "/srv/x.sqlite3"


def test_postgresql_gets_no_sqlite_options():
    database = config.databases({"DATABASE_URL": "postgres://u@db:5432/noramal"}, Path("/app/db.sqlite3"))
    database = database["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert "transaction_mode" not in database.get("OPTIONS", {})
    assert database["CONN_MAX_AGE"] == 60 and database["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize(
    ("value", "expected"), [("0180", "0180"), ("180", "0180"), (" 1884 ", "1884"), ("1880", "1880")]
)
def test_the_municipality_id_keeps_kolada_s_four_digits(value, expected):
    assert config.municipality_id({"NORAMAL_MUNICIPALITY_ID": value}) == expected
    assert config.municipality_id({}) == "1884"


PROXY = "10.0.0.1"


def bad_login(client, address, username="editor_bn"):
    return client.post(
        reverse("login"),
        {"username": username, "password": "fel"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


@pytest.fixture
def behind_one_proxy(settings):
    for name, value in config.client_address_settings({"DJANGO_PROXY_COUNT": "1"}).items():
        setattr(settings, name, value)


@pytest.mark.django_db
def test_behind_a_proxy_locking_one_client_does_not_lock_another(client, behind_one_proxy):
    from tests.matrix import base_world

    base_world()
    for _attempt in range(5):
        response = bad_login(client, "198.51.100.7")
    assert response.status_code == 429
    assert bad_login(client, "198.51.100.7").status_code == 429
    # Another client behind the same proxy is not locked, and logs in.
    assert bad_login(client, "203.0.113.20").status_code == 200
    ok = client.post(
        reverse("login"),
        {"username": "editor_bn", "password": "pw"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.20",
    )
    assert ok.status_code == 302


@pytest.mark.django_db
def test_without_a_proxy_a_sent_forwarded_for_header_does_not_escape_the_lock(client):
    from tests.matrix import base_world

    base_world()
    for attempt in range(5):
        response = bad_login(client, f"198.51.100.{attempt}")
    # Every attempt came from one address, whatever the header said: the fifth locks.
    assert response.status_code == 429


@pytest.mark.django_db
def test_kolada_numbers_as_json_integers_match_a_zero_padded_id(settings, client):
    from followup import kolada
    from followup.models import IndicatorValue
    from goals.models import Goal
    from tests import factories
    from tests.levels import Level

    factories.chain(council_goals=1, board_goals_each=1, boards=("BN",))
    goal = Goal.objects.filter(level_kind=Level.BOARD).first()
    factories.IndicatorFactory(goal=goal, unit="%", decimals=1, kolada_kpi="N15428")
    settings.MUNICIPALITY_ID = config.municipality_id({"NORAMAL_MUNICIPALITY_ID": "180"})
    document = {
        "values": [
            {
                "kpi": "N15428",
                "municipality": 180,
                "period": 2020,
                "values": [{"gender": "T", "value": 81.5, "count": 1, "status": ""}],
            },
            {
                "kpi": "N15428",
                "municipality": "1880",
                "period": 2020,
                "values": [{"gender": "T", "value": 12.5, "count": 1, "status": ""}],
            },
        ]
    }
    report = kolada.import_file(json.dumps(document).encode())
    assert report.imported == 1
    assert [str(v.total) for v in IndicatorValue.objects.all()] == ["81.5000"]


@pytest.mark.django_db
def test_a_municipality_id_written_as_a_json_number_with_a_leading_zero_is_refused_as_bad_json(settings):
    from followup import kolada
    from followup.models import IndicatorValue

    settings.MUNICIPALITY_ID = "0180"
    data = b'{"values": [{"kpi": "N15428", "municipality": 0180, "period": 2020, "values": []}]}'
    with pytest.raises(kolada.KoladaError):
        kolada.import_file(data)
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    ("value", "expected"), [("", (10, 3)), ("3,10", (10, 3)), ("5", (5,)), (" 15, 5 ,1 ", (15, 5, 1))]
)
def test_the_reminder_days_are_read_largest_first(value, expected):
    assert (
        config.day_list({"NORAMAL_REMINDER_DAYS": value}, "NORAMAL_REMINDER_DAYS", default=(10, 3))
        == expected
    )


@pytest.mark.parametrize("value", ["tio", "0", "-3", "10;3"])
def test_bad_reminder_days_are_refused_by_name(value):
    with pytest.raises(ValueError, match="NORAMAL_REMINDER_DAYS"):
        config.day_list({"NORAMAL_REMINDER_DAYS": value}, "NORAMAL_REMINDER_DAYS", default=(10, 3))
