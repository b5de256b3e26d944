"""URLs of the follow-up, under /uppfoljning/."""

from django.urls import path

from .views import (
    approvals,
    assessments,
    calendar,
    entry,
    exchange,
    indicators,
    kolada_differences,
    kolada_kpis,
    mywork,
    periods,
    scorecard,
)

app_name = "followup"
urlpatterns = [
    path("", periods.index, name="index"),
    path("perioder/ny/", periods.period_create, name="period_create"),
    path("att-godkanna/", approvals.approvals, name="approvals"),
    path("att-godkanna/<int:pk>/godkann/", approvals.approve, name="approvals_approve"),
    path("att-godkanna/<int:pk>/skicka-tillbaka/", approvals.send_back, name="approvals_return"),
    path("kalender/", calendar.scheme, name="calendar"),
    path("kalender/<int:pk>/", calendar.scheme_edit, name="calendar_edit"),
    path("kalender/skapa-perioder/", calendar.create_year, name="create_periods"),
    path("perioder/<int:pk>/", periods.period_detail, name="period"),
    path("perioder/<int:pk>/stang/", periods.period_close, name="period_close"),
    path("perioder/<int:pk>/oppna-igen/", periods.period_reopen, name="period_reopen"),
    path("perioder/<int:pk>/oversikt/", periods.overview, name="overview"),
    path("perioder/<int:pk>/org/<int:org_pk>/varden/", entry.values, name="values"),
    path("perioder/<int:pk>/org/<int:org_pk>/aktiviteter/", entry.activities, name="activities"),
    path("perioder/<int:pk>/org/<int:org_pk>/uppdrag/", entry.assignments, name="assignments"),
    path("perioder/<int:pk>/org/<int:org_pk>/bedomningar/", assessments.assessments, name="assessments"),
    path("perioder/<int:pk>/mal/<int:goal_pk>/", assessments.assessment, name="assessment"),
    path("perioder/<int:pk>/mal/<int:goal_pk>/godkann/", assessments.approve, name="assessment_approve"),
    path(
        "perioder/<int:pk>/mal/<int:goal_pk>/skicka-tillbaka/",
        assessments.send_back,
        name="assessment_return",
    ),
    path("styrkort/", scorecard.scorecard, name="scorecard"),
    path("perioder/<int:pk>/mal/<int:goal_pk>/kommentar/", assessments.comment, name="assessment_comment"),
    path("indikatorer/<int:pk>/", indicators.indicator, name="indicator"),
    # A person's own work: the calendar feed of their deadlines, and the log of sent e-mails.
    path("tidsfrister/<str:token>.ics", mywork.feed, name="feed"),
    path("tidsfrister/ny-adress/", mywork.feed_new, name="feed_new"),
    path("tidsfrister/ta-bort/", mywork.feed_revoke, name="feed_revoke"),
    path("skickade-e-brev/", mywork.sent_mail, name="sent_mail"),
    # Imports, exports and open data.
    path("filer/", exchange.index, name="files"),
    path("filer/kolada/", exchange.kolada_import, name="kolada_import"),
    path("filer/kolada/hamta/", exchange.kolada_fetch_start, name="kolada_fetch"),
    path("kolada/nyckeltal/mal/<int:goal_pk>/", kolada_kpis.for_new_indicator, name="kolada_kpi_search"),
    path(
        "kolada/nyckeltal/indikator/<int:indicator_pk>/",
        kolada_kpis.for_indicator,
        name="kolada_kpi_search_indicator",
    ),
    path("kolada/skillnader/", kolada_differences.kolada_differences, name="kolada_differences"),
    path("kolada/skillnader/<int:pk>/behall/", kolada_differences.keep, name="kolada_difference_keep"),
    path("kolada/skillnader/<int:pk>/ta/", kolada_differences.take, name="kolada_difference_take"),
    path("filer/uppfoljning/", exchange.follow_up_upload, name="follow_up_upload"),
    path(
        "filer/uppfoljning/mall-bedomningar.xlsx",
        exchange.follow_up_template,
        {"what": "judgements"},
        name="judgements_template",
    ),
    path(
        "filer/uppfoljning/mall-aktiviteter.xlsx",
        exchange.follow_up_template,
        {"what": "statuses"},
        name="statuses_template",
    ),
    path(
        "filer/<int:organisation_pk>/<int:period_pk>/mall.xlsx",
        exchange.values_template,
        name="values_template",
    ),
    path(
        "filer/<int:organisation_pk>/<int:period_pk>/uppladdning/",
        exchange.values_upload,
        name="values_upload",
    ),
    path(
        "filer/<int:organisation_pk>/<int:period_pk>/varden.xlsx",
        exchange.values_export,
        {"fmt": "xlsx"},
        name="export_xlsx",
    ),
    path(
        "filer/<int:organisation_pk>/<int:period_pk>/varden.csv",
        exchange.values_export,
        {"fmt": "csv"},
        name="export_csv",
    ),
    path("oppna-data/malkedja.json", exchange.opendata_json, name="opendata_json"),
    path("oppna-data/malkedja.csv", exchange.opendata_csv, name="opendata_csv"),
    path("oppna-data/malkedja-excel.csv", exchange.opendata_csv_excel, name="opendata_csv_excel"),
    path("oppna-data/dcat.jsonld", exchange.opendata_dcat, name="opendata_dcat"),
]
