"""Judgements and activity statuses from a file: history from an earlier system, all or nothing."""

import hashlib
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.models import AuditEvent
from followup import followup_files
from followup.models import ActivityStatus, Assessment, ReportingPeriod
from followup.spreadsheet import UploadError
from tests import factories

J = Assessment.Judgement
HEADER = "Mål-id;Mål;Ägare (kod);År;Period;Bedömning;Analys;Status\r\n"


@pytest.fixture
def history(world):
    """An open annual period of 2024 to bring an earlier system's judgements into."""
    world.period_2024 = ReportingPeriod.objects.create(year=2024, kind=ReportingPeriod.Kind.ANNUAL)
    return world


def csv_file(*lines, header=HEADER):
    return (header + "".join(line + "\r\n" for line in lines)).encode("utf-8")


def import_judgements(data, user=None, name="historik.csv"):
    return followup_files.import_upload(followup_files.JUDGEMENTS, name, data, user=user)


def test_judgements_are_imported_by_id_or_title_and_owner_with_their_provenance(history):
    w = history
    controller = w.users["controller"]
    data = csv_file(
        f"{w.bn_goal.pk};;;2024;Årsbokslut;Uppfyllt;Fler elever klarar kunskapskraven.;Godkänd",
        ";Fler bostäder;KS;2024;årsbokslut;Delvis uppfyllt;;",  # no analysis in the source, state left empty
    )
    report = import_judgements(data, user=controller)
    assert (report.imported, report.unchanged) == (2, 0)
    bn = Assessment.objects.get(goal=w.bn_goal, period=w.period_2024)
    ks = Assessment.objects.get(goal=w.ks_goal, period=w.period_2024)
    assert (bn.judgement, bn.state, bn.analysis_missing) == (J.MET, Assessment.State.APPROVED, False)
    # The historical case: "delvis uppfyllt" without an analysis is kept and marked, not refused.
    assert (ks.judgement, ks.analysis, ks.state, ks.analysis_missing) == (J.PARTLY_MET, "", "approved", True)
    sha = hashlib.sha256(data).hexdigest()
    for row in (bn, ks):
        assert (row.import_file, row.import_sha256, row.imported_by) == ("historik.csv", sha, controller)
    assert any("saknas i källan" in note for note in report.notes)
    assert AuditEvent.objects.filter(action="import.follow_up", summary__contains=sha).count() == 1
    # Once more: nothing changes.
    again = import_judgements(data, user=controller)
    assert (again.imported, again.unchanged) == (0, 2)


def test_every_problem_of_the_file_is_named_at_once_and_nothing_is_written(history):
    w = history
    factories.goal(w.kf_goal, "Fler bostäder", owner=w.ks)  # a second KS goal of the same title
    before = Assessment.objects.count()
    data = csv_file(
        f"{w.bn_goal.pk};;;2024;Årsbokslut;Uppfyllt;Bra.;",  # right, but not written: another row is wrong
        "999999;;;2024;Årsbokslut;Uppfyllt;;",
        ";Fler bostäder;KS;2024;Årsbokslut;Uppfyllt;;",
        f"{w.bn_goal.pk};;;2025;Årsbokslut;Uppfyllt;;",
        f"{w.ks_goal.pk};;;2023;Årsbokslut;Uppfyllt;;",
        f"{w.ks_goal.pk};;;2024;Årsbokslut;Nästan;;",
        f"{w.bn_goal_submitted.pk};;;2026;delår augusti;Uppfyllt;;Godkänd",
        f"{w.bn_goal.pk};;;2024;Årsbokslut;Ej uppfyllt;Sämre.;",
    )
    with pytest.raises(UploadError) as refused:
        import_judgements(data)
    messages = refused.value.messages
    assert [row for row, _column in refused.value.cells] == [3, 4, 5, 6, 7, 8, 9]
    assert "Rad 3, kolumn Mål-id: inget mål eller ingen aktivitet har id 999999." in messages
    assert any(m.startswith("Rad 4, kolumn Mål:") and "ange id" in m for m in messages)
    assert any(m.startswith("Rad 5") and "Årsredovisning 2025 är stängd" in m for m in messages)
    assert any(m.startswith("Rad 6") and "det finns ingen period Årsredovisning 2023" in m for m in messages)
    assert any(m.startswith("Rad 7, kolumn Bedömning:") for m in messages)
    assert any(m.startswith("Rad 8") and "inskickad bedömning" in m for m in messages)
    assert any(m.startswith("Rad 9") and "rad 2" in m for m in messages)
    assert Assessment.objects.count() == before


def test_statuses_come_from_an_xlsx_file_on_the_upload_page(client, history, as_persona):
    w = history
    book = Workbook()
    book.active.append(["Aktivitet-id", "Aktivitet", "Ägare (kod)", "År", "Period", "Status", "Kommentar"])
    book.active.append(
        [w.bn_activity.pk, None, None, 2026, "Delårsrapport per 31 augusti", "Pågår", "Halvvägs."]
    )
    book.active.append([None, w.ks_activity.title, "ks", 2024, "årsbokslut", "Klar", None])
    out = io.BytesIO()
    book.save(out)
    as_persona("controller")
    upload = io.BytesIO(out.getvalue())
    upload.name = "aktiviteter.xlsx"
    response = client.post(
        reverse("followup:follow_up_upload"), {"file": upload, "what": "statuses"}, follow=True
    )
    body = response.content.decode()
    assert "Importrapport" in body and "<dd>2</dd>" in body
    assert "Importerade aktivitetsstatusar" in body and "Importerade värden" not in body
    bn = ActivityStatus.objects.get(activity=w.bn_activity, period=w.period)
    ks = ActivityStatus.objects.get(activity=w.ks_activity, period=w.period_2024)
    assert (bn.status, bn.comment, ks.status) == ("ongoing", "Halvvägs.", "done")
    assert (bn.import_file, bn.imported_by) == ("aktiviteter.xlsx", w.users["controller"])
    assert bn.import_sha256 == hashlib.sha256(out.getvalue()).hexdigest()


def test_the_judgement_page_says_it_was_imported_and_that_the_analysis_is_missing(
    client, history, as_persona
):
    w = history
    import_judgements(csv_file(f"{w.ks_goal.pk};;;2024;Årsbokslut;Ej uppfyllt;;"), user=w.users["controller"])
    as_persona("editor_ks")
    body = client.get(reverse("followup:assessment", args=[w.period_2024.pk, w.ks_goal.pk])).content.decode()
    assert "analys saknas i källan" in body and "historik.csv" in body and "SHA-256" in body


def test_the_command_checks_or_imports_and_reports_in_swedish(history, tmp_path):
    w = history
    path = tmp_path / "bedomningar.csv"
    path.write_bytes(csv_file(f"{w.bn_goal.pk};;;2024;Årsbokslut;Uppfyllt;Bra.;"))
    out = StringIO()
    call_command("import_followup", str(path), "--what", "judgements", "--dry-run", stdout=out)
    assert "Provkörning: inget sparades." in out.getvalue()
    assert not Assessment.objects.filter(period=w.period_2024).exists()
    call_command("import_followup", str(path), "--what", "judgements", "--user", "controller", stdout=out)
    assert Assessment.objects.get(period=w.period_2024).imported_by == w.users["controller"]
    path.write_bytes(csv_file("abc;;;2024;Årsbokslut;Uppfyllt;;"))
    with pytest.raises(CommandError, match="Rad 2"):
        call_command("import_followup", str(path), "--what", "judgements")


def test_the_template_lists_every_goal_with_its_id_and_owner(client, history, as_persona):
    as_persona("controller")
    response = client.get(reverse("followup:judgements_template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Mål-id", "Mål", "Ägare (kod)", "År", "Period")
    assert (history.bn_goal.pk, history.bn_goal.title, "BN") in [r[:3] for r in rows[1:]]
