"""The form of the reports' look: the emblem for the cover and the municipality's colour."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import emblem
from .models import COLOUR


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
