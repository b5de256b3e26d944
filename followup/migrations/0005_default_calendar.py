"""Nora's reporting calendar, the default: the kinds in use are those of the installation's own periods (all
of Nora's when it has none yet), and every existing period gets its cut-off date."""

import datetime

from django.db import migrations

# kind, cut-off (month, day), in use without periods, steps (name, kinds, codes, working days) — frozen here.
STEPS_INTERIM = (
    ("Enheter och förvaltningar", ["unit", "administration"], [], 8),
    ("Nämnder, utskott och bolag", ["board", "committee", "company"], [], 14),
    ("Kommunstyrelsen", [], ["KS"], 20),
    ("Kommunfullmäktige", ["council"], [], 30),
)
SCHEME = (
    ("interim_april", (4, 30), False, STEPS_INTERIM),
    ("interim_august", (8, 31), True, STEPS_INTERIM),
    (
        "annual",
        (12, 31),
        True,
        (
            ("Enheter och förvaltningar", ["unit", "administration"], [], 20),
            ("Nämnder, utskott och bolag", ["board", "committee", "company"], [], 30),
            ("Kommunstyrelsen", [], ["KS"], 45),
            ("Kommunfullmäktige", ["council"], [], 70),
        ),
    ),
)


def install(apps, schema_editor):
    SchemePeriod = apps.get_model("followup", "SchemePeriod")
    DeadlineStep = apps.get_model("followup", "DeadlineStep")
    ReportingPeriod = apps.get_model("followup", "ReportingPeriod")
    if SchemePeriod.objects.exists():
        return
    kinds_used = set(ReportingPeriod.objects.values_list("kind", flat=True))
    for kind, (month, day), default_in_use, steps in SCHEME:
        in_use = kind in kinds_used if kinds_used else default_in_use
        scheme = SchemePeriod.objects.create(kind=kind, cutoff_month=month, cutoff_day=day, in_use=in_use)
        for position, (name, org_kinds, codes, days) in enumerate(steps):
            DeadlineStep.objects.create(
                scheme_period=scheme,
                position=position,
                name=name,
                organisation_kinds=org_kinds,
                organisation_codes=codes,
                working_days=days,
            )
        for period in ReportingPeriod.objects.filter(kind=kind, cutoff__isnull=True):
            period.cutoff = datetime.date(period.year, month, day)
            period.save(update_fields=["cutoff"])


def remove(apps, schema_editor):
    apps.get_model("followup", "DeadlineStep").objects.all().delete()
    apps.get_model("followup", "SchemePeriod").objects.all().delete()
    apps.get_model("followup", "ReportingPeriod").objects.update(cutoff=None)


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0004_reporting_calendar"),
    ]

    operations = [migrations.RunPython(install, remove)]
