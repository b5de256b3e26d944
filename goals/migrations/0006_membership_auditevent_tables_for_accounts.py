"""Memberships, their history and the audit log move to the accounts app: their tables get its names first,
rows and all (a rename, nothing is copied). accounts 0001 then takes the models over in Django's state."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("goals", "0005_text_caps_authors_protected"),
    ]

    operations = [
        migrations.AlterModelTable(name="membership", table="accounts_membership"),
        migrations.AlterModelTable(name="historicalmembership", table="accounts_historicalmembership"),
        migrations.AlterModelTable(name="auditevent", table="accounts_auditevent"),
    ]
