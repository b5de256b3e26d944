"""Fetching from Kolada in the background: a controller asks on the Kolada page, the task worker fetches.

`start_fetch` records a `KoladaFetch` and enqueues `fetch_from_kolada`; the worker (`manage.py db_worker`)
runs `kolada_api.fetch` — the same fetch as the `fetch_kolada` command — and keeps its report on the row,
which the page shows. A failure is kept as its message; nothing of a failed fetch is written.
"""

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from . import kolada, kolada_api
from .models import KoladaFetch


def start_fetch(*, user, dry_run=False):
    """Record a fetch and enqueue it; an unfinished one is returned instead of starting a second."""
    with transaction.atomic():
        unfinished = KoladaFetch.objects.select_for_update().filter(
            state__in=(KoladaFetch.State.QUEUED, KoladaFetch.State.RUNNING)
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
    return done["state"]
