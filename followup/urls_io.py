"""URLs of the imports, exports and open data; included under "uppfoljning/" by noramal/urls.py."""

from django.urls import path

from . import views_io

app_name = "followup_io"
urlpatterns = [
    path("filer/", views_io.index, name="index"),
    path("filer/kolada/", views_io.kolada_import, name="kolada"),
    path("filer/<int:organisation_pk>/<int:period_pk>/mall.xlsx", views_io.values_template, name="template"),
    path("filer/<int:organisation_pk>/<int:period_pk>/uppladdning/", views_io.values_upload, name="upload"),
    path(
        "filer/<int:organisation_pk>/<int:period_pk>/varden.xlsx",
        views_io.values_export,
        {"fmt": "xlsx"},
        name="export_xlsx",
    ),
    path(
        "filer/<int:organisation_pk>/<int:period_pk>/varden.csv",
        views_io.values_export,
        {"fmt": "csv"},
        name="export_csv",
    ),
    path("oppna-data/malkedja.json", views_io.opendata_json, name="opendata_json"),
    path("oppna-data/malkedja.csv", views_io.opendata_csv, name="opendata_csv"),
]
