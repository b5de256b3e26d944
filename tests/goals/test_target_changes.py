"""Targets never change behind a closed year, and change with a reason in an open one — on every path."""

from decimal import Decimal as D

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse

from followup.models import ReportingPeriod
from goals import deletion, goalfile, services, tree
from goals.forms import TargetFormSet
from goals.history import indicator_history
from goals.models import Target
from goals.targets import change_note
from tests import factories
from tests.goals.test_editing import indicator_data

CLOSED = 2025


@pytest.fixture
def closed_year(world):
    """The annual report of 2025 is closed; BN's indicator has a target for 2025 and one for 2026."""
    ReportingPeriod.objects.create(
        year=CLOSED, kind=ReportingPeriod.Kind.ANNUAL, state=ReportingPeriod.State.CLOSED
    )
    return factories.TargetFactory(indicator=world.bn_indicator, year=CLOSED, value=D("85"), tolerance=D("5"))


def rows(indicator):
    return list(
        Target.objects.filter(indicator=indicator).order_by("from_year").values_list("from_year", "value")
    )


def row(target, **changes):
    data = {"id": target.pk, "year": target.from_year, "value": target.value, "tolerance": target.tolerance}
    return data | changes


def post_targets(client, world, *targets):
    data = indicator_data(world.bn, *targets, name=world.bn_indicator.name, unit=world.bn_indicator.unit)
    data["targets-INITIAL_FORMS"] = sum(1 for t in targets if "id" in t)
    return client.post(reverse("goals:indicator_edit", args=[world.bn_indicator.pk]), data)


def page_text(response):
    return response.content.decode()


# The indicator form -------------------------------------------------------------------------------------


def test_the_form_refuses_to_change_a_closed_years_target(login, world, closed_year):
    open_target = world.bn_indicator.targets.get(from_year=2026)
    before = rows(world.bn_indicator)
    reason = {"change_reason": "Ny budget.", "change_decision": "KS § 112 2026-05-12"}
    response = post_targets(
        login("editor_bn"), world, row(closed_year, value="70", **reason), row(open_target)
    )
    assert response.status_code == 200
    assert "täcker 2025, vars årsbokslut är stängt" in page_text(response)
    assert rows(world.bn_indicator) == before


def test_the_form_refuses_to_delete_or_add_a_closed_years_target(login, world, closed_year):
    client = login("editor_bn")
    open_target = world.bn_indicator.targets.get(from_year=2026)
    before = rows(world.bn_indicator)
    reason = {"change_reason": "Målet utgår.", "change_decision": "BN § 3 2026-02-01"}
    response = post_targets(client, world, row(closed_year, DELETE="on", **reason), row(open_target))
    assert "vars årsbokslut är stängt" in page_text(response)
    closed_year.delete()  # (as if it had never been set) — adding one afterwards is refused too
    response = post_targets(
        client, world, row(open_target), {"year": CLOSED, "value": "60", "tolerance": "0"}
    )
    assert "vars årsbokslut är stängt" in page_text(response)
    assert rows(world.bn_indicator) == [r for r in before if r[0] != CLOSED]


def test_a_span_reaching_into_a_closed_year_is_refused(login, world, closed_year):
    closed_year.delete()
    open_target = world.bn_indicator.targets.get(from_year=2026)
    reason = {"change_reason": "Målet gäller från 2025.", "change_decision": "KF § 9 2026-03-01"}
    response = post_targets(
        login("editor_bn"), world, row(open_target, year=CLOSED, to_year="2026", **reason)
    )
    assert "2025–2026" in page_text(response) and "vars årsbokslut är stängt" in page_text(response)
    assert rows(world.bn_indicator) == [(2026, D("90"))]


def test_a_reopened_years_target_can_change_again(login, world, closed_year):
    ReportingPeriod.objects.filter(year=CLOSED).update(state=ReportingPeriod.State.REOPENED)
    reason = {"change_reason": "Rättelse.", "change_decision": "KS § 40 2026-04-01"}
    open_target = world.bn_indicator.targets.get(from_year=2026)
    response = post_targets(
        login("editor_bn"), world, row(closed_year, value="80", **reason), row(open_target)
    )
    assert response.status_code == 302
    assert (CLOSED, D("80")) in rows(world.bn_indicator)


def test_an_open_years_target_needs_a_reason_and_a_decision(login, world):
    target = world.bn_indicator.targets.get(from_year=2026)
    client = login("editor_bn")
    response = post_targets(client, world, row(target, value="95"))
    text = page_text(response)
    assert "Ange varför det beslutade målvärdet ändras." in text and "KS § 112 2026-05-12" in text
    assert rows(world.bn_indicator) == [(2026, D("90"))]
    reason = {"change_reason": "Höjd ambition efter budgetbeslut.", "change_decision": "KS § 112 2026-05-12"}
    response = post_targets(client, world, row(target, value="95", **reason))
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.value, target.change_reason, target.change_decision) == (
        D("95"),
        reason["change_reason"],
        "KS § 112 2026-05-12",
    )
    assert target.changed_by == world.users["editor_bn"] and target.changed_at is not None
    # The indicator's history names the reason and the decision beside the new value.
    entry = indicator_history(world.bn_indicator)[0]
    changes = {c.field: c.new for c in entry.changes}
    assert (
        entry.who
        and "Höjd ambition efter budgetbeslut." in changes.values()
        and "KS § 112 2026-05-12" in changes.values()
    )
    # The footnote a report prints.
    note = change_note(target)
    assert note.startswith(f"Målvärdet för 2026 ändrades {target.changed_at.date().isoformat()} av ")
    assert note.endswith("(KS § 112 2026-05-12): Höjd ambition efter budgetbeslut.")


def test_a_new_target_in_an_open_year_needs_no_reason(login, world):
    target = world.bn_indicator.targets.get(from_year=2026)
    response = post_targets(
        login("editor_bn"), world, row(target), {"year": 2027, "value": "92", "tolerance": "1"}
    )
    assert response.status_code == 302
    assert rows(world.bn_indicator) == [(2026, D("90")), (2027, D("92"))]
    assert change_note(Target.objects.get(indicator=world.bn_indicator, from_year=2027)) == ""


# The admin ---------------------------------------------------------------------------------------------


def admin_post(response, **target_changes):
    """What the admin's change page would post back, with the first target row changed."""
    data = {}
    form = response.context["adminform"].form
    formsets = [inline.formset for inline in response.context["inline_admin_formsets"]]
    for bound in [form, *(f.management_form for f in formsets), *(g for f in formsets for g in f.forms)]:
        for name in bound.fields:
            value = bound[name].value()
            if value is None or value is False:
                continue
            data[bound.add_prefix(name)] = "on" if value is True else value
    first = formsets[0].forms[0]
    for name, value in target_changes.items():
        data[first.add_prefix(name)] = value
    return data


def test_the_admin_refuses_to_change_a_closed_years_target(client, world, closed_year):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw"))
    url = reverse("admin:goals_indicator_change", args=[world.bn_indicator.pk])
    before = rows(world.bn_indicator)
    data = admin_post(client.get(url), value="70", change_reason="Fel", change_decision="KS § 1 2026-01-01")
    response = client.post(url, data)
    assert response.status_code == 200 and "vars årsbokslut är stängt" in page_text(response)
    assert rows(world.bn_indicator) == before
    data = admin_post(client.get(url), DELETE="on", change_reason="Fel", change_decision="KS § 1 2026-01-01")
    assert "vars årsbokslut är stängt" in page_text(client.post(url, data))
    assert rows(world.bn_indicator) == before


def test_the_admin_records_who_changed_an_open_years_target(client, world):
    admin = User.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    url = reverse("admin:goals_indicator_change", args=[world.bn_indicator.pk])
    data = admin_post(
        client.get(url), value="91", change_reason="Justering", change_decision="BN § 7 2026-06-01"
    )
    assert client.post(url, data).status_code == 302
    target = world.bn_indicator.targets.get()
    assert (target.value, target.changed_by, target.change_decision) == (D("91"), admin, "BN § 7 2026-06-01")


# The service, deletions and the goal file ---------------------------------------------------------------


def test_the_service_itself_refuses_whatever_form_calls_it(world, closed_year):
    formset = TargetFormSet(instance=world.bn_indicator, prefix="targets")
    data = {
        "targets-TOTAL_FORMS": "1",
        "targets-INITIAL_FORMS": "1",
        "targets-0-id": str(closed_year.pk),
        "targets-0-from_year": str(CLOSED),
        "targets-0-comparison": "at_least",
        "targets-0-value": "1",
        "targets-0-tolerance": "0",
        "targets-0-tolerance_unit": "absolute",
    }
    formset = TargetFormSet(data, instance=world.bn_indicator, prefix="targets")
    formset.is_valid()  # its errors are the form's; the service asks the same rule again
    with pytest.raises(ValidationError, match="vars årsbokslut är stängt"):
        services.save_targets(formset)
    assert Target.objects.get(pk=closed_year.pk).value == D("85")


def test_deleting_the_indicator_would_take_a_closed_years_target_and_is_refused(world, closed_year):
    with pytest.raises(deletion.DeletionRefused, match="årsbokslut är stängt"):
        services.delete_indicator(world.bn_indicator)
    assert Target.objects.filter(pk=closed_year.pk).exists()


def test_a_goal_file_with_a_closed_years_target_is_refused(world):
    factories.TargetFactory(indicator=world.bn_indicator, year=CLOSED, value=D("85"))
    document = goalfile.export_document()
    tree.delete_whole_chain()
    ReportingPeriod.objects.create(
        year=CLOSED, kind=ReportingPeriod.Kind.ANNUAL, state=ReportingPeriod.State.CLOSED
    )
    with pytest.raises(
        goalfile.ImportRefused, match="Behöriga till gymnasiet: Målvärdet för 2025 täcker 2025"
    ):
        goalfile.import_document(document)
    assert not Target.objects.exists()


def test_reports_get_the_footnotes_of_changed_targets_in_one_query(login, world, django_assert_num_queries):
    from goals.targets import change_notes

    target = world.bn_indicator.targets.get(from_year=2026)
    reason = {"change_reason": "Ny nivå.", "change_decision": "KS § 112 2026-05-12"}
    post_targets(login("editor_bn"), world, row(target, value="93", **reason))
    with django_assert_num_queries(1):
        notes = change_notes([world.bn_indicator.pk, world.ks_indicator.pk], 2026)
    assert list(notes) == [world.bn_indicator.pk]
    assert notes[world.bn_indicator.pk].endswith("(KS § 112 2026-05-12): Ny nivå.")
    assert change_notes([world.bn_indicator.pk], 2027) == {}
