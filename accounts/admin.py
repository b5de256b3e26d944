"""Django admin for users, their roles and the audit log.

Roles are granted, changed and revoked through the services, which record audit events; a user the records
name is deactivated or pseudonymised, never deleted."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from . import deletion, services
from .models import AuditEvent, Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Roles are granted, changed and revoked through the services, which record audit events."""

    list_display = ("user", "organisation", "role")
    list_filter = ("role", "organisation")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    list_select_related = ("user", "organisation")
    autocomplete_fields = ("user",)

    def save_model(self, request, obj, form, change):
        if change:
            services.change_membership(obj, by=request.user)
        else:
            created, _new = services.grant_role(obj.user, obj.organisation, obj.role, by=request.user)
            obj.pk = created.pk

    def delete_model(self, request, obj):
        services.revoke_role(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "organisation"):
            services.revoke_role(membership, by=request.user)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail is read, never written, here."""

    list_display = ("at", "action", "user", "summary")
    list_filter = ("action",)
    search_fields = ("summary", "object_id")
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class NoramalUserAdmin(UserAdmin):
    """A user the records name is deactivated, never deleted: the delete page and bulk action say so."""

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Shown instead of a confirmation, by the delete page and the bulk action alike (the rows the
        # protection lists are what the refusal counts).
        refusals = [
            deletion.refusal(user, blockers)
            for user in objs
            if (blockers := deletion.user_deletion_blockers(user))
        ]
        if refusals:
            return deleted, model_count, set(), refusals
        return deleted, model_count, perms_needed, protected
