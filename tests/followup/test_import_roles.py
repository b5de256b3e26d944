"""The import services' own role check, persona by persona (the rows are in tests/followup/matrix_io.py)."""

from decimal import Decimal as D

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from followup import kolada, spreadsheet
from followup.models import IndicatorValue, ReportingPeriod
from tests.followup import matrix_io
from tests.matrix import PERSONAS


def upload(world, board, indicator, user):
    rows = [(2, [str(indicator.pk), "12"])]
    return spreadsheet.import_table(["Indicator id", "Total"], rows, board, world.period, user=user)


def kolada_import(world, user):
    year = world.period.year - 2
    ReportingPeriod.objects.get_or_create(year=year, kind=ReportingPeriod.Kind.ANNUAL)
    record = kolada.Record("N01951", str(settings.MUNICIPALITY_ID).strip(), year, (("T", D("10512")),))
    return kolada.import_records([record], user=user)


CALLS = {
    "upload BN's values": lambda w, user: upload(w, w.bn, w.bn_indicator, user),
    "upload the council's values": lambda w, user: upload(w, w.council, w.population, user),
    "import Kolada into a council indicator": kolada_import,
}


def test_every_service_row_has_a_call():
    assert set(CALLS) == set(matrix_io.SERVICE_ROWS)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(matrix_io.SERVICE_ROWS))
def test_import_service_accepts_exactly_the_personas_of_its_row(world, name, persona):
    matrix_io.extend(world)
    user = world.users[persona] or AnonymousUser()
    before = sorted(IndicatorValue.objects.values_list("pk", "total", "version"))
    expected = matrix_io.SERVICE_ROWS[name][persona]
    if expected == 403:
        with pytest.raises(PermissionDenied):
            CALLS[name](world, user)
        assert sorted(IndicatorValue.objects.values_list("pk", "total", "version")) == before
    else:
        assert CALLS[name](world, user).imported == 1
