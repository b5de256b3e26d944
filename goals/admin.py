"""Django admin for the goal chain. Goal writes go through `goals.tree`, like every other path."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from mptt.admin import MPTTModelAdmin

from . import tree
from .models import Activity, Goal, Indicator, Organisation, Perspective, Target


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(Perspective)
class PerspectiveAdmin(admin.ModelAdmin):
    list_display = ("name", "position")


@admin.register(Goal)
class GoalAdmin(MPTTModelAdmin):
    list_display = ("title", "level_kind", "owner", "decision")
    list_filter = ("level_kind", "owner", "perspectives")
    search_fields = ("title", "description", "decision")
    fields = (
        "parent",
        "position",
        "level_kind",
        "title",
        "description",
        "owner",
        "decision",
        ("valid_from", "valid_to"),
        "perspectives",
    )
    filter_horizontal = ("perspectives",)
    list_select_related = ("owner",)

    def save_model(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in tree.EDITABLE_FIELDS}
        if not change:
            created = tree.create_goal(
                parent=obj.parent, level_kind=obj.level_kind, index=obj.position, **fields
            )
            # The admin goes on to save the many-to-many fields on `obj`: give it the created row's identity.
            obj.pk = created.pk
            obj._state.adding = False
            return
        if "parent" in form.changed_data or "position" in form.changed_data:
            tree.move_goal(obj, parent=obj.parent, index=obj.position)
        tree.update_goal(obj, **fields)

    def delete_model(self, request, obj):
        tree.delete_goal(obj)

    def delete_queryset(self, request, queryset):
        deleted = 0
        # Deepest first is not needed: deleting an ancestor takes its descendants along, so skip those.
        for goal in queryset.order_by("tree_id", "lft"):
            if Goal.objects.filter(pk=goal.pk).exists():
                deleted += tree.delete_goal(goal)
        self.message_user(
            request,
            ngettext("%(n)d goal deleted.", "%(n)d goals deleted.", deleted) % {"n": deleted},
            messages.SUCCESS,
        )


class TargetInline(admin.TabularInline):
    model = Target
    extra = 1


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("name", "goal", "unit", "direction", "kolada_kpi", "owner")
    list_filter = ("owner", "direction", "gender_split")
    search_fields = ("name", "kolada_kpi")
    autocomplete_fields = ("goal",)
    inlines = [TargetInline]
    list_select_related = ("goal", "owner")


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("title", "goal", "owner", "responsible", "start_date", "end_date")
    list_filter = ("owner",)
    search_fields = ("title", "responsible")
    autocomplete_fields = ("goal",)
    list_select_related = ("goal", "owner")


admin.site.site_header = _("Noramål administration")
admin.site.site_title = _("Noramål")
