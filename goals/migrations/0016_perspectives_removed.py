"""The perspectives live on as the categories of the set "perspektiv" (migration 0015)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("goals", "0015_perspectives_to_categories")]

    operations = [
        migrations.DeleteModel(name="HistoricalGoal_perspectives"),
        migrations.RemoveField(model_name="goal", name="perspectives"),
        migrations.DeleteModel(name="HistoricalPerspective"),
        migrations.DeleteModel(name="Perspective"),
    ]
