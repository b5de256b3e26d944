"""Report pages: the public archive of published reports, and the controllers' pages to preview, export,
generate and publish a period's reports."""

import base64
import functools
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import record_event
from followup.models import ReportingPeriod
from goals.models import Organisation
from goals.permissions import is_controller

from . import archive, output, tasks
from .data import PUBLISHED, ReportUnavailable, Spec, build_report, check_spec
from .docx import CONTENT_TYPE as DOCX
from .docx import report_docx
from .forms import LookForm, PublishForm
from .models import Kind, PublishedReport, ReportLook, ReportRun
from .workbook import build_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def controller_required(view):
    """Reports are drafts until published: only controllers and admins make, see and publish them."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_controller(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _spec(period_pk, kind, board_code):
    """The report a URL names, or 404."""
    period = get_object_or_404(ReportingPeriod, pk=period_pk)
    board = None
    if kind == Kind.BOARD:
        board = get_object_or_404(Organisation, code=board_code or "", kind__in=Organisation.ANSWERING_KINDS)
    spec = Spec(kind, period, board)
    try:
        check_spec(spec)
    except ReportUnavailable as error:
        raise Http404(str(error)) from None
    return spec


def _board_query(board):
    return "?" + urlencode({"board": board.code}) if board else ""


# --- Public ------------------------------------------------------------------------------------------


@require_safe
def published_list(request):
    """Every published ("fastställd") report, newest first, for anyone."""
    published = PublishedReport.objects.listing()
    return render(request, "reports/published_list.html", {"published": published})


@require_safe
def published_pdf(request, pk):
    """A published report's PDF, byte for byte as it was stored."""
    published = get_object_or_404(PublishedReport, pk=pk)
    data = bytes(published.pdf)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=published.filename
    )
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(published.sha256)).decode()}:"
    response["ETag"] = f'"{published.sha256}"'
    return response


# --- Controllers -------------------------------------------------------------------------------------


@controller_required
@require_safe
def period_list(request):
    """The reporting periods, each leading to its reports page."""
    periods = ReportingPeriod.objects.all()
    return render(request, "reports/period_list.html", {"periods": periods})


@controller_required
@require_safe
def period_detail(request, period_pk):
    """A period's reports: preview, Excel, PDF and publishing, with recent runs and published versions."""
    period = get_object_or_404(ReportingPeriod, pk=period_pk)
    tasks.fail_stuck_runs()  # a run whose worker died shows as failed, and its report can be made again
    own_kind = Kind.INTERIM if period.is_interim else Kind.ANNUAL
    boards = Organisation.objects.filter(
        kind__in=Organisation.ANSWERING_KINDS, goals__isnull=False
    ).distinct()
    rows = [(own_kind, None), (Kind.COMPILATION, None), *((Kind.BOARD, board) for board in boards)]
    reports = [
        {
            "kind": kind,
            "label": Kind(kind).label,
            "board": board,
            "query": _board_query(board),
        }
        for kind, board in rows
    ]
    runs = ReportRun.objects.filter(period=period).defer("pdf").select_related("board", "requested_by")[:10]
    published = PublishedReport.objects.listing().filter(period=period)
    context = {"period": period, "reports": reports, "runs": runs, "published": published}
    return render(request, "reports/period_detail.html", context)


@controller_required
@require_safe
def preview(request, period_pk, kind):
    """The report as an HTML page, as the PDF will show it (without page numbers)."""
    spec = _spec(period_pk, kind, request.GET.get("board"))
    report = build_report(spec)
    context = {
        "back_url": reverse("reports:period", args=[period_pk]),
        "xlsx_url": reverse("reports:xlsx", args=[period_pk, kind]) + _board_query(spec.board),
        "docx_url": reverse("reports:docx", args=[period_pk, kind]) + _board_query(spec.board),
    }
    return HttpResponse(output.report_html(report, preview=True, context=context))


@controller_required
@require_safe
def xlsx(request, period_pk, kind):
    """The report's numbers as an Excel workbook; the export is logged."""
    spec = _spec(period_pk, kind, request.GET.get("board"))
    report = build_report(spec)
    data = build_workbook(report)
    record_event(
        "report.export", _("Exported the numbers of %(title)s as Excel.") % {"title": report.title},
        user=request.user, obj=spec.period,
    )  # fmt: skip
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=spec.file_name("xlsx")
    )
    return response


@controller_required
@require_safe
def docx(request, period_pk, kind):
    """The report as an editable Word document (a draft, like the preview); the export is logged."""
    spec = _spec(period_pk, kind, request.GET.get("board"))
    report = build_report(spec)
    data = report_docx(report)
    record_event(
        "report.export", _("Exported %(title)s as Word.") % {"title": report.title},
        user=request.user, obj=spec.period,
    )  # fmt: skip
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=spec.file_name("docx", "utkast")
    )
    return response


@controller_required
@require_POST
def generate(request, period_pk, kind):
    """Start making the report's PDF (a draft) in the background."""
    spec = _spec(period_pk, kind, request.POST.get("board"))
    run = tasks.start_run(spec, user=request.user)
    return redirect(run)


@controller_required
@require_http_methods(["GET", "HEAD", "POST"])
def publish(request, period_pk, kind):
    """Publishing ("fastställa") checks first: a page shows the version it will make and asks for the
    council's decision; on posting it, the PDF is made as "fastställd" and stored as that new version.
    Content that its last published version already has is refused."""
    spec = _spec(period_pk, kind, request.POST.get("board") or request.GET.get("board"))
    form = PublishForm(request.POST if request.method == "POST" else None)
    report = build_report(spec, status=PUBLISHED, version=archive.next_version(spec.series))
    same = None
    try:
        archive.refuse_same_content(spec.series, archive.content_checksum(report))
    except archive.SameContent as error:
        same = error
    if request.method == "POST" and same is None and form.is_valid():
        run = tasks.start_run(spec, user=request.user, publish=True, decision=form.cleaned_data["decision"])
        return redirect(run)
    context = {
        "spec": spec,
        "report": report,
        "board": spec.board,
        "form": form,
        "same": same,
        "latest": archive.latest_published(spec.series),
        "back_url": reverse("reports:period", args=[period_pk]),
    }
    return render(
        request, "reports/publish_confirm.html", context, status=409 if same and form.is_bound else 200
    )


def _run(pk):
    return get_object_or_404(
        ReportRun.objects.defer("pdf").select_related("period", "board", "published"), pk=pk
    )


def run_message(run):
    """Where a run stands, in words."""
    if run.state == ReportRun.State.QUEUED:
        return _("Waiting for the report worker to start.")
    if run.state == ReportRun.State.DONE:
        return _("Done.")
    if run.state == ReportRun.State.FAILED:
        if run.error == tasks.STUCK:
            return ngettext(
                "The report stopped making progress for %(minutes)d minute and was marked as failed.",
                "The report stopped making progress for %(minutes)d minutes and was marked as failed.",
                settings.REPORT_RUN_TIMEOUT_MINUTES,
            ) % {"minutes": settings.REPORT_RUN_TIMEOUT_MINUTES}
        return _("The report could not be made.")
    if run.step == "layout":
        return ngettext(
            "Laying out pages: %(pages)d page so far.", "Laying out pages: %(pages)d pages so far.", run.pages
        ) % {"pages": run.pages}
    if run.step in ("pdf", "store"):
        return ngettext(
            "Writing the PDF (%(pages)d page).", "Writing the PDF (%(pages)d pages).", run.pages
        ) % {"pages": run.pages}
    return _("Gathering the report's data.")


@controller_required
@require_safe
def run_detail(request, pk):
    """A run's progress, and its download once it is done; a failed run's report can be started again."""
    tasks.fail_stuck_runs()
    run = _run(pk)
    context = {"run": run, "message": run_message(run), "query": _board_query(run.board)}
    return render(request, "reports/run_detail.html", context)


@controller_required
@require_safe
def run_status(request, pk):
    """A run's progress as JSON, for the run page's script."""
    tasks.fail_stuck_runs()
    run = _run(pk)
    return JsonResponse(
        {
            "state": run.state,
            "message": run_message(run),
            "percent": run.percent,
            "pages": run.pages,
            "finished": run.finished,
        }
    )


@controller_required
@require_safe
def run_pdf(request, pk):
    """A finished draft run's PDF (a published run's file is at its public address)."""
    run = get_object_or_404(ReportRun, pk=pk, state=ReportRun.State.DONE)
    if run.published_id:
        return redirect(run.published)
    if run.pdf is None:
        raise Http404
    response = HttpResponse(bytes(run.pdf), content_type="application/pdf")
    name = Spec(run.kind, run.period, run.board).file_name("pdf", "utkast")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


@controller_required
@require_http_methods(["GET", "HEAD", "POST"])
def look(request):
    """The reports' look: the emblem on the cover and the municipality's colour."""
    current = ReportLook.current()
    form = LookForm(
        request.POST or None,
        request.FILES or None,
        initial={"colour": current.colour, "board_title": current.board_title},
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            current = ReportLook.objects.select_for_update().order_by("pk").first() or ReportLook()
            current.colour = form.cleaned_data["colour"]
            current.board_title = form.cleaned_data["board_title"] or current.board_title
            if form.cleaned_data["emblem"]:
                current.emblem, current.emblem_type = form.cleaned_data["emblem"]
            elif form.cleaned_data["remove_emblem"]:
                current.emblem, current.emblem_type = None, ""
            current.updated_by = request.user
            current.save()
            record_event(
                "report.look",
                f"Report look: colour {current.colour}, emblem {current.emblem_type or 'none'}, "
                f"board report title {current.board_title}",
                user=request.user,
                obj=current,
            )
        messages.success(request, _("The reports' look is saved. It applies to reports made from now on."))
        return redirect("reports:look")
    return render(request, "reports/look.html", {"form": form, "look": current})
