"""Publishing: a report marked "fastställd" is stored as the exact PDF with its SHA-256, who and when, and the
council's decision. The same content is never published twice (`content_checksum`, docs/reports.md)."""

import dataclasses
import datetime
import hashlib

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import record_event

from . import output
from .models import PublishedReport

# What stands in for the date a report is made on when its content is compared (`content_checksum`).
NEUTRAL_DATE = datetime.date(2000, 1, 1)


class VersionTaken(Exception):
    """Someone published the same report while this version was being made."""


class SameContent(Exception):  # noqa: N818 - it names the situation, like VersionTaken
    """The report says exactly what its last published version says: there is nothing new to publish."""

    def __init__(self, version):
        super().__init__(version)
        self.version = version

    @property
    def message(self):
        return _(
            "The report has not changed since version %(version)d was published: the same content is not "
            "published twice."
        ) % {"version": self.version}


def checksum(data):
    """The SHA-256 of `data` as 64 hex digits."""
    return hashlib.sha256(data).hexdigest()


def next_version(series):
    """The version number the next publication of `series` gets."""
    latest = PublishedReport.objects.filter(series=series).aggregate(latest=Max("version"))["latest"]
    return (latest or 0) + 1


def content_checksum(report):
    """The SHA-256 of what `report` says: its HTML with the version number, the date and the decision left
    out, so that two publications of unchanged follow-up have the same checksum whatever their number."""
    neutral = dataclasses.replace(report, version=None, made_on=NEUTRAL_DATE, decision="")
    return checksum(output.report_html(neutral).encode())


def latest_published(series):
    """The last published version of `series`, without its file, or None."""
    return PublishedReport.objects.defer("pdf").filter(series=series).order_by("-version").first()


def refuse_same_content(series, content_sha256):
    """Raise SameContent when the last published version of `series` has this content checksum."""
    latest = latest_published(series)
    if latest is not None and latest.content_sha256 == content_sha256:
        raise SameContent(latest.version)


def publish(spec, report, rendered, *, user):
    """Store the rendered PDF of `report` (made with status "fastställd") as a new, never-changed version,
    with the council's decision (`report.decision`); refused when its content is the last version's."""
    data = bytes(rendered.data)
    name = _display_name(user)
    content = content_checksum(report)
    try:
        with transaction.atomic():
            if next_version(spec.series) != report.version:
                raise VersionTaken(report.version)
            refuse_same_content(spec.series, content)
            published = PublishedReport.objects.create(
                series=spec.series,
                version=report.version,
                kind=spec.kind,
                year=spec.year,
                period=spec.period,
                board=spec.board,
                title=report.title,
                decision=report.decision,
                content_sha256=content,
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
                _("Published %(title)s, version %(version)d (%(pages)d pages, SHA-256 %(sha)s). Decision: "
                  "%(decision)s.")
                % {"title": report.title, "version": report.version, "pages": rendered.pages,
                   "sha": published.sha256, "decision": report.decision or "–"},
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
