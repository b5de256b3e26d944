"""A goal's level becomes a reference to its GoalLevel; the column keeps the level's key, so rows stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0009_default_goal_levels"),
    ]

    operations = [
        migrations.AlterField(
            model_name="goal",
            name="level_kind",
            field=models.ForeignKey(
                db_column="level_kind",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="goals",
                to="goals.goallevel",
                to_field="key",
                verbose_name="level",
            ),
        ),
        migrations.AlterField(
            model_name="historicalgoal",
            name="level_kind",
            field=models.ForeignKey(
                blank=True,
                db_column="level_kind",
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="goals.goallevel",
                to_field="key",
                verbose_name="level",
            ),
        ),
    ]
