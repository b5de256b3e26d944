"""The follow-up's rows of the permission matrix: URL × persona → status, and what a refused write keeps.

tests/test_permission_matrix.py runs them with every persona against the shared world, after extend(world).
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from followup import calendar
from followup.models import (
    ActivityStatus,
    Assessment,
    AssessmentComment,
    AssignmentStatus,
    CalendarFeed,
    DeadlineStep,
    IndicatorValue,
    ReportingPeriod,
    SchemePeriod,
)
from goals.numbers import format_input
from tests import factories
from tests.goals.matrix import council_assignment
from tests.matrix import YEAR, Row, expect


def extend(world):
    """Add an open period with a BN value, a closed period, a BN goal whose judgement is submitted, and the
    default reporting calendar."""
    calendar.install_default_scheme(SchemePeriod, DeadlineStep)
    world.scheme_period = SchemePeriod.objects.get(kind=ReportingPeriod.Kind.INTERIM_AUGUST)
    world.period = ReportingPeriod.objects.create(
        year=YEAR, kind=ReportingPeriod.Kind.INTERIM_AUGUST, deadline=datetime.date(YEAR, 9, 15)
    )
    world.closed_period = ReportingPeriod.objects.create(
        year=YEAR - 1, kind=ReportingPeriod.Kind.ANNUAL, state=ReportingPeriod.State.CLOSED
    )
    world.bn_value = IndicatorValue.objects.create(
        indicator=world.bn_indicator, period=world.period, total=Decimal("88")
    )
    IndicatorValue.objects.create(
        indicator=world.bn_indicator, period=world.closed_period, total=Decimal("86.5")
    )
    world.bn_assignment = council_assignment(world)
    world.bn_goal_submitted = factories.goal(world.kf_goal, "Trygg skolmiljö", owner=world.bn)
    # Everyone who writes has a calendar feed: a new address replaces it, removing it deletes it.
    world.feeds = {
        name: CalendarFeed.objects.create(user=world.users[name], token=f"hemlig-{name}")
        for name in ("editor_bn", "editor_ks", "controller", "admin")
    }
    world.bn_assessment = Assessment.objects.create(
        goal=world.bn_goal_submitted,
        period=world.period,
        judgement=Assessment.Judgement.PARTLY_MET,
        analysis="Tryggheten ökar men inte överallt.",
        state=Assessment.State.SUBMITTED,
    )


# Who may do what, in words: readers read follow-up pages, and every judgement page has a read view for
# everyone with a role; an organisation's editors write its follow-up (another board's sheets are 404);
# controllers and admins run periods and approve judgements.
READERS = expect()
CONTROLLERS_ONLY = expect(reader=403, editor_bn=403, editor_ks=403)
CONTROLLERS_ONLY_WRITE = expect(reader=403, editor_bn=403, editor_ks=403, rest=302)
BN_PAGE = expect(reader=403, editor_ks=404)
BN_WRITE = expect(reader=403, editor_ks=404, rest=302)
COUNCIL_PAGE = expect(reader=403, editor_bn=404, editor_ks=404)
APPROVAL = expect(reader=403, editor_bn=403, editor_ks=404, rest=302)
# The wrong method (POST to a page that only shows, GET to a write) is 405 for anyone logged in, before any
# object is looked up: it tells nothing about the object.
NOT_ALLOWED = expect(rest=405)
PUBLIC_NOT_ALLOWED = expect(anonymous=405, rest=405)


def period_state(pk):
    return lambda w: (
        ReportingPeriod.objects.filter(pk=getattr(w, pk).pk).values_list("state", "reopen_reason").get()
    )


def bn_values(w):
    return tuple(
        IndicatorValue.objects.filter(indicator=w.bn_indicator).values_list("total", "women", "version")
    )


def bn_statuses(w):
    return tuple(
        ActivityStatus.objects.filter(activity=w.bn_activity).values_list("status", "comment", "version")
    )


def bn_assessments(w):
    return tuple(
        Assessment.objects.filter(goal__owner=w.bn)
        .order_by("pk")
        .values_list("judgement", "state", "version")
    )


def bn_comments(w):
    return tuple(AssessmentComment.objects.filter(assessment__goal__owner=w.bn).values_list("author", "text"))


def value_post(w):
    """Change the BN value as the sheet would post it (whatever the world's indicator's decimals are)."""
    prefix = f"r{w.bn_indicator.pk}"
    stored = IndicatorValue.objects.get(pk=w.bn_value.pk)
    return {
        f"{prefix}-total": "91",
        f"initial-{prefix}-total": format_input(stored.total, w.bn_indicator.decimals),
        f"{prefix}-version": str(stored.version),
    }


def status_post(w):
    prefix = f"r{w.bn_activity.pk}"
    stored = ActivityStatus.objects.filter(activity=w.bn_activity, period=w.period).first()
    return {
        f"{prefix}-status": ActivityStatus.Status.ONGOING,
        f"initial-{prefix}-status": stored.status if stored else ActivityStatus.Status.NOT_STARTED,
        f"{prefix}-comment": "Startade i augusti.",
        f"initial-{prefix}-comment": stored.comment if stored else "",
        f"{prefix}-version": str(stored.version if stored else 0),
    }


def bn_assignment_statuses(w):
    return tuple(
        AssignmentStatus.objects.filter(assignment=w.bn_assignment).values_list(
            "status", "comment", "version"
        )
    )


def assignment_status_post(w):
    prefix = f"r{w.bn_assignment.pk}"
    stored = AssignmentStatus.objects.filter(assignment=w.bn_assignment, period=w.period).first()
    return {
        f"{prefix}-status": AssignmentStatus.Status.DELAYED,
        f"initial-{prefix}-status": stored.status if stored else AssignmentStatus.Status.NOT_STARTED,
        f"{prefix}-comment": "Utredaren börjar i oktober.",
        f"initial-{prefix}-comment": stored.comment if stored else "",
        f"{prefix}-version": str(stored.version if stored else 0),
    }


def submitted_version(w):
    return {
        "version": str(Assessment.objects.get(pk=w.bn_assessment.pk).version),
        "comment": "Utveckla analysen.",
    }


def scheme_state(w):
    return tuple(
        SchemePeriod.objects.values_list("kind", "cutoff_month", "cutoff_day", "in_use").order_by("kind")
    )


def judgement_file(w):
    content = f"Mål-id;År;Period;Bedömning;Analys\r\n{w.bn_goal.pk};{YEAR};delår augusti;Uppfyllt;Bra.\r\n"
    upload = SimpleUploadedFile("bedomningar.csv", content.encode(), content_type="text/csv")
    return {"file": upload, "what": "judgements"}


def feeds(w):
    return tuple(CalendarFeed.objects.values_list("user_id", "token").order_by("user_id"))


ROWS = [
    # One's calendar feed (its secret address is public) and the log of sent e-mails.
    Row("followup:feed", args=lambda w: [w.feeds["editor_bn"].token], expect=expect(anonymous=200)),
    Row(
        "followup:feed", args=lambda w: [w.feeds["editor_bn"].token], method="POST", expect=PUBLIC_NOT_ALLOWED
    ),
    Row("followup:feed_new", expect=NOT_ALLOWED),
    Row("followup:feed_new", method="POST", expect=expect(reader=403, rest=302), unchanged=feeds),
    Row("followup:feed_revoke", expect=NOT_ALLOWED),
    Row("followup:feed_revoke", method="POST", expect=expect(reader=403, rest=302), unchanged=feeds),
    Row("followup:sent_mail", expect=CONTROLLERS_ONLY),
    Row("followup:sent_mail", method="POST", expect=NOT_ALLOWED),
    Row("followup:follow_up_upload", expect=CONTROLLERS_ONLY),
    Row(
        "followup:follow_up_upload",
        method="POST",
        data=judgement_file,
        expect=CONTROLLERS_ONLY_WRITE,
        unchanged=lambda w: Assessment.objects.filter(goal=w.bn_goal).count(),
    ),
    Row("followup:judgements_template", expect=CONTROLLERS_ONLY),
    Row("followup:judgements_template", method="POST", expect=NOT_ALLOWED),
    Row("followup:statuses_template", expect=CONTROLLERS_ONLY),
    Row("followup:statuses_template", method="POST", expect=NOT_ALLOWED),
    Row("followup:calendar", expect=CONTROLLERS_ONLY),
    Row("followup:calendar", method="POST", expect=NOT_ALLOWED),
    Row("followup:calendar_edit", args=lambda w: [w.scheme_period.pk], expect=CONTROLLERS_ONLY),
    Row(
        "followup:calendar_edit",
        args=lambda w: [w.scheme_period.pk],
        method="POST",
        data=lambda w: {
            "cutoff_month": "9",
            "cutoff_day": "30",
            "in_use": "on",
            "steps-TOTAL_FORMS": "0",
            "steps-INITIAL_FORMS": "0",
        },
        expect=CONTROLLERS_ONLY_WRITE,
        unchanged=scheme_state,
    ),
    Row("followup:create_periods", expect=CONTROLLERS_ONLY),
    Row(
        "followup:create_periods",
        method="POST",
        data=lambda w: {"year": str(YEAR + 3), "confirm": "1"},
        expect=CONTROLLERS_ONLY_WRITE,
        unchanged=lambda w: ReportingPeriod.objects.count(),
    ),
    Row("followup:index", expect=READERS),
    Row("followup:index", method="POST", expect=NOT_ALLOWED),
    Row("followup:period", args=lambda w: [w.period.pk], expect=READERS),
    Row("followup:period", args=lambda w: [w.period.pk], method="POST", expect=NOT_ALLOWED),
    Row("followup:period_create", expect=CONTROLLERS_ONLY),
    Row(
        "followup:period_create",
        method="POST",
        data=lambda w: {
            "year": YEAR + 1,
            "kind": ReportingPeriod.Kind.ANNUAL,
            "deadline": f"{YEAR + 2}-02-15",
        },
        expect=CONTROLLERS_ONLY_WRITE,
        unchanged=lambda w: ReportingPeriod.objects.count(),
    ),
    # Closing shows what is outstanding first and closes only on an explicit confirmation.
    Row("followup:period_close", args=lambda w: [w.period.pk], expect=CONTROLLERS_ONLY),
    Row(
        "followup:period_close",
        args=lambda w: [w.period.pk],
        method="POST",
        data=lambda w: {"confirm": "on"},
        expect=CONTROLLERS_ONLY_WRITE,
        unchanged=period_state("period"),
    ),
    Row("followup:period_reopen", args=lambda w: [w.closed_period.pk], expect=CONTROLLERS_ONLY),
    Row(
        "followup:period_reopen",
        args=lambda w: [w.closed_period.pk],
        method="POST",
        data=lambda w: {"reason": "Fel i underlaget från BN."},
        expect=CONTROLLERS_ONLY_WRITE,
        unchanged=period_state("closed_period"),
    ),
    Row("followup:overview", args=lambda w: [w.period.pk], expect=READERS),
    Row("followup:overview", args=lambda w: [w.period.pk], method="POST", expect=NOT_ALLOWED),
    Row("followup:values", args=lambda w: [w.period.pk, w.bn.pk], expect=BN_PAGE),
    Row(
        "followup:values",
        args=lambda w: [w.period.pk, w.bn.pk],
        method="POST",
        data=value_post,
        expect=BN_WRITE,
        unchanged=bn_values,
    ),
    Row("followup:values", args=lambda w: [w.period.pk, w.council.pk], expect=COUNCIL_PAGE),
    Row("followup:activities", args=lambda w: [w.period.pk, w.bn.pk], expect=BN_PAGE),
    Row(
        "followup:activities",
        args=lambda w: [w.period.pk, w.bn.pk],
        method="POST",
        data=status_post,
        expect=BN_WRITE,
        unchanged=bn_statuses,
    ),
    # The owner reports its council assignments' status; the council's editors do not write them.
    Row("followup:assignments", args=lambda w: [w.period.pk, w.bn.pk], expect=BN_PAGE),
    Row(
        "followup:assignments",
        args=lambda w: [w.period.pk, w.bn.pk],
        method="POST",
        data=assignment_status_post,
        expect=BN_WRITE,
        unchanged=bn_assignment_statuses,
    ),
    Row("followup:assignments", args=lambda w: [w.period.pk, w.council.pk], expect=COUNCIL_PAGE),
    Row("followup:assessments", args=lambda w: [w.period.pk, w.bn.pk], expect=READERS),
    Row("followup:assessments", args=lambda w: [w.period.pk, w.bn.pk], method="POST", expect=NOT_ALLOWED),
    Row("followup:assessment", args=lambda w: [w.period.pk, w.bn_goal.pk], expect=READERS),
    Row("followup:assessment", args=lambda w: [w.period.pk, w.kf_goal.pk], expect=READERS),
    Row(
        "followup:assessment",
        args=lambda w: [w.period.pk, w.bn_goal.pk],
        method="POST",
        data=lambda w: {
            "judgement": Assessment.Judgement.PARTLY_MET,
            "analysis": "Resultaten förbättras men når inte målet.",
            "version": "0",
            "submit": "1",
        },
        expect=BN_WRITE,
        unchanged=bn_assessments,
    ),
    Row(
        "followup:assessment_approve",
        args=lambda w: [w.period.pk, w.bn_goal_submitted.pk],
        expect=NOT_ALLOWED,
    ),
    Row(
        "followup:assessment_approve",
        args=lambda w: [w.period.pk, w.bn_goal_submitted.pk],
        method="POST",
        data=submitted_version,
        expect=APPROVAL,
        unchanged=bn_assessments,
    ),
    Row(
        "followup:assessment_return",
        args=lambda w: [w.period.pk, w.bn_goal_submitted.pk],
        expect=NOT_ALLOWED,
    ),
    Row(
        "followup:assessment_return",
        args=lambda w: [w.period.pk, w.bn_goal_submitted.pk],
        method="POST",
        data=submitted_version,
        expect=APPROVAL,
        unchanged=bn_assessments,
    ),
    # The controllers' approval queue: approve or send back from the list, through the same services.
    Row("followup:approvals", expect=CONTROLLERS_ONLY),
    Row("followup:approvals", method="POST", expect=NOT_ALLOWED),
    Row("followup:approvals_approve", args=lambda w: [w.bn_assessment.pk], expect=NOT_ALLOWED),
    Row(
        "followup:approvals_approve",
        args=lambda w: [w.bn_assessment.pk],
        method="POST",
        data=submitted_version,
        expect=CONTROLLERS_ONLY_WRITE,
        unchanged=bn_assessments,
    ),
    Row("followup:approvals_return", args=lambda w: [w.bn_assessment.pk], expect=NOT_ALLOWED),
    Row(
        "followup:approvals_return",
        args=lambda w: [w.bn_assessment.pk],
        method="POST",
        data=submitted_version,
        expect=CONTROLLERS_ONLY_WRITE,
        unchanged=bn_assessments,
    ),
    # The dialogue on a judgement: its board's editors and the controllers write; readers only read it.
    Row(
        "followup:assessment_comment",
        args=lambda w: [w.period.pk, w.bn_goal_submitted.pk],
        expect=NOT_ALLOWED,
    ),
    Row(
        "followup:assessment_comment",
        args=lambda w: [w.period.pk, w.bn_goal_submitted.pk],
        method="POST",
        data=lambda w: {"text": "Hur ser prognosen ut för höstterminen?"},
        expect=BN_WRITE,
        unchanged=bn_comments,
    ),
    Row("followup:indicator", args=lambda w: [w.bn_indicator.pk], expect=expect(anonymous=200)),
    Row("followup:indicator", args=lambda w: [w.bn_indicator.pk], method="POST", expect=PUBLIC_NOT_ALLOWED),
]
