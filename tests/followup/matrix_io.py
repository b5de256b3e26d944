"""The permission matrix rows of the imports, exports and open data (the exchange pages in followup/urls.py).

Who may do what, in words: any logged-in user with a role downloads an organisation's values; an
organisation's editors and the controllers download its template and upload values (another board's are
404, a reader gets 403); only controllers import from Kolada and resolve its differences; open data is
public. Searching Kolada's KPIs is for those who may edit the goal or indicator whose form it fills in.
Downloads (and the search) answer 405 to a POST, after the login check.
"""

import json
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from followup.kolada_models import KoladaComparison
from followup.models import IndicatorValue, KoladaDifference, KoladaFetch, ReportingPeriod
from tests import factories
from tests.matrix import Row, expect

YEAR = 2026

READERS = expect()
NOT_A_FORM = expect(rest=405)
BN_FILES = expect(reader=403, editor_ks=404)
BN_UPLOAD = expect(reader=403, editor_ks=404, rest=302)
CONTROLLERS = expect(reader=403, editor_bn=403, editor_ks=403)
CONTROLLERS_UPLOAD = expect(reader=403, editor_bn=403, editor_ks=403, rest=302)
PUBLIC = expect(anonymous=200)
PUBLIC_NOT_A_FORM = expect(anonymous=405, rest=405)


def extend(world):
    """A council indicator with a Kolada KPI, so that a Kolada upload has something to write."""
    # The follow-up's own extend (tests/followup/matrix.py) normally made both periods.
    if not hasattr(world, "period"):
        world.period = ReportingPeriod.objects.create(year=YEAR, kind=ReportingPeriod.Kind.INTERIM_AUGUST)
    if not hasattr(world, "closed_period"):
        world.closed_period = ReportingPeriod.objects.create(
            year=YEAR - 1, kind=ReportingPeriod.Kind.ANNUAL, state=ReportingPeriod.State.CLOSED
        )
    world.population = factories.IndicatorFactory(
        goal=world.overarching, name="Invånare totalt", unit="antal", kolada_kpi="N01951"
    )
    # Kolada's figure beside BN's typed value in the open period, for a controller to resolve.
    typed, _new = IndicatorValue.objects.get_or_create(
        indicator=world.bn_indicator, period=world.period, defaults={"total": Decimal("88")}
    )
    world.kolada_difference = KoladaDifference.objects.create(
        indicator=world.bn_indicator,
        period=world.period,
        gender=KoladaDifference.Gender.TOTAL,
        typed_value=typed.total,
        kolada_value=Decimal("90.5"),
        fetched_at=timezone.now(),
    )
    # A comparison chosen by a controller, for the page that removes it.
    world.kolada_comparison = KoladaComparison.objects.create(
        kind=KoladaComparison.Kind.MUNICIPALITY, kolada_id="1885", title="Lindesberg"
    )


def bn_period(w):
    return [w.bn.pk, w.period.pk]


def bn_csv(w):
    text = f"Indicator id;Total;Comment\n{w.bn_indicator.pk};91,5;Från fil\n"
    return {"file": SimpleUploadedFile("bn.csv", text.encode())}


def bn_values(w):
    return tuple(
        IndicatorValue.objects.filter(indicator=w.bn_indicator, period=w.period).values_list(
            "total", "version"
        )
    )


def kolada_file(w):
    doc = {
        "values": [
            {
                "kpi": "N01951",
                "municipality": settings.MUNICIPALITY_ID,
                "period": YEAR - 3,
                "values": [{"gender": "T", "value": 10512}],
            }
        ]
    }
    return {"file": SimpleUploadedFile("kolada.json", json.dumps(doc).encode())}


def difference_and_value(w):
    difference = KoladaDifference.objects.get(pk=w.kolada_difference.pk)
    value = IndicatorValue.objects.get(indicator=w.bn_indicator, period=w.period)
    return difference.state, value.total, value.version


def difference_args(w):
    return [w.kolada_difference.pk]


def comparison_args(w):
    return [w.kolada_comparison.pk]


def comparisons(w):
    return list(KoladaComparison.objects.values_list("kind", "kolada_id", "members"))


def kolada_written(w):
    return (
        ReportingPeriod.objects.count(),
        IndicatorValue.objects.filter(source=IndicatorValue.Source.KOLADA).count(),
    )


ROWS = [
    Row("followup:files", expect=READERS),
    Row("followup:files", method="POST", data=lambda w: {}, expect=NOT_A_FORM),
    Row("followup:kolada_import", expect=CONTROLLERS),
    Row(
        "followup:kolada_import",
        method="POST",
        data=kolada_file,
        expect=CONTROLLERS_UPLOAD,
        unchanged=kolada_written,
    ),
    Row("followup:kolada_fetch", expect=NOT_A_FORM),
    Row(
        "followup:kolada_fetch",
        method="POST",
        data=lambda w: {},
        expect=CONTROLLERS_UPLOAD,
        unchanged=lambda w: KoladaFetch.objects.count(),
    ),
    # The KPI search, for those who may edit the goal's (or the indicator's) form; without a query it asks
    # Kolada nothing.
    Row("followup:kolada_kpi_search", args=lambda w: [w.bn_goal.pk], expect=BN_FILES),
    Row(
        "followup:kolada_kpi_search",
        args=lambda w: [w.bn_goal.pk],
        method="POST",
        data=lambda w: {},
        expect=NOT_A_FORM,
    ),
    Row("followup:kolada_kpi_search_indicator", args=lambda w: [w.bn_indicator.pk], expect=BN_FILES),
    Row(
        "followup:kolada_kpi_search_indicator",
        args=lambda w: [w.bn_indicator.pk],
        method="POST",
        data=lambda w: {},
        expect=NOT_A_FORM,
    ),
    Row("followup:kolada_differences", expect=CONTROLLERS),
    Row("followup:kolada_differences", method="POST", data=lambda w: {}, expect=NOT_A_FORM),
    Row("followup:kolada_difference_keep", args=difference_args, expect=NOT_A_FORM),
    Row(
        "followup:kolada_difference_keep",
        args=difference_args,
        method="POST",
        data=lambda w: {},
        expect=CONTROLLERS_UPLOAD,
        unchanged=difference_and_value,
    ),
    # Choosing the comparisons: controllers only. A POST without a search finds nothing to add (no request).
    Row("followup:kolada_comparisons", expect=CONTROLLERS),
    Row(
        "followup:kolada_comparisons",
        method="POST",
        data=lambda w: {},
        expect=CONTROLLERS_UPLOAD,
    ),
    Row("followup:kolada_comparison_remove", args=comparison_args, expect=NOT_A_FORM),
    Row(
        "followup:kolada_comparison_remove",
        args=comparison_args,
        method="POST",
        data=lambda w: {},
        expect=CONTROLLERS_UPLOAD,
        unchanged=comparisons,
    ),
    Row("followup:kolada_difference_take", args=difference_args, expect=NOT_A_FORM),
    Row(
        "followup:kolada_difference_take",
        args=difference_args,
        method="POST",
        data=lambda w: {},
        expect=CONTROLLERS_UPLOAD,
        unchanged=difference_and_value,
    ),
    Row("followup:values_template", args=bn_period, expect=BN_FILES),
    Row("followup:values_template", args=bn_period, method="POST", data=lambda w: {}, expect=NOT_A_FORM),
    Row("followup:values_upload", args=bn_period, expect=BN_FILES),
    Row(
        "followup:values_upload",
        args=bn_period,
        method="POST",
        data=bn_csv,
        expect=BN_UPLOAD,
        unchanged=bn_values,
    ),
    # A closed period takes no upload: nobody finds its upload page.
    Row(
        "followup:values_upload",
        args=lambda w: [w.bn.pk, w.closed_period.pk],
        method="POST",
        data=bn_csv,
        expect=expect(reader=403, rest=404),
        unchanged=lambda w: IndicatorValue.objects.count(),
    ),
    Row("followup:export_xlsx", args=bn_period, expect=READERS),
    Row("followup:export_xlsx", args=bn_period, method="POST", data=lambda w: {}, expect=NOT_A_FORM),
    Row("followup:export_csv", args=bn_period, expect=READERS),
    Row("followup:export_csv", args=bn_period, method="POST", data=lambda w: {}, expect=NOT_A_FORM),
    Row("followup:opendata_json", expect=PUBLIC),
    Row("followup:opendata_json", method="POST", data=lambda w: {}, expect=PUBLIC_NOT_A_FORM),
    Row("followup:opendata_csv", expect=PUBLIC),
    Row("followup:opendata_csv", method="POST", data=lambda w: {}, expect=PUBLIC_NOT_A_FORM),
    Row("followup:opendata_csv_excel", expect=PUBLIC),
    Row("followup:opendata_csv_excel", method="POST", data=lambda w: {}, expect=PUBLIC_NOT_A_FORM),
    Row("followup:opendata_dcat", expect=PUBLIC),
    Row("followup:opendata_dcat", method="POST", data=lambda w: {}, expect=PUBLIC_NOT_A_FORM),
]


# The import services themselves, called as each persona (no view in front): the rows say who they accept.
# A view answers 403/404 first; these make sure no other path (a command, a shell, a later view) skips it.
SERVICE_ROWS = {
    "upload BN's values": expect(anonymous=403, reader=403, editor_ks=403, rest=200),
    "upload the council's values": expect(anonymous=403, reader=403, editor_bn=403, editor_ks=403, rest=200),
    "import Kolada into a council indicator": expect(
        anonymous=403, reader=403, editor_bn=403, editor_ks=403, rest=200
    ),
}
