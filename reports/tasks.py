"""Making a report's PDF in the background (Django's tasks framework) with progress a controller can watch.

A large municipality's report takes about a minute to lay out: far too long for a web request. The view
records a `ReportRun` and enqueues `make_report`; the worker (`manage.py db_worker` with django-tasks-db)
renders it and writes its progress to the run's row, which the run page shows. With Django's default
ImmediateBackend the same code runs inside the request, which suits tests and small installations.
"""

import contextlib
import datetime
import logging
import time

from django.conf import settings
from django.db import transaction
from django.db.models import Q
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
# The error of a run marked failed because it stopped making progress (its worker died, say).
STUCK = "stuck"


class RunAbandoned(Exception):  # noqa: N818 - it names the situation
    """The run is no longer running (it was marked failed as stuck): the task stops writing to it."""


def stuck_before(now=None):
    """Running runs whose last progress is older than this are taken for dead."""
    return (now or timezone.now()) - datetime.timedelta(minutes=settings.REPORT_RUN_TIMEOUT_MINUTES)


def fail_stuck_runs(now=None):
    """Mark failed every running run that made no progress for NORAMAL_REPORT_RUN_TIMEOUT_MINUTES, so that
    its report can be started again; returns how many. Asked by the reports page, by a new request and by
    the worker's task."""
    now = now or timezone.now()
    cutoff = stuck_before(now)
    silent = Q(progressed_at__lt=cutoff) | Q(progressed_at__isnull=True, requested_at__lt=cutoff)
    stuck = ReportRun.objects.filter(silent, state=ReportRun.State.RUNNING)
    count = stuck.update(state=ReportRun.State.FAILED, error=STUCK, finished_at=now)
    if count:
        logger.warning("Marked %d report run(s) failed after %d minutes without progress", count,
                       settings.REPORT_RUN_TIMEOUT_MINUTES)  # fmt: skip
    return count


def start_run(spec, *, user, publish=False, decision=""):
    """Record a run for `spec` and enqueue it; an unfinished run of the same report is reused instead
    (a stuck one is marked failed first, so a new run starts)."""
    fail_stuck_runs()
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
            kind=spec.kind, period=spec.period, board=spec.board, publish=publish, requested_by=user,
            decision=decision,
        )  # fmt: skip
    # Enqueued once the run's row is committed, so that a worker in another process finds it.
    transaction.on_commit(lambda: make_report.enqueue(run.pk))
    return run


def publish_now(spec, *, decision, user=None):
    """Make and publish `spec`'s report at once, in this process (seed_demo's first published report),
    through the same run and publishing steps as a controller's; returns the PublishedReport."""
    run = ReportRun.objects.create(
        kind=spec.kind, period=spec.period, board=spec.board, publish=True, requested_by=user,
        decision=decision,
    )  # fmt: skip
    make_report.call(run.pk)
    run.refresh_from_db()
    return run.published


@task()
def make_report(run_id):
    """The task: render run `run_id`'s report, keep the PDF (or publish it) and record how it went."""
    fail_stuck_runs()  # the worker clears what a dead worker left running
    run = ReportRun.objects.select_related("period", "board", "requested_by").get(pk=run_id)
    try:
        # Taken only from the queue: another attempt that took it first wins.
        _save(run, ReportRun.State.QUEUED, state=ReportRun.State.RUNNING, started_at=timezone.now(),
              step="data", percent=START["data"])  # fmt: skip
    except RunAbandoned:
        return run.state
    try:
        spec = Spec(run.kind, run.period, run.board)
        version = archive.next_version(spec.series) if run.publish else None
        status = PUBLISHED if run.publish else DRAFT
        report = build_report(spec, status=status, version=version, decision=run.decision)
        rendered = output.report_pdf(report, on_progress=_Progress(run, _expected_pages(run, report)))
        _save(run, step="store", percent=START["store"], pages=rendered.pages)
        if run.publish:
            kept = {"published": archive.publish(spec, report, rendered, user=run.requested_by)}
        else:
            kept = {"pdf": rendered.data}
        _save(run, **kept, state=ReportRun.State.DONE, step="done", percent=100, finished_at=timezone.now())
    except RunAbandoned:
        logger.warning("Report run %s was marked failed while it ran; its result is dropped", run_id)
        return ReportRun.State.FAILED
    except (archive.VersionTaken, archive.SameContent) as error:
        code = "version_taken" if isinstance(error, archive.VersionTaken) else "same_content"
        _fail(run, code)
        return run.state
    except Exception as error:
        logger.exception("Report run %s failed", run_id)
        _fail(run, f"{type(error).__name__}: {error}")
        raise
    _prune(run)
    return run.state


def _fail(run, message):
    with contextlib.suppress(RunAbandoned):  # already marked failed as stuck
        _save(run, state=ReportRun.State.FAILED, error=message[:2000], finished_at=timezone.now())


def _save(run, expected=ReportRun.State.RUNNING, **fields):
    """Write `fields` (and the time of progress) while the run is in state `expected`; raise RunAbandoned
    when it is not (marked failed as stuck meanwhile)."""
    fields["progressed_at"] = timezone.now()
    if not ReportRun.objects.filter(pk=run.pk, state=expected).update(**fields):
        raise RunAbandoned(run.pk)
    for name, value in fields.items():
        setattr(run, name, value)


class _Progress:
    """Turns WeasyPrint's page count into the run's percent, written at most every WRITE_EVERY seconds."""

    def __init__(self, run, expected_pages):
        self.run = run
        self.expected = max(expected_pages, 1)
        self.written = 0.0
        self.abandoned = False  # marked failed meanwhile: the next step's save stops the task

    def __call__(self, step, pages):
        if self.abandoned:
            return
        now = time.monotonic()
        if step == "layout" and now - self.written < WRITE_EVERY:
            return
        self.written = now
        if step == "layout":
            share = min(pages / self.expected, 1)
            percent = START["layout"] + int(share * (START["pdf"] - START["layout"] - 1))
        else:
            percent = START["pdf"]
        try:
            _save(self.run, step=step, pages=pages, percent=percent)
        except RunAbandoned:
            self.abandoned = True


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
