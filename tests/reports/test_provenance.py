"""Every figure traceable: the preview links each value, judgement and target to its provenance page, the
page shows who and which source (names only to signed-in users), and the PDF ends with its sources
("Källor och härkomst")."""

import re
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Membership
from followup import services
from followup.imports import file_provenance
from followup.models import Assessment, IndicatorValue
from goals.models import Indicator, Organisation, Target
from reports.data import Spec, build_report
from reports.models import Kind
from reports.output import report_pdf
from tests.matrix import make_user

FILE = "bildning-varden-2026.xlsx"
FILE_BYTES = b"the uploaded workbook"
DECISION = "KS § 112 2026-05-12"
REASON = "Målet skärptes efter den nya skolplanen."


@pytest.fixture
def traced(nora_world, people):
    """Nora with an uploaded value, an approved judgement with its approver, and a revised target."""
    council = Organisation.objects.get(code="KF")
    importer = make_user("importer", Membership.Role.CONTROLLER, council, last_name="Filsson")
    approver = make_user("approver", Membership.Role.CONTROLLER, council, last_name="Godkännare")
    annual = nora_world["annual"]
    safe = Indicator.objects.get(kolada_kpi="N15643")
    services.save_values(
        annual,
        [services.ValueEntry(safe.pk, total=Decimal("85.5"), fields=("total",))],
        by=importer,
        source=IndicatorValue.Source.FILE,
        provenance=file_provenance(FILE, FILE_BYTES, importer),
    )
    judged = Assessment.objects.filter(period=annual, state=Assessment.State.APPROVED).order_by("pk").first()
    judged.approved_by, judged.approved_at = approver, timezone.now()
    judged.save()
    target = Target.objects.get(indicator=safe, from_year=annual.year)
    target.change_decision, target.change_reason = DECISION, REASON
    target.changed_at, target.changed_by = timezone.now() - timedelta(days=30), approver
    target.save()
    return dict(nora_world, safe=safe, judged=judged, target=target, importer=importer, approver=approver)


def preview_links(client, period):
    html = client.get(reverse("reports:preview", args=[period.pk, "annual"])).content.decode()
    return re.findall(r'<a class="provenance-link" href="([^"]+)"', html)


def test_every_provenance_link_of_the_preview_resolves(client, traced, people):
    client.force_login(people.controller)
    links = preview_links(client, traced["annual"])
    kinds = {link.split("/")[3] for link in links}
    assert kinds == {"varde", "bedomning", "malvarde"}
    # Every value of the report's columns (4 years × 3 indicators, the 2026 one uploaded), every stated
    # judgement (11 KF goals and the submitted board goal) and every target shown.
    values = IndicatorValue.objects.filter(period__in=traced["periods"].values(), period__kind="annual")
    for value in values:
        assert reverse("followup:provenance_value", args=[value.pk]) in links
    assert len([link for link in links if "/bedomning/" in link]) == 12
    for link in sorted(set(links)):
        assert client.get(link).status_code == 200, link


def test_an_uploaded_value_shows_its_file_checksum_importer_and_target(client, traced, people):
    client.force_login(people.reader)
    value = IndicatorValue.objects.get(indicator=traced["safe"], period=traced["annual"])
    html = client.get(reverse("followup:provenance_value", args=[value.pk])).content.decode()
    assert FILE in html and file_provenance(FILE, FILE_BYTES, None)["import_sha256"] in html
    assert "Importer Filsson" in html
    assert "Uppladdad fil" in html
    # The target it is judged against, its decision and the revision's reason; the history of the value.
    assert reverse("followup:provenance_target", args=[traced["target"].pk]) in html
    assert DECISION in html and REASON in html
    assert "85,5" in html and "84,5" in html


def test_a_kolada_value_names_kolada_and_is_public_without_names(client, traced):
    value = IndicatorValue.objects.filter(indicator__kolada_kpi="N01951", period=traced["annual"]).get()
    response = client.get(reverse("followup:provenance_value", args=[value.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kolada (N01951)" in html and "Hämtat från Kolada" in html


def test_an_open_periods_typed_value_is_refused_to_the_public(client, traced, people):
    value = IndicatorValue.objects.get(indicator=traced["safe"], period=traced["annual"])
    address = reverse("followup:provenance_value", args=[value.pk])
    response = client.get(address)
    assert response.status_code == 302 and "/konto/" in response["Location"]
    client.force_login(people.outsider)
    assert client.get(address).status_code == 403


def test_a_closed_periods_value_is_public_but_names_nobody(client, traced):
    earlier = traced["periods"][2025]
    value = IndicatorValue.objects.get(indicator=traced["safe"], period=earlier)
    value.updated_by = traced["importer"]
    value.save()
    html = client.get(reverse("followup:provenance_value", args=[value.pk])).content.decode()
    assert "Filsson" not in html
    assert "Kommunstyrelsen" in html or traced["safe"].owner.name in html


def test_a_judgement_shows_its_approver_to_readers_and_the_role_to_the_public(client, traced, people):
    judged = traced["judged"]
    address = reverse("followup:provenance_judgement", args=[judged.pk])
    # Approved in the open 2026 period: not public yet.
    assert client.get(address).status_code == 302
    client.force_login(people.reader)
    html = client.get(address).content.decode()
    assert "Approver Godkännare" in html and "Uppfyllt" in html
    client.logout()
    judged.period.state = "closed"
    judged.period.save()
    html = client.get(address).content.decode()
    assert "Godkännare" not in html and "en controller" in html


def test_a_draft_judgement_is_refused_even_to_readers(client, traced, people):
    draft = Assessment.objects.get(goal=traced["board_goal"], period=traced["annual"])
    draft.state = Assessment.State.DRAFT
    draft.save()
    client.force_login(people.reader)
    assert client.get(reverse("followup:provenance_judgement", args=[draft.pk])).status_code == 403


def test_a_value_written_by_hand_after_an_upload_forgets_the_file(traced, people):
    value = IndicatorValue.objects.get(indicator=traced["safe"], period=traced["annual"])
    assert value.import_file == FILE
    services.save_values(
        traced["annual"],
        [services.ValueEntry(traced["safe"].pk, total=Decimal("86"), fields=("total",))],
        by=people.controller,
    )
    value.refresh_from_db()
    assert value.import_file == "" and value.import_sha256 == "" and value.imported_by is None
    assert value.history.filter(import_file=FILE).exists()


def test_the_pdf_ends_with_sources_files_kolada_days_and_revised_targets(traced):
    report = build_report(Spec(Kind.ANNUAL, traced["annual"]))
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(report_pdf(report).data)).pages)
    flat = " ".join(text.replace("\xa0", " ").split())
    assert "Källor och härkomst" in flat
    assert (
        "Rapporten visar 12 värden och 12 bedömningar. Värdenas källor: kolada 8, uppladdad fil 1, inmatat 3."
        in flat
    )
    assert f"{FILE} 1 värde " in flat
    assert "Hämtat från Kolada " in flat and ": 8 värden." in flat
    assert file_provenance(FILE, FILE_BYTES, None)["import_sha256"] in "".join(text.split())
    assert "Hämtat från Kolada" in flat
    assert DECISION in flat and REASON in flat
    # The assessment rule stays, after the appendix; no person is named in the public PDF's appendix.
    assert flat.index("Källor och härkomst") < flat.rindex("Så bedöms målen")
    appendix = flat[flat.rindex("Källor och härkomst") :]
    assert "Filsson" not in appendix and "Godkännare" not in appendix
