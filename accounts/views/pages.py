"""A logged-in user's own page, their password, and the administrators' pages for users and their roles."""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from goals import permissions
from goals.chain import styrmodell
from goals.models import Assignment, CategorySet

from .. import roles, services
from ..forms import GrantRoleForm, PasswordChangeForm, UserCreateForm
from ..models import MailPreference, Membership, set_mail_frequency

User = get_user_model()


@login_required
@require_safe
def workspace(request):
    """What the user may do: roles, goals to edit, where to add a board goal, the controllers' lists."""
    user = request.user
    memberships = list(Membership.objects.filter(user=user).select_related("organisation"))
    editable = permissions.goals_for(user, write=True).select_related("owner").order_by("tree_id", "lft")
    if permissions.is_controller(user):
        # A controller may write every goal; the page lists the council's part, the tree page the rest.
        editable = editable.filter(level_kind__in=permissions.council_levels())
    context = {
        "memberships": memberships,
        "editable_goals": list(editable) if permissions.can_write(user) else [],
        "council_goals": _council_parents(user),
        "category_sets": list(CategorySet.objects.all()) if permissions.can_edit_categories(user) else [],
        "can_edit_categories": permissions.can_edit_categories(user),
        "can_manage_users": roles.can_manage_users(user),
        "can_edit_assignments": permissions.can_edit_assignments(user),
        "assignments": _own_assignments(user),
        # The parts the apps above add (the follow-up's tasks): (template, its data), wired in settings.
        "sections": [import_string(path)(request) for path in settings.WORKSPACE_SECTIONS],
    }
    return render(request, "accounts/workspace.html", context)


@login_required
@require_POST
def mail_preference(request):
    """The user's choice of reminder e-mails: at each reminder, weekly or none."""
    frequency = request.POST.get("frequency", "")
    if frequency not in MailPreference.Frequency.values:
        messages.error(request, _("Choose how often you want reminders."))
    else:
        set_mail_frequency(request.user, frequency)
        messages.success(request, _("Your choice of reminders was saved."))
    return redirect("accounts:workspace")


def _own_assignments(user):
    """The council's assignments to the organisations the user is an editor of (a controller: none listed
    here, the assignments page has them all)."""
    if permissions.is_controller(user) or not permissions.is_editor(user):
        return []
    own = permissions.editable_organisation_ids(user)
    rows = Assignment.objects.filter(owner_id__in=own).select_related("owner", "goal")
    return list(rows.order_by("due_date", "position", "pk"))


def _council_parents(user):
    """The council's goals under which the boards place goals of their own, with those levels' names."""
    model = styrmodell()
    keys = [
        key
        for key in model.council_keys()
        if any(not rule.decided_by_council for rule in model.children_of(key))
    ]
    goals = permissions.parents_for(user).filter(level_kind__in=keys).order_by("tree_id", "lft")
    for goal in goals:
        below = [rule for rule in model.children_of(goal.level_kind_id) if not rule.decided_by_council]
        goal.child_level_names = ", ".join(rule.name for rule in below)
    return list(goals)


@login_required
@require_safe
def members(request):
    """Every user with their roles."""
    roles.require_admin(request.user)
    held = Prefetch("memberships", queryset=Membership.objects.select_related("organisation"))
    users = User.objects.order_by("username").prefetch_related(held)
    return render(request, "accounts/members.html", {"users": users})


@login_required
def user_create(request):
    """Create a login; its roles are given on the next page."""
    roles.require_admin(request.user)
    form = UserCreateForm(request.POST or None)
    if form.is_valid():
        user = services.create_user(form, by=request.user)
        messages.success(request, _("The user %(name)s was created.") % {"name": user.get_username()})
        return redirect("accounts:user_roles", user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_roles(request, pk):
    """One user's roles, and a form that grants another."""
    roles.require_admin(request.user)
    member = get_object_or_404(User, pk=pk)
    form = GrantRoleForm(request.POST or None)
    if form.is_valid():
        _membership, created = services.grant_role(
            member, form.cleaned_data["organisation"], form.cleaned_data["role"], by=request.user
        )
        messages.success(
            request, _("The role was granted.") if created else _("The user already has that role.")
        )
        return redirect("accounts:user_roles", member.pk)
    memberships = list(member.memberships.select_related("organisation"))
    return render(
        request, "accounts/user_roles.html", {"member": member, "memberships": memberships, "form": form}
    )


@login_required
@require_POST
def role_revoke(request, pk):
    """Take one role away from a user."""
    roles.require_admin(request.user)
    membership = get_object_or_404(Membership.objects.select_related("user", "organisation"), pk=pk)
    services.revoke_role(membership, by=request.user)
    messages.success(request, _("The role was revoked."))
    return redirect("accounts:user_roles", membership.user_id)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing one's password asks for the old one: guessing it counts towards the lockout, as at login."""

    form_class = PasswordChangeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            credentials = {"username": request.user.get_username()}
            if AxesProxyHandler.is_locked(request, credentials):
                return get_lockout_response(request, credentials=credentials)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
