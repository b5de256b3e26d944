"""The styrmodell as data: goal levels, and the organisation kinds administration and company."""

import django.db.models.deletion
import goals.textinput
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0007_membership_auditevent_moved_to_accounts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalorganisation",
            name="kind",
            field=models.CharField(
                choices=[
                    ("council", "Council"),
                    ("board", "Board"),
                    ("committee", "Committee"),
                    ("administration", "Administration"),
                    ("unit", "Unit"),
                    ("company", "Municipal company"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="kind",
            field=models.CharField(
                choices=[
                    ("council", "Council"),
                    ("board", "Board"),
                    ("committee", "Committee"),
                    ("administration", "Administration"),
                    ("unit", "Unit"),
                    ("company", "Municipal company"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.CreateModel(
            name="GoalLevel",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "key",
                    models.SlugField(
                        help_text='A short fixed name used in files and addresses, e.g. "council".',
                        max_length=20,
                        unique=True,
                        verbose_name="key",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        max_length=100,
                        validators=[goals.textinput.refuse_control_characters],
                        verbose_name="name",
                    ),
                ),
                (
                    "plural",
                    models.CharField(
                        max_length=100,
                        validators=[goals.textinput.refuse_control_characters],
                        verbose_name="name in plural",
                    ),
                ),
                ("position", models.PositiveIntegerField(default=0, verbose_name="order")),
                (
                    "owner_kinds",
                    models.JSONField(
                        default=list,
                        help_text="Which kinds of organisation may own its goals.",
                        verbose_name="owner kinds",
                    ),
                ),
                (
                    "owner_within_parent",
                    models.BooleanField(
                        default=False,
                        help_text="Its goals are owned by the organisation of their parent goal or one of its parts.",
                        verbose_name="owner within the parent goal's owner",
                    ),
                ),
                (
                    "is_headline",
                    models.BooleanField(
                        default=False,
                        help_text="The level whose goals the annual report's headline counts.",
                        verbose_name="counted in the report's headline",
                    ),
                ),
                (
                    "parents",
                    models.ManyToManyField(
                        blank=True,
                        help_text="None: its goals are the top of the chain.",
                        related_name="child_levels",
                        to="goals.goallevel",
                        verbose_name="may be placed under",
                    ),
                ),
            ],
            options={
                "verbose_name": "goal level",
                "verbose_name_plural": "goal levels",
                "ordering": ["position", "pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalGoalLevel",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "key",
                    models.SlugField(
                        help_text='A short fixed name used in files and addresses, e.g. "council".',
                        max_length=20,
                        verbose_name="key",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        max_length=100,
                        validators=[goals.textinput.refuse_control_characters],
                        verbose_name="name",
                    ),
                ),
                (
                    "plural",
                    models.CharField(
                        max_length=100,
                        validators=[goals.textinput.refuse_control_characters],
                        verbose_name="name in plural",
                    ),
                ),
                ("position", models.PositiveIntegerField(default=0, verbose_name="order")),
                (
                    "owner_kinds",
                    models.JSONField(
                        default=list,
                        help_text="Which kinds of organisation may own its goals.",
                        verbose_name="owner kinds",
                    ),
                ),
                (
                    "owner_within_parent",
                    models.BooleanField(
                        default=False,
                        help_text="Its goals are owned by the organisation of their parent goal or one of its parts.",
                        verbose_name="owner within the parent goal's owner",
                    ),
                ),
                (
                    "is_headline",
                    models.BooleanField(
                        default=False,
                        help_text="The level whose goals the annual report's headline counts.",
                        verbose_name="counted in the report's headline",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical goal level",
                "verbose_name_plural": "historical goal levels",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalGoalLevel_parents",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "from_goallevel",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="goals.goallevel",
                    ),
                ),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="goals.historicalgoallevel",
                    ),
                ),
                (
                    "to_goallevel",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="goals.goallevel",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalGoalLevel_parents",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddConstraint(
            model_name="goallevel",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_headline", True)), fields=("is_headline",), name="one_headline_level"
            ),
        ),
    ]
