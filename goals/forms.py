"""Forms for writing the goal chain; their choices come from `permissions`: only what the user may use."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from . import permissions
from .chain import styrmodell
from .models import Activity, Goal, GoalLevel, Indicator, Organisation, Perspective, Target
from .numbers import MINUS_SIGNS
from .targets import overlap_errors


def form_helper():
    """Crispy renders the fields; the page's own <form> element holds them with the formset and buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class GoalForm(forms.ModelForm):
    """A goal's own fields. Its level follows from its parent (a choice where the styrmodell allows several);
    perspectives belong to goals of the headline level."""

    class Meta:
        model = Goal
        fields = ["title", "description", "owner", "decision", "valid_from", "valid_to", "perspectives"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "perspectives": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, level, **kwargs):
        super().__init__(*args, **kwargs)
        model = styrmodell()
        # `level`: a level's key (editing), or the levels offered under a new goal's parent.
        levels = [model.get(level)] if isinstance(level, str) else list(level)
        self.levels = [rule for rule in levels if rule is not None]
        owners = Organisation.objects.none()
        for rule in self.levels:
            owners = owners | permissions.owners_for(user, rule.key)
        self.fields["owner"].queryset = owners.distinct()
        self.fields["owner"].empty_label = None
        if len(self.levels) > 1:
            self.fields["level_kind"] = forms.ChoiceField(
                label=_("Level"), choices=[(rule.key, rule.name) for rule in self.levels]
            )
            self.order_fields(["level_kind", *self.Meta.fields])
        if any(rule.is_headline for rule in self.levels):
            self.fields["perspectives"].queryset = Perspective.objects.all()
        else:
            del self.fields["perspectives"]
        self.helper = form_helper()

    def chosen_level(self):
        """The level key of a new goal: the one chosen, or the only one offered."""
        if "level_kind" in self.fields:
            return self.cleaned_data["level_kind"]
        return self.levels[0].key

    def _post_clean(self):
        if "level_kind" in self.fields and self.cleaned_data.get("level_kind"):
            self.instance.level_kind_id = self.cleaned_data["level_kind"]
        super()._post_clean()

    def tree_fields(self):
        """The cleaned values as keyword arguments for `tree.create_goal` / `tree.update_goal`."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}
        data.setdefault("perspectives", None)
        return data


class GoalMoveForm(forms.Form):
    """A new parent (of the level the chain asks for) and a place among its sub-goals."""

    parent = forms.ModelChoiceField(
        label=_("New parent goal"), queryset=Goal.objects.none(), empty_label=None
    )
    place = forms.IntegerField(
        label=_("Place among the sub-goals"),
        min_value=1,
        required=False,
        help_text=_("1 puts the goal first. Leave empty to put it last."),
    )

    def __init__(self, *args, user, goal, **kwargs):
        super().__init__(*args, **kwargs)
        targets = permissions.move_targets_for(user, goal).select_related("owner").order_by("tree_id", "lft")
        if goal.parent_id is None:
            # A top goal only changes its place; there is nothing above it to move it under.
            del self.fields["parent"]
        else:
            self.fields["parent"].queryset = targets
            self.fields["parent"].label_from_instance = lambda g: f"{g.title} ({g.owner.code})"
            self.initial.setdefault("parent", goal.parent_id)
        self.helper = form_helper()

    def index(self):
        place = self.cleaned_data.get("place")
        return None if place is None else place - 1


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "name", "description", "unit", "direction", "decimals", "gender_split", "allow_negative",
            "allow_above_100", "valid_from", "valid_to", "kolada_kpi", "kolada_scale", "owner",
        ]  # fmt: skip
        localized_fields = ["kolada_scale"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user, goal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = permissions.item_owners_for(user)
        self.fields["owner"].empty_label = None
        self.initial.setdefault("owner", goal.owner_id)
        self.fields["kolada_scale"].required = False  # empty: Kolada's own scale (1)
        self.helper = form_helper()

    def clean_kolada_scale(self):
        scale = self.cleaned_data.get("kolada_scale")
        return Decimal(1) if scale is None else scale


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = [
            "from_year",
            "to_year",
            "comparison",
            "value",
            "high",
            "exclusive",
            "tolerance",
            "tolerance_unit",
        ]
        # Swedish decimal commas ("92,5") are read as well as points.
        localized_fields = ["value", "high", "tolerance"]
        widgets = {
            "from_year": forms.NumberInput(attrs={"class": "form-control", "min": 1900, "max": 2200}),
            "to_year": forms.NumberInput(attrs={"class": "form-control", "min": 1900, "max": 2200}),
            "comparison": forms.Select(attrs={"class": "form-select"}),
            "value": forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}),
            "high": forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}),
            "exclusive": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "tolerance": forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}),
            "tolerance_unit": forms.Select(attrs={"class": "form-select"}),
        }
        help_texts = {"to_year": _("Empty: the first year only.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_year"].required = False
        for name in ("value", "high", "tolerance"):
            # "−5" and "–5" (a word processor's minus) are minus five, like everywhere else.
            self.fields[name].to_python = _minus_tolerant(self.fields[name].to_python)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("from_year") and not cleaned.get("to_year") and "to_year" not in self.errors:
            cleaned["to_year"] = cleaned["from_year"]
            self.instance.to_year = cleaned["from_year"]
        return cleaned


def _minus_tolerant(to_python):
    def read(value):
        if isinstance(value, str):
            for minus in MINUS_SIGNS:
                value = value.replace(minus, "-")
        return to_python(value)

    return read


class BaseTargetFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        super().clean()
        spans = [
            (
                form.cleaned_data["from_year"],
                form.cleaned_data.get("to_year") or form.cleaned_data["from_year"],
            )
            for form in self.forms
            if form.cleaned_data.get("from_year") and not form.cleaned_data.get("DELETE")
        ]
        messages = overlap_errors(spans)
        if messages:
            raise forms.ValidationError(messages)


TargetFormSet = forms.inlineformset_factory(
    Indicator, Target, form=TargetForm, formset=BaseTargetFormSet, extra=3, can_delete=True
)


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["title", "description", "owner", "responsible", "start_date", "end_date"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user, goal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = permissions.item_owners_for(user)
        self.fields["owner"].empty_label = None
        self.initial.setdefault("owner", goal.owner_id)
        self.helper = form_helper()


class PerspectiveForm(forms.ModelForm):
    class Meta:
        model = Perspective
        fields = ["name", "description", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class GoalLevelForm(forms.ModelForm):
    """A level of the styrmodell; its key is fixed once the level exists (goals store it)."""

    owner_kinds = forms.MultipleChoiceField(
        label=_("Who may own its goals"),
        choices=Organisation.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    parents = forms.ModelMultipleChoiceField(
        label=_("May be placed under"),
        queryset=GoalLevel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None: its goals are the top of the chain."),
    )

    class Meta:
        model = GoalLevel
        fields = ["key", "name", "plural", "position", "owner_kinds", "owner_within_parent", "is_headline"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        others = GoalLevel.objects.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            self.fields["key"].disabled = True
            self.initial["parents"] = list(self.instance.parents.values_list("pk", flat=True))
        self.fields["parents"].queryset = others
        self.helper = form_helper()


class AccessibilityReportForm(forms.Form):
    """A visitor's report of an accessibility problem, from the accessibility statement's page."""

    message = forms.CharField(
        label=_("What does not work, and on which page?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    reply_to = forms.CharField(
        label=_("Your e-mail address or telephone number, if you want an answer (optional)"),
        max_length=200,
        required=False,
    )
