"""Upload and download pages: Kolada and spreadsheet imports, value exports and open data."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import record_event
from goals.models import Organisation
from goals.permissions import is_controller
from noramal.downloads import download_name

from .. import dcat, followup_files, kolada, kolada_fetch, opendata, spreadsheet
from ..models import KoladaDifference, KoladaFetch, ReportingPeriod
from ..permissions import (
    follow_up_organisation_ids,
    organisation_for_write,
    require_controller,
    require_reader,
)
from ..services import PeriodClosedError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))
    dry_run = forms.BooleanField(label=gettext_lazy("Only check the file, save nothing"), required=False)

    def __init__(self, *args, max_bytes, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            megabytes = self.max_bytes // (1024 * 1024)
            raise forms.ValidationError(_("The file is larger than %(size)d MB.") % {"size": megabytes})
        return upload


def _download(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


@login_required
@require_GET
def index(request):
    """Choose an organisation and a period to download or upload its values; Kolada and open data links."""
    require_reader(request.user)
    organisations = list(Organisation.objects.filter(indicators__isnull=False).distinct())
    periods = sorted(ReportingPeriod.objects.all(), key=lambda p: p.sort_key, reverse=True)
    chosen_organisation = _chosen(request.GET.get("organisation"), organisations)
    chosen_period = _chosen(request.GET.get("period"), periods)
    writable = follow_up_organisation_ids(request.user)
    return render(
        request,
        "followup/io/index.html",
        {
            "organisations": organisations,
            "periods": periods,
            "organisation": chosen_organisation,
            "period": chosen_period,
            "can_upload": bool(
                chosen_organisation
                and chosen_period
                and chosen_period.is_open
                and chosen_organisation.pk in writable
            ),
            "can_import_kolada": is_controller(request.user),
        },
    )


def _chosen(value, objects):
    value = (value or "").strip()
    return next((o for o in objects if value.isdigit() and o.pk == int(value)), None)


# The report of an import survives the redirect after it here, and is shown once.
REPORT_KEY = "followup.kolada_report"


def _after_import(request, report):
    """A dry run shows its report at once; a real import redirects (POST/redirect/GET) to show it."""
    if report.dry_run:
        return None
    request.session[REPORT_KEY] = report.for_page()
    return redirect(request.path)


@login_required
@require_http_methods(["GET", "POST"])
def kolada_import(request):
    """Controllers upload a Kolada API response (v2 or v3) into the annual periods."""
    require_controller(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, max_bytes=kolada.MAX_BYTES)
    report = request.session.pop(REPORT_KEY, None) if request.method == "GET" else None
    if form.is_valid():
        try:
            upload = form.cleaned_data["file"]
            imported = kolada.import_file(
                upload.read(), user=request.user, dry_run=form.cleaned_data["dry_run"], name=upload.name
            )
        except kolada.KoladaError as error:
            form.add_error("file", str(error))
        else:
            report = imported.for_page()
            done = _after_import(request, imported)
            if done:
                return done
    fetches = list(KoladaFetch.objects.select_related("requested_by")[:5])
    context = {
        "form": form,
        "report": report,
        "municipality_id": settings.MUNICIPALITY_ID,
        "kolada_url": settings.KOLADA_URL,
        "fetches": fetches,
        "fetching": any(f.is_unfinished and not f.is_planned for f in fetches),
        "open_differences": KoladaDifference.objects.open().count(),
    }
    return render(request, "followup/io/kolada_import.html", context)


@login_required
@require_http_methods(["POST"])
def kolada_fetch_start(request):
    """Controllers ask the worker to fetch every Kolada-linked indicator's values from Kolada's API."""
    require_controller(request.user)
    kolada_fetch.start_fetch(user=request.user, dry_run=request.POST.get("dry_run") == "on")
    return redirect("followup:kolada_import")


@login_required
@require_http_methods(["GET", "POST"])
def values_upload(request, organisation_pk, period_pk):
    """An organisation's editors and the controllers upload a filled-in template (.xlsx or CSV)."""
    organisation = organisation_for_write(request.user, organisation_pk)
    period = get_object_or_404(ReportingPeriod.objects.open(), pk=period_pk)
    form = UploadForm(request.POST or None, request.FILES or None, max_bytes=spreadsheet.MAX_BYTES)
    report = request.session.pop(REPORT_KEY, None) if request.method == "GET" else None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imported = spreadsheet.import_upload(
                upload.name,
                upload.read(),
                organisation,
                period,
                user=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
        except PeriodClosedError as error:
            form.add_error(None, error)
        except spreadsheet.UploadError as error:
            form.add_error("file", error)
        else:
            report = imported.for_page()
            done = _after_import(request, imported)
            if done:
                return done
    context = {"form": form, "report": report, "organisation": organisation, "period": period}
    return render(request, "followup/io/values_upload.html", context)


@login_required
@require_GET
def values_template(request, organisation_pk, period_pk):
    """The template of an organisation's indicators for one period, with what is stored filled in."""
    organisation = organisation_for_write(request.user, organisation_pk)
    period = get_object_or_404(ReportingPeriod, pk=period_pk)
    content = spreadsheet.workbook(organisation, period)
    _record_export(
        request, _("Template of %(org)s, %(period)s.") % {"org": organisation.code, "period": period}
    )
    return _download(content, XLSX, spreadsheet.filename(organisation, period, "template", "xlsx"))


@login_required
@require_GET
def values_export(request, organisation_pk, period_pk, fmt):
    """An organisation's values of one period as .xlsx or CSV, for every logged-in user with a role."""
    require_reader(request.user)
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    period = get_object_or_404(ReportingPeriod, pk=period_pk)
    if fmt == "xlsx":
        content, content_type = spreadsheet.workbook(organisation, period, export=True), XLSX
    else:
        # Excel opens a CSV as UTF-8 only when it starts with a byte order mark.
        content = spreadsheet.csv_text(organisation, period, export=True).encode("utf-8-sig")
        content_type = "text/csv; charset=utf-8"
    summary = _("Values of %(org)s, %(period)s (%(format)s).")
    _record_export(request, summary % {"org": organisation.code, "period": period, "format": fmt})
    return _download(content, content_type, spreadsheet.filename(organisation, period, "values", fmt))


@require_GET
def opendata_json(request):
    """The goal tree with the values of closed periods, as JSON; public."""
    _record_export(request, _("Open data (JSON)."))
    response = JsonResponse(opendata.published_tree(), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def opendata_csv(request):
    """The goal tree with the values of closed periods, as CSV; public."""
    _record_export(request, _("Open data (CSV)."))
    response = HttpResponse(opendata.published_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=download_name("målkedja", extension="csv")
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def opendata_csv_excel(request):
    """The same CSV for Swedish Excel (semicolons, decimal comma, UTF-8 with a byte order mark); public."""
    _record_export(request, _("Open data (CSV for Excel)."))
    content = opendata.published_csv(excel=True).encode("utf-8-sig")
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    name = download_name("målkedja", "excel", extension="csv")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def opendata_dcat(request):
    """The open datasets described in DCAT-AP-SE (JSON-LD), for Sveriges dataportal; public."""
    response = JsonResponse(
        dcat.catalogue(request.build_absolute_uri),
        content_type="application/ld+json",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _record_export(request, summary):
    # Anonymous downloads of open data are not personal data worth an audit row.
    if request.user.is_authenticated:
        record_event("export", summary, user=request.user)


class FollowUpUploadForm(UploadForm):
    what = forms.ChoiceField(
        label=gettext_lazy("The file holds"),
        choices=[
            (followup_files.JUDGEMENTS, gettext_lazy("Judgements")),
            (followup_files.STATUSES, gettext_lazy("Activity statuses")),
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_upload(request):
    """Controllers bring in judgements or activity statuses from a file, e.g. an earlier system's history."""
    require_controller(request.user)
    form = FollowUpUploadForm(request.POST or None, request.FILES or None, max_bytes=spreadsheet.MAX_BYTES)
    report = request.session.pop(REPORT_KEY, None) if request.method == "GET" else None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imported = followup_files.import_upload(
                form.cleaned_data["what"],
                upload.name,
                upload.read(),
                user=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
        except spreadsheet.UploadError as error:
            form.add_error("file", error)
        else:
            report = imported.for_page()
            done = _after_import(request, imported)
            if done:
                return done
    return render(request, "followup/io/follow_up_upload.html", {"form": form, "report": report})


@login_required
@require_GET
def follow_up_template(request, what):
    """The template of a follow-up import: every goal (or activity) with its id, title and owner."""
    require_controller(request.user)
    return _download(followup_files.template(what), XLSX, followup_files.template_name(what))
