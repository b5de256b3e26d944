"""Report runs (a PDF being made, with its progress), the archive of published reports, the reports' look."""

import base64

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from followup.models import ReportingPeriod
from goals.models import Organisation
from noramal.downloads import download_name

# The longest decision reference a publication takes ("KF § 23 2027-04-26" is 18 characters).
DECISION_MAX = 100


class Kind(models.TextChoices):
    """The four kinds of report."""

    INTERIM = "interim", _("Interim report")
    ANNUAL = "annual", _("Annual report")
    COMPILATION = "compilation", _("Goal compilation")
    BOARD = "board", _("Board report")


def report_file_name(kind, period, board, extension, *suffixes):
    """A report's file name in Swedish words: "arsredovisning-2025-maluppfyllelse-v1.pdf",
    "delarsrapport-per-31-augusti-2025-maluppfyllelse-utkast.pdf",
    "namndrapport-arsredovisning-2025-bn.xlsx"."""
    with translation.override("sv"):
        period_name = str(period.get_kind_display())
        if kind == Kind.COMPILATION:
            parts = [str(Kind.COMPILATION.label), period.year]
        elif kind == Kind.BOARD:
            parts = [str(Kind.BOARD.label), period_name, period.year, board.code if board else ""]
        else:
            # The follow-up reports are named as the period they report on, like their titles.
            parts = [period_name, period.year, "måluppfyllelse"]
    return download_name(*parts, *suffixes, extension=extension)


class ReportRun(models.Model):
    """One request to make a report's PDF, done in the background; holds progress and the finished file."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="report_runs"
    )
    board = models.ForeignKey(
        Organisation,
        verbose_name=_("board"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    publish = models.BooleanField(_("publish when done"), default=False)
    # The council's decision a publication records ("KF § 23 2027-04-26"), asked on the confirmation page.
    decision = models.CharField(_("decision"), max_length=DECISION_MAX, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    step = models.CharField(_("step"), max_length=200, blank=True)
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Set by the task at every step and progress report: a running run whose time here is older than
    # NORAMAL_REPORT_RUN_TIMEOUT_MINUTES has lost its worker (`tasks.fail_stuck_runs`).
    progressed_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    published = models.ForeignKey(
        "PublishedReport", verbose_name=_("published as"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")

    def __str__(self):
        return f"{self.get_kind_display()} {self.period} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("reports:run", args=[self.pk])

    @property
    def finished(self):
        return self.state in (self.State.DONE, self.State.FAILED)


class PublishedQuerySet(models.QuerySet):
    def listing(self):
        """Published reports without their file, for lists."""
        return self.defer("pdf").select_related("period", "board")


class PublishedReport(models.Model):
    """A report marked "fastställd": the exact PDF as published, never changed; a new version is a new row."""

    # Which report this is a version of, e.g. "annual/2026/annual" or "board/2026/interim_august/BN".
    series = models.CharField(_("series"), max_length=120, editable=False)
    version = models.PositiveIntegerField(_("version"), editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="published_reports",
        editable=False,
    )  # fmt: skip
    board = models.ForeignKey(
        Organisation, verbose_name=_("board"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="published_reports", editable=False,
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=300, editable=False)
    decision = models.CharField(_("decision"), max_length=DECISION_MAX, blank=True, editable=False)
    # The SHA-256 of what the report says, without its version, date and decision
    # (`archive.content_checksum`): the same content is never published twice.
    content_sha256 = models.CharField(_("SHA-256 of the content"), max_length=64, blank=True, editable=False)
    # The file itself lives in the database row, so that it is backed up, locked and deleted with it.
    pdf = models.BinaryField(_("PDF"), editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), editable=False)
    pages = models.PositiveIntegerField(_("pages"), editable=False)
    published_at = models.DateTimeField(_("published at"), editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, on_delete=models.PROTECT,
        related_name="+", editable=False,
    )  # fmt: skip
    # Kept as text too: the record must still say who published after the user account is gone.
    published_by_name = models.CharField(_("published by (name)"), max_length=300, editable=False)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="one_row_per_report_version")
        ]

    def __str__(self):
        return f"{self.title}, version {self.version}"

    def save(self, *args, **kwargs):
        # A published file is evidence of what the council received: it is written once, never updated.
        if not self._state.adding:
            raise ValueError("A published report is never changed; publish a new version instead.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reports:published_pdf", args=[self.pk])

    @property
    def filename(self):
        return report_file_name(self.kind, self.period, self.board, "pdf", f"v{self.version}")


class BoardTitle(models.TextChoices):
    """What the municipality's boards call their report (the title before the year and the board's name)."""

    NAMNDRAPPORT = "Nämndrapport", "Nämndrapport"
    VERKSAMHETSBERATTELSE = "Verksamhetsberättelse", "Verksamhetsberättelse"
    MALUPPFOLJNING = "Nämndens måluppföljning", "Nämndens måluppföljning"


COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Give the colour as #rrggbb, e.g. #0b3d5c."))
DEFAULT_COLOUR = "#0b3d5c"


class ReportLook(models.Model):
    """How the municipality's reports look: its emblem (coat of arms or logo) on the cover and its colour.

    There is one look; `current()` gives it (unsaved with the defaults until an admin saves one).
    """

    emblem = models.BinaryField(_("emblem"), null=True, blank=True)
    emblem_type = models.CharField(_("emblem type"), max_length=20, blank=True)
    colour = models.CharField(_("colour"), max_length=7, default=DEFAULT_COLOUR, validators=[COLOUR])
    board_title = models.CharField(
        _("title of the board report"),
        max_length=40,
        choices=BoardTitle.choices,
        default=BoardTitle.NAMNDRAPPORT,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("report look")
        verbose_name_plural = _("report looks")

    def __str__(self):
        return str(_("Report look"))

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first() or cls()

    @property
    def emblem_data_uri(self):
        """The emblem as a data: URI, for the browser preview."""
        if not self.emblem:
            return ""
        return f"data:{self.emblem_type};base64,{base64.b64encode(bytes(self.emblem)).decode('ascii')}"


from .summary import EconomySummary  # noqa: E402  (a model of this app, kept in its own module)

__all__ = ["BoardTitle", "EconomySummary", "Kind", "PublishedReport", "ReportLook", "ReportRun"]
