"""Publishing: a report marked "fastställd" is stored as the exact PDF with its SHA-256, who and when."""

import hashlib

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import record_event

from .models import PublishedReport


class VersionTaken(Exception):
    """Someone published the same report while this version was being made."""


def checksum(data):
    """The SHA-256 of `data` as 64 hex digits."""
    return hashlib.sha256(data).hexdigest()


def next_version(series):
    """The version number the next publication of `series` gets."""
    latest = PublishedReport.objects.filter(series=series).aggregate(latest=Max("version"))["latest"]
    return (latest or 0) + 1


def publish(spec, report, rendered, *, user):
    """Store the rendered PDF of `report` (made with status "fastställd") as a new, never-changed version."""
    data = bytes(rendered.data)
    name = _display_name(user)
    try:
        with transaction.atomic():
            if next_version(spec.series) != report.version:
                raise VersionTaken(report.version)
            published = PublishedReport.objects.create(
                series=spec.series,
                version=report.version,
                kind=spec.kind,
                year=spec.year,
                period=spec.period,
                board=spec.board,
                title=report.title,
                pdf=data,
                sha256=checksum(data),
                size=len(data),
                pages=rendered.pages,
                published_at=timezone.now(),
                published_by=user,
                published_by_name=name,
            )
            record_event(
                "report.publish",
                _("Published %(title)s, version %(version)d (%(pages)d pages, SHA-256 %(sha)s).")
                % {"title": report.title, "version": report.version, "pages": rendered.pages,
                   "sha": published.sha256},
                user=user,
                obj=published,
            )  # fmt: skip
    except IntegrityError as error:  # the unique (series, version) constraint: a concurrent publication won
        raise VersionTaken(report.version) from error
    return published


def _display_name(user):
    if user is None:
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{full} ({user.get_username()})" if full else user.get_username()
