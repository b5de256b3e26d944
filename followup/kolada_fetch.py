"""Fetching from Kolada in the background: a controller asks on the Kolada page, the task worker fetches.

`start_fetch` records a `KoladaFetch` and enqueues `fetch_from_kolada`; the worker (`manage.py db_worker`)
runs `kolada_api.fetch` — the same fetch as the `fetch_kolada` command — and keeps its report on the row,
which the page shows. A failure is kept as its message; nothing of a failed fetch is written.

The weekly fetch: `schedule_fetch` (run by `fetch_kolada --schedule` when the worker starts) plans one
fetch `KOLADA_FETCH_DAYS` days ahead unless one is planned already; when a planned fetch has run, it plans
the next. Kolada publishes in spring and revises without notice, so a fetch every week keeps up.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import default_task_backend, task
from django.utils import timezone

from . import kolada, kolada_api
from .models import KoladaFetch


def start_fetch(*, user, dry_run=False):
    """Record a fetch and enqueue it; an unfinished one is returned instead of starting a second."""
    with transaction.atomic():
        unfinished = KoladaFetch.objects.select_for_update().filter(
            Q(scheduled_for__isnull=True) | Q(scheduled_for__lte=timezone.now()),
            state__in=(KoladaFetch.State.QUEUED, KoladaFetch.State.RUNNING),
        )
        running = unfinished.first()
        if running is not None:
            return running
        fetch = KoladaFetch.objects.create(requested_by=user, dry_run=dry_run)
    # Enqueued once the row is committed, so that a worker in another process finds it.
    transaction.on_commit(lambda: fetch_from_kolada.enqueue(fetch.pk))
    return fetch


@task()
def fetch_from_kolada(fetch_id):
    """The task: fetch, import and keep the report (or the reason it failed) on fetch `fetch_id`."""
    fetch = KoladaFetch.objects.select_related("requested_by").get(pk=fetch_id)
    if fetch.state != KoladaFetch.State.QUEUED:
        return fetch.state  # already taken by another attempt
    KoladaFetch.objects.filter(pk=fetch.pk).update(state=KoladaFetch.State.RUNNING, started_at=timezone.now())
    try:
        report = kolada_api.fetch(user=fetch.requested_by, dry_run=fetch.dry_run)
    except (kolada_api.KoladaUnavailable, kolada.KoladaError) as error:
        done = {"state": KoladaFetch.State.FAILED, "message": str(error)}
    else:
        done = {"state": KoladaFetch.State.DONE, "report": report.for_page()}
    KoladaFetch.objects.filter(pk=fetch.pk).update(finished_at=timezone.now(), **done)
    if fetch.scheduled_for is not None:
        schedule_fetch()
    return done["state"]


def schedule_fetch():
    """Plan the next weekly fetch, unless one is planned or the schedule is off; return it (or None)."""
    days = settings.KOLADA_FETCH_DAYS
    if days <= 0 or not default_task_backend.supports_defer:
        return None
    with transaction.atomic():
        planned = KoladaFetch.objects.select_for_update().filter(
            state=KoladaFetch.State.QUEUED, scheduled_for__isnull=False
        )
        if planned.exists():
            return planned.first()
        due = timezone.now() + timedelta(days=days)
        fetch = KoladaFetch.objects.create(scheduled_for=due)
    transaction.on_commit(lambda: fetch_from_kolada.using(run_after=due).enqueue(fetch.pk))
    return fetch
