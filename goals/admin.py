"""Django admin for the goal chain. Goal writes go through `goals.tree`, like every other path; goals,
indicators and activities are deleted, one by one or in bulk, by the same guarded services as on the web."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from mptt.admin import MPTTModelAdmin

from . import assignments, categories, deletion, services, tree, treecache
from .forms import AssignmentForm, BaseTargetFormSet, TargetForm
from .models import Activity, Assignment, Category, CategorySet, Goal, Indicator, Organisation, Target


class GuardedDeletionAdmin(admin.ModelAdmin):
    """Deletions, one by one or in bulk, through the kind's one guarded service, offered only when allowed."""

    delete_service = None  # staticmethod(the service)

    def has_delete_permission(self, request, obj=None):
        # The same rules as on the web: no deletion that would take closed follow-up data along.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not deletion.deletion_blockers(obj))

    def delete_one(self, request, obj):
        self.delete_service(obj)

    def delete_model(self, request, obj):
        self.delete_one(request, obj)

    def delete_queryset(self, request, queryset):
        # Django's action has asked `has_delete_permission` of each object; the service asks again, under
        # its lock, and says what changed in between. (Its success message is Django's.)
        for obj in queryset:
            if not type(obj).objects.filter(pk=obj.pk).exists():  # went with an object deleted before it
                continue
            try:
                self.delete_one(request, obj)
            except deletion.DeletionRefused as refused:
                self.message_user(request, f"{obj}: {refused}", messages.ERROR)


class TreeCacheAdmin(admin.ModelAdmin):
    """Admin writes of what the goal tree shows (names, indicator counts) renew its cache."""

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


class CategoryServiceAdmin(admin.ModelAdmin):
    """Sets and categories are saved and deleted by `goals.categories`, as on the web; a category in use
    is not offered for deletion (the service says why)."""

    save_service = delete_service = None  # staticmethod(the service)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not self.in_use(obj))

    def save_model(self, request, obj, form, change):
        self.save_service(obj, user=request.user)

    def delete_model(self, request, obj):
        self.delete_service(obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            try:
                self.delete_service(obj, user=request.user)
            except ValidationError as refused:
                self.message_user(request, f"{obj}: {' '.join(refused.messages)}", messages.ERROR)


class CategoryAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        category_set, name = cleaned.get("set"), cleaned.get("name")
        if category_set is not None and name:
            error = categories.name_error(category_set, name, exclude=self.instance)
            if error:
                self.add_error("name", error)
        return cleaned


@admin.register(CategorySet)
class CategorySetAdmin(CategoryServiceAdmin):
    list_display = ("name", "key", "position")
    save_service = staticmethod(categories.save_set)
    delete_service = staticmethod(categories.delete_set)

    @staticmethod
    def in_use(obj):
        return any(categories.usage(list(obj.categories.all())).values())


@admin.register(Category)
class CategoryAdmin(CategoryServiceAdmin):
    form = CategoryAdminForm
    list_display = ("name", "set", "valid_from", "valid_to", "position")
    list_filter = ("set",)
    search_fields = ("name",)
    list_select_related = ("set",)
    save_service = staticmethod(categories.save_category)
    delete_service = staticmethod(categories.delete_category)

    @staticmethod
    def in_use(obj):
        return bool(categories.usage([obj]).get(obj.pk))


class GoalAdminForm(forms.ModelForm):
    """The goal's categories as one list; the tree service writes them with the goal's history row."""

    chosen_categories = forms.ModelMultipleChoiceField(
        label=_("categories"),
        queryset=Category.objects.select_related("set").order_by("set__position", "set__name", "position"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = categories.categories_of(self.instance) if self.instance.pk else []
        self.fields["chosen_categories"].label_from_instance = lambda c: f"{c.set.name}: {c.name}"
        self.initial.setdefault("chosen_categories", [c.pk for c in self.current])

    def ordered_categories(self):
        """The kept categories in the goal's order, then the new ones."""
        chosen = {c.pk: c for c in self.cleaned_data.get("chosen_categories") or []}
        kept = [c for c in self.current if c.pk in chosen]
        return kept + [c for pk, c in chosen.items() if pk not in {k.pk for k in kept}]


@admin.register(Goal)
class GoalAdmin(GuardedDeletionAdmin, MPTTModelAdmin):
    list_display = ("title", "level_kind", "owner", "decision")
    form = GoalAdminForm
    list_filter = ("level_kind", "is_financial", "owner", "categories__set", "categories")
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
        "is_financial",
        "chosen_categories",
    )
    readonly_fields = ("key",)
    list_select_related = ("owner",)
    delete_service = staticmethod(tree.delete_goal)

    def save_model(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in tree.EDITABLE_FIELDS}
        chosen = form.ordered_categories()
        if not change:
            created = tree.create_goal(
                parent=obj.parent,
                level_kind=obj.level_kind,
                index=obj.position,
                categories=chosen,
                **fields,
            )
            # The admin goes on to save the many-to-many fields on `obj`: give it the created row's identity.
            obj.pk = created.pk
            obj._state.adding = False
            return
        if "parent" in form.changed_data or "position" in form.changed_data:
            tree.move_goal(obj, parent=obj.parent, index=obj.position)
        changed = [c.pk for c in chosen] != [c.pk for c in form.current]
        tree.update_goal(obj, categories=chosen if changed else None, **fields)

    def save_related(self, request, form, formsets, change):
        # The categories were saved by the tree service with the goal, in the same history row.
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
    form = TargetForm
    formset = BaseTargetFormSet  # spans may not overlap and closed years stay fixed, here too
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

    def save_formset(self, request, form, formset, change):
        if formset.model is Target:
            services.save_targets(formset, by=request.user)
        else:
            super().save_formset(request, form, formset, change)


@admin.register(Activity)
class ActivityAdmin(GuardedDeletionAdmin):
    list_display = ("title", "goal", "owner", "responsible", "start_date", "end_date")
    list_filter = ("owner",)
    search_fields = ("title", "responsible")
    autocomplete_fields = ("goal",)
    list_select_related = ("goal", "owner")
    delete_service = staticmethod(services.delete_activity)


@admin.register(Assignment)
class AssignmentAdmin(GuardedDeletionAdmin):
    """The council's assignments, written and deleted through `goals.assignments` as on the web."""

    list_display = ("title", "owner", "decision", "due_date", "goal")
    list_filter = ("owner",)
    search_fields = ("title", "decision")
    autocomplete_fields = ("goal",)
    list_select_related = ("goal", "owner")
    form = AssignmentForm  # the pages' form: the same owners, the same rule
    fields = ("title", "description", "decision", "owner", "due_date", "goal")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and assignments.can_edit_assignments(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and assignments.can_edit_assignments(request.user)

    def save_model(self, request, obj, form, change):
        assignments.save_assignment(obj, by=request.user)

    def delete_one(self, request, obj):
        assignments.delete_assignment(obj, by=request.user)


admin.site.site_header = _("Noramål administration")
admin.site.site_title = _("Noramål")
