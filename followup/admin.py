"""Django admin for the follow-up. Saves go through the services, so the admin meets the same rules as the
follow-up pages: a closed period refuses, the writer's role is asked, and a row saved by someone else since
the page was opened is not overwritten."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .calendar import save_scheme_period
from .forms import DeadlineStepForm
from .models import (
    ActivityStatus,
    Assessment,
    AssessmentComment,
    AssignmentStatus,
    CalendarFeed,
    DeadlineStep,
    IndicatorValue,
    ReportingPeriod,
    SchemePeriod,
    SentMail,
)
from .permissions import can_write_follow_up


def _closed_message(period):
    return _("%(period)s is closed; nothing in it can be changed.") % {"period": period}


class PeriodDataForm(forms.ModelForm):
    """Refuses, at the form, what the service would refuse: a closed period and another organisation's
    follow-up (the service checks both again under the lock). `loaded_version` carries the version the page
    showed, so that the service can tell when someone else has saved since."""

    loaded_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    user = None  # set by the admin's get_form
    owner_field = None  # the field naming the indicator, activity or goal

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # 0 on a new row: none may exist yet (the services take 0 as "there was none").
        self.fields["loaded_version"].initial = self.instance.version if self.instance.pk else 0

    def clean(self):
        data = super().clean()
        periods = {data.get("period")}
        if self.instance.pk:
            periods.add(type(self.instance).objects.get(pk=self.instance.pk).period)
        for period in periods - {None}:
            period.refresh_from_db(fields=["state"])
            if not period.is_open:
                raise ValidationError(_closed_message(period))
        item = data.get(self.owner_field) or getattr(self.instance, self.owner_field, None)
        owner = None if item is None else services.writer_of(item)
        if owner is not None and self.user is not None and not can_write_follow_up(self.user, owner):
            raise ValidationError(
                _("You may not write the follow-up of %(organisation)s.") % {"organisation": owner}
            )
        return data


class IndicatorValueForm(PeriodDataForm):
    """Says at the form what the value service would refuse: numbers against the indicator's rules."""

    owner_field = "indicator"

    def clean(self):
        data = super().clean()
        indicator = data.get("indicator") or (self.instance.indicator if self.instance.pk else None)
        if indicator is not None:
            entry = services.ValueEntry(
                indicator.pk, data.get("total"), data.get("women"), data.get("men"), data.get("comment", "")
            )
            stored = IndicatorValue.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
            problems = services.entry_problems(indicator, entry, stored, IndicatorValue.Source.MANUAL)
            if problems:
                raise ValidationError(problems)
        return data


class ActivityStatusForm(PeriodDataForm):
    owner_field = "activity"


class AssignmentStatusForm(PeriodDataForm):
    owner_field = "assignment"


class AssessmentForm(PeriodDataForm):
    owner_field = "goal"


class PeriodDataAdmin(SimpleHistoryAdmin):
    """Values, statuses and assessments: read-only once their period is closed; saved through the services."""

    list_select_related = ("period",)
    list_filter = ("period",)
    # A row stays on its item and period: moving it would be a deletion in one place and a write in another.
    fixed_on_change = ()

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def get_fields(self, request, obj=None):
        return [*super().get_fields(request, obj), "loaded_version"]

    def get_readonly_fields(self, request, obj=None):
        fixed = self.fixed_on_change if obj is not None else ()
        return (*self.readonly_fields, *fixed)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A refusal only the service can see (someone saved meanwhile) rolls the save back and says so."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.StaleVersion:
            message = _("Someone else saved this since you opened it. Here is what is stored now.")
        except ValidationError as error:
            message = " ".join(error.messages)
        self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.period.is_open:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.period.is_open:
            return False
        return super().has_delete_permission(request, obj)

    save_service = None  # the follow-up service that saves this kind of row, given the row as edited

    def save_model(self, request, obj, form, change):
        version = form.cleaned_data.get("loaded_version")
        obj.pk = self.save_service(obj, by=request.user, version=version).pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.delete_from_admin(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        closed = {str(o.period) for o in queryset.select_related("period") if not o.period.is_open}
        if closed:
            self.message_user(request, _closed_message(", ".join(sorted(closed))), messages.ERROR)
            return
        with transaction.atomic():
            for obj in queryset.select_related("period"):
                services.delete_from_admin(obj, by=request.user)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(PeriodDataAdmin):
    list_display = ("indicator", "period", "total", "women", "men", "source", "updated_by", "updated_at")
    list_select_related = ("indicator", "period", "updated_by")
    list_filter = ("period", "source")
    search_fields = ("indicator__name", "indicator__kolada_kpi")
    autocomplete_fields = ("indicator",)
    fields = ("indicator", "period", ("total", "women", "men"), "comment", "source", "version", "updated_by")
    # The source says who gave the figure (Kolada's is public).
    readonly_fields = ("source", "version", "updated_by")
    fixed_on_change = ("indicator", "period")
    form = IndicatorValueForm

    save_service = staticmethod(services.save_value_from_admin)


@admin.register(ActivityStatus)
class ActivityStatusAdmin(PeriodDataAdmin):
    list_display = ("activity", "period", "status", "updated_by", "updated_at")
    list_select_related = ("activity", "period", "updated_by")
    list_filter = ("period", "status")
    search_fields = ("activity__title",)
    autocomplete_fields = ("activity",)
    fields = ("activity", "period", "status", "comment", "version", "updated_by")
    readonly_fields = ("version", "updated_by")
    fixed_on_change = ("activity", "period")
    form = ActivityStatusForm

    save_service = staticmethod(services.save_status_from_admin)


@admin.register(AssignmentStatus)
class AssignmentStatusAdmin(PeriodDataAdmin):
    list_display = ("assignment", "period", "status", "updated_by", "updated_at")
    list_select_related = ("assignment", "period", "updated_by")
    list_filter = ("period", "status")
    search_fields = ("assignment__title",)
    autocomplete_fields = ("assignment",)
    fields = ("assignment", "period", "status", "comment", "version", "updated_by")
    readonly_fields = ("version", "updated_by")
    fixed_on_change = ("assignment", "period")
    form = AssignmentStatusForm

    save_service = staticmethod(services.save_status_from_admin)


@admin.register(Assessment)
class AssessmentAdmin(PeriodDataAdmin):
    """Submitting, approving and sending back run on the follow-up pages; here only a draft's judgement and
    analysis are corrected, through the same service as the judgement page."""

    list_display = ("goal", "period", "judgement", "state", "updated_by", "updated_at")
    list_select_related = ("goal", "period", "updated_by")
    list_filter = ("period", "state", "judgement")
    search_fields = ("goal__title",)
    autocomplete_fields = ("goal",)
    fields = (
        "goal",
        "period",
        "judgement",
        "analysis",
        "state",
        "return_comment",
        ("submitted_at", "submitted_by"),
        ("approved_at", "approved_by"),
        "version",
        "updated_by",
    )
    readonly_fields = (
        "state",
        "return_comment",
        "submitted_at",
        "submitted_by",
        "approved_at",
        "approved_by",
        "version",
        "updated_by",
    )

    fixed_on_change = ("goal", "period")
    form = AssessmentForm

    def get_readonly_fields(self, request, obj=None):
        # A submitted or approved judgement is the board's statement: it changes only after being sent back.
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "judgement", "analysis") if obj is not None and not obj.is_draft else fields

    save_service = staticmethod(services.save_assessment_from_admin)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    """Periods are created and closed through the services; a closed period is read-only here."""

    list_display = ("__str__", "year", "kind", "deadline", "state", "closed_at")
    list_filter = ("state", "kind", "year")
    actions = ["close_periods"]

    def get_readonly_fields(self, request, obj=None):
        fixed = ("state", "reopen_reason", "closed_at", "closed_by")
        return (*fixed, "year", "kind") if obj is not None else fixed

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_open:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_open:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            services.set_deadline(obj, obj.deadline, by=request.user)
            return
        created = services.create_period(
            year=obj.year, kind=obj.kind, deadline=obj.deadline, cutoff=obj.cutoff, by=request.user
        )
        obj.pk = created.pk
        obj._state.adding = False

    @admin.action(description=gettext_lazy("Close the selected periods"))
    def close_periods(self, request, queryset):
        """Closing goes through the follow-up's confirmation page, which lists what is outstanding first."""
        periods = list(queryset.open()[:2])
        if len(periods) != 1:
            self.message_user(
                request,
                _("Choose one open period: each is closed on its own confirmation page."),
                messages.ERROR,
            )
            return None
        return HttpResponseRedirect(reverse("followup:period_close", args=[periods[0].pk]))


class DeadlineStepInline(admin.TabularInline):
    model = DeadlineStep
    form = DeadlineStepForm
    extra = 0


@admin.register(SchemePeriod)
class SchemePeriodAdmin(SimpleHistoryAdmin):
    """The reporting calendar; saved through the same service as the calendar page."""

    list_display = ("__str__", "kind", "cutoff_month", "cutoff_day", "in_use")
    inlines = [DeadlineStepInline]

    def save_model(self, request, obj, form, change):
        pass  # saved with its steps in save_related, through the service

    def save_related(self, request, form, formsets, change):
        save_scheme_period(form, formsets[0], by=request.user)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the app writes by its own rules (a mail sent, a feed made, a comment written): read here, never
    added, changed or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SentMail)
class SentMailAdmin(ReadOnlyAdmin):
    list_display = ("sent_at", "to", "user", "kind", "subject", "reason", "period")
    list_filter = ("kind",)
    search_fields = ("to", "subject")
    list_select_related = ("user", "period")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    """Whose feed exists and since when; its token is a secret (the feed's address) and is not shown."""

    fields = readonly_fields = ("user", "created_at")
    list_display = ("user", "created_at")
    list_select_related = ("user",)


@admin.register(AssessmentComment)
class AssessmentCommentAdmin(ReadOnlyAdmin):
    """The dialogues' history: never changed or deleted (`followup/comments.py`)."""

    list_display = ("created_at", "author", "assessment", "text")
    search_fields = ("text",)
    list_select_related = ("author", "assessment__goal", "assessment__period")
