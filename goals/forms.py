"""Forms for writing the goal chain; their choices come from `permissions`: only what the user may use."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from . import categories as category_service
from . import permissions
from .assignments import assignment_errors
from .chain import styrmodell
from .models import (
    Activity,
    Assignment,
    Category,
    CategorySet,
    Goal,
    GoalLevel,
    Indicator,
    Organisation,
    Target,
)
from .numbers import MINUS_SIGNS
from .targets import formset_target_errors, overlap_errors
from .textinput import COMMENT_MAX
from .validity import FIRST_YEAR, LAST_YEAR


def form_helper():
    """Crispy renders the fields; the page's own <form> element holds them with the formset and buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class CategoryChoices:
    """One group of check boxes per category set; the chosen categories keep the object's own order."""

    def add_category_fields(self):
        sets = list(CategorySet.objects.prefetch_related("categories"))
        current = category_service.categories_of(self.instance) if self.instance.pk else []
        self.current_categories = current
        self.category_field_names = {}
        chosen = {c.pk for c in current}
        for category_set in sets:
            name = f"categories_{category_set.pk}"
            choices = [(str(c.pk), _category_label(c)) for c in category_set.categories.all()]
            if not choices:
                continue
            self.fields[name] = forms.MultipleChoiceField(
                label=category_set.name,
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.initial.setdefault(
                name, [str(c.pk) for c in category_set.categories.all() if c.pk in chosen]
            )
            self.category_field_names[name] = category_set

    def chosen_categories(self):
        """The chosen categories: those kept in the object's order, then the new ones in the sets' order."""
        ids = []
        for name in self.category_field_names:
            chosen = set(self.cleaned_data.get(name) or [])
            ids.extend(int(value) for value, _label in self.fields[name].choices if value in chosen)
        rows = {c.pk: c for c in Category.objects.filter(pk__in=ids).select_related("set")}
        kept = [c for c in self.current_categories if c.pk in rows]
        kept_ids = {c.pk for c in kept}
        return kept + [rows[pk] for pk in ids if pk not in kept_ids and pk in rows]

    def categories_changed(self):
        return [c.pk for c in self.chosen_categories()] != [c.pk for c in self.current_categories]


def _category_label(category):
    if category.valid_to is not None:
        return _("%(name)s (until %(year)s)") % {"name": category.name, "year": category.valid_to}
    return category.name


class GoalForm(CategoryChoices, forms.ModelForm):
    """A goal's own fields and its categories. Its level follows from its parent (a choice where the
    styrmodell allows several)."""

    class Meta:
        model = Goal
        fields = ["title", "description", "owner", "decision", "valid_from", "valid_to", "is_financial"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 8}),
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
        if not any(rule.decided_by_council for rule in self.levels):
            del self.fields["is_financial"]  # only the council decides financial goals
        self.add_category_fields()
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
        changed = self.instance.pk is None or self.categories_changed()
        data["categories"] = self.chosen_categories() if changed else None
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


class IndicatorForm(CategoryChoices, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "name", "description", "unit", "direction", "decimals", "gender_split", "allow_negative",
            "allow_above_100", "valid_from", "valid_to", "kolada_kpi", "kolada_municipality_type",
            "kolada_scale", "owner",
        ]  # fmt: skip
        localized_fields = ["kolada_scale"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user, goal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = permissions.item_owners_for(user)
        self.fields["owner"].empty_label = None
        self.initial.setdefault("owner", goal.owner_id)
        self.fields["kolada_scale"].required = False  # empty: Kolada's own scale (1)
        self.add_category_fields()
        self.helper = form_helper()

    def clean_kolada_scale(self):
        scale = self.cleaned_data.get("kolada_scale")
        return Decimal(1) if scale is None else scale


PREFILLED = ("kolada_kpi", "name", "description", "unit", "gender_split", "kolada_municipality_type")


def indicator_prefill(query):
    """Initial values for the indicator form from a link's query (a KPI chosen in the Kolada search).

    Each value is checked as if typed; returns the values that pass and the labels of those that do not.
    """
    given = {name: query[name] for name in PREFILLED if name in query}
    if not given:
        return {}, []
    form = forms.modelform_factory(Indicator, fields=PREFILLED)(given)
    form.is_valid()
    initial = {name: form.cleaned_data[name] for name in given if name in form.cleaned_data}
    rejected = [str(form.fields[name].label) for name in given if name not in initial]
    return initial, rejected


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
            "change_reason",
            "change_decision",
        ]
        # Swedish decimal commas ("92,5") are read as well as points.
        localized_fields = ["value", "high", "tolerance"]
        widgets = {
            "from_year": forms.NumberInput(
                attrs={"class": "form-control", "min": FIRST_YEAR, "max": LAST_YEAR}
            ),
            "to_year": forms.NumberInput(
                attrs={"class": "form-control", "min": FIRST_YEAR, "max": LAST_YEAR}
            ),
            "comparison": forms.Select(attrs={"class": "form-select"}),
            "value": forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}),
            "high": forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}),
            "exclusive": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "tolerance": forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}),
            "tolerance_unit": forms.Select(attrs={"class": "form-select"}),
            "change_reason": forms.Textarea(attrs={"class": "form-control", "rows": 2}),
            "change_decision": forms.TextInput(attrs={"class": "form-control"}),
        }
        help_texts = {"to_year": _("Empty: the first year only.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_year"].required = False
        # Each change states its own reason: the last one's is in the history, not carried into the next.
        self.initial["change_reason"] = self.initial["change_decision"] = ""
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
        # A deleted row's errors would go unseen on the row (a formset skips deleted forms): they are the
        # formset's own.
        refused = []
        for form, field, message in formset_target_errors(self):
            if self._should_delete_form(form):
                refused.append(message)
            else:
                form.add_error(field, message)
        if refused:
            raise forms.ValidationError(refused)


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


class AssignmentForm(forms.ModelForm):
    """A council assignment: to whom, decided when, due when, and on which goal if any."""

    class Meta:
        model = Assignment
        fields = ["title", "description", "decision", "owner", "due_date", "goal"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organisation.objects.exclude(kind=Organisation.Kind.COUNCIL)
        self.fields["goal"].queryset = Goal.objects.in_tree_order().select_related("owner")
        self.fields["goal"].label_from_instance = lambda g: f"{g.level_name}: {g.title} ({g.owner.code})"
        self.fields["goal"].empty_label = _("No goal")
        self.helper = form_helper()

    def _post_clean(self):
        super()._post_clean()
        for name, message in assignment_errors(self.instance).items():
            self.add_error(name if name in self.fields else None, message)


class CategorySetForm(forms.ModelForm):
    """A category set's key (fixed once it exists: files name it) and name."""

    class Meta:
        model = CategorySet
        fields = ["key", "name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["key"]
        self.helper = form_helper()

    def clean_name(self):
        return self.cleaned_data["name"].strip()


class CategoryForm(forms.ModelForm):
    """A category of one set; its name is trimmed and unique in the set, ignoring case."""

    class Meta:
        model = Category
        fields = ["name", "description", "valid_from", "valid_to"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        error = category_service.name_error(self.instance.set, name, exclude=self.instance)
        if error:
            raise forms.ValidationError(error)
        return name


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


class _GoalFileChangeForm(forms.Form):
    """What a change of the goal chain from a goal file asks besides the file: the reason and the decision
    behind it; a file larger than the goal file's limit is refused before it is read."""

    reason = forms.CharField(
        label=_("Reason"), max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    decision = forms.CharField(
        label=_("Decision"),
        max_length=200,
        help_text=_('The decision reference, e.g. "KF § 112 2026-11-23".'),
    )

    def clean_file(self):
        from .goalfile import MAX_BYTES, too_large_message

        upload = self.cleaned_data["file"]
        if upload and upload.size > MAX_BYTES:  # refused before it is read
            raise forms.ValidationError(too_large_message(upload.size))
        return upload


class RevisionForm(_GoalFileChangeForm):
    """A revised goal file with the year it holds from, the reason and the decision behind it."""

    field_order = ["file", "from_year", "reason", "decision"]

    file = forms.FileField(label=_("Goal file (JSON)"))
    from_year = forms.IntegerField(
        label=_("Valid from (year)"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=_("Goals the file leaves out end the year before."),
    )


class MandateForm(_GoalFileChangeForm):
    """A new mandate period or budget year: its years, an optional revised goal file, what happens to the
    targets, and the reason and decision behind it (goals.mandate)."""

    field_order = ["first_year", "last_year", "file", "targets", "reason", "decision"]

    first_year = forms.IntegerField(label=_("First year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    last_year = forms.IntegerField(
        label=_("Last year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=_("The same as the first year for a budget year."),
    )
    file = forms.FileField(
        label=_("Revised goal file (JSON, optional)"),
        required=False,
        help_text=_("New and changed goals; goals the file leaves out end with the old period."),
    )
    targets = forms.ChoiceField(
        label=_("Targets of the continuing indicators"),
        widget=forms.RadioSelect,
        initial="carry",
        choices=[
            ("carry", _("Carry the latest target forward into the new years")),
            ("new", _("Set new targets (from the file, or afterwards on each indicator)")),
        ],
    )

    def clean(self):
        data = super().clean()
        first, last = data.get("first_year"), data.get("last_year")
        if first is not None and last is not None and last < first:
            self.add_error("last_year", _("The last year of the new period comes before its first."))
        return data
