"""Forms of the follow-up: periods, the value and status sheets, judgements."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from goals.models import Organisation
from goals.numbers import format_input, parse_number
from goals.textinput import ANALYSIS_MAX, COMMENT_MAX, refuse_control_characters

from .comments import comment_errors
from .models import Assessment, DeadlineStep, ReportingPeriod, SchemePeriod, WorkStatus
from .services import VALUE_FIELDS, StatusEntry, ValueEntry, analysis_required, value_errors
from .wording import judgement_choices


class NumberField(forms.Field):
    """One indicator's value, typed the Swedish way ("1 234,5") and checked against the indicator's rules."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Enter a number, for example 92,5.")}

    def __init__(self, *, indicator, **kwargs):
        self.indicator = indicator
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = {
            "inputmode": "decimal",
            "autocomplete": "off",
            "size": 12,
            "class": "form-control sheet-number",
        }
        return {**super().widget_attrs(widget), **attrs}

    def to_python(self, value):
        if isinstance(value, Decimal) or value is None:
            return value
        if not str(value).strip():
            return None
        try:
            return parse_number(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value):
        super().validate(value)
        errors = value_errors(self.indicator, value)
        if errors:
            raise ValidationError(errors, code="rule")

    def prepare_value(self, value):
        return format_input(value, self.indicator.decimals) if isinstance(value, Decimal) else value


def _comment_field():
    return forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=COMMENT_MAX,
        validators=[refuse_control_characters],
        show_hidden_initial=True,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


def _version_field():
    return forms.IntegerField(min_value=0, widget=forms.HiddenInput)


FIELD_LABELS = {"total": _("Total"), "women": _("Women"), "men": _("Men")}


class SheetBoundField(forms.BoundField):
    """A sheet's input: one sent back as the page had it is unchanged without parsing either text."""

    def _has_changed(self):
        field = self.field
        if field.show_hidden_initial:
            opening = self.form._widget_data_value(field.hidden_widget(), self.html_initial_name)
            if opening is not None and self.data == opening:
                # Equal texts read the same, so Django's comparison would say unchanged too. (Of an equal
                # text that is no number it says changed, but then the field has an error and nothing is
                # saved.)
                return False
        return super()._has_changed()


class SheetForm(forms.Form):
    """Rows of inputs, one row per object, each with the version it was opened with.

    Every input carries its opening value in a hidden `initial-…` twin, so that a row the user did not touch
    is not written back: that is what keeps a save from overwriting someone else's newer value unseen.
    """

    bound_field_class = SheetBoundField

    def row_prefix(self, pk):
        return f"r{pk}"

    def add_field(self, name, prototype, initial, **own):
        """A copy of `prototype` as field `name`, opened with `initial`; `own` are the attributes it has of
        its own (a number's indicator).

        The copies share the prototype's widget, messages and validators instead of a deep copy of each:
        building a widget per field was a good part of a sheet's time, and a sheet's fields are read, never
        changed, once built. Each form builds its own prototypes.
        """
        field = object.__new__(type(prototype))  # copy.copy, without its generic machinery
        field.__dict__ = {**prototype.__dict__, **own}
        self.fields[name] = field
        self.initial[name] = initial

    def row_names(self, obj):
        raise NotImplementedError

    def changed_rows(self):
        """The objects whose inputs the user changed (the version field does not count)."""
        changed = set(self.changed_data)
        return [
            o
            for o in self.objects
            if any(f"{self.row_prefix(o.pk)}-{n}" in changed for n in self.row_names(o))
        ]

    def refreshed(self, conflicts, current_values):
        """The same form after a conflict: the user's typing kept, opening values and versions made current.

        A second save then knowingly replaces what the other person saved.
        """
        data = self.data.copy()
        for row in conflicts:
            pk = self.conflict_key(row)
            prefix = self.row_prefix(pk)
            data[f"{prefix}-version"] = str(row.version)
            for name, value in current_values(row).items():
                data[f"initial-{prefix}-{name}"] = value
        form = type(self)(data, **self.init_kwargs)
        form.conflicts = {self.conflict_key(row): row for row in conflicts}
        form.is_valid()
        return form


class ValuesForm(SheetForm):
    """The value sheet of one organisation and period: total (or total/women/men) and a comment each."""

    def __init__(self, data=None, *, objects, stored):
        super().__init__(data)
        self.init_kwargs = {"objects": objects, "stored": stored}
        self.objects, self.conflicts = objects, {}
        numbers = {
            name: NumberField(indicator=None, label=label, show_hidden_initial=True)
            for name, label in FIELD_LABELS.items()
        }
        comment, version = _comment_field(), _version_field()
        for indicator in objects:
            prefix, value = self.row_prefix(indicator.pk), stored.get(indicator.pk)
            for name in self.number_names(indicator):
                initial = getattr(value, name) if value else None
                self.add_field(f"{prefix}-{name}", numbers[name], initial, indicator=indicator)
            self.add_field(f"{prefix}-comment", comment, value.comment if value else "")
            self.add_field(f"{prefix}-version", version, value.version if value else 0)

    @staticmethod
    def number_names(indicator):
        return VALUE_FIELDS if indicator.gender_split else ("total",)

    def row_names(self, obj):
        return (*self.number_names(obj), "comment")

    def conflict_key(self, row):
        return row.indicator_id

    def entries(self):
        """ValueEntry objects for the rows the user changed."""
        entries = []
        for indicator in self.changed_rows():
            prefix, data = self.row_prefix(indicator.pk), self.cleaned_data
            numbers = {name: data.get(f"{prefix}-{name}") for name in self.number_names(indicator)}
            comment, version = data[f"{prefix}-comment"], data[f"{prefix}-version"]
            entries.append(ValueEntry(indicator.pk, comment=comment, version=version, **numbers))
        return entries

    def refreshed_after(self, conflicts):
        indicators = {i.pk: i for i in self.objects}

        def current(row):
            indicator = indicators[row.indicator_id]
            values = {
                n: format_input(getattr(row, n), indicator.decimals) for n in self.number_names(indicator)
            }
            return {**values, "comment": row.comment}

        return self.refreshed(conflicts, current)


class StatusForm(SheetForm):
    """The activity sheet of one organisation and period: a status and a comment per activity."""

    ITEM = "activity"  # the status row's field naming its item (ActivityStatus.ITEM)

    def __init__(self, data=None, *, objects, stored):
        super().__init__(data)
        self.init_kwargs = {"objects": objects, "stored": stored}
        self.objects, self.conflicts = objects, {}
        status = forms.ChoiceField(
            label=_("Status"),
            choices=WorkStatus.choices,
            show_hidden_initial=True,
            widget=forms.Select(attrs={"class": "form-select"}),
        )
        comment, version = _comment_field(), _version_field()
        for activity in objects:
            prefix, row = self.row_prefix(activity.pk), stored.get(activity.pk)
            self.add_field(f"{prefix}-status", status, row.status if row else WorkStatus.NOT_STARTED)
            self.add_field(f"{prefix}-comment", comment, row.comment if row else "")
            self.add_field(f"{prefix}-version", version, row.version if row else 0)

    def row_names(self, obj):
        return ("status", "comment")

    def conflict_key(self, row):
        return getattr(row, f"{self.ITEM}_id")

    def entries(self):
        data = self.cleaned_data
        return [
            StatusEntry(
                a.pk,
                data[f"{self.row_prefix(a.pk)}-status"],
                data[f"{self.row_prefix(a.pk)}-comment"],
                data[f"{self.row_prefix(a.pk)}-version"],
            )
            for a in self.changed_rows()
        ]

    def refreshed_after(self, conflicts):
        return self.refreshed(conflicts, lambda row: {"status": row.status, "comment": row.comment})


class AssignmentStatusForm(StatusForm):
    """The assignment sheet of one organisation and period: a status and a comment per assignment."""

    ITEM = "assignment"


class AssessmentForm(forms.Form):
    """A goal's judgement and analysis; submitting also needs an analysis unless the goal is met."""

    judgement = forms.ChoiceField(label=_("Judgement"), widget=forms.RadioSelect)
    analysis = forms.CharField(
        label=_("Analysis"),
        required=False,
        max_length=ANALYSIS_MAX,
        validators=[refuse_control_characters],
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control"}),
        help_text=_(
            "Why the goal is judged so: what the indicators and activities show. Required unless met."
        ),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, data=None, *, period, assessment, submitting=False):
        initial = {
            "judgement": assessment.judgement if assessment else Assessment.Judgement.NOT_ASSESSED,
            "analysis": assessment.analysis if assessment else "",
            "version": assessment.version if assessment else 0,
        }
        super().__init__(data, initial=initial)
        self.fields["judgement"].choices = judgement_choices(period)
        self.submitting = submitting

    def clean(self):
        data = super().clean()
        judgement = data.get("judgement")
        if self.submitting and judgement and analysis_required(judgement) and not data.get("analysis"):
            self.add_error("analysis", _("Write an analysis: it is required unless the goal is met."))
        return data


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What needs to change"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        max_length=COMMENT_MAX,
        validators=[refuse_control_characters],
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput, required=False)


class CommentForm(forms.Form):
    """A message in the dialogue on a judgement; `comments.comment_errors` says what it may hold."""

    text = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        # Not the browser's maxlength: the rule's own message says how long the text is.
        required=False,
        strip=False,
    )

    def clean_text(self):
        errors = comment_errors(self.cleaned_data["text"])
        if errors:
            raise ValidationError(errors)
        return self.cleaned_data["text"].strip()


class PeriodForm(forms.ModelForm):
    """A new period: year, kind and reporting deadline."""

    class Meta:
        model = ReportingPeriod
        fields = ["year", "kind", "deadline"]
        widgets = {
            "year": forms.NumberInput(attrs={"class": "form-control"}),
            "kind": forms.Select(attrs={"class": "form-select"}),
            "deadline": forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        }

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 1900 <= year <= 2200:
            raise ValidationError(_("Enter a year between 1900 and 2200."))
        return year


class CloseForm(forms.Form):
    """Closing a period asks for an explicit confirmation, after the page has shown what is outstanding."""

    confirm = forms.BooleanField(
        label=_("I have seen what is outstanding and close the period"),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Tick the box to confirm that the period is to be closed.")},
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        max_length=COMMENT_MAX,
        validators=[refuse_control_characters],
        help_text=_("Recorded in the audit log and shown on the period."),
    )


class SchemePeriodForm(forms.ModelForm):
    """A period of the reporting calendar: its cut-off day and whether it is made every year."""

    class Meta:
        model = SchemePeriod
        fields = ["cutoff_month", "cutoff_day", "in_use"]
        widgets = {
            "cutoff_month": forms.NumberInput(attrs={"class": "form-control", "min": 1, "max": 12}),
            "cutoff_day": forms.NumberInput(attrs={"class": "form-control", "min": 1, "max": 31}),
        }


class CodesField(forms.CharField):
    """Organisation codes, separated by commas or spaces ("KS, BN")."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [code for code in text.replace(",", " ").upper().split() if code]


class DeadlineStepForm(forms.ModelForm):
    """One staggered deadline: who reports by it, in working days after the cut-off."""

    organisation_kinds = forms.MultipleChoiceField(
        label=_("Organisation kinds"),
        choices=Organisation.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisation_codes = CodesField(
        label=_("Organisations by code"),
        required=False,
        max_length=500,
        help_text=_("Whatever their kind, e.g. the municipal executive board."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    class Meta:
        model = DeadlineStep
        fields = ["position", "name", "organisation_kinds", "organisation_codes", "working_days"]
        widgets = {
            "position": forms.NumberInput(attrs={"class": "form-control", "min": 0}),
            "name": forms.TextInput(attrs={"class": "form-control"}),
            "working_days": forms.NumberInput(attrs={"class": "form-control", "min": 0}),
        }

    def clean_organisation_codes(self):
        codes = self.cleaned_data["organisation_codes"]
        unknown = sorted(
            set(codes) - set(Organisation.objects.filter(code__in=codes).values_list("code", flat=True))
        )
        if unknown:
            raise ValidationError(
                _("No organisation has the code %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return codes


DeadlineStepFormSet = forms.inlineformset_factory(
    SchemePeriod, DeadlineStep, form=DeadlineStepForm, extra=1, can_delete=True, max_num=20, validate_max=True
)


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=1900,
        max_value=2200,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
