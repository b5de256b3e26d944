"""Public URLs of the goal chain."""

from django.urls import path

from . import (
    assignment_views,
    category_views,
    edit_views,
    history_views,
    mandate_views,
    revision_views,
    styrmodell_views,
    views,
)

app_name = "goals"
urlpatterns = [
    path("", views.home, name="home"),
    path("mal/", views.tree, name="tree"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("sok/", views.search, name="search"),
    path("mal/<int:pk>/", views.detail, name="detail"),
    path("mal/revidera/", revision_views.revise, name="revise"),
    path("mal/ny-period/", mandate_views.new_period, name="new_period"),
    # Writing the chain and its history (who may: goals.permissions; users and roles: the accounts app).
    path("mal/<int:pk>/nytt-delmal/", edit_views.goal_create, name="goal_create"),
    path("mal/<int:pk>/redigera/", edit_views.goal_edit, name="goal_edit"),
    path("mal/<int:pk>/flytta/", edit_views.goal_move, name="goal_move"),
    path("mal/<int:pk>/ta-bort/", edit_views.goal_delete, name="goal_delete"),
    path("mal/<int:pk>/historik/", history_views.goal_history, name="goal_history"),
    path("mal/<int:pk>/ny-indikator/", edit_views.indicator_create, name="indicator_create"),
    path("mal/<int:pk>/ny-aktivitet/", edit_views.activity_create, name="activity_create"),
    path("indikatorer/<int:pk>/redigera/", edit_views.indicator_edit, name="indicator_edit"),
    path("indikatorer/<int:pk>/ta-bort/", edit_views.indicator_delete, name="indicator_delete"),
    path("indikatorer/<int:pk>/historik/", history_views.indicator_history, name="indicator_history"),
    path("aktiviteter/<int:pk>/redigera/", edit_views.activity_edit, name="activity_edit"),
    path("aktiviteter/<int:pk>/ta-bort/", edit_views.activity_delete, name="activity_delete"),
    path("kategorier/", category_views.category_sets, name="categories"),
    path("kategorier/ny-grupp/", category_views.set_create, name="category_set_create"),
    path("kategorier/installera/<slug:key>/", category_views.set_install, name="category_set_install"),
    path("kategorier/<int:pk>/redigera/", category_views.set_edit, name="category_set_edit"),
    path("kategorier/<int:pk>/ta-bort/", category_views.set_delete, name="category_set_delete"),
    path("kategorier/<int:pk>/ny-kategori/", category_views.category_create, name="category_create"),
    path("kategori/<int:pk>/redigera/", category_views.category_edit, name="category_edit"),
    path("kategori/<int:pk>/flytta/", category_views.category_move, name="category_move"),
    path("kategori/<int:pk>/ta-bort/", category_views.category_delete, name="category_delete"),
    path(
        "mal/<int:pk>/nytt-uppdrag/", assignment_views.goal_assignment_create, name="goal_assignment_create"
    ),
    path("uppdrag/", assignment_views.assignment_list, name="assignments"),
    path("uppdrag/nytt/", assignment_views.assignment_create, name="assignment_create"),
    path("uppdrag/<int:pk>/redigera/", assignment_views.assignment_edit, name="assignment_edit"),
    path("uppdrag/<int:pk>/ta-bort/", assignment_views.assignment_delete, name="assignment_delete"),
    path("styrmodell/", styrmodell_views.levels, name="styrmodell"),
    path("styrmodell/ny-niva/", styrmodell_views.level_create, name="level_create"),
    path("styrmodell/<int:pk>/redigera/", styrmodell_views.level_edit, name="level_edit"),
    path("styrmodell/<int:pk>/ta-bort/", styrmodell_views.level_delete, name="level_delete"),
]
