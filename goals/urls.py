from django.urls import path

from . import views

app_name = "goals"
urlpatterns = [
    path("", views.home, name="home"),
    path("mal/", views.tree, name="tree"),
    path("mal/<int:pk>/", views.detail, name="detail"),
]
