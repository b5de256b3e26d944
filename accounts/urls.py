"""The users' pages, under /konto/: one's own page, users and roles, personal data."""

from django.urls import path

from .views import pages

app_name = "accounts"
urlpatterns = [
    path("mina-sidor/", pages.workspace, name="workspace"),
    path("anvandare/", pages.members, name="members"),
    path("anvandare/ny/", pages.user_create, name="user_create"),
    path("anvandare/<int:pk>/roller/", pages.user_roles, name="user_roles"),
    path("roller/<int:pk>/ta-bort/", pages.role_revoke, name="role_revoke"),
]
