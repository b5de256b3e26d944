"""Every stored target becomes a one-year span (from = to = its year) with the comparison its indicator's
direction gave it ("at least" when higher is better, "at most" when lower is) and an absolute tolerance, so
that each keeps its meaning and its signals. The history's rows are given the same.
"""

from django.db import migrations, models


def spans_from_years(apps, schema_editor):
    Target = apps.get_model("goals", "Target")
    Target.objects.update(to_year=models.F("from_year"), tolerance_unit="absolute")
    Target.objects.filter(indicator__direction="lower").update(comparison="at_most")
    Target.objects.exclude(indicator__direction="lower").update(comparison="at_least")
    HistoricalTarget = apps.get_model("goals", "HistoricalTarget")
    HistoricalTarget.objects.update(to_year=models.F("from_year"), tolerance_unit="absolute")
    lower = apps.get_model("goals", "Indicator").objects.filter(direction="lower").values("pk")
    HistoricalTarget.objects.filter(indicator_id__in=lower).update(comparison="at_most")


def years_from_spans(apps, schema_editor):
    """Back to one target a year: a span keeps its first year (the others cannot be stored one by one)."""


class Migration(migrations.Migration):
    dependencies = [("goals", "0011_target_spans_indicator_limits")]

    operations = [migrations.RunPython(spans_from_years, years_from_spans)]
