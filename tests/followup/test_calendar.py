"""The reporting calendar: working days with Swedish holidays, staggered deadlines, a year's periods."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import AuditEvent
from followup import calendar
from followup.models import DeadlineStep, PeriodDeadline, ReportingPeriod, SchemePeriod
from goals.models import Organisation
from tests import factories

D = datetime.date
Kind = ReportingPeriod.Kind


@pytest.fixture
def scheme(db):
    """The calendar the data migration installs (again, after a test that flushed the database)."""
    calendar.install_default_scheme(SchemePeriod, DeadlineStep)
    return SchemePeriod.objects.all()


def run_create_periods(year):
    out = StringIO()
    call_command("create_periods", "--year", str(year), stdout=out)
    return out.getvalue()


# Working days --------------------------------------------------------------------------------------------


def test_midsommarafton_is_not_a_working_day():
    # 2026: midsommarafton is Friday 19 June; the next working day after Thursday the 18th is Monday the 22nd.
    assert not calendar.is_working_day(D(2026, 6, 19))
    assert calendar.add_working_days(D(2026, 6, 18), 1) == D(2026, 6, 22)


def test_a_moved_holiday_is_found_in_its_own_year():
    # Kristi himmelsfärdsdag follows Easter: Thursday 14 May 2026, Thursday 6 May 2027.
    assert not calendar.is_working_day(D(2026, 5, 14))
    assert calendar.is_working_day(D(2027, 5, 14))
    assert calendar.add_working_days(D(2027, 5, 5), 1) == D(2027, 5, 7)
    # Midsommarafton moves too: Friday 25 June 2027 (a working Friday in 2026).
    assert calendar.add_working_days(D(2027, 6, 24), 1) == D(2027, 6, 28)
    assert calendar.is_working_day(D(2026, 6, 26))


def test_christmas_and_new_year_are_skipped():
    # 24 (julafton), 25, 26 and the weekend; then 31 (nyårsafton), 1 and 6 January.
    assert calendar.add_working_days(D(2026, 12, 23), 1) == D(2026, 12, 28)
    assert calendar.add_working_days(D(2026, 12, 30), 1) == D(2027, 1, 4)
    assert calendar.add_working_days(D(2027, 1, 5), 1) == D(2027, 1, 7)


def test_zero_working_days_is_the_cut_off_itself():
    assert calendar.add_working_days(D(2026, 8, 31), 0) == D(2026, 8, 31)


def test_negative_working_days_count_back_over_days_off():
    # Back from Monday 28 December 2026: the 26th, 25th and 24th (julafton) and the weekend are off.
    assert calendar.add_working_days(D(2026, 12, 28), -1) == D(2026, 12, 23)
    assert calendar.add_working_days(D(2026, 6, 22), -1) == D(2026, 6, 18)  # over midsommarafton
    for start in (D(2026, 12, 28), D(2027, 5, 5)):
        assert calendar.working_days_until(calendar.add_working_days(start, -3), start) == 3


# Staggering ---------------------------------------------------------------------------------------------


def test_deadlines_are_staggered_units_boards_ks_kf(scheme):
    kf = factories.council()
    bn = factories.board("BN", "Bildningsnämnden")
    ks = factories.board("KS", "Kommunstyrelsen")
    unit = factories.OrganisationFactory(
        code="BN-GR", name="Grundskolan", kind=Organisation.Kind.UNIT, parent=bn
    )
    company = factories.OrganisationFactory(code="NB", name="Norabostäder", kind=Organisation.Kind.COMPANY)
    calendar.create_periods(2027)
    period = ReportingPeriod.objects.get(year=2027, kind=Kind.INTERIM_AUGUST)
    dates = [calendar.deadline_for(period, o) for o in (unit, bn, ks, kf)]
    assert dates == sorted(dates) and len(set(dates)) == 4
    # Tuesday 31 August 2027: 8 working days → Friday 10 September.
    assert (period.cutoff, dates[0]) == (D(2027, 8, 31), D(2027, 9, 10))
    assert calendar.deadline_for(period, company) == calendar.deadline_for(period, bn)
    assert period.deadline == dates[-1]  # the period's own deadline is its last step's


def test_another_municipality_staggers_by_its_own_steps(db):
    """A calendar with delår per 31 mars, and a committee reporting before the boards; no codes at all."""
    SchemePeriod.objects.all().delete()
    spring = SchemePeriod.objects.create(kind=Kind.INTERIM_APRIL, cutoff_month=3, cutoff_day=31)
    DeadlineStep.objects.create(
        scheme_period=spring, position=0, name="Utskott", organisation_kinds=["committee"], working_days=3
    )
    DeadlineStep.objects.create(
        scheme_period=spring, position=1, name="Nämnder", organisation_kinds=["board"], working_days=5
    )
    committee = factories.OrganisationFactory(
        code="AU", name="Arbetsutskottet", kind=Organisation.Kind.COMMITTEE
    )
    board = factories.board("TN", "Tekniska nämnden")
    outcome = calendar.create_periods(2027)
    (period,) = outcome.created
    assert (period.kind, period.cutoff) == (Kind.INTERIM_APRIL, D(2027, 3, 31))
    # Wednesday 31 March 2027 (Easter is over by the 29th): Thursday 1, Friday 2, Monday 5, … Wednesday 7.
    assert calendar.deadline_for(period, committee) == D(2027, 4, 5)
    assert calendar.deadline_for(period, board) == D(2027, 4, 7)


# Creating a year's periods -----------------------------------------------------------------------------


def test_create_periods_makes_the_years_periods_and_a_second_run_changes_nothing(scheme):
    first = run_create_periods(2027)
    assert "Skapade Delårsrapport per 31 augusti 2027" in first
    assert "Skapade Årsredovisning 2027: brytdag 2027-12-31" in first
    counts = (ReportingPeriod.objects.count(), PeriodDeadline.objects.count(), AuditEvent.objects.count())
    assert counts[:2] == (2, 8)
    second = run_create_periods(2027)
    assert "Inget ändrades: perioderna för 2027 finns redan." in second
    assert (
        ReportingPeriod.objects.count(),
        PeriodDeadline.objects.count(),
        AuditEvent.objects.count(),
    ) == counts


def test_a_period_that_exists_is_left_as_it_is(scheme):
    own = ReportingPeriod.objects.create(year=2027, kind=Kind.ANNUAL, deadline=D(2028, 3, 1))
    outcome = calendar.create_periods(2027)
    assert [p.kind for p in outcome.created] == [Kind.INTERIM_AUGUST]
    own.refresh_from_db()
    assert (own.deadline, own.deadlines.count()) == (D(2028, 3, 1), 0)


def test_a_calendar_period_not_in_use_is_not_made(scheme):
    calendar.create_periods(2027)
    assert not ReportingPeriod.objects.filter(kind=Kind.INTERIM_APRIL).exists()
    SchemePeriod.objects.filter(kind=Kind.INTERIM_APRIL).update(in_use=True)
    outcome = calendar.create_periods(2027)
    assert [(p.kind, p.cutoff) for p in outcome.created] == [(Kind.INTERIM_APRIL, D(2027, 4, 30))]


def test_create_periods_refuses_an_empty_calendar(db):
    SchemePeriod.objects.all().delete()
    with pytest.raises(Exception, match="Rapportkalendern har ingen period"):
        calendar.create_periods(2027)


def test_the_controller_confirms_before_the_periods_are_made(client, world, as_persona, scheme):
    as_persona("controller")
    url = reverse("followup:create_periods")
    preview = client.get(url, {"year": "2031"}).content.decode()
    # 31 August 2031 is a Sunday, the cut-off all the same; the units' 8 working days end on 10 September.
    assert "Delårsrapport per 31 augusti 2031" in preview
    assert "2031-08-31" in preview and "2031-09-10" in preview
    assert not ReportingPeriod.objects.filter(year=2031).exists()
    response = client.post(url, {"year": "2031", "confirm": "1"}, follow=True)
    assert ReportingPeriod.objects.filter(year=2031).count() == 2
    again = client.get(url, {"year": "2031"}).content.decode()
    assert "finns redan" in again and 'name="confirm"' not in again
    assert "Skapade" in response.content.decode()


def test_the_controller_changes_a_cut_off_on_the_calendar_page(client, world, as_persona, scheme):
    as_persona("controller")
    august = SchemePeriod.objects.get(kind=Kind.INTERIM_AUGUST)
    steps = list(august.steps.order_by("position"))
    data = {"cutoff_month": "9", "cutoff_day": "30", "in_use": "on"}
    data |= {"steps-TOTAL_FORMS": str(len(steps)), "steps-INITIAL_FORMS": str(len(steps))}
    for i, step in enumerate(steps):
        data |= {
            f"steps-{i}-id": str(step.pk),
            f"steps-{i}-position": str(step.position),
            f"steps-{i}-name": step.name,
            f"steps-{i}-working_days": str(step.working_days + 1),
            f"steps-{i}-organisation_codes": ", ".join(step.organisation_codes),
        }
        data[f"steps-{i}-organisation_kinds"] = step.organisation_kinds
    response = client.post(reverse("followup:calendar_edit", args=[august.pk]), data)
    assert response.status_code == 302, response.content.decode()
    august.refresh_from_db()
    assert (august.cutoff_month, august.cutoff_day) == (9, 30)
    assert [s.working_days for s in august.steps.order_by("position")] == [s.working_days + 1 for s in steps]
    assert AuditEvent.objects.filter(action="calendar.changed").count() == 1


def test_an_unknown_organisation_code_in_a_step_is_refused(client, world, as_persona, scheme):
    as_persona("controller")
    august = SchemePeriod.objects.get(kind=Kind.INTERIM_AUGUST)
    data = {
        "cutoff_month": "8",
        "cutoff_day": "31",
        "in_use": "on",
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
    }
    data |= {
        "steps-0-position": "9",
        "steps-0-name": "Bolag",
        "steps-0-working_days": "4",
        "steps-0-organisation_codes": "XYZ",
    }
    body = client.post(reverse("followup:calendar_edit", args=[august.pk]), data).content.decode()
    assert "Ingen organisation har koden XYZ." in body
    assert august.steps.count() == 4


def test_period_page_lists_its_staggered_deadlines(client, world, as_persona, scheme):
    calendar.create_periods(2027)
    period = ReportingPeriod.objects.get(year=2027, kind=Kind.INTERIM_AUGUST)
    as_persona("reader")
    body = client.get(period.get_absolute_url()).content.decode()
    assert "Enheter och förvaltningar" in body and "2027-09-10" in body and "Kommunfullmäktige" in body
