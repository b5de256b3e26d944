"""Making a report's PDF in the background (Django's tasks framework) with progress a controller can watch.

A large municipality's report takes about a minute to lay out: far too long for a web request. The view
records a `ReportRun` and enqueues `make_report`; the worker (`manage.py db_worker` with django-tasks-db)
renders it and writes its progress to the run's row, which the run page shows. With Django's default
ImmediateBackend the same code runs inside the request, which suits tests and small installations.
"""

import logging
import time

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from . import archive, output
from .data import DRAFT, PUBLISHED, Spec, build_report
from .models import ReportRun

logger = logging.getLogger(__name__)
# Percent of the progress bar at which each step starts; layout takes most of the time.
START = {"data": 2, "layout": 8, "pdf": 85, "store": 97}
# Progress is written to the database at most this often (seconds): a page takes about 0.1 s.
WRITE_EVERY = 0.5
# Finished draft runs kept per report; older ones (and their PDFs) are deleted.
KEEP_RUNS = 3


def start_run(spec, *, user, publish=False):
    """Record a run for `spec` and enqueue it; an unfinished run of the same report is reused instead."""
    with transaction.atomic():
        unfinished = ReportRun.objects.filter(
            kind=spec.kind,
            period=spec.period,
            board=spec.board,
            publish=publish,
            state__in=(ReportRun.State.QUEUED, ReportRun.State.RUNNING),
        ).first()
        if unfinished is not None:
            return unfinished
        run = ReportRun.objects.create(
            kind=spec.kind, period=spec.period, board=spec.board, publish=publish, requested_by=user
        )
    # Enqueued once the run's row is committed, so that a worker in another process finds it.
    transaction.on_commit(lambda: make_report.enqueue(run.pk))
    return run


def publish_now(spec, *, user=None):
    """Make and publish `spec`'s report at once, in this process (seed_demo's first published report),
    through the same run and publishing steps as a controller's; returns the PublishedReport."""
    run = ReportRun.objects.create(
        kind=spec.kind, period=spec.period, board=spec.board, publish=True, requested_by=user
    )
    make_report.call(run.pk)
    run.refresh_from_db()
    return run.published


@task()
def make_report(run_id):
    """The task: render run `run_id`'s report, keep the PDF (or publish it) and record how it went."""
    run = ReportRun.objects.select_related("period", "board", "requested_by").get(pk=run_id)
    if run.state != ReportRun.State.QUEUED:
        return run.state  # already taken by another attempt
    _save(run, state=ReportRun.State.RUNNING, started_at=timezone.now(), step="data", percent=START["data"])
    try:
        spec = Spec(run.kind, run.period, run.board)
        version = archive.next_version(spec.series) if run.publish else None
        report = build_report(spec, status=PUBLISHED if run.publish else DRAFT, version=version)
        rendered = output.report_pdf(report, on_progress=_Progress(run, _expected_pages(run, report)))
        _save(run, step="store", percent=START["store"], pages=rendered.pages)
        if run.publish:
            kept = {"published": archive.publish(spec, report, rendered, user=run.requested_by)}
        else:
            kept = {"pdf": rendered.data}
        _save(run, **kept, state=ReportRun.State.DONE, step="done", percent=100, finished_at=timezone.now())
    except Exception as error:
        logger.exception("Report run %s failed", run_id)
        message = (
            "version_taken" if isinstance(error, archive.VersionTaken) else f"{type(error).__name__}: {error}"
        )
        _save(run, state=ReportRun.State.FAILED, error=message[:2000], finished_at=timezone.now())
        raise
    _prune(run)
    return run.state


def _save(run, **fields):
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=list(fields))


class _Progress:
    """Turns WeasyPrint's page count into the run's percent, written at most every WRITE_EVERY seconds."""

    def __init__(self, run, expected_pages):
        self.run = run
        self.expected = max(expected_pages, 1)
        self.written = 0.0

    def __call__(self, step, pages):
        now = time.monotonic()
        if step == "layout" and now - self.written < WRITE_EVERY:
            return
        self.written = now
        if step == "layout":
            share = min(pages / self.expected, 1)
            percent = START["layout"] + int(share * (START["pdf"] - START["layout"] - 1))
        else:
            percent = START["pdf"]
        ReportRun.objects.filter(pk=self.run.pk).update(step=step, pages=pages, percent=percent)


def _expected_pages(run, report):
    """Pages the last finished run of the same report had, or a guess from the number of goals."""
    last = (
        ReportRun.objects.filter(
            kind=run.kind, period=run.period, board=run.board, state=ReportRun.State.DONE
        )
        .exclude(pages=0)
        .values_list("pages", flat=True)
        .first()
    )
    if last:
        return last
    # About three goals with their indicators and activities per page, plus cover, contents and overview.
    return 5 + len(report.council_goals) + sum(1 for _goal in report.all_goals()) // 3


def _prune(run):
    """Delete all but the latest KEEP_RUNS finished draft runs of the same report."""
    finished = ReportRun.objects.filter(
        kind=run.kind,
        period=run.period,
        board=run.board,
        publish=False,
        state__in=(ReportRun.State.DONE, ReportRun.State.FAILED),
    ).order_by("-pk")
    stale = list(finished.values_list("pk", flat=True)[KEEP_RUNS:])
    if stale:
        ReportRun.objects.filter(pk__in=stale).delete()
