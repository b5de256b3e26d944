"""Every existing goal and indicator gets its stable key from its id: "mal-17", "ind-42" (goals.keys).

Their history rows get the same key, so that a row's history reads as one thing. Backwards the keys are
emptied again (the previous migration then drops the column).
"""

from django.db import migrations
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

# goals.keys.GOAL_PREFIX and INDICATOR_PREFIX as they were when this migration was written.
PREFIXES = {"Goal": "mal", "HistoricalGoal": "mal", "Indicator": "ind", "HistoricalIndicator": "ind"}


def fill(apps, schema_editor):
    for name, prefix in PREFIXES.items():
        model = apps.get_model("goals", name)
        model.objects.filter(key__isnull=True).update(
            key=Concat(Value(f"{prefix}-"), Cast("id", output_field=CharField()), output_field=CharField())
        )


def empty(apps, schema_editor):
    for name in PREFIXES:
        apps.get_model("goals", name).objects.update(key=None)


class Migration(migrations.Migration):
    dependencies = [("goals", "0019_goal_indicator_keys")]

    operations = [migrations.RunPython(fill, empty)]
