"""Forms of the users' pages: a new login, a role to grant, the password change."""

from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from goals.forms import form_helper
from goals.models import Organisation

from .models import Membership


class GrantRoleForm(forms.Form):
    """Give a user a role in an organisation."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.all())
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class UserCreateForm(BaseUserCreationForm):
    """A new login: username, name, e-mail and a first password the user changes later."""

    class Meta(BaseUserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Checks the old password through authenticate(), so that django-axes counts a wrong one as a failure."""

    def __init__(self, user, *args, request, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        # A locked account is refused here whatever the password; the axes middleware shows the lockout page.
        checked = authenticate(self.request, username=self.user.get_username(), password=old_password)
        if checked is None or checked.pk != self.user.pk:
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password
