"""The controllers' pages for the category sets and their categories."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from . import categories, permissions
from .forms import CategoryForm, CategorySetForm
from .models import Category, CategorySet


@login_required
@require_safe
def category_sets(request):
    """Every set with its categories in order, how many goals and indicators carry each, and what to do."""
    permissions.require_controller(request.user)
    sets = list(CategorySet.objects.prefetch_related("categories"))
    counts = categories.usage([c for s in sets for c in s.categories.all()])
    for category_set in sets:
        category_set.rows = list(category_set.categories.all())
        for category in category_set.rows:
            category.use_count = counts.get(category.pk, 0)
    installed = {s.key for s in sets}
    shipped = [key for key in categories.SHIPPED_SETS if key not in installed]
    return render(request, "goals/category_sets.html", {"sets": sets, "shipped": shipped})


@login_required
def set_create(request):
    permissions.require_controller(request.user)
    return _set_page(request, CategorySet(), _("New category set"))


@login_required
def set_edit(request, pk):
    permissions.require_controller(request.user)
    category_set = get_object_or_404(CategorySet, pk=pk)
    return _set_page(
        request, category_set, _('Edit the category set "%(name)s"') % {"name": category_set.name}
    )


def _set_page(request, category_set, heading):
    form = CategorySetForm(request.POST or None, instance=category_set)
    if form.is_valid():
        categories.save_set(form.save(commit=False), user=request.user)
        messages.success(request, _("The category set was saved."))
        return redirect("goals:categories")
    return render(
        request,
        "goals/edit_form.html",
        {"heading": heading, "form": form, "back_url": reverse("goals:categories")},
    )


@login_required
def set_delete(request, pk):
    permissions.require_controller(request.user)
    category_set = get_object_or_404(CategorySet, pk=pk)
    return _delete_page(request, category_set, categories.delete_set)


@login_required
def category_create(request, pk):
    permissions.require_controller(request.user)
    category_set = get_object_or_404(CategorySet, pk=pk)
    heading = _('New category in "%(set)s"') % {"set": category_set.name}
    return _category_page(request, Category(set=category_set), heading)


@login_required
def category_edit(request, pk):
    permissions.require_controller(request.user)
    category = get_object_or_404(Category.objects.select_related("set"), pk=pk)
    heading = _('Edit the category "%(name)s"') % {"name": category.name}
    return _category_page(request, category, heading)


def _category_page(request, category, heading):
    form = CategoryForm(request.POST or None, instance=category)
    if form.is_valid():
        try:
            categories.save_category(form.save(commit=False), user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The category was saved."))
            return redirect("goals:categories")
    return render(
        request,
        "goals/edit_form.html",
        {"heading": heading, "form": form, "back_url": reverse("goals:categories")},
    )


@login_required
@require_POST
def category_move(request, pk):
    permissions.require_controller(request.user)
    category = get_object_or_404(Category, pk=pk)
    categories.move_category(category, -1 if request.POST.get("direction") == "up" else 1, user=request.user)
    return redirect("goals:categories")


@login_required
def category_delete(request, pk):
    permissions.require_controller(request.user)
    category = get_object_or_404(Category.objects.select_related("set"), pk=pk)
    return _delete_page(request, category, categories.delete_category)


def _delete_page(request, obj, delete):
    errors = []
    if request.method == "POST":
        try:
            delete(obj, user=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _('"%(name)s" was deleted.') % {"name": obj.name})
            return redirect("goals:categories")
    return render(request, "goals/category_delete.html", {"object": obj, "errors": errors})


@login_required
@require_POST
def set_install(request, key):
    """Install a set shipped with the app (Agenda 2030's global goals); again, it changes nothing."""
    permissions.require_controller(request.user)
    try:
        data = categories.shipped_set_data(key)
    except ValidationError:
        return redirect("goals:categories")
    categories.install_sets([data], user=request.user)
    messages.success(request, _('The category set "%(name)s" is installed.') % {"name": data["name"]})
    return redirect("goals:categories")
