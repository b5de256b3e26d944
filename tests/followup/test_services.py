"""The follow-up's rules, at the service level where every path (views, admin, imports) meets them."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEvent
from followup import services
from followup.models import ActivityStatus, Assessment, IndicatorValue, ReportingPeriod
from followup.services import PeriodClosedError, StaleVersion, StatusEntry, ValueEntry
from tests import factories

J, S = Assessment.Judgement, Assessment.State


def values_snapshot():
    return sorted(
        IndicatorValue.objects.values_list("indicator_id", "period_id", "total", "women", "men", "version")
    )


# Periods ---------------------------------------------------------------------------------------------------


def test_controller_creates_a_period_and_the_event_is_logged(world):
    period = services.create_period(
        year=2027, kind=ReportingPeriod.Kind.INTERIM_APRIL, by=world.users["controller"]
    )
    assert period.state == ReportingPeriod.State.OPEN
    assert AuditEvent.objects.filter(action="period.created", object_id=str(period.pk)).exists()


def test_second_period_of_the_same_year_and_kind_is_refused(world):
    with pytest.raises(ValidationError):
        services.create_period(year=world.period.year, kind=world.period.kind, by=world.users["controller"])


@pytest.mark.parametrize("persona", ["reader", "editor_bn"])
def test_only_controllers_manage_periods(world, persona):
    user = world.users[persona]
    with pytest.raises(PermissionDenied):
        services.create_period(year=2030, kind=ReportingPeriod.Kind.ANNUAL, by=user)
    with pytest.raises(PermissionDenied):
        services.close_period(world.period, by=user)
    with pytest.raises(PermissionDenied):
        services.reopen_period(world.closed_period, reason="x", by=user)
    assert ReportingPeriod.objects.get(pk=world.period.pk).state == ReportingPeriod.State.OPEN


def test_closing_records_who_and_when_and_logs_an_event(world):
    controller = world.users["controller"]
    services.close_period(world.period, by=controller)
    period = ReportingPeriod.objects.get(pk=world.period.pk)
    assert (period.state, period.closed_by) == (ReportingPeriod.State.CLOSED, controller)
    assert period.closed_at is not None
    event = AuditEvent.objects.get(action="period.closed")
    assert (event.user, event.object_id) == (controller, str(period.pk))


def test_a_closed_period_cannot_be_closed_again(world):
    with pytest.raises(PeriodClosedError):
        services.close_period(world.closed_period, by=world.users["controller"])


def test_reopening_needs_a_reason_which_is_kept_and_logged(world):
    controller = world.users["controller"]
    with pytest.raises(ValidationError):
        services.reopen_period(world.closed_period, reason="  ", by=controller)
    assert ReportingPeriod.objects.get(pk=world.closed_period.pk).state == ReportingPeriod.State.CLOSED
    services.reopen_period(world.closed_period, reason="Rättelse av BN:s värden", by=controller)
    period = ReportingPeriod.objects.get(pk=world.closed_period.pk)
    assert (period.state, period.reopen_reason) == (ReportingPeriod.State.REOPENED, "Rättelse av BN:s värden")
    assert period.is_open
    assert "Rättelse av BN:s värden" in AuditEvent.objects.get(action="period.reopened").summary


def test_an_open_period_cannot_be_reopened(world):
    with pytest.raises(ValidationError):
        services.reopen_period(world.period, reason="x", by=world.users["controller"])


# Values ----------------------------------------------------------------------------------------------------


def test_saving_values_stores_who_and_raises_the_version(world):
    editor = world.users["editor_bn"]
    entry = ValueEntry(
        world.bn_indicator.pk, total=D("91.5"), women=D("93"), men=D("90"), comment="Bra", version=1
    )
    [value] = services.save_values(world.period, [entry], by=editor, organisation=world.bn).written
    value.refresh_from_db()
    assert (value.total, value.women, value.men, value.comment) == (D("91.5"), D("93"), D("90"), "Bra")
    assert (value.version, value.updated_by, value.source) == (2, editor, IndicatorValue.Source.MANUAL)
    assert value.history.first().history_user == editor


def test_first_value_of_an_indicator_gets_version_one(world):
    entry = ValueEntry(world.ks_indicator.pk, total=D("37"), version=0)
    [value] = services.save_values(world.period, [entry], by=world.users["editor_ks"]).written
    assert value.version == 1


def test_an_entry_equal_to_what_is_stored_writes_nothing(world):
    entry = ValueEntry(world.bn_indicator.pk, total=D("88.0"), version=1)
    assert services.save_values(world.period, [entry], by=world.users["editor_bn"]).written == []
    assert IndicatorValue.objects.get(pk=world.bn_value.pk).version == 1


def test_a_stale_version_is_refused_and_nothing_of_the_save_is_written(world):
    other = world.users["controller"]
    services.save_values(
        world.period, [ValueEntry(world.bn_indicator.pk, total=D("89"), version=1)], by=other
    )
    before = values_snapshot()
    entries = [
        ValueEntry(world.bn_indicator.pk, total=D("92"), version=1),  # opened before the controller's save
        ValueEntry(world.ks_indicator.pk, total=D("40"), version=0),
    ]
    with pytest.raises(StaleVersion) as refused:
        services.save_values(world.period, entries, by=world.users["admin"])
    [conflict] = refused.value.conflicts
    assert (conflict.total, conflict.updated_by, conflict.version) == (D("89"), other, 2)
    assert values_snapshot() == before


def test_a_stale_version_with_the_same_numbers_is_no_conflict(world):
    services.save_values(world.period, [ValueEntry(world.bn_indicator.pk, total=D("89"), version=1)])
    assert (
        services.save_values(
            world.period, [ValueEntry(world.bn_indicator.pk, total=D("89"), version=1)]
        ).written
        == []
    )


def test_a_value_created_meanwhile_is_a_conflict_for_one_opened_empty(world):
    services.save_values(world.period, [ValueEntry(world.ks_indicator.pk, total=D("30"), version=0)])
    with pytest.raises(StaleVersion):
        services.save_values(world.period, [ValueEntry(world.ks_indicator.pk, total=D("31"), version=0)])


def test_without_a_version_an_upload_replaces_what_is_stored(world):
    [value] = services.save_values(
        world.period,
        [ValueEntry(world.bn_indicator.pk, total=D("87.2"), fields=("total",))],
        source=IndicatorValue.Source.FILE,
    ).written
    assert (value.total, value.version, value.source) == (D("87.2"), 2, IndicatorValue.Source.FILE)


def test_kolada_without_a_version_keeps_a_typed_value_and_says_so(world):
    saved = services.save_values(
        world.period,
        [ValueEntry(world.bn_indicator.pk, total=D("87.2"), fields=("total",))],
        source=IndicatorValue.Source.KOLADA,
    )
    assert saved.written == []
    [kept] = saved.kept
    assert (kept.stored.total, kept.entry.total) == (D("88"), D("87.2"))
    value = IndicatorValue.objects.get(pk=world.bn_value.pk)
    assert (value.total, value.version, value.source) == (D("88"), 1, IndicatorValue.Source.MANUAL)


@pytest.mark.parametrize(
    "entry",
    [
        {"total": D("-1")},  # negative
        {"total": D("100.1")},  # a share above 100 %
        {"total": D("91.25")},  # two decimals where the indicator has one
        {"women": D("101")},  # women and men are checked too
        {"total": D("1000000000000")},  # too large to store
    ],
)
def test_bad_numbers_are_refused_and_nothing_is_written(world, entry):
    before = values_snapshot()
    entries = [
        ValueEntry(world.ks_indicator.pk, total=D("12"), version=0),
        ValueEntry(world.bn_indicator.pk, **entry),
    ]
    with pytest.raises(ValidationError):
        services.save_values(world.period, entries)
    assert values_snapshot() == before


def test_counts_take_whole_numbers_only_and_may_exceed_100(world):
    with pytest.raises(ValidationError):
        services.save_values(world.period, [ValueEntry(world.ks_indicator.pk, total=D("12.5"))])
    [value] = services.save_values(world.period, [ValueEntry(world.ks_indicator.pk, total=D("250"))]).written
    assert value.total == D("250")


def test_women_and_men_are_refused_for_an_indicator_without_gender_split(world):
    with pytest.raises(ValidationError):
        services.save_values(world.period, [ValueEntry(world.ks_indicator.pk, total=D("3"), women=D("1"))])


def test_an_editor_cannot_save_another_boards_values(world):
    entry = ValueEntry(world.bn_indicator.pk, total=D("70"), version=1)
    with pytest.raises(PermissionDenied):
        services.save_values(world.period, [entry], by=world.users["editor_ks"])
    with pytest.raises(ValidationError):
        services.save_values(world.period, [entry], by=world.users["controller"], organisation=world.ks)
    assert IndicatorValue.objects.get(pk=world.bn_value.pk).total == D("88")


# Activity status -------------------------------------------------------------------------------------------


def test_activity_status_is_stored_and_versioned(world):
    editor = world.users["editor_bn"]
    status = services.set_activity_status(
        world.period, world.bn_activity, ActivityStatus.Status.ONGOING, by=editor
    )
    assert (status.status, status.version, status.updated_by) == (ActivityStatus.Status.ONGOING, 1, editor)
    status = services.set_activity_status(
        world.period, world.bn_activity, ActivityStatus.Status.DELAYED, "Sjukskrivning", by=editor, version=1
    )
    assert (status.status, status.comment, status.version) == (
        ActivityStatus.Status.DELAYED,
        "Sjukskrivning",
        2,
    )


def test_activity_status_conflict_and_unknown_status_are_refused(world):
    services.set_activity_status(world.period, world.bn_activity, ActivityStatus.Status.ONGOING)
    with pytest.raises(StaleVersion):
        services.save_activity_statuses(
            world.period, [StatusEntry(world.bn_activity.pk, "done", "", version=0)]
        )
    with pytest.raises(ValidationError):
        services.save_activity_statuses(world.period, [StatusEntry(world.bn_activity.pk, "finished", "")])
    assert ActivityStatus.objects.get().status == ActivityStatus.Status.ONGOING


# Assessments -----------------------------------------------------------------------------------------------


def draft(world, judgement=J.PARTLY_MET, analysis="Analys.", persona="editor_bn"):
    return services.save_assessment(
        world.period, world.bn_goal, judgement=judgement, analysis=analysis, by=world.users[persona]
    )


def test_draft_submit_approve(world):
    editor, controller = world.users["editor_bn"], world.users["controller"]
    assessment = draft(world)
    assert (assessment.state, assessment.version) == (S.DRAFT, 1)
    assessment = services.submit_assessment(world.period, world.bn_goal, by=editor, version=1)
    assert (assessment.state, assessment.submitted_by) == (S.SUBMITTED, editor)
    assessment = services.approve_assessment(world.period, world.bn_goal, by=controller)
    assert (assessment.state, assessment.approved_by) == (S.APPROVED, controller)
    assert assessment.history.count() == 3


@pytest.mark.parametrize("judgement", [J.PARTLY_MET, J.NOT_MET, J.NOT_ASSESSED])
def test_an_analysis_is_required_to_submit_unless_met(world, judgement):
    draft(world, judgement=judgement, analysis="")
    with pytest.raises(ValidationError):
        services.submit_assessment(world.period, world.bn_goal, by=world.users["editor_bn"])
    assert Assessment.objects.get(goal=world.bn_goal).state == S.DRAFT


def test_met_can_be_submitted_without_an_analysis(world):
    draft(world, judgement=J.MET, analysis="")
    assert services.submit_assessment(world.period, world.bn_goal).state == S.SUBMITTED


def test_only_a_draft_can_be_changed(world):
    draft(world)
    services.submit_assessment(world.period, world.bn_goal)
    with pytest.raises(ValidationError):
        draft(world, judgement=J.MET)
    assert Assessment.objects.get(goal=world.bn_goal).judgement == J.PARTLY_MET


def test_the_boards_editor_cannot_approve_or_send_back(world):
    draft(world)
    services.submit_assessment(world.period, world.bn_goal)
    for persona in ("editor_bn", "reader"):
        with pytest.raises(PermissionDenied):
            services.approve_assessment(world.period, world.bn_goal, by=world.users[persona])
        with pytest.raises(PermissionDenied):
            services.return_assessment(world.period, world.bn_goal, comment="x", by=world.users[persona])
    assert Assessment.objects.get(goal=world.bn_goal).state == S.SUBMITTED


def test_another_boards_editor_and_readers_cannot_write_a_judgement(world):
    for persona in ("editor_ks", "reader"):
        with pytest.raises(PermissionDenied):
            draft(world, persona=persona)
    with pytest.raises(PermissionDenied):
        services.save_assessment(
            world.period, world.kf_goal, judgement=J.MET, analysis="", by=world.users["editor_bn"]
        )
    services.save_assessment(
        world.period, world.kf_goal, judgement=J.MET, analysis="", by=world.users["controller"]
    )
    assert list(
        Assessment.objects.filter(period=world.period).values_list("goal_id", flat=True).order_by("pk")
    ) == [
        world.bn_goal_submitted.pk,
        world.kf_goal.pk,
    ]


def test_a_draft_cannot_be_approved(world):
    draft(world)
    with pytest.raises(ValidationError):
        services.approve_assessment(world.period, world.bn_goal, by=world.users["controller"])


def test_sending_back_needs_a_comment_and_returns_to_draft(world):
    controller = world.users["controller"]
    with pytest.raises(ValidationError):
        services.return_assessment(world.period, world.bn_goal_submitted, comment="", by=controller)
    services.approve_assessment(world.period, world.bn_goal_submitted, by=controller)
    assessment = services.return_assessment(
        world.period, world.bn_goal_submitted, comment="Beskriv orsakerna.", by=controller
    )
    assert (assessment.state, assessment.return_comment) == (S.DRAFT, "Beskriv orsakerna.")
    assert assessment.approved_at is None and assessment.approved_by is None


def test_assessment_save_with_a_stale_version_is_refused(world):
    draft(world)
    with pytest.raises(StaleVersion):
        services.save_assessment(world.period, world.bn_goal, judgement=J.MET, analysis="", version=0)
    assert Assessment.objects.get(goal=world.bn_goal).judgement == J.PARTLY_MET


# A closed period refuses every write -----------------------------------------------------------------------


def closed_world_writes(world):
    """Every service that writes a period's data, aimed at the closed period."""
    period = world.closed_period
    goal = factories.goal(world.kf_goal, "Mål i stängd period", owner=world.bn)
    Assessment.objects.create(goal=goal, period=period, state=S.SUBMITTED, judgement=J.MET)
    value = IndicatorValue.objects.get(period=period)
    return {
        "save_values": lambda: services.save_values(
            period, [ValueEntry(world.bn_indicator.pk, total=D("50"))]
        ),
        "new_value": lambda: services.save_values(period, [ValueEntry(world.ks_indicator.pk, total=D("5"))]),
        "status": lambda: services.set_activity_status(period, world.bn_activity, "done"),
        "save_assessment": lambda: services.save_assessment(
            period, world.bn_goal, judgement=J.MET, analysis=""
        ),
        "submit": lambda: services.submit_assessment(period, goal),
        "approve": lambda: services.approve_assessment(period, goal),
        "return": lambda: services.return_assessment(period, goal, comment="x"),
        "deadline": lambda: services.set_deadline(period, None),
        "admin_save": lambda: services.save_value_from_admin(value),
        "admin_delete": lambda: services.delete_from_admin(value),
        "admin_status": lambda: services.save_status_from_admin(
            ActivityStatus(activity=world.bn_activity, period=period, status="done")
        ),
        "admin_assessment": lambda: services.save_assessment_from_admin(
            Assessment(goal=world.bn_goal, period=period, judgement=J.MET)
        ),
    }


WRITES = [
    "save_values",
    "new_value",
    "status",
    "save_assessment",
    "submit",
    "approve",
    "return",
    "deadline",
    "admin_save",
    "admin_delete",
    "admin_status",
    "admin_assessment",
]


def everything():
    return (
        values_snapshot(),
        sorted(ActivityStatus.objects.values_list("activity_id", "period_id", "status", "version")),
        sorted(Assessment.objects.values_list("goal_id", "period_id", "judgement", "state", "version")),
        sorted(ReportingPeriod.objects.values_list("pk", "state", "deadline")),
    )


@pytest.mark.parametrize("write", WRITES)
def test_a_closed_period_refuses_every_write(world, write):
    writes = closed_world_writes(world)
    before = everything()
    with pytest.raises(PeriodClosedError):
        writes[write]()
    assert everything() == before


@pytest.mark.django_db(transaction=True)
def test_open_period_for_write_needs_a_transaction():
    period = ReportingPeriod.objects.create(year=2026, kind=ReportingPeriod.Kind.ANNUAL)
    with pytest.raises(RuntimeError):
        services.open_period_for_write(period)
