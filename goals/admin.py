"""Django admin for the goal chain. Goal writes go through `goals.tree`, like every other path; goals,
indicators and activities are deleted, one by one or in bulk, by the same guarded services as on the web."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from mptt.admin import MPTTModelAdmin

from . import deletion, services, tree, treecache
from .forms import BaseTargetFormSet
from .models import Activity, Goal, Indicator, Organisation, Perspective, Target


class GuardedDeletionAdmin(admin.ModelAdmin):
    """Deletions, one by one or in bulk, through the kind's one guarded service, offered only when allowed."""

    delete_service = None  # staticmethod(the service)

    def has_delete_permission(self, request, obj=None):
        # The same rules as on the web: no deletion that would take closed follow-up data along.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not deletion.deletion_blockers(obj))

    def delete_model(self, request, obj):
        self.delete_service(obj)

    def delete_queryset(self, request, queryset):
        # Django's action has asked `has_delete_permission` of each object; the service asks again, under
        # its lock, and says what changed in between. (Its success message is Django's.)
        for obj in queryset:
            if not type(obj).objects.filter(pk=obj.pk).exists():  # went with an object deleted before it
                continue
            try:
                self.delete_service(obj)
            except deletion.DeletionRefused as refused:
                self.message_user(request, f"{obj}: {refused}", messages.ERROR)


class TreeCacheAdmin(admin.ModelAdmin):
    """Admin writes of what the goal tree shows (names, perspectives, indicator counts) renew its cache."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        treecache.changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        treecache.changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        treecache.changed()


@admin.register(Organisation)
class OrganisationAdmin(TreeCacheAdmin):
    list_display = ("code", "name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(Perspective)
class PerspectiveAdmin(TreeCacheAdmin):
    list_display = ("name", "position")


@admin.register(Goal)
class GoalAdmin(GuardedDeletionAdmin, MPTTModelAdmin):
    list_display = ("title", "level_kind", "owner", "decision")
    list_filter = ("level_kind", "owner", "perspectives")
    search_fields = ("title", "description", "decision")
    fields = (
        "parent",
        "position",
        "level_kind",
        "title",
        "key",
        "description",
        "owner",
        "decision",
        ("valid_from", "valid_to"),
        "perspectives",
    )
    filter_horizontal = ("perspectives",)
    readonly_fields = ("key",)
    list_select_related = ("owner",)
    delete_service = staticmethod(tree.delete_goal)

    def save_model(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in tree.EDITABLE_FIELDS}
        perspectives = form.cleaned_data.get("perspectives")
        if not change:
            created = tree.create_goal(
                parent=obj.parent,
                level_kind=obj.level_kind,
                index=obj.position,
                perspectives=perspectives,
                **fields,
            )
            # The admin goes on to save the many-to-many fields on `obj`: give it the created row's identity.
            obj.pk = created.pk
            obj._state.adding = False
            return
        if "parent" in form.changed_data or "position" in form.changed_data:
            tree.move_goal(obj, parent=obj.parent, index=obj.position)
        tree.update_goal(obj, perspectives=perspectives, **fields)

    def save_related(self, request, form, formsets, change):
        # The perspectives were saved by the tree service with the goal, in the same history row.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def get_actions(self, request):
        # django-mptt swaps in its own "delete selected", which deletes row by row outside the tree's lock
        # and past `delete_queryset`; Django's own action calls `delete_queryset`.
        return admin.ModelAdmin.get_actions(self, request)

    def delete_queryset(self, request, queryset):
        # Deleting an ancestor takes its descendants along: those are skipped when their turn comes.
        super().delete_queryset(request, queryset.order_by("tree_id", "lft"))


class TargetInline(admin.TabularInline):
    model = Target
    formset = BaseTargetFormSet  # spans of one indicator may not overlap, here either
    extra = 1


@admin.register(Indicator)
class IndicatorAdmin(GuardedDeletionAdmin, TreeCacheAdmin):
    list_display = ("name", "goal", "unit", "direction", "kolada_kpi", "owner")
    list_filter = ("owner", "direction", "gender_split")
    search_fields = ("name", "kolada_kpi")
    autocomplete_fields = ("goal",)
    readonly_fields = ("key",)
    inlines = [TargetInline]
    list_select_related = ("goal", "owner")
    delete_service = staticmethod(services.delete_indicator)


@admin.register(Activity)
class ActivityAdmin(GuardedDeletionAdmin):
    list_display = ("title", "goal", "owner", "responsible", "start_date", "end_date")
    list_filter = ("owner",)
    search_fields = ("title", "responsible")
    autocomplete_fields = ("goal",)
    list_select_related = ("goal", "owner")
    delete_service = staticmethod(services.delete_activity)


admin.site.site_header = _("Noramål administration")
admin.site.site_title = _("Noramål")
