"""Django admin for the follow-up. Saves go through the services, so a closed period refuses the admin too."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import ActivityStatus, Assessment, IndicatorValue, ReportingPeriod


def _closed_message(period):
    return _("%(period)s is closed; nothing in it can be changed.") % {"period": period}


class PeriodDataForm(forms.ModelForm):
    """Refuses, at the form, a change to or from a closed period (the service checks again under the lock)."""

    def clean(self):
        data = super().clean()
        periods = {data.get("period")}
        if self.instance.pk:
            periods.add(type(self.instance).objects.get(pk=self.instance.pk).period)
        for period in periods - {None}:
            period.refresh_from_db(fields=["state"])
            if not period.is_open:
                raise ValidationError(_closed_message(period))
        return data


class IndicatorValueForm(PeriodDataForm):
    """Says at the form what the value service would refuse: numbers against the indicator's rules."""

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


class PeriodDataAdmin(SimpleHistoryAdmin):
    """Values, statuses and assessments: read-only once their period is closed."""

    form = PeriodDataForm
    list_select_related = ("period",)
    list_filter = ("period",)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.period.is_open:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.period.is_open:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        services.save_from_admin(obj, by=request.user)

    def delete_model(self, request, obj):
        services.delete_from_admin(obj)

    def delete_queryset(self, request, queryset):
        closed = {str(o.period) for o in queryset.select_related("period") if not o.period.is_open}
        if closed:
            self.message_user(request, _closed_message(", ".join(sorted(closed))), messages.ERROR)
            return
        with transaction.atomic():
            for obj in queryset.select_related("period"):
                services.delete_from_admin(obj)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(PeriodDataAdmin):
    list_display = ("indicator", "period", "total", "women", "men", "source", "updated_by", "updated_at")
    list_select_related = ("indicator", "period", "updated_by")
    list_filter = ("period", "source")
    search_fields = ("indicator__name", "indicator__kolada_kpi")
    autocomplete_fields = ("indicator",)
    fields = ("indicator", "period", ("total", "women", "men"), "comment", "source", "version", "updated_by")
    readonly_fields = ("source", "version", "updated_by")
    form = IndicatorValueForm

    def get_readonly_fields(self, request, obj=None):
        # A value stays on its indicator and period; the source says who gave the figure (Kolada's is public).
        return (*self.readonly_fields, "indicator", "period") if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        obj.pk = services.save_value_from_admin(obj, by=request.user).pk
        obj._state.adding = False


@admin.register(ActivityStatus)
class ActivityStatusAdmin(PeriodDataAdmin):
    list_display = ("activity", "period", "status", "updated_by", "updated_at")
    list_select_related = ("activity", "period", "updated_by")
    list_filter = ("period", "status")
    search_fields = ("activity__title",)
    autocomplete_fields = ("activity",)
    fields = ("activity", "period", "status", "comment", "version", "updated_by")
    readonly_fields = ("version", "updated_by")


@admin.register(Assessment)
class AssessmentAdmin(PeriodDataAdmin):
    """Submitting, approving and sending back run on the follow-up pages; here only texts are corrected."""

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
        "submitted_at",
        "submitted_by",
        "approved_at",
        "approved_by",
        "version",
        "updated_by",
    )

    def get_readonly_fields(self, request, obj=None):
        # A submitted or approved judgement is the board's statement: it changes only after being sent back.
        if obj is not None and not obj.is_draft:
            return (*self.readonly_fields, "goal", "period", "judgement", "analysis")
        return self.readonly_fields


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
        created = services.create_period(year=obj.year, kind=obj.kind, deadline=obj.deadline, by=request.user)
        obj.pk = created.pk
        obj._state.adding = False

    @admin.action(description=gettext_lazy("Close the selected periods"))
    def close_periods(self, request, queryset):
        for period in queryset.open():
            try:
                services.close_period(period, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, _("%(period)s closed.") % {"period": period}, messages.SUCCESS)
