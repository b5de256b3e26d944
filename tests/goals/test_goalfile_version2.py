"""Goal file version 2: any styrmodell, stable keys, targets as written, every error of a file at once."""

import json
from datetime import date
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from goals import goalfile, keys, tree
from goals.categories import categories_by_set
from goals.goalfile import GoalFileError, ImportRefused
from goals.models import Assignment, Category, Goal, GoalLevel, Indicator, Organisation, Target
from tests import factories
from tests.goals.test_goalfile import NORA, counts, empty_database, import_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def malmo_doc():
    """A Malmö-like styrmodell (see test_other_styrmodell.py): målområden and a financial goal at the top,
    KF goals under the målområden, nämndsmål of boards and companies under the KF or the financial goals;
    the headline counts the KF goals. A board's indicator sits on a KF goal; targets of every kind."""
    return {
        "format": "noramal-goals",
        "version": 2,
        "municipality": "Malmö stad",
        "levels": [
            {"key": "malomrade", "name": "Målområde", "plural": "Målområden", "owners": ["council"],
             "parents": []},
            {"key": "finansiellt", "name": "Finansiellt mål", "plural": "Finansiella mål",
             "owners": ["council"], "parents": []},
            {"key": "kfmal", "name": "Kommunfullmäktigemål", "plural": "Kommunfullmäktigemål",
             "owners": ["council"], "parents": ["malomrade"]},
            {"key": "namndsmal", "name": "Nämndsmål", "plural": "Nämndsmål", "owners": ["board", "company"],
             "parents": ["finansiellt", "kfmal"]},
        ],
        "headline_level": "kfmal",
        "organisations": [
            {"code": "KF", "name": "Kommunfullmäktige", "kind": "council", "parent": None},
            {"code": "TN", "name": "Tekniska nämnden", "kind": "board", "parent": "KF"},
            {"code": "MKB", "name": "MKB Fastighets AB", "kind": "company", "parent": "KF"},
            {"code": "SBF", "name": "Stadsbyggnadsförvaltningen", "kind": "administration", "parent": "TN"},
        ],
        "category_sets": [
            {"key": "perspektiv", "name": "Perspektiv", "categories": [
                {"name": "Ekologisk hållbarhet", "description": "Klimat och miljö."}, {"name": "Trygghet"},
            ]},
        ],
        "goals": [
            {
                "key": "trygg-stad",
                "level": "malomrade",
                "title": "En trygg och tillgänglig stad",
                "owner": "KF",
                "categories": {"perspektiv": ["Trygghet"]},
                "children": [
                    {
                        "key": "kf-trygghet",
                        "level": "kfmal",
                        "title": "Tryggheten och säkerheten ökar i hemmet och i det offentliga rummet",
                        "owner": "KF",
                        "decision": "KF § 12 2016-02-25",
                        "valid_from": 2016,
                        "valid_to": 2018,
                        "indicators": [
                            {"key": "otrygghet", "name": "Andel som känner sig otrygga", "owner": "TN",
                             "unit": "%", "direction": "lower", "decimals": 1, "targets": [
                                 {"from": 2016, "to": 2018, "comparison": "at_most", "value": 10,
                                  "exclusive": True, "tolerance": 5, "tolerance_unit": "percent"},
                             ]},
                            {"name": "Antal anmälda brott", "unit": "antal", "direction": "lower",
                             "targets": [{"from": 2016, "to": 2016, "comparison": "lower_than_last_year"}]},
                        ],
                        "children": [
                            {"level": "namndsmal", "title": "Fler trygga bostadsområden", "owner": "MKB",
                             "activities": [{"title": "Belysning i Rosengård", "owner": "MKB"}]},
                        ],
                    }
                ],
            },
            {
                "key": "resultat",
                "level": "finansiellt",
                "title": "Resultatet ska uppgå till minst en procent av skatteintäkterna",
                "owner": "KF",
                "indicators": [
                    {"key": "resultat-andel", "name": "Resultat i procent av skatteintäkter", "unit": "%",
                     "decimals": 1, "allow_negative": True, "targets": [
                         {"from": 2016, "to": 2016, "comparison": "within", "low": 1, "high": 2.5,
                          "tolerance": 0.5},
                         {"from": 2017, "to": 2019, "comparison": "at_least", "value": 1},
                     ]},
                ],
                "children": [
                    {"key": "tn-budget", "level": "namndsmal", "title": "Tekniska nämnden håller sin budget",
                     "owner": "TN"},
                ],
            },
        ],
    }  # fmt: skip


def export_text(**options):
    return goalfile.dumps(goalfile.export_document(**options))


def reimport(text):
    """Empty the goals (the styrmodell stays) and import `text` again."""
    empty_database()
    import_text(text)


# --- Round trips ----------------------------------------------------------------------------------


def test_nora_in_version_2_round_trips_byte_for_byte_with_the_same_data():
    import_text(NORA.read_text("utf-8"))
    titles = list(Goal.objects.in_tree_order().values_list("level_kind", "title"))
    before = counts()
    first = export_text()
    assert first.startswith('{\n  "format": "noramal-goals",\n  "version": 2,\n')
    reimport(first)
    assert export_text() == first
    assert list(Goal.objects.in_tree_order().values_list("level_kind", "title")) == titles
    assert {k: v for k, v in counts().items() if k != "AuditEvent"} == {
        k: v for k, v in before.items() if k != "AuditEvent"
    }
    # And the old shape is still what version 1 writes.
    assert export_text(version=1) == NORA.read_text("utf-8")


def test_another_styrmodell_installs_from_the_file_and_round_trips_byte_for_byte():
    GoalLevel.objects.exists()  # the installation has Nora's default levels and no goal
    import_text(goalfile.dumps(malmo_doc()))
    levels = list(GoalLevel.objects.order_by("position").values_list("key", "name", "is_headline"))
    assert levels == [
        ("malomrade", "Målområde", False),
        ("finansiellt", "Finansiellt mål", False),
        ("kfmal", "Kommunfullmäktigemål", True),
        ("namndsmal", "Nämndsmål", False),
    ]
    assert sorted(GoalLevel.objects.get(key="namndsmal").parents.values_list("key", flat=True)) == [
        "finansiellt", "kfmal",
    ]  # fmt: skip
    assert Goal.objects.filter(parent=None).count() == 2
    owned = Indicator.objects.get(key="otrygghet")
    assert (owned.owner.code, owned.goal.key) == ("TN", "kf-trygghet")
    target = Target.objects.get(indicator__key="resultat-andel", from_year=2016)
    assert (target.comparison, target.value, target.high, target.tolerance) == ("within", 1, 2.5, 0.5)
    first = export_text()
    reimport(first)
    assert export_text() == first
    # The goals the file gave no key got theirs from their ids, and kept them through the round trip.
    unkeyed = Goal.objects.get(title="Fler trygga bostadsområden")
    assert unkeyed.key.startswith("mal-")
    assert f'"key": "{unkeyed.key}"' in first


def test_the_same_styrmodell_again_writes_no_level():
    import_text(goalfile.dumps(malmo_doc()))
    history = GoalLevel.history.count()
    reimport(export_text())
    assert GoalLevel.history.count() == history


def test_a_file_with_another_styrmodell_is_refused_while_goals_are_there():
    import_text(NORA.read_text("utf-8"))
    before = counts()
    with pytest.raises(ImportRefused):
        import_text(goalfile.dumps(malmo_doc()))
    assert counts() == before
    assert GoalLevel.objects.filter(key="council").exists()
    # Replacing the goals (no follow-up hangs on them) replaces the styrmodell with them.
    import_text(goalfile.dumps(malmo_doc()), replace=True)
    assert set(GoalLevel.objects.values_list("key", flat=True)) == {
        "malomrade",
        "finansiellt",
        "kfmal",
        "namndsmal",
    }


def test_export_command_writes_version_2_and_version_1_on_request(tmp_path):
    call_command("import_goals", str(NORA), stdout=StringIO())
    out = StringIO()
    call_command("export_goals", stdout=out)
    assert '"version": 2' in out.getvalue() and '"levels": [' in out.getvalue()
    path = tmp_path / "nora.json"
    call_command("export_goals", "--format-version", "1", "--out", str(path), stdout=StringIO())
    assert path.read_bytes() == NORA.read_bytes()


# --- Keys -----------------------------------------------------------------------------------------


def test_goals_and_indicators_made_on_the_pages_get_keys_from_their_ids():
    kf = factories.council()
    vision = tree.create_goal(parent=None, title="Vision", owner=kf, level_kind="vision")
    assert vision.key == f"mal-{vision.pk}"
    assert Goal.objects.get(pk=vision.pk).key == vision.key
    assert vision.history.get().key == vision.key
    indicator = Indicator.objects.create(goal=vision, name="Invånare", unit="antal", owner=kf)
    assert Indicator.objects.get(pk=indicator.pk).key == f"ind-{indicator.pk}"
    assert indicator.history.get().key == f"ind-{indicator.pk}"


def test_a_key_made_from_an_id_steps_aside_for_a_key_given_by_hand():
    kf = factories.council()
    vision = tree.create_goal(parent=None, title="Vision", owner=kf, level_kind="vision")
    taken = f"mal-{vision.pk + 1}"
    tree.create_goal(parent=vision, title="Given", owner=kf, level_kind="overarching", key=taken)
    made = tree.create_goal(parent=vision, title="Made", owner=kf, level_kind="overarching")
    assert made.key == keys.key_from_id("mal", made.pk, {taken})
    assert Goal.objects.filter(key=made.key).count() == 1


def test_keys_given_in_the_file_are_kept():
    import_text(goalfile.dumps(malmo_doc()))
    assert set(Goal.objects.exclude(key__startswith="mal-").values_list("key", flat=True)) == {
        "trygg-stad", "kf-trygghet", "resultat", "tn-budget",
    }  # fmt: skip
    made = Indicator.objects.get(name="Antal anmälda brott")
    assert made.key == f"ind-{made.pk}"


# --- Refusals -------------------------------------------------------------------------------------


def refusal(doc_or_text):
    text = doc_or_text if isinstance(doc_or_text, str) else goalfile.dumps(doc_or_text)
    before = counts()
    with pytest.raises(GoalFileError) as error:
        import_text(text)
    assert counts() == before
    return str(error.value).splitlines()


def test_every_error_of_a_file_comes_in_one_run_each_with_its_place():
    doc = malmo_doc()
    kf_goal = doc["goals"][0]["children"][0]
    kf_goal["owner"] = "XX"
    kf_goal["indicators"][0]["targets"][0]["value"] = "10"
    kf_goal["indicators"][1]["decimals"] = 9
    doc["goals"][1]["children"][0]["key"] = "resultat"
    doc["goals"][1]["indicators"][0]["targets"][0].pop("high")
    assert refusal(doc) == [
        'goals[0].children[0].owner: unknown organisation "XX"',
        'goals[0].children[0].indicators[0].targets[0].value: expected a number, got the string "10"',
        "goals[0].children[0].indicators[1].decimals: Ensure this value is less than or equal to 4.",
        "goals[1].indicators[0].targets[0].high: A range needs its upper end.",
        'goals[1].children[0].key: the key "resultat" is already used at goals[1].key',
    ]


def test_more_than_fifty_errors_are_counted_past_the_fiftieth():
    doc = malmo_doc()
    doc["goals"][1]["children"] = [{"level": "namndsmal", "title": "", "owner": "TN"}] * 60
    lines = refusal(doc)
    assert len(lines) == 51
    assert lines[0] == "goals[1].children[0].title: must not be empty"
    assert lines[-1] == "… and 10 more errors"
    with translation.override("sv"):
        assert refusal(doc)[-1] == "… och 10 fel till"


def test_levels_that_break_the_chain_rules_are_refused_with_their_places():
    doc = malmo_doc()
    doc["levels"][0]["parents"] = ["namndsmal"]  # målområde under nämndsmål: a circle
    doc["levels"][1]["parents"] = ["budget"]
    doc["levels"][2]["owners"] = ["council", "party"]
    doc["headline_level"] = "kf"
    lines = refusal(doc)
    assert 'levels[1].parents[0]: unknown level "budget"' in lines
    assert any(line.startswith('levels[2].owners[1]: expected one of "council"') for line in lines)
    assert 'levels[0].parents: The level "Målområde" would come under itself through other levels.' in lines
    assert 'headline_level: unknown level "kf"' in lines
    assert GoalLevel.objects.filter(key="council").exists()


def test_a_goal_out_of_the_files_styrmodell_is_refused_at_its_place():
    doc = malmo_doc()
    doc["goals"][0]["children"][0]["children"][0]["level"] = "kfmal"  # a KF goal under a KF goal
    doc["goals"][1]["children"][0]["owner"] = "KF"  # the council owns no nämndsmål here
    assert refusal(doc) == [
        'goals[0].children[0].children[0].level: A goal at the level "Kommunfullmäktigemål" must be placed '
        'under a goal at the level "Målområde", not under one at the level "Kommunfullmäktigemål".',
        'goals[0].children[0].children[0].owner: A goal at the level "Kommunfullmäktigemål" is owned by a '
        "council, not by MKB Fastighets AB (MKB).",
        'goals[1].children[0].owner: A goal at the level "Nämndsmål" is owned by a board or municipal '
        "company, not by Kommunfullmäktige (KF).",
    ]


def doc_with_sets_and_assignments():
    """Malmö's file with a second set (one category ended in 2020), an indicator's categories and
    assignments on a goal and on none."""
    doc = malmo_doc()
    doc["category_sets"].append({"key": "agenda2030", "name": "Agenda 2030", "categories": [
        {"name": "11. Hållbara städer", "valid_from": 2016},
        {"name": "16. Fredliga samhällen", "description": "Fred och rättvisa.", "valid_to": 2020},
    ]})  # fmt: skip
    doc["goals"][0]["categories"] = {"agenda2030": ["16. Fredliga samhällen", "11. Hållbara städer"],
                                     "perspektiv": ["Trygghet"]}  # fmt: skip
    kf_goal = doc["goals"][0]["children"][0]
    indicator = kf_goal["indicators"][0]
    targets = indicator.pop("targets")  # the categories come before the targets, as export writes them
    indicator["categories"], indicator["targets"] = {"agenda2030": ["11. Hållbara städer"]}, targets
    kf_goal["assignments"] = [
        {"title": "Utred trygghetskameror", "decision": "KF § 12 2016-02-25", "owner": "TN",
         "due": "2017-06-30"},
        {"title": "Belys gångvägar", "description": "Först i Rosengård.", "owner": "MKB"},
    ]  # fmt: skip
    doc["assignments"] = [{"title": "Se över styrmodellen", "owner": "TN"}]
    return doc


def test_every_category_set_indicator_categories_and_assignments_round_trip():
    text = goalfile.dumps({**doc_with_sets_and_assignments(), "municipality": settings.MUNICIPALITY_NAME})
    import_text(text)
    ended = Category.objects.get(set__key="agenda2030", name="16. Fredliga samhällen")
    assert (ended.valid_from, ended.valid_to, ended.description) == (None, 2020, "Fred och rättvisa.")
    assert categories_by_set(Goal.objects.get(key="trygg-stad")) == {
        "agenda2030": ["16. Fredliga samhällen", "11. Hållbara städer"], "perspektiv": ["Trygghet"],
    }  # fmt: skip
    assert categories_by_set(Indicator.objects.get(key="otrygghet")) == {
        "agenda2030": ["11. Hållbara städer"]
    }
    kf_goal = Goal.objects.get(key="kf-trygghet")
    assert list(kf_goal.assignments.order_by("position").values_list("title", "owner__code", "due_date")) == [
        ("Utred trygghetskameror", "TN", date(2017, 6, 30)), ("Belys gångvägar", "MKB", None),
    ]  # fmt: skip
    assert list(Assignment.objects.filter(goal=None).values_list("title", flat=True)) == [
        "Se över styrmodellen"
    ]
    exported = export_text()
    # As written, except for the keys made for the goals and indicators the file gave none.
    assert json.loads(exported)["category_sets"] == json.loads(text)["category_sets"]
    assert json.loads(exported)["assignments"] == [{"title": "Se över styrmodellen", "owner": "TN"}]
    assert '"due": "2017-06-30"' in exported
    Assignment.objects.all().delete()
    reimport(exported)
    assert export_text() == exported


def test_unknown_categories_and_bad_assignments_are_refused_at_their_places():
    doc = doc_with_sets_and_assignments()
    doc["goals"][0]["categories"]["agenda2030"].append("99. Okänt")
    doc["goals"][0]["children"][0]["indicators"][0]["categories"] = {"malomraden": ["Trygghet"]}
    doc["goals"][0]["children"][0]["assignments"][0]["owner"] = "XN"
    doc["assignments"][0]["due"] = "2026-02-30"
    doc["category_sets"][1]["categories"][0]["valid_to"] = 2010
    assert refusal(doc) == [
        "category_sets[1].categories[0].valid_to: The last valid year comes before the first.",
        'goals[0].categories.agenda2030[2]: the set "Agenda 2030" has no category "99. Okänt"',
        'goals[0].children[0].indicators[0].categories.malomraden: unknown category set "malomraden"',
        'goals[0].children[0].assignments[0].owner: unknown organisation "XN"',
        'assignments[0].due: no such day: "2026-02-30"',
    ]


def test_range_and_bound_keys_are_checked():
    doc = malmo_doc()
    targets = doc["goals"][1]["indicators"][0]["targets"]
    targets[0]["value"] = 1
    targets[1]["low"] = 0
    assert refusal(doc) == [
        'goals[1].indicators[0].targets[0].value: a range is written with "low" and "high"',
        'goals[1].indicators[0].targets[1].low: only a range ("comparison": "within") has "low" and "high"',
    ]


# --- Hints for the usual mistakes -----------------------------------------------------------------


def text_with(old, new):
    text = goalfile.dumps(malmo_doc())
    assert old in text
    return text.replace(old, new, 1)


def test_a_decimal_comma_is_named():
    [line] = refusal(text_with('"high": 2.5', '"high": 2,5'))
    assert line.startswith("line ")
    assert "a decimal number is written with a point: 2.5, not 2,5" in line


@pytest.mark.parametrize("comment", ["// målområden", "/* målområden */"])
def test_a_comment_is_named(comment):
    [line] = refusal(text_with('  "levels": [', f'  {comment}\n  "levels": ['))
    assert "JSON has no comments" in line


def test_typographic_quotes_are_named():
    [line] = refusal(
        text_with('"municipality": "Malmö stad"', "\u201cmunicipality\u201d: \u201cMalmö stad\u201d")
    )
    assert "typographic quotes" in line


def test_a_file_in_windows_1252_is_named(tmp_path):
    path = tmp_path / "goals.json"
    path.write_bytes(goalfile.dumps(malmo_doc()).encode("cp1252"))
    with pytest.raises(CommandError) as error:
        call_command("import_goals", str(path), stdout=StringIO())
    assert "the file seems to be saved in Windows-1252; save it as UTF-8" in str(error.value)
    with translation.override("sv"), pytest.raises(CommandError) as error:
        call_command("import_goals", str(path), stdout=StringIO())
    assert "filen verkar vara sparad i Windows-1252; spara den som UTF-8" in str(error.value)
    assert not Goal.objects.exists()


def test_perspectives_come_and_go_through_the_category_set():
    import_text(goalfile.dumps(malmo_doc()))
    perspectives = Category.objects.filter(set__key="perspektiv").order_by("position")
    assert list(perspectives.values_list("name", flat=True)) == [
        "Ekologisk hållbarhet", "Trygghet",
    ]  # fmt: skip
    assert categories_by_set(Goal.objects.get(key="trygg-stad")) == {"perspektiv": ["Trygghet"]}
    assert Organisation.objects.get(code="SBF").kind == "administration"
    exported = goalfile.export_document()
    assert exported["category_sets"][0]["key"] == "perspektiv"
    assert exported["goals"][0]["categories"] == {"perspektiv": ["Trygghet"]}


def test_every_goal_and_indicator_of_a_version_1_import_gets_a_key():
    from goals.synthetic import synthetic_document

    goalfile.import_document(synthetic_document(300, boards=5))
    assert not Goal.objects.filter(key=None).exists()
    assert not Indicator.objects.filter(key=None).exists()
    some = Goal.objects.order_by("pk").first()
    assert some.key == f"mal-{some.pk}"
