"""The users' pages, under /konto/: one's own page, users and roles, personal data."""

from django.urls import path

from .views import pages, personal_data

app_name = "accounts"
urlpatterns = [
    path("mina-sidor/", pages.workspace, name="workspace"),
    path("mina-sidor/paminnelser/", pages.mail_preference, name="mail_preference"),
    path("anvandare/", pages.members, name="members"),
    path("anvandare/ny/", pages.user_create, name="user_create"),
    path("anvandare/<int:pk>/roller/", pages.user_roles, name="user_roles"),
    path("roller/<int:pk>/ta-bort/", pages.role_revoke, name="role_revoke"),
    path("personuppgifter/", personal_data.overview, name="personal_data"),
    path("mina-sidor/mina-uppgifter.json", personal_data.own_export, name="own_export"),
    path("anvandare/<int:pk>/uppgifter.json", personal_data.user_export, name="user_export"),
    path("anvandare/<int:pk>/pseudonymisera/", personal_data.user_pseudonymise, name="user_pseudonymise"),
]
