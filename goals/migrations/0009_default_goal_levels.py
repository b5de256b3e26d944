"""Nora's five levels, the default styrmodell, with today's rules: every existing goal's level is among them."""

from django.db import migrations

# key, name, plural, owner kinds, parent levels, owner within the parent's owner, headline (frozen here).
LEVELS = (
    ("vision", "Vision", "Visioner", ["council"], [], False, False),
    ("overarching", "Övergripande mål", "Övergripande mål", ["council"], ["vision"], False, False),
    ("council", "KF-mål", "KF-mål", ["council"], ["overarching"], False, True),
    ("board", "Nämndmål", "Nämndmål", ["board", "committee"], ["council"], False, False),
    ("unit", "Verksamhetsmål", "Verksamhetsmål", ["board", "committee", "unit"], ["board"], True, False),
)


def install(apps, schema_editor):
    GoalLevel = apps.get_model("goals", "GoalLevel")
    if GoalLevel.objects.exists():
        return
    rows = {}
    for position, (key, name, plural, owners, _parents, within, headline) in enumerate(LEVELS):
        rows[key] = GoalLevel.objects.create(
            key=key,
            name=name,
            plural=plural,
            position=position,
            owner_kinds=owners,
            owner_within_parent=within,
            is_headline=headline,
        )
    for key, _name, _plural, _owners, parents, _within, _headline in LEVELS:
        rows[key].parents.set([rows[p] for p in parents])


def remove(apps, schema_editor):
    apps.get_model("goals", "GoalLevel").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0008_goal_levels"),
    ]

    operations = [migrations.RunPython(install, remove)]
