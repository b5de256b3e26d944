"""The users' memberships, their history and the audit log, moved from the goals app with their rows.

The tables were renamed by goals 0006 (accounts_membership, accounts_historicalmembership, accounts_auditevent);
this migration only tells Django's state that the models now live here, and moves their content types (and with
them the permissions groups hold) to the accounts app. goals 0007 then drops them from the goals app's state.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MODELS = ["membership", "historicalmembership", "auditevent"]


def move_content_types(apps, schema_editor, source="goals", target="accounts"):
    content_types = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_types.objects.filter(app_label=target, model=model).exists():
            content_types.objects.filter(app_label=source, model=model).update(app_label=target)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="accounts", target="goals")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("goals", "0006_membership_auditevent_tables_for_accounts"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='AuditEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='when')),
                        ('action', models.CharField(db_index=True, max_length=60, verbose_name='action')),
                        ('object_type', models.CharField(blank=True, max_length=60, verbose_name='object type')),
                        ('object_id', models.CharField(blank=True, max_length=60, verbose_name='object id')),
                        ('summary', models.TextField(verbose_name='summary')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL, verbose_name='by')),
                    ],
                    options={
                        'verbose_name': 'audit event',
                        'verbose_name_plural': 'audit events',
                        'ordering': ['-at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalMembership',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('role', models.CharField(choices=[('reader', 'Reader'), ('editor', 'Editor'), ('controller', 'Controller'), ('admin', 'Administrator')], max_length=20, verbose_name='role')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organisation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='goals.organisation', verbose_name='organisation')),
                        ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'verbose_name': 'historical membership',
                        'verbose_name_plural': 'historical memberships',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Membership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('reader', 'Reader'), ('editor', 'Editor'), ('controller', 'Controller'), ('admin', 'Administrator')], max_length=20, verbose_name='role')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='goals.organisation', verbose_name='organisation')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'verbose_name': 'membership',
                        'verbose_name_plural': 'memberships',
                        'ordering': ['user', 'organisation', 'role'],
                        'constraints': [models.UniqueConstraint(fields=('user', 'organisation', 'role'), name='one_membership_per_role')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
