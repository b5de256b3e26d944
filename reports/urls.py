"""Report URLs under /rapporter/: the public archive, and the controllers' pages per period and run."""

from django.urls import path

from . import economy_views, views

app_name = "reports"
urlpatterns = [
    path("", views.published_list, name="published_list"),
    path("faststallda/<int:pk>.pdf", views.published_pdf, name="published_pdf"),
    path("perioder/", views.period_list, name="periods"),
    path("perioder/<int:period_pk>/", views.period_detail, name="period"),
    path("perioder/<int:period_pk>/samlad-bedomning/", economy_views.economy_summary, name="economy_summary"),
    path("perioder/<int:period_pk>/<slug:kind>/", views.preview, name="preview"),
    path("perioder/<int:period_pk>/<slug:kind>/excel/", views.xlsx, name="xlsx"),
    path("perioder/<int:period_pk>/<slug:kind>/word/", views.docx, name="docx"),
    path("perioder/<int:period_pk>/<slug:kind>/pdf/", views.generate, name="generate"),
    path("perioder/<int:period_pk>/<slug:kind>/faststall/", views.publish, name="publish"),
    path("utseende/", views.look, name="look"),
    path("korningar/<int:pk>/", views.run_detail, name="run"),
    path("korningar/<int:pk>/status/", views.run_status, name="run_status"),
    path("korningar/<int:pk>/pdf/", views.run_pdf, name="run_pdf"),
]
