"""A value imported from an uploaded file records the file: its name, SHA-256, who and when."""

import hashlib
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Membership
from followup.models import IndicatorValue
from goals.models import Goal, Organisation
from tests import factories
from tests.levels import Level

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "kolada" / "N15428_sample_v2.json"


@pytest.fixture
def n15428(small_chain, bn):
    goal = Goal.objects.filter(level_kind=Level.BOARD, owner=bn).first()
    return factories.IndicatorFactory(
        goal=goal, name="Behöriga", unit="%", decimals=1, gender_split=True, kolada_kpi="N15428"
    )


def test_an_uploaded_kolada_file_is_recorded_on_every_value_it_writes(client, settings, n15428):
    settings.MUNICIPALITY_ID = "1880"
    council = Organisation.objects.get(kind="council")
    controller = get_user_model().objects.create_user("controller", password="x", first_name="Kim")
    Membership.objects.create(user=controller, organisation=council, role=Membership.Role.CONTROLLER)
    client.force_login(controller)
    data = SAMPLE.read_bytes()
    upload = SimpleUploadedFile("kolada-N15428.json", data)
    client.post(reverse("followup:kolada_import"), {"file": upload})
    values = IndicatorValue.objects.filter(indicator=n15428)
    assert values.count() == 5
    for value in values:
        assert value.import_file == "kolada-N15428.json"
        assert value.import_sha256 == hashlib.sha256(data).hexdigest()
        assert value.imported_by == controller and value.imported_at is not None
    page = client.get(reverse("followup:provenance_value", args=[values.first().pk])).content.decode()
    assert "kolada-N15428.json" in page and hashlib.sha256(data).hexdigest() in page and "Kim" in page
