"""A target's last year is required (0007 filled it in), and a span runs forwards and starts once."""

import django.core.validators
from django.db import migrations, models

YEAR_VALIDATORS = [
    django.core.validators.MinValueValidator(1900),
    django.core.validators.MaxValueValidator(2200),
]


def to_year_field():
    return models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS, verbose_name="to year")


class Migration(migrations.Migration):
    dependencies = [("goals", "0012_targets_from_years")]

    operations = [
        migrations.AlterField(model_name="target", name="to_year", field=to_year_field()),
        migrations.AlterField(model_name="historicaltarget", name="to_year", field=to_year_field()),
        migrations.AddConstraint(
            model_name="target",
            constraint=models.UniqueConstraint(
                fields=("indicator", "from_year"), name="one_target_per_indicator_and_start"
            ),
        ),
        migrations.AddConstraint(
            model_name="target",
            constraint=models.CheckConstraint(
                condition=models.Q(to_year__gte=models.F("from_year")), name="target_span_in_order"
            ),
        ),
    ]
