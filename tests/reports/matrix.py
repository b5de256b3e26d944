"""The reports' rows of the permission matrix (see tests/matrix.py).

Who may do what, in words: everyone reads the list of published reports and downloads them; reports are
unpublished drafts until then, so previewing, exporting, generating and publishing them are for controllers
and admins only (readers and editors get 403, anonymous visitors are sent to log in), and so is setting the
reports' look (emblem and colour) and writing a period's summary judgement of god ekonomisk hushållning.
GET-only pages answer a POST with 405 after that check; generating answers a GET with 405, publishing shows
its confirmation page.
"""

from django.utils import timezone

from followup.models import ReportingPeriod
from reports.archive import checksum
from reports.models import EconomySummary, PublishedReport, ReportLook, ReportRun
from tests.matrix import Row, expect

YEAR = 2026
PDF = b"%PDF-1.7\n% a stand-in for a published report\n%%EOF\n"

PUBLIC = expect(anonymous=200, rest=200)
PUBLIC_NO_POST = expect(anonymous=405, rest=405)
CONTROLLERS = expect(reader=403, editor_bn=403, editor_ks=403)
CONTROLLERS_NO_POST = expect(reader=403, editor_bn=403, editor_ks=403, rest=405)
CONTROLLERS_WRITE = expect(reader=403, editor_bn=403, editor_ks=403, rest=302)


def extend(world):
    """An annual period for the reports, a finished draft run and a published report."""
    world.report_period, _created = ReportingPeriod.objects.get_or_create(
        year=YEAR, kind=ReportingPeriod.Kind.ANNUAL
    )
    world.report_run = ReportRun.objects.create(
        kind="annual", period=world.report_period, state=ReportRun.State.DONE, percent=100, pages=1, pdf=PDF,
        requested_by=world.users["controller"],
    )  # fmt: skip
    world.published_report = PublishedReport.objects.create(
        series=f"annual/{YEAR}/annual", version=1, kind="annual", year=YEAR, period=world.report_period,
        title=f"Årsredovisning {YEAR} – måluppfyllelse", pdf=PDF, sha256=checksum(PDF), size=len(PDF),
        pages=1, published_at=timezone.now(),
        published_by=world.users["controller"], published_by_name="controller",
    )  # fmt: skip


def reports_state(w):
    """Runs and published versions: what generating and publishing write."""
    return (
        tuple(ReportRun.objects.order_by("pk").values_list("pk", "kind", "publish", "state")),
        tuple(PublishedReport.objects.order_by("pk").values_list("pk", "series", "version", "sha256")),
    )


def look_state(w):
    """The reports' look: what saving the look page writes."""
    return tuple(ReportLook.objects.order_by("pk").values_list("pk", "colour", "updated_at"))


def summary_state(w):
    """The periods' summary judgements of god ekonomisk hushållning: what its page writes."""
    return tuple(EconomySummary.objects.order_by("pk").values_list("pk", "period_id", "text"))


def period(w):
    return [w.report_period.pk]


def report(kind):
    return lambda w: [w.report_period.pk, kind]


def _rows(name, args, get, post, data=None):
    return [
        Row(name, args=args, expect=get),
        Row(
            name, args=args, method="POST", data=data or (lambda w: {}), expect=post, unchanged=reports_state
        ),
    ]


ROWS = [
    *_rows("reports:published_list", lambda w: [], PUBLIC, PUBLIC_NO_POST),
    *_rows("reports:published_pdf", lambda w: [w.published_report.pk], PUBLIC, PUBLIC_NO_POST),
    *_rows("reports:periods", lambda w: [], CONTROLLERS, CONTROLLERS_NO_POST),
    *_rows("reports:period", period, CONTROLLERS, CONTROLLERS_NO_POST),
    *_rows("reports:preview", report("annual"), CONTROLLERS, CONTROLLERS_NO_POST),
    # A board report without a board, and a kind that does not fit the period, are not found.
    Row(
        "reports:preview",
        args=report("board"),
        expect=expect(reader=403, editor_bn=403, editor_ks=403, rest=404),
    ),
    Row(
        "reports:preview",
        args=report("interim"),
        expect=expect(reader=403, editor_bn=403, editor_ks=403, rest=404),
    ),
    *_rows("reports:xlsx", report("compilation"), CONTROLLERS, CONTROLLERS_NO_POST),
    *_rows("reports:docx", report("annual"), CONTROLLERS, CONTROLLERS_NO_POST),
    Row(
        "reports:docx",
        args=report("interim"),
        expect=expect(reader=403, editor_bn=403, editor_ks=403, rest=404),
    ),
    *_rows("reports:generate", report("annual"), CONTROLLERS_NO_POST, CONTROLLERS_WRITE),
    # Publishing asks first: GET shows the version it makes and asks for the council's decision.
    Row(
        "reports:publish",
        args=report("board"),
        expect=expect(reader=403, editor_bn=403, editor_ks=403, rest=404),  # no board named: not found
    ),
    Row("reports:publish", args=report("board"), data=lambda w: {"board": "BN"}, expect=CONTROLLERS),
    Row(
        "reports:publish",
        args=report("board"),
        method="POST",
        data=lambda w: {"board": "BN", "decision": "KF § 23 2027-04-26"},
        expect=CONTROLLERS_WRITE,
        unchanged=reports_state,
    ),
    Row("reports:look", expect=CONTROLLERS),
    Row(
        "reports:look",
        method="POST",
        data=lambda w: {"colour": "#7a1f3d"},
        expect=CONTROLLERS_WRITE,
        unchanged=look_state,
    ),  # fmt: skip
    # The summary judgement of god ekonomisk hushållning: controllers write it, as the council's follow-up.
    Row("reports:economy_summary", args=period, expect=CONTROLLERS),
    Row(
        "reports:economy_summary",
        args=period,
        method="POST",
        data=lambda w: {"text": "Kommunen har en god ekonomisk hushållning."},
        expect=CONTROLLERS_WRITE,
        unchanged=summary_state,
    ),
    *_rows("reports:run", lambda w: [w.report_run.pk], CONTROLLERS, CONTROLLERS_NO_POST),
    *_rows("reports:run_status", lambda w: [w.report_run.pk], CONTROLLERS, CONTROLLERS_NO_POST),
    *_rows("reports:run_pdf", lambda w: [w.report_run.pk], CONTROLLERS, CONTROLLERS_NO_POST),
]
