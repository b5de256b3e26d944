"""The goal exchange format: Nora's data, round trips, every refusal, and the import/export commands."""

import copy
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import AuditEvent
from goals import categories, chain, goalfile
from goals.goalfile import GoalFileError, ImportRefused
from goals.models import Activity, Category, CategorySet, Goal, Indicator, Organisation, Target
from goals.synthetic import synthetic_document
from goals.treecheck import tree_violations
from tests import factories
from tests.levels import Level

NORA = Path(settings.BASE_DIR) / "fixtures" / "nora.json"
NORA_COUNCIL_GOALS = [
    "Nora kommun ska vara öppen och kommunikativ där invånarna känner tillit för verksamheten",
    "Nora kommun ska vara en klimat- och miljövänlig kommun som satsar på hållbara alternativ och "
    "tekniska lösningar",
    "Nora kommun ska använda sina ekonomiska resurser ansvarsfullt och produktivt och skapar utrymme för "
    "utveckling",
    "Nora kommun ska tillhandahålla välfärdstjänster och service av god kvalitet",
    "Nora kommun fokuserar på alla barns kunskapsutveckling, trivsel och trygghet",
    "Nora kommun ska verka för en sammanhållen kommun med en utvecklad infrastruktur",
    "Nora kommun ska verka för att levandegöra sina kulturmiljöer",
    "Nora kommun, i nära samarbete med föreningar, ska verka för aktiv fritid",
    "Nora kommun ska vara en arbetsgivare med fokus på arbetsmiljö, ledarskap, medarbetarskap och "
    "kompetensutveckling",
    "Nora kommun, i nära samarbete med föreningar, ska öka kulturutbudet för barn och unga",
    "Nora kommun ger en god service, gott bemötande samt har en hög tillgänglighet till näringslivet",
]
BOARD_GOAL = "council_goals[0].board_goals[0]"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The messages under test are the English source strings, whatever the default language is.
    with translation.override("en"):
        yield


def small_doc():
    """A small valid document: the council, two boards and a unit, one goal at every level."""
    return {
        "format": "noramal-goals",
        "version": 1,
        "municipality": "Nora kommun",
        "organisations": [
            {"code": "KF", "name": "Kommunfullmäktige", "kind": "council", "parent": None},
            {"code": "BN", "name": "Bildningsnämnden", "kind": "board", "parent": "KF"},
            {"code": "KS", "name": "Kommunstyrelsen", "kind": "board", "parent": "KF"},
            {"code": "BN-SKOLA", "name": "Grundskolan", "kind": "unit", "parent": "BN"},
        ],
        "perspectives": [{"name": "Livskvalitet", "description": "God livskvalitet för alla."}],
        "vision": {"title": "Vision"},
        "overarching_goal": {
            "title": "13 000 invånare 2030",
            "indicators": [
                {"name": "Invånare totalt", "unit": "antal", "targets": [{"year": 2030, "value": 13000}]}
            ],
        },
        "council_goals": [
            {
                "title": "Alla barns kunskapsutveckling",
                "perspectives": ["Livskvalitet"],
                "board_goals": [
                    {
                        "title": "Tillgängliga lärmiljöer",
                        "owner": "BN",
                        "indicators": [
                            {
                                "name": "Trygga elever",
                                "unit": "%",
                                "targets": [{"year": 2026, "value": 90, "tolerance": 5}],
                            }
                        ],
                        "activities": [
                            {"title": "Rutin", "start_date": "2025-01-15", "end_date": "2025-06-30"}
                        ],
                        "unit_goals": [{"title": "Läsning i årskurs 1", "owner": "BN-SKOLA"}],
                    }
                ],
            }
        ],
    }


def counts():
    models = (Organisation, CategorySet, Category, Goal, Indicator, Target, Activity, AuditEvent)
    return {model.__name__: model.objects.count() for model in models}


def import_text(text, **options):
    return goalfile.import_plan(goalfile.read(text), **options)


def export_text():
    return goalfile.dumps(goalfile.export_document(version=1))


def empty_database():
    """Remove goals, categories and organisations (parts before wholes: parents are protected)."""
    Goal.objects.all().delete()
    Category.objects.all().delete()
    CategorySet.objects.all().delete()
    while Organisation.objects.exists():
        Organisation.objects.filter(parts__isnull=True).delete()


def council_titles():
    return list(Goal.objects.of_level(Level.COUNCIL).in_tree_order().values_list("title", flat=True))


# --- Nora's data ----------------------------------------------------------------------------------


def test_nora_fixture_holds_the_seeds_goal_chain():
    import_text(NORA.read_text("utf-8"))

    vision = Goal.objects.get(level_kind=Level.VISION)
    assert vision.owner.code == "KF"
    assert vision.description.startswith("Nora ska vara en plats där drömmen om livet i småstaden")
    assert vision.description.endswith("Den skapas av alla som vill vara med och uppleva något nytt.")
    overarching = vision.get_children().get()
    assert (
        overarching.title == "Nora kommun är en hållbar och attraktiv boendekommun med 13 000 invånare 2030!"
    )
    assert overarching.valid_to == 2030
    residents = overarching.indicators.get()
    assert (residents.name, residents.unit, residents.kolada_kpi, residents.owner.code) == (
        "Invånare totalt", "antal", "N01951", "KF"
    )  # fmt: skip
    assert list(
        residents.targets.values_list("from_year", "to_year", "comparison", "value", "tolerance")
    ) == [(2030, 2030, "at_least", 13000, 0)]
    assert list(Category.objects.filter(set__key="perspektiv").values_list("name", flat=True)) == [
        "Hållbarhet",
        "Livskvalitet",
        "Attraktivitet",
    ]

    assert council_titles() == NORA_COUNCIL_GOALS
    council_goals = Goal.objects.of_level(Level.COUNCIL)
    assert {(g.decision, g.valid_to, g.owner.code) for g in council_goals} == {
        ("KF § 49 2020-06-10", 2030, "KF")
    }
    climate = council_goals.get(title__contains="klimat")
    assert categories.categories_by_set(climate) == {"perspektiv": ["Hållbarhet"]}
    assert CategorySet.objects.get().name == "Perspektiv"

    bn_goal = Goal.objects.get(level_kind=Level.BOARD)
    assert bn_goal.title == "Nora kommun ska satsa tillgängliga lärmiljöer och prioritera tidiga insatser"
    assert (bn_goal.owner.code, bn_goal.decision) == ("BN", "")
    assert (
        bn_goal.parent.title == "Nora kommun fokuserar på alla barns kunskapsutveckling, trivsel och trygghet"
    )
    assert list(
        bn_goal.indicators.values_list(
            "name", "unit", "decimals", "gender_split", "kolada_kpi", "owner__code"
        )
    ) == [
        ("Andel elever som känner sig trygga", "%", 1, False, "N15643", "BN"),
        ("Andelen behöriga till vidare utbildning", "%", 1, True, "N15428", "BN"),
    ]
    assert not Target.objects.filter(indicator__goal=bn_goal).exists()
    assert list(bn_goal.activities.values_list("title", "owner__code")) == [
        ("Ta fram gemensam rutin för samverkan mellan Skola och IFO", "BN"),
        ("Utveckla de digitala pedagogiska verktygen", "BN"),
    ]
    assert list(Organisation.objects.values_list("code", "kind", "parent__code")) == [
        ("KF", "council", None), ("KS", "board", "KF"), ("BN", "board", "KF")
    ]  # fmt: skip
    assert tree_violations() == []
    call_command("check_goal_tree", stdout=StringIO())


def test_nora_export_is_the_fixture_byte_for_byte():
    call_command("import_goals", str(NORA), stdout=StringIO())
    out = StringIO()
    call_command("export_goals", "--format-version", "1", stdout=out)
    assert out.getvalue() == NORA.read_text("utf-8")


# --- Round trips ----------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["nora", "synthetic"])
def test_export_import_export_is_byte_identical(source):
    text = NORA.read_text("utf-8") if source == "nora" else goalfile.dumps(synthetic_document(600, boards=8))
    import_text(text)
    first = export_text()
    empty_database()
    import_text(first)
    assert export_text() == first
    assert tree_violations() == []


def test_synthetic_document_is_already_in_export_form():
    doc = synthetic_document(1000, boards=12, seed=3)
    goalfile.import_document(doc)
    assert goalfile.export_document(version=1) == {**doc, "municipality": settings.MUNICIPALITY_NAME}


def test_target_numbers_keep_their_value_and_lose_needless_zeros():
    doc = small_doc()
    doc["overarching_goal"]["indicators"][0]["targets"] = [
        {"year": 2029, "value": 12500.50, "tolerance": 0.25},
        {"year": 2030, "value": 13000.0000, "tolerance": 100},
    ]
    import_text(goalfile.dumps(doc))
    exported = goalfile.export_document(version=1)["overarching_goal"]["indicators"][0]["targets"]
    assert exported == [
        {"year": 2029, "value": 12500.5, "tolerance": 0.25},
        {"year": 2030, "value": 13000, "tolerance": 100},
    ]
    assert '"value": 13000,' in export_text()


# --- The synthetic municipality -------------------------------------------------------------------


def test_synthetic_document_has_the_asked_size_and_is_deterministic():
    doc = synthetic_document(2000, boards=30, seed=1)
    assert doc == synthetic_document(2000, boards=30, seed=1)
    assert doc != synthetic_document(2000, boards=30, seed=2)
    plan = goalfile.validate(doc)

    def walk(goal):
        yield goal
        for child in goal.children:
            yield from walk(child)

    goals = list(walk(plan.roots[0]))
    assert len(goals) == 2000
    levels = {level: sum(g.level_kind_id == level for g in goals) for level in Level.values}
    assert levels[Level.COUNCIL] == 12 and levels[Level.UNIT] > 0
    assert {g.owner.code for g in goals if g.level_kind_id == Level.BOARD} == {
        f"B{n:02d}" for n in range(1, 31)
    }
    indicators = [i for g in goals for i in g.indicators]
    assert any(i.fields["gender_split"] for i in indicators) and any(
        i.fields["kolada_kpi"] for i in indicators
    )
    assert all(i.targets for i in indicators)


# --- Refusals: one clear error, nothing written ---------------------------------------------------


def _set(path, value):
    """A change to small_doc: set the value at a path of keys and list indexes."""

    def change(doc):
        *parents, last = path
        node = doc
        for key in parents:
            node = node[key]
        node[last] = value

    return change


def _delete(*path):
    def change(doc):
        *parents, last = path
        node = doc
        for key in parents:
            node = node[key]
        del node[last]

    return change


BG = ("council_goals", 0, "board_goals", 0)
BAD_DOCUMENTS = {
    "wrong format": (_set(["format"], "other"), "format", 'expected "noramal-goals", got the string "other"'),
    "wrong version": (_set(["version"], 3), "version", "this app reads versions 1, 2, got the number 3"),
    "no vision": (_delete("vision"), "vision", "required"),
    "missing title": (_delete("council_goals", 0, "title"), "council_goals[0].title", "required"),
    "empty title": (_set(["vision", "title"], "  "), "vision.title", "must not be empty"),
    "year as text": (
        _set(["council_goals", 0, "valid_from"], "2020"),
        "council_goals[0].valid_from",
        'expected a whole number or null, got the string "2020"',
    ),
    "indicators as object": (
        _set(["overarching_goal", "indicators"], {}),
        "overarching_goal.indicators",
        "expected a list, got an object",
    ),
    "unknown board": (_set([*BG, "owner"], "XN"), f"{BOARD_GOAL}.owner", 'unknown board "XN"'),
    "council owns board goal": (
        _set([*BG, "owner"], "KF"),
        f"{BOARD_GOAL}.owner",
        'A goal at the level "Nämndmål" is owned by a board or committee, not by Kommunfullmäktige (KF).',
    ),
    "unit goal owned by another board": (
        _set([*BG, "unit_goals", 0, "owner"], "KS"),
        f"{BOARD_GOAL}.unit_goals[0].owner",
        'A goal at the level "Verksamhetsmål" is owned by the organisation of its parent goal '
        "(Bildningsnämnden (BN)) or one of its parts.",
    ),
    "unknown perspective": (
        _set(["council_goals", 0, "perspectives"], ["Hälsa"]),
        "council_goals[0].perspectives[0]",
        'unknown perspective "Hälsa"',
    ),
    "typo in a key": (
        _set(["council_goals", 0, "titel"], "Barn"),
        "council_goals[0].titel",
        'unknown field "titel"; did you mean "title"?',
    ),
    "duplicate organisation": (
        lambda doc: doc["organisations"].append({"code": "BN", "name": "Byggnadsnämnden", "kind": "board"}),
        "organisations[4].code",
        'the code "BN" is listed twice',
    ),
    "parent listed later": (
        _set(["organisations", 1, "parent"], "KS"),
        "organisations[1].parent",
        'unknown organisation "KS" (a parent must be listed before its parts)',
    ),
    "bad organisation code": (
        _set(["organisations", 2, "code"], "ks"),
        "organisations[2].code",
        "Use capital letters, digits, - and _.",
    ),
    "target year twice": (
        lambda doc: doc["council_goals"][0]["board_goals"][0]["indicators"][0]["targets"].append(
            {"year": 2026, "value": 95}
        ),
        f"{BOARD_GOAL}.indicators[0].targets[1].year",
        "this indicator has a target for 2026 already",
    ),
    "negative tolerance": (
        _set([*BG, "indicators", 0, "targets", 0, "tolerance"], -1),
        f"{BOARD_GOAL}.indicators[0].targets[0].tolerance",
        "Ensure this value is greater than or equal to 0.",
    ),
    "too many decimals in a value": (
        _set([*BG, "indicators", 0, "targets", 0, "value"], 90.12345),
        f"{BOARD_GOAL}.indicators[0].targets[0].value",
        "Ensure that there are no more than 4 decimal places.",
    ),
    "decimals out of range": (
        _set([*BG, "indicators", 0, "decimals"], 5),
        f"{BOARD_GOAL}.indicators[0].decimals",
        "Ensure this value is less than or equal to 4.",
    ),
    "bad kolada id": (
        _set([*BG, "indicators", 0, "kolada_kpi"], "15428"),
        f"{BOARD_GOAL}.indicators[0].kolada_kpi",
        'A Kolada KPI id looks like "N15428".',
    ),
    "bad direction": (
        _set([*BG, "indicators", 0, "direction"], "up"),
        f"{BOARD_GOAL}.indicators[0].direction",
        'expected one of "higher", "lower", got the string "up"',
    ),
    "gender split as text": (
        _set([*BG, "indicators", 0, "gender_split"], "yes"),
        f"{BOARD_GOAL}.indicators[0].gender_split",
        'expected true or false, got the string "yes"',
    ),
    "unknown indicator owner": (
        _set([*BG, "indicators", 0, "owner"], "SN"),
        f"{BOARD_GOAL}.indicators[0].owner",
        'unknown organisation "SN"',
    ),
    "end before start": (
        _set([*BG, "activities", 0, "end_date"], "2024-12-31"),
        f"{BOARD_GOAL}.activities[0].end_date",
        "The end date comes before the start date.",
    ),
    "no such day": (
        _set([*BG, "activities", 0, "start_date"], "2025-02-30"),
        f"{BOARD_GOAL}.activities[0].start_date",
        'no such day: "2025-02-30"',
    ),
    "valid years reversed": (
        lambda doc: doc["council_goals"][0].update(valid_from=2031, valid_to=2030),
        "council_goals[0].valid_to",
        "The last valid year comes before the first.",
    ),
    "board goals inside a board goal": (
        _set([*BG, "board_goals"], []),
        f"{BOARD_GOAL}.board_goals",
        'unexpected "board_goals": a Nämndmål lists its sub-goals under "unit_goals"',
    ),
    "sub-goals under a unit goal": (
        _set([*BG, "unit_goals", 0, "unit_goals"], []),
        f"{BOARD_GOAL}.unit_goals[0].unit_goals",
        'unexpected "unit_goals": a unit goal has no sub-goals',
    ),
    "no council to default to": (
        lambda doc: doc["organisations"][0].update(kind="board"),
        "vision.owner",
        "required, since the file does not list exactly one council",
    ),
}


@pytest.fixture
def existing_data(db):
    """Data that a refused import must leave alone: an organisation it would rename and a perspective."""
    factories.board("BN", "Gammalt namn")
    factories.perspective("Livskvalitet", description="Gammal text")


@pytest.mark.parametrize("case", BAD_DOCUMENTS.keys())
def test_bad_document_is_refused_with_its_place_and_writes_nothing(case, existing_data):
    change, path, message = BAD_DOCUMENTS[case]
    doc = small_doc()
    change(doc)
    before = counts()
    with pytest.raises(GoalFileError) as error:
        import_text(goalfile.dumps(doc))
    assert (error.value.path, error.value.message) == (path, message)
    # The first line names it; a few mistakes leave others behind (no council: every council goal's owner).
    assert str(error.value).splitlines()[0] == f"{path}: {message}"
    assert len(error.value.errors) == (3 if case == "no council to default to" else 1)
    assert counts() == before
    assert Organisation.objects.get(code="BN").name == "Gammalt namn"
    assert Category.objects.get(name="Livskvalitet").description == "Gammal text"


def test_unknown_board_reads_exactly_as_documented():
    doc = small_doc()
    doc["council_goals"] = [doc["council_goals"][0]] * 4
    doc["council_goals"][3] = copy.deepcopy(doc["council_goals"][3])
    doc["council_goals"][3]["board_goals"][0]["owner"] = "XN"
    with pytest.raises(GoalFileError) as error:
        goalfile.import_document(doc)
    assert str(error.value) == 'council_goals[3].board_goals[0].owner: unknown board "XN"'


@pytest.mark.parametrize(
    "text, path, message",
    [
        (
            '{"format": "noramal-goals",\n  "version": 1\n  "vision": {}}',
            "line 3, column 3",
            "malformed JSON: ",
        ),
        ('{"format": "noramal-goals", "version": 1, "version": 1}', "version", "this field appears twice"),
        (
            '{"format": "noramal-goals", "version": NaN}',
            "version",
            "this app reads versions 1, 2, got nan, which",
        ),
        ("[1, 2]", "document", "expected an object, got a list"),
    ],
)
def test_unreadable_text_is_refused_with_its_place(text, path, message, existing_data):
    before = counts()
    with pytest.raises(GoalFileError) as error:
        import_text(text)
    assert error.value.path == path
    assert error.value.message.startswith(message)
    assert counts() == before


def test_error_deep_in_a_large_document_writes_nothing(db):
    doc = synthetic_document(500, boards=5)
    last_council_goal = doc["council_goals"][-1]
    last_council_goal["board_goals"][-1]["activities"] = [{"title": "Sent fel", "owner": "XN"}]
    place = len(doc["council_goals"]) - 1, len(last_council_goal["board_goals"]) - 1
    with pytest.raises(GoalFileError) as error:
        goalfile.import_document(doc)
    assert error.value.path == "council_goals[{}].board_goals[{}].activities[0].owner".format(*place)
    assert counts() == dict.fromkeys(counts(), 0)


def test_import_refuses_a_database_that_already_has_goals(small_chain):
    before = counts()
    with pytest.raises(ImportRefused) as error:
        goalfile.import_document(small_doc())
    assert str(error.value) == (
        "The database already has a goal tree (8 goals); import into an empty database, or use --replace"
    )
    assert counts() == before


# --- What an import writes ------------------------------------------------------------------------


def test_import_upserts_organisations_and_perspectives(existing_data):
    factories.OrganisationFactory(code="SN", name="Socialnämnden")
    goalfile.import_document(small_doc())
    assert Organisation.objects.get(code="BN").name == "Bildningsnämnden"
    assert Organisation.objects.get(code="SN").name == "Socialnämnden"  # not in the file: left alone
    assert Organisation.objects.get(code="BN-SKOLA").parent.code == "BN"
    assert Category.objects.get().description == "God livskvalitet för alla."


def test_perspectives_match_categories_ignoring_case_and_leave_other_sets_alone(existing_data):
    agenda = factories.CategoryFactory(
        set=factories.CategorySetFactory(key="agenda2030"), name="livskvalitet"
    )
    doc = small_doc()
    doc["perspectives"][0]["name"] = "LIVSKVALITET"
    doc["council_goals"][0]["perspectives"] = ["LIVSKVALITET"]
    goalfile.import_document(doc)
    perspective = Category.objects.get(set__key="perspektiv")
    assert (perspective.name, perspective.description) == ("LIVSKVALITET", "God livskvalitet för alla.")
    assert Category.objects.get(pk=agenda.pk).name == "livskvalitet"
    goal = Goal.objects.get(title="Alla barns kunskapsutveckling")
    assert categories.categories_by_set(goal) == {"perspektiv": ["LIVSKVALITET"]}


def test_perspectives_differing_only_in_case_are_refused(db):
    doc = small_doc()
    doc["perspectives"].append({"name": "livskvalitet", "description": ""})
    with pytest.raises(GoalFileError) as error:
        goalfile.import_document(doc)
    assert error.value.path == "perspectives[1].name"
    assert not Category.objects.exists()


def test_a_version_1_import_keeps_the_validity_years_of_the_perspectives_there_are(db):
    factories.perspective("livskvalitet", valid_from=2020, valid_to=2030, position=5)
    goalfile.import_document(small_doc())
    kept = Category.objects.get(set__key="perspektiv", name__iexact="livskvalitet")
    assert (kept.name, kept.valid_from, kept.valid_to, kept.position) == ("Livskvalitet", 2020, 2030, 0)
    assert Category.objects.filter(set__key="perspektiv").count() == len(small_doc()["perspectives"])


def test_export_writes_only_the_perspective_set_and_in_each_goals_own_order(db):
    goalfile.import_document(small_doc())
    first = Goal.objects.get(title="Alla barns kunskapsutveckling")
    other = factories.perspective("Attraktivitet", position=9)
    agenda = factories.CategoryFactory(
        set=factories.CategorySetFactory(key="agenda2030"), name="4. Utbildning"
    )
    categories.assign(first, {"agenda2030": [agenda.name], "perspektiv": ["Attraktivitet", "Livskvalitet"]})
    doc = goalfile.export_document(version=1)
    assert [p["name"] for p in doc["perspectives"]] == ["Livskvalitet", "Attraktivitet"]
    assert doc["council_goals"][0]["perspectives"] == ["Attraktivitet", "Livskvalitet"]
    assert "4. Utbildning" not in goalfile.dumps(doc)
    assert other.pk


def test_import_numbers_the_tree_and_keeps_sibling_order(db):
    goalfile.import_document(synthetic_document(300, boards=4))
    assert tree_violations() == []
    for parent in Goal.objects.filter(level_kind=Level.COUNCIL):
        positions = list(parent.get_children().values_list("position", flat=True))
        assert positions == list(range(len(positions)))
    unit_goal = Goal.objects.filter(level_kind=Level.UNIT).first()
    assert unit_goal.parent.level_kind_id == Level.BOARD and unit_goal.owner.is_within(unit_goal.parent.owner)


def test_import_query_count_does_not_grow_with_the_document(db, django_assert_max_num_queries):
    small, large = synthetic_document(200, boards=30), synthetic_document(1000, boards=30)
    with CaptureQueriesContext(connection) as queries_small:
        goalfile.import_document(small)
    empty_database()
    chain.forget()  # each import reads the styrmodell once
    # One insert per table, history tables included (seven of them), and the tree cache's version write
    # (goals/treecache.py, up to six queries of Django's database cache), the perspectives installed as the
    # set "perspektiv" by goals.categories.install_sets (a few queries for each of the file's three), two
    # each for the keys made for goals and indicators without one (goals/keys.py), and the tree lock
    # (PostgreSQL: one more): the count grows with neither the goals nor the indicators.
    with django_assert_max_num_queries(59), CaptureQueriesContext(connection) as queries_large:
        goalfile.import_document(large)
    assert len(queries_large) == len(queries_small)
    assert Goal.objects.count() == 1000
    # Version 2 reads the levels and their parents as well, the indicators' categories and the assignments
    # (which goals have any, and those on no goal); PostgreSQL takes the tree's advisory lock.
    with django_assert_max_num_queries(17):
        goalfile.export_document()


# --- The commands ---------------------------------------------------------------------------------


def test_import_command_prints_a_summary(db):
    out = StringIO()
    call_command("import_goals", str(NORA), stdout=out)
    assert out.getvalue().strip() == (
        "Imported goals: 14, indicators: 3, targets: 1, activities: 2, organisations: 3, perspectives: 3."
    )


def test_import_command_turns_a_bad_file_into_one_line(tmp_path, existing_data):
    doc = small_doc()
    doc["council_goals"][0]["titel"] = doc["council_goals"][0].pop("title")
    path = tmp_path / "goals.json"
    path.write_text(goalfile.dumps(doc), encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError) as error:
        call_command("import_goals", str(path), stdout=StringIO())
    # Every problem of the file, one line each: the misspelt field and the title it leaves missing.
    assert str(error.value).splitlines() == [
        'council_goals[0].titel: unknown field "titel"; did you mean "title"?',
        "council_goals[0].title: required",
    ]
    assert counts() == before


def test_import_command_on_missing_file_fails_cleanly(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*missing.json"):
        call_command("import_goals", str(tmp_path / "missing.json"))


def test_import_command_on_a_tree_that_is_there_is_a_revision_needing_its_reason(small_chain):
    # A file brought into an installation with goals is a revision (tests/goals/test_revision.py); it is
    # applied only with the reason and the decision behind it.
    with pytest.raises(CommandError, match=r"Say why the goals are revised"):
        call_command("import_goals", str(NORA), stdout=StringIO())
    assert Goal.objects.count() == 8


def test_import_and_export_are_audit_events(db):
    call_command("import_goals", str(NORA), stdout=StringIO())
    call_command("export_goals", stdout=StringIO())
    assert list(AuditEvent.objects.order_by("pk").values_list("action", "summary")) == [
        ("goal_tree.import", "Imported a goal tree of 14 goals, replacing 0."),
        ("goal_tree.export", "Exported the goal tree."),
    ]


def test_import_command_replace_swaps_the_tree(small_chain):
    old_goal = Goal.objects.get(title="Nämndmål 1.1")
    factories.ActivityFactory(goal=old_goal)
    factories.TargetFactory(indicator=factories.IndicatorFactory(goal=old_goal))
    call_command("import_goals", str(NORA), "--replace", stdout=StringIO())
    assert council_titles() == NORA_COUNCIL_GOALS
    assert Goal.objects.count() == 14
    assert not Goal.objects.filter(title__startswith="Nämndmål").exists()
    assert (Indicator.objects.count(), Target.objects.count(), Activity.objects.count()) == (3, 1, 2)
    assert tree_violations() == []


def test_import_command_skip_if_present_changes_nothing(small_chain):
    before = counts()
    out = StringIO()
    call_command("import_goals", str(NORA), "--skip-if-present", stdout=out)
    assert "already there" in out.getvalue()
    assert counts() == before


def test_import_command_skip_if_present_imports_into_an_empty_database(db):
    call_command("import_goals", str(NORA), "--skip-if-present", stdout=StringIO())
    assert council_titles() == NORA_COUNCIL_GOALS


def test_export_command_writes_a_file(db, tmp_path):
    call_command("import_goals", str(NORA), stdout=StringIO())
    out = tmp_path / "export.json"
    call_command("export_goals", "--format-version", "1", "--out", str(out), stdout=StringIO())
    assert out.read_bytes() == NORA.read_bytes()


def test_export_command_without_goals_says_why(db):
    with pytest.raises(CommandError, match="the database holds 0 goal trees"):
        call_command("export_goals", "--format-version", "1", stdout=StringIO())


def test_import_from_the_command_line_fails_without_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "noramal-goals", "version": 1,,}', encoding="utf-8")
    env = {**os.environ, "SQLITE_PATH": str(tmp_path / "db.sqlite3")}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "import_goals", str(bad)],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "CommandError: line 1, column 42: " in result.stderr
    assert "Traceback" not in result.stderr
