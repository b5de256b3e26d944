"""Targets for a span of years with a comparison and a tolerance band; indicators with their own limits.

The columns only: 0007 fills the new target columns from the old ones and 0008 makes `to_year` required
and adds the span's constraints. They are three migrations (three transactions) because PostgreSQL
refuses to alter a table in the transaction that has just updated its rows under deferred foreign keys.
"""

from decimal import Decimal

import django.core.validators
from django.db import migrations, models

import goals.textinput

YEAR_VALIDATORS = [
    django.core.validators.MinValueValidator(1900),
    django.core.validators.MaxValueValidator(2200),
]


def indicator_fields():
    return [
        ("kolada_scale", models.DecimalField(
            decimal_places=6, default=1, max_digits=16, verbose_name="Kolada scale factor",
            validators=[django.core.validators.MinValueValidator(Decimal("0.000001"))],
            help_text="Kolada's values are multiplied by this on import: 0,01 turns per 100 000 into per 1 000.",
        )),
        ("description", models.TextField(
            blank=True, max_length=20000, verbose_name="description",
            help_text="Markdown: how it is measured (mätmetod), its definition and its source.",
            validators=[django.core.validators.MaxLengthValidator(20000), goals.textinput.refuse_control_characters],
        )),
        ("valid_from", models.PositiveSmallIntegerField(
            blank=True, null=True, validators=YEAR_VALIDATORS, verbose_name="valid from (year)"
        )),
        ("valid_to", models.PositiveSmallIntegerField(
            blank=True, null=True, validators=YEAR_VALIDATORS, verbose_name="valid to (year)"
        )),
        ("allow_negative", models.BooleanField(
            default=False, verbose_name="negative values allowed",
            help_text="For measures that can fall below zero: a budget result, a change in population.",
        )),
        ("allow_above_100", models.BooleanField(
            default=False, verbose_name="shares above 100 percent allowed",
            help_text="For a share or percentage that can pass 100, such as a share of the budget used.",
        )),
    ]  # fmt: skip


def target_fields():
    return [
        ("to_year", models.PositiveSmallIntegerField(null=True, validators=YEAR_VALIDATORS, verbose_name="to year")),
        ("comparison", models.CharField(
            choices=[("at_least", "At least"), ("at_most", "At most"), ("exactly", "Exactly"),
                     ("within", "Within a range"), ("higher_than_last_year", "Higher than last year"),
                     ("lower_than_last_year", "Lower than last year")],
            default="at_least", max_length=24, verbose_name="comparison",
        )),
        ("high", models.DecimalField(
            blank=True, decimal_places=4, help_text="Only for a range.", max_digits=16, null=True,
            verbose_name="upper end",
        )),
        ("exclusive", models.BooleanField(
            default=False, help_text="The bound itself is not reached: “< 10”, “> 30”.",
            verbose_name="bound not included",
        )),
        ("tolerance_unit", models.CharField(
            choices=[("absolute", "In the indicator's unit"), ("percent", "Percent of the target")],
            default="absolute", max_length=10, verbose_name="tolerance in",
        )),
    ]  # fmt: skip


def value_field():
    return models.DecimalField(
        blank=True, decimal_places=4, max_digits=16, null=True, verbose_name="target value",
        help_text="The bound; for a range its lower end. Empty when the comparison is with last year.",
    )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("goals", "0010_goal_level_kind_fk")]

    operations = [
        *[
            migrations.AddField(model_name=model, name=name, field=field)
            for model in ("indicator", "historicalindicator")
            for name, field in indicator_fields()
        ],
        migrations.RemoveConstraint(model_name="target", name="one_target_per_indicator_and_year"),
        migrations.RenameField(model_name="target", old_name="year", new_name="from_year"),
        migrations.AlterModelOptions(
            name="target",
            options={
                "ordering": ["indicator", "from_year"],
                "verbose_name": "target",
                "verbose_name_plural": "targets",
            },
        ),
        migrations.RenameField(model_name="historicaltarget", old_name="year", new_name="from_year"),
        *[
            migrations.AlterField(
                model_name=model,
                name="from_year",
                field=models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS, verbose_name="from year"),
            )
            for model in ("target", "historicaltarget")
        ],
        *[
            migrations.AddField(model_name=model, name=name, field=field)
            for model in ("target", "historicaltarget")
            for name, field in target_fields()
        ],
        migrations.AlterField(model_name="target", name="value", field=value_field()),
        migrations.AlterField(model_name="historicaltarget", name="value", field=value_field()),
    ]
