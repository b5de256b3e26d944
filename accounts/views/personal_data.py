"""Personal data: what the app holds (administrators), one person's export (the person, administrators) and
removing a person by pseudonymisation (administrators, after a confirmation)."""

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from noramal.downloads import download_name

from .. import personal_data, roles

User = get_user_model()


@login_required
@require_safe
def overview(request):
    """What personal data the app holds, why, and how long."""
    roles.require_admin(request.user)
    context = {
        "kinds": personal_data.inventory(),
        "session_hours": round(settings.SESSION_COOKIE_AGE / 3600, 1),
        "login_log_days": settings.NORAMAL_LOGIN_LOG_DAYS,
        "audit_days": settings.NORAMAL_AUDIT_RETENTION_DAYS,
    }
    return render(request, "accounts/personal_data.html", context)


def _download(user):
    body = json.dumps(personal_data.export(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = download_name("personuppgifter", user.pk, extension="json")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


@login_required
@require_safe
def own_export(request):
    """The logged-in user's own data."""
    return _download(request.user)


@login_required
@require_safe
def user_export(request, pk):
    """One person's data, for an administrator answering a request for access."""
    roles.require_admin(request.user)
    return _download(get_object_or_404(User, pk=pk))


class ConfirmPseudonymisationForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Type the username to confirm"), max_length=150)

    def __init__(self, *args, member, **kwargs):
        self.member = member
        super().__init__(*args, **kwargs)

    def clean_username(self):
        typed = self.cleaned_data["username"].strip()
        if typed != self.member.get_username():
            raise forms.ValidationError(_("That is not the username. Nothing was changed."))
        return typed


@login_required
def user_pseudonymise(request, pk):
    """GET: what removing the person does, and the confirmation; POST with the typed username: do it."""
    roles.require_admin(request.user)
    member = get_object_or_404(User, pk=pk)
    form = ConfirmPseudonymisationForm(request.POST or None, member=member)
    refusal = None
    if personal_data.is_pseudonymised(member):
        refusal = _("%(user)s is already pseudonymised.") % {"user": member.get_username()}
    elif member.pk == request.user.pk:
        refusal = _("You cannot pseudonymise your own account.")
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            done = personal_data.pseudonymise(member, by=request.user)
        except personal_data.PseudonymisationRefused as refused:
            refusal = str(refused)
        else:
            messages.success(
                request,
                _("The user was pseudonymised as %(alias)s and can no longer log in.")
                % {"alias": done["alias"]},
            )
            return redirect("accounts:members")
    context = {
        "member": member,
        "form": form,
        "refusal": refusal,
        "activities": personal_data.activities_naming(member),
    }
    return render(request, "accounts/user_pseudonymise.html", context)
