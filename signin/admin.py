"""Administrators keep the group → role mapping in the admin; sign-ins re-apply it."""

from django.contrib import admin

from .models import GroupRoleMapping, ManagedMembership


@admin.register(GroupRoleMapping)
class GroupRoleMappingAdmin(admin.ModelAdmin):
    list_display = ["group", "organisation", "role"]
    list_filter = ["role", "organisation"]
    search_fields = ["group"]
    autocomplete_fields = []
    list_select_related = ["organisation"]


@admin.register(ManagedMembership)
class ManagedMembershipAdmin(admin.ModelAdmin):
    """Read-only: which memberships came from groups (they change at the user's next sign-in)."""

    list_display = ["membership", "since"]
    list_select_related = ["membership__user", "membership__organisation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
