"""The form of publishing a report: the council's decision it records."""

from django import forms
from django.utils.translation import gettext_lazy as _

from goals.textinput import refuse_control_characters

from .models import DECISION_MAX


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
