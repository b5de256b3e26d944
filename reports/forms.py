"""The reports' forms: publishing (the council's decision it records) and the look (emblem and colour)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from goals.textinput import refuse_control_characters

from . import emblem
from .models import COLOUR, DECISION_MAX, BoardTitle


class PublishForm(forms.Form):
    decision = forms.CharField(
        label=_("The council's decision"),
        max_length=DECISION_MAX,
        validators=[refuse_control_characters],
        help_text=_(
            "As the minutes name it, e.g. “KF § 23 2027-04-26”. Printed on the cover and in the archive."
        ),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
        error_messages={"required": _("Give the council's decision that the report is published by.")},
    )


class LookForm(forms.Form):
    emblem = forms.FileField(
        label=_("Coat of arms or logo"),
        required=False,
        help_text=_("PNG or SVG, at most 1 MB. Shown on the cover of every report."),
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.svg,image/png,image/svg+xml"}),
    )
    remove_emblem = forms.BooleanField(label=_("Remove the emblem"), required=False)
    colour = forms.CharField(
        label=_("The municipality's colour"),
        max_length=7,
        validators=[COLOUR],
        help_text=_("Used for the cover and the headings, as #rrggbb."),
        widget=forms.TextInput(attrs={"type": "color"}),
    )

    board_title = forms.ChoiceField(
        label=_("Title of the board reports"),
        choices=BoardTitle.choices,
        required=False,  # left out: the title stays as it is
        help_text=_("What the boards call their report: the title before the year and the board's name."),
    )

    def clean_emblem(self):
        upload = self.cleaned_data.get("emblem")
        if not upload:
            return None
        try:
            return emblem.checked(upload)
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    def clean_colour(self):
        return self.cleaned_data["colour"].lower()
