"""Create the database cache table of the rendered goal tree (goals/treecache.py, settings.CACHES).

A migration rather than a separate `createcachetable` step, so that every `migrate` (make run, tests,
benchmarks, a deployment) has the table before the first tree write needs it. `createcachetable` skips
tables that exist and caches that are not database caches.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("goals", "0003_history")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=True)]
