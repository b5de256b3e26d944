"""The reports pages as a controller uses them, and the public archive: preview, Excel, PDF, publishing."""

import hashlib
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import AuditEvent
from followup.models import Assessment
from goals.models import Goal
from goals.numbers import NBSP
from reports.archive import SameContent, VersionTaken, content_checksum, publish
from reports.data import PUBLISHED, Spec, build_report
from reports.models import PublishedReport, ReportRun
from reports.output import report_pdf
from tests.levels import Level


@pytest.fixture
def controller_client(client, people):
    client.force_login(people.controller)
    return client


def url(name, *args):
    return reverse(f"reports:{name}", args=args)


DECISION = "KF § 23 2027-04-26"


def pdf_text(data):
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages).replace("\xa0", " ")


@pytest.mark.parametrize("persona", ["reader", "editor", "outsider"])
def test_only_controllers_and_admins_see_and_make_reports(client, nora_world, people, persona):
    client.force_login(getattr(people, persona))
    period = nora_world["annual"].pk
    assert client.get(url("period", period)).status_code == 403
    assert client.get(url("preview", period, "annual")).status_code == 403
    assert client.get(url("xlsx", period, "annual")).status_code == 403
    assert client.post(url("generate", period, "annual")).status_code == 403
    assert client.post(url("publish", period, "annual")).status_code == 403
    assert ReportRun.objects.count() == 0 and PublishedReport.objects.count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client, nora_world):
    response = client.get(url("preview", nora_world["annual"].pk, "annual"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_admin_may_preview(client, nora_world, people):
    client.force_login(people.admin)
    assert client.get(url("preview", nora_world["annual"].pk, "annual")).status_code == 200


def test_period_page_offers_the_periods_reports(controller_client, nora_world):
    response = controller_client.get(url("period", nora_world["annual"].pk))
    html = response.content.decode()
    assert url("preview", nora_world["annual"].pk, "annual") in html
    assert url("preview", nora_world["annual"].pk, "board") + "?board=BN" in html
    assert url("generate", nora_world["annual"].pk, "compilation") in html
    assert url("preview", nora_world["annual"].pk, "interim") not in html


def test_preview_shows_the_report_as_html(controller_client, nora_world):
    response = controller_client.get(url("preview", nora_world["annual"].pk, "annual"))
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "8 av 11 KF-mål uppfyllda" in html
    assert "Nora kommun ska vara öppen och kommunikativ där invånarna känner tillit för verksamheten" in html
    assert "Tryggheten har ökat men behörigheten ligger under målet." in html
    assert "10\xa0511" in html
    assert "<svg" in html and "<title>Diagram. Utfall 2023: 81,5" in html


def test_user_text_is_escaped_in_the_report(controller_client, nora_world):
    goal = Goal.objects.get(level_kind=Level.BOARD)
    Goal.objects.filter(pk=goal.pk).update(
        title="<script>alert(1)</script>", description="<img src=x onerror=alert(1)>"
    )
    html = controller_client.get(url("preview", nora_world["annual"].pk, "annual")).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "onerror" not in html


def test_board_preview_shows_only_the_board(controller_client, nora_world):
    response = controller_client.get(url("preview", nora_world["annual"].pk, "board") + "?board=BN")
    html = response.content.decode()
    assert "Nämndrapport 2026 – Bildningsnämnden" in html
    assert "Nora kommun ska vara öppen och kommunikativ" not in html
    assert (
        controller_client.get(url("preview", nora_world["annual"].pk, "board") + "?board=KF").status_code
        == 404
    )


def test_excel_has_the_reports_numbers_and_is_logged(controller_client, nora_world, people):
    goal = Goal.objects.get(level_kind=Level.BOARD)
    Goal.objects.filter(pk=goal.pk).update(title='=HYPERLINK("http://example.org","x")')
    response = controller_client.get(url("xlsx", nora_world["annual"].pk, "annual"))
    assert response["Content-Disposition"] == 'attachment; filename="arsredovisning-2026-maluppfyllelse.xlsx"'
    book = load_workbook(BytesIO(response.content))
    rows = list(book["Indikatorer"].iter_rows(values_only=True))
    assert rows[0][7:11] == ("2023", "2024", "2025", "2026")
    population = next(r for r in rows if r[2] == "Invånare totalt")
    assert population[7:11] == (10400, 10437, 10474, 10511)
    assert population[11:13] == (f"≥ 13{NBSP}000", 2030)  # the target as written, and its year
    women = next(r for r in rows if r[2] == "Andelen behöriga till vidare utbildning" and r[6] == "Kvinnor")
    assert women[10] == 92.5
    goals = list(book["Mål"].iter_rows(values_only=True))
    assert ("5.1", "Nämndmål") in [row[:2] for row in goals]
    assert goals[0][7] == "Status"
    states = {row[7] for row in goals[1:]}
    assert "Godkänd" in states and states <= {"Utkast", "Inskickad", "Godkänd", None}  # never "approved"
    cell = next(c for c in book["Mål"]["C"] if c.value and "HYPERLINK" in str(c.value))
    assert cell.data_type == "s"  # user text is never a formula
    event = AuditEvent.objects.get(action="report.export")
    assert event.user == people.controller


def test_controller_makes_a_draft_pdf_and_downloads_it(
    controller_client, nora_world, django_capture_on_commit_callbacks
):
    period = nora_world["annual"].pk
    with django_capture_on_commit_callbacks(execute=True):
        response = controller_client.post(url("generate", period, "board"), {"board": "BN"})
    run = ReportRun.objects.get()
    assert response.url == url("run", run.pk)
    assert (run.state, run.percent, run.step) == ("done", 100, "done")
    assert run.pages > 3
    page = controller_client.get(url("run", run.pk)).content.decode()
    assert url("run_pdf", run.pk) in page
    status = controller_client.get(url("run_status", run.pk)).json()
    assert {k: status[k] for k in ("state", "percent", "pages", "finished")} == {
        "state": "done",
        "percent": 100,
        "pages": run.pages,
        "finished": True,
    }
    download = controller_client.get(url("run_pdf", run.pk))
    assert download["Content-Type"] == "application/pdf"
    assert download.content == bytes(run.pdf)
    assert download["Content-Disposition"] == (
        'attachment; filename="namndrapport-arsredovisning-2026-bn-utkast.pdf"'
    )
    text = pdf_text(download.content)
    assert "Nämndrapport 2026 – Bildningsnämnden" in text and "Utkast" in text


def test_a_second_request_while_a_run_waits_reuses_it(controller_client, nora_world):
    period = nora_world["annual"].pk
    first = controller_client.post(url("generate", period, "annual"))  # no commit: the run stays queued
    second = controller_client.post(url("generate", period, "annual"))
    assert first.url == second.url
    assert ReportRun.objects.get().state == "queued"


def test_publishing_stores_the_exact_pdf_lists_it_publicly_and_logs_it(
    client, controller_client, nora_world, people, django_capture_on_commit_callbacks
):
    period = nora_world["annual"].pk
    with django_capture_on_commit_callbacks(execute=True):
        controller_client.post(url("publish", period, "board"), {"board": "BN", "decision": DECISION})
    published = PublishedReport.objects.get()
    data = bytes(published.pdf)
    assert (published.version, published.series, published.published_by, published.decision) == (
        1,
        "board/2026/annual/BN",
        people.controller,
        DECISION,
    )
    assert published.sha256 == hashlib.sha256(data).hexdigest() and published.size == len(data)
    text = pdf_text(data)
    assert "Fastställd, version 1" in text
    cover = PdfReader(BytesIO(data)).pages[0].extract_text().replace("\xa0", " ")
    assert f"Beslut {DECISION}" in cover  # the cover's facts: "Datum …", "Status …", "Beslut KF § 23 …"
    event = AuditEvent.objects.get(action="report.publish")
    assert event.user == people.controller and event.object_id == str(published.pk)
    assert published.sha256 in event.summary and DECISION in event.summary

    client.logout()
    listing = client.get(url("published_list")).content.decode()
    assert "Nämndrapport 2026 – Bildningsnämnden" in listing and published.sha256 in listing
    assert f'<td class="report-decision">{DECISION}</td>' in listing
    download = client.get(url("published_pdf", published.pk))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download.content == data
    assert download["ETag"] == f'"{published.sha256}"'
    assert download["Content-Disposition"] == 'inline; filename="namndrapport-arsredovisning-2026-bn-v1.pdf"'


def test_publishing_asks_first_and_needs_the_councils_decision(controller_client, nora_world):
    period = nora_world["annual"].pk
    page = controller_client.get(url("publish", period, "annual"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Version 1, med status ”fastställd”" in body or "Version 1" in body
    assert 'name="decision"' in body
    assert ReportRun.objects.count() == 0  # looking made nothing
    for decision in ("", "   ", "x" * 101):
        refused = controller_client.post(url("publish", period, "annual"), {"decision": decision})
        assert refused.status_code == 200 and 'id="id_decision_error"' in refused.content.decode()
    assert ReportRun.objects.count() == 0 and PublishedReport.objects.count() == 0


def test_the_same_content_is_not_published_twice(
    controller_client, nora_world, django_capture_on_commit_callbacks
):
    period = nora_world["annual"].pk
    with django_capture_on_commit_callbacks(execute=True):
        controller_client.post(url("publish", period, "board"), {"board": "BN", "decision": DECISION})
    first = PublishedReport.objects.get()
    kept = bytes(first.pdf)
    # Nothing changed: the confirmation says so and offers no form; a post is refused, nothing is made.
    page = controller_client.get(url("publish", period, "board") + "?board=BN")
    assert "samma innehåll publiceras inte två gånger" in page.content.decode()
    assert 'name="decision"' not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        refused = controller_client.post(
            url("publish", period, "board"), {"board": "BN", "decision": "KF § 24 2027-04-26"}
        )
    assert refused.status_code == 409 and PublishedReport.objects.count() == 1
    assert ReportRun.objects.filter(publish=True).count() == 1
    # A changed analysis is new content: version 2, the first kept as it was.
    assessment = nora_world["board_goal"].assessments.get(period=nora_world["annual"])
    Assessment.objects.filter(pk=assessment.pk).update(analysis="Behörigheten har ökat sedan delåret.")
    with django_capture_on_commit_callbacks(execute=True):
        controller_client.post(
            url("publish", period, "board"), {"board": "BN", "decision": "KF § 30 2027-05-20"}
        )
    assert list(PublishedReport.objects.order_by("version").values_list("version", flat=True)) == [1, 2]
    assert bytes(PublishedReport.objects.get(version=1).pdf) == kept
    second = PublishedReport.objects.get(version=2)
    assert second.content_sha256 != first.content_sha256
    assert "Fastställd, version 2" in pdf_text(bytes(second.pdf))


def test_the_content_checksum_leaves_out_version_date_and_decision(nora_world):
    spec = Spec("annual", nora_world["annual"])
    one = build_report(spec, status=PUBLISHED, version=1, decision="KF § 1 2027-01-01")
    two = build_report(
        spec, status=PUBLISHED, version=2, decision="KF § 2 2027-02-02", made_on=date(2027, 3, 3)
    )
    assert content_checksum(one) == content_checksum(two)
    assert content_checksum(one) != content_checksum(build_report(Spec("compilation", nora_world["annual"])))


def test_the_archive_refuses_the_same_content_too(nora_world, people):
    spec = Spec("board", nora_world["annual"], nora_world["board_goal"].owner)
    first = build_report(spec, status=PUBLISHED, version=1)
    publish(spec, first, report_pdf(first), user=people.controller)
    again = build_report(spec, status=PUBLISHED, version=2, decision="KF § 9 2027-06-01")
    with pytest.raises(SameContent):
        publish(spec, again, report_pdf(again), user=people.controller)
    assert PublishedReport.objects.count() == 1


def test_a_published_report_is_never_changed(nora_world, people):
    spec = Spec("board", nora_world["annual"], nora_world["board_goal"].owner)
    report = build_report(spec, status=PUBLISHED, version=1)
    published = publish(spec, report, report_pdf(report), user=people.controller)
    published.title = "Ändrad"
    with pytest.raises(ValueError):
        published.save()
    with pytest.raises(VersionTaken):  # a concurrent publication of version 1 loses, nothing is overwritten
        publish(spec, report, report_pdf(report), user=people.controller)
    assert PublishedReport.objects.get().title == "Nämndrapport 2026 – Bildningsnämnden"


def test_a_failed_run_says_so(controller_client, nora_world, django_capture_on_commit_callbacks, monkeypatch):
    from reports import output

    def broken(*args, **kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(output, "report_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = controller_client.post(url("generate", nora_world["annual"].pk, "compilation"))
    run = ReportRun.objects.get()
    assert run.state == "failed" and "layout failed" in run.error
    assert controller_client.get(response.url).status_code == 200
    assert controller_client.get(url("run_pdf", run.pk)).status_code == 404
