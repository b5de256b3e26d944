import csv
import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import AuditEvent, Membership
from followup import opendata
from followup.models import IndicatorValue, ReportingPeriod
from goals.chain import styrmodell
from goals.goalfile import import_document
from goals.models import Goal, Indicator, Target
from goals.synthetic import synthetic_document
from tests import factories
from tests.levels import Level


@pytest.fixture
def published(small_chain, bn):
    """A BN indicator with a closed 2024 value, an open 2025 value and a reopened 2023 value."""
    goal = Goal.objects.filter(level_kind=Level.BOARD, owner=bn).order_by("lft").first()
    indicator = factories.IndicatorFactory(
        goal=goal, name="Behöriga", unit="%", decimals=1, gender_split=True, kolada_kpi="N15428"
    )
    Target.objects.create(
        indicator=indicator, from_year=2024, to_year=2024, value=Decimal("88.5"), tolerance=Decimal("2")
    )
    closed = ReportingPeriod.objects.create(year=2024, kind="annual", state=ReportingPeriod.State.CLOSED)
    still_open = ReportingPeriod.objects.create(year=2025, kind="annual")
    reopened = ReportingPeriod.objects.create(year=2023, kind="annual", state=ReportingPeriod.State.REOPENED)
    IndicatorValue.objects.create(
        indicator=indicator, period=closed, total=Decimal("87.4"), women=Decimal("89.2"), men=Decimal("85.7")
    )
    IndicatorValue.objects.create(indicator=indicator, period=still_open, total=Decimal("99"))
    IndicatorValue.objects.create(indicator=indicator, period=reopened, total=Decimal("50"))
    return indicator


def walk(nodes):
    for node in nodes:
        yield node
        yield from walk(node["children"])


def test_json_holds_the_tree_and_only_values_of_closed_periods(client, published):
    response = client.get(reverse("followup:opendata_json"))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    doc = json.loads(response.content)
    assert doc["format"] == "noramal-opendata"
    [vision] = doc["goals"]
    assert vision["level"] == "vision"
    goals = list(walk(doc["goals"]))
    assert len(goals) == Goal.objects.count()
    [entry] = [i for g in goals for i in g["indicators"]]
    assert entry["kolada_kpi"] == "N15428"
    assert entry["targets"] == [
        {
            "year": 2024, "to_year": 2024, "comparison": "at_least", "value": 88.5, "high": None,
            "exclusive": False, "tolerance": 2, "tolerance_unit": "absolute", "text": "2024: ≥ 88,5 ± 2,0",
        }
    ]  # fmt: skip
    assert entry["values"] == [
        {"year": 2024, "period": "annual", "total": 87.4, "women": 89.2, "men": 85.7, "source": "manual"}
    ]
    board_goal = next(g for g in goals if g["id"] == published.goal_id)
    assert board_goal["owner"] == {"code": "BN", "name": "Bildningsnämnden"}
    assert board_goal in next(g for g in goals if g["id"] == published.goal.parent_id)["children"]


def test_csv_has_a_row_per_published_value_and_one_per_goal_without_indicators(client, published):
    response = client.get(reverse("followup:opendata_csv"))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    valued = [r for r in rows if r["indicator_id"]]
    assert valued == [
        {
            **valued[0],
            "indicator_id": str(published.pk),
            "year": "2024",
            "period": "annual",
            "total": "87.4",
            "women": "89.2",
            "men": "85.7",
            "target": "88.5",
            "owner_code": "BN",
        }
    ]
    assert len(rows) == Goal.objects.count()  # the other goals each have one row


def test_csv_for_swedish_excel_has_semicolons_decimal_commas_and_a_byte_order_mark(client, published):
    Goal.objects.filter(pk=published.goal_id).update(title="Läsa; skriva, räkna")
    response = client.get(reverse("followup:opendata_csv_excel"))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Disposition"] == 'attachment; filename="malkedja-excel.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only after a BOM
    # As Swedish Excel reads it: semicolon-separated cells.
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert list(rows[0])[:4] == ["Mål-id", "Överordnat mål-id", "Nivå", "Mål"]
    [valued] = [r for r in rows if r["Indikator-id"]]
    # Swedish words where the standard file has codes: the level's name, the period, the source.
    assert valued["Period"] == "Årsredovisning" and valued["Källa"] == "Inmatat"
    assert valued["Nivå"] == styrmodell().name(Goal.objects.get(pk=published.goal_id).level_kind)
    assert "council" not in response.content.decode("utf-8-sig")
    assert (valued["Totalt"], valued["Kvinnor"], valued["Män"], valued["Målvärde"]) == (
        "87,4",
        "89,2",
        "85,7",
        "88,5",
    )
    assert (valued["År"], valued["Mål"], valued["Indikator"]) == (
        "2024",
        "Läsa; skriva, räkna",
        "Behöriga",
    )
    assert len(rows) == Goal.objects.count()


def test_indicator_without_published_values_still_has_a_row(client, published):
    factories.IndicatorFactory(goal=published.goal, name="Ny indikator")
    rows = list(csv.DictReader(io.StringIO(opendata.published_csv())))
    new = [r for r in rows if r["indicator"] == "Ny indikator"]
    assert len(new) == 1 and new[0]["total"] == ""


def test_text_that_looks_like_a_formula_is_defused_in_csv(small_chain, bn):
    goal = Goal.objects.filter(level_kind=Level.BOARD).first()
    factories.IndicatorFactory(goal=goal, name="=HYPERLINK(1)")
    rows = list(csv.DictReader(io.StringIO(opendata.published_csv())))
    assert "'=HYPERLINK(1)" in {r["indicator"] for r in rows}


def test_downloads_by_logged_in_users_are_recorded_not_those_of_the_public(client, published, council):
    client.get(reverse("followup:opendata_json"))
    assert not AuditEvent.objects.filter(action="export").exists()
    user = get_user_model().objects.create_user("reader", password="x")
    Membership.objects.create(user=user, organisation=council, role=Membership.Role.READER)
    client.force_login(user)
    client.get(reverse("followup:opendata_csv"))
    assert AuditEvent.objects.get(action="export").user == user


def test_open_data_takes_a_fixed_number_of_queries_on_a_large_tree(client, db, django_assert_max_num_queries):
    import_document(synthetic_document(goal_count=600, boards=10))
    period = ReportingPeriod.objects.create(year=2025, kind="annual", state=ReportingPeriod.State.CLOSED)
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=i, period=period, total=Decimal("10.5")) for i in Indicator.objects.all()
    )
    with django_assert_max_num_queries(6):
        doc = opendata.published_tree()
    with django_assert_max_num_queries(6):
        text = opendata.published_csv()
    assert len(list(walk(doc["goals"]))) == 600
    assert text.count("10.5") >= Indicator.objects.count()
    with django_assert_max_num_queries(8):
        assert client.get(reverse("followup:opendata_json")).status_code == 200


def test_the_datasets_are_described_in_dcat_ap_se_for_the_national_data_portal(client, db, settings):
    settings.MUNICIPALITY_NAME = "Lerums kommun"
    response = client.get(reverse("followup:opendata_dcat"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    catalogue = json.loads(response.content)
    assert catalogue["@type"] == "dcat:Catalog"
    assert catalogue["dct:publisher"]["foaf:name"]["@value"] == "Lerums kommun"
    [dataset] = catalogue["dcat:dataset"]
    # DCAT-AP-SE's mandatory properties of a dataset, in Swedish.
    assert dataset["dct:title"] == {"@value": "Lerums kommun: mål och deras uppföljning", "@language": "sv"}
    assert dataset["dct:description"]["@value"].startswith("Kommunens målkedja")
    assert dataset["dct:publisher"]["foaf:name"]["@value"] == "Lerums kommun"
    licence = "http://creativecommons.org/publicdomain/zero/1.0/"
    assert catalogue["dct:license"] == {"@id": licence}
    # Every distribution is downloadable where it says, with its licence and format.
    formats = []
    for distribution in dataset["dcat:distribution"]:
        assert distribution["dct:license"] == {"@id": licence}
        address = distribution["dcat:accessURL"]["@id"]
        assert address.startswith("http://testserver/")
        assert client.get(address.removeprefix("http://testserver")).status_code == 200
        formats.append(distribution["dct:format"]["@id"].rsplit("/", 1)[1])
    assert sorted(formats) == ["CSV", "CSV", "JSON"]
