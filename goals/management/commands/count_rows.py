import json

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = (
        "Print the number of rows in every table of the database as JSON (compare a backup with its source)."
    )

    def handle(self, *args, **options):
        tables = sorted(set(connection.introspection.table_names()))
        counts = {}
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                counts[table] = cursor.fetchone()[0]
        # Every model's table is there: a restore that lost one says so by its absence.
        missing = sorted({m._meta.db_table for m in apps.get_models()} - set(tables))
        self.stdout.write(json.dumps({"tables": counts, "missing": missing}, indent=1, sort_keys=True))
