"""Memberships, their history and the audit log now live in the accounts app (accounts 0001): they leave the
goals app's state only; their tables and rows stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("goals", "0006_membership_auditevent_tables_for_accounts"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="HistoricalMembership"),
                migrations.DeleteModel(name="Membership"),
                migrations.DeleteModel(name="AuditEvent"),
            ],
        ),
    ]
