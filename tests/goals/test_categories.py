"""Category sets and categories: names, validity years on pages and in reports, editing, Agenda 2030."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from goals import categories, tree
from goals.models import Category, CategorySet, Goal, GoalCategory
from reports.data import Spec, build_report
from reports.models import Kind
from reports.output import report_html
from tests import factories
from tests.goals.test_views import read
from tests.reports import world as nora

THIS_YEAR = categories.this_year()
AGENDA = json.loads((Path(settings.BASE_DIR) / "fixtures" / "agenda2030.json").read_text("utf-8"))


@pytest.fixture
def world(world):
    """The shared world with a perspective, as the permission matrix has it."""
    world.perspective = factories.perspective("Livskvalitet")
    return world


# --- Names ----------------------------------------------------------------------------------------------


def test_names_are_unique_in_a_set_ignoring_case(db):
    # The database's constraint (LOWER(name), set); SQLite's LOWER() folds ASCII letters only, the
    # service's check (below) every letter.
    perspective = factories.perspective("Livskvalitet")
    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.create(set=perspective.set, name="LIVSKVALITET")
    # Another set may have the same name.
    other = factories.CategorySetFactory(key="malomrade", name="Målområde")
    assert Category.objects.create(set=other, name="hållbarhet").pk


def test_names_are_trimmed_when_saved(db):
    category_set = CategorySet.objects.create(key="fokus", name="  Fokusområde ")
    category = Category.objects.create(set=category_set, name="  Trygghet \t")
    assert (CategorySet.objects.get().name, Category.objects.get().name) == ("Fokusområde", "Trygghet")
    assert category.name == "Trygghet"


def test_the_service_refuses_a_name_that_differs_only_in_case_in_swedish(db):
    perspective = factories.perspective("Hållbarhet")
    with pytest.raises(ValidationError) as error:
        categories.save_category(Category(set=perspective.set, name=" HÅLLBARHET "))
    assert error.value.message_dict["name"] == [
        'Gruppen "Perspektiv" har redan en kategori "HÅLLBARHET" '
        "(namnen jämförs utan hänsyn till stora och små bokstäver)."
    ]
    assert Category.objects.count() == 1


def test_the_category_form_says_why_a_name_is_taken(login, world):
    response = login("controller").post(
        reverse("goals:category_create", args=[world.perspective.set_id]), {"name": "LIVSKVALITET "}
    )
    assert response.status_code == 200
    assert "har redan en kategori" in read(response).text
    assert Category.objects.filter(set=world.perspective.set).count() == 1


def test_controller_creates_a_set_and_a_category_with_history(login, world):
    client = login("controller")
    client.post(reverse("goals:category_set_create"), {"key": "malomrade", "name": " Målområde "})
    category_set = CategorySet.objects.get(key="malomrade")
    assert category_set.name == "Målområde"
    client.post(
        reverse("goals:category_create", args=[category_set.pk]),
        {"name": "Barn och unga", "description": "Alla barn.", "valid_from": 2024, "valid_to": 2027},
    )
    category = Category.objects.get(set=category_set)
    assert (category.valid_from, category.valid_to) == (2024, 2027)
    assert category.history.get().history_user == world.users["controller"]
    page = read(client.get(reverse("goals:categories")))
    assert "Målområde (malomrade)" in page.text
    assert "Barn och unga 2024–2027 0" in page.text


# --- Editing: reorder and delete ----------------------------------------------------------------------


def test_categories_move_up_and_down_within_their_set(login, world):
    second = factories.perspective("Hållbarhet", position=5)
    client = login("controller")
    client.post(reverse("goals:category_move", args=[second.pk]), {"direction": "up"})
    names = list(Category.objects.filter(set=second.set).values_list("name", flat=True))
    assert names == ["Hållbarhet", "Livskvalitet"]
    client.post(reverse("goals:category_move", args=[second.pk]), {"direction": "down"})
    assert list(Category.objects.filter(set=second.set).values_list("name", flat=True)) == [
        "Livskvalitet",
        "Hållbarhet",
    ]


def test_a_category_in_use_is_not_deleted_and_the_page_says_why(login, world):
    tree.update_goal(world.kf_goal, categories=[world.perspective])
    client = login("controller")
    response = client.post(reverse("goals:category_delete", args=[world.perspective.pk]))
    assert response.status_code == 200
    assert (
        'Kategorin "Livskvalitet" används av 1 mål eller indikatorer; ta bort den från dem först, '
        "eller avsluta den i stället med ett sista giltighetsår." in read(response).text
    )
    response = client.post(reverse("goals:category_set_delete", args=[world.perspective.set_id]))
    assert "används av 1 mål" in read(response).text
    assert Category.objects.filter(pk=world.perspective.pk).exists()
    tree.update_goal(world.kf_goal, categories=[])
    assert client.post(reverse("goals:category_delete", args=[world.perspective.pk])).status_code == 302
    assert not Category.objects.filter(pk=world.perspective.pk).exists()


def test_admin_deletes_only_unused_categories(client, world):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("super", "super@example.org", "pw"))
    admin_client = client
    tree.update_goal(world.kf_goal, categories=[world.perspective])
    url = reverse("admin:goals_category_delete", args=[world.perspective.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Category.objects.filter(pk=world.perspective.pk).exists()
    response = admin_client.post(
        reverse("admin:goals_category_add"),
        {"set": world.perspective.set_id, "name": "livskvalitet", "position": 0},
    )
    assert "har redan en kategori" in response.content.decode()


# --- The service's data functions (also for goal files) ------------------------------------------------


def test_sets_as_data_install_sets_and_assign_round_trip(world):
    data = [
        {
            "key": "malomrade",
            "name": "Målområde",
            "categories": [
                {"name": "Barn", "description": "", "valid_from": None, "valid_to": 2025},
                {"name": "Miljö", "description": "Klimat.", "valid_from": 2024, "valid_to": None},
            ],
        }
    ]
    assert categories.install_sets(data) == 3
    assert categories.install_sets(data) == 0  # nothing changed the second time
    assert [s for s in categories.sets_as_data() if s["key"] == "malomrade"] == data
    categories.assign(world.kf_goal, {"malomrade": ["miljö", "Barn"], "perspektiv": ["Livskvalitet"]})
    assert categories.categories_by_set(world.kf_goal) == {
        "malomrade": ["Miljö", "Barn"],
        "perspektiv": ["Livskvalitet"],
    }
    categories.assign(world.bn_indicator, {"malomrade": ["Barn"]})
    assert categories.categories_by_set(world.bn_indicator) == {"malomrade": ["Barn"]}


def test_assign_names_every_unknown_set_and_category_and_changes_nothing(world):
    with pytest.raises(ValidationError) as error:
        categories.assign(world.kf_goal, {"okand": ["A"], "perspektiv": ["Hälsa", "Livskvalitet"]})
    assert error.value.messages == [
        'okänd kategorigrupp "okand"',
        'gruppen "Perspektiv" har ingen kategori "Hälsa"',
    ]
    assert not GoalCategory.objects.exists()


def test_install_sets_reports_every_error_at_once(db):
    bad = [
        {"key": "a", "name": "", "categories": [{"name": " "}, {"name": "X"}, {"name": "x"}]},
        {"key": "a", "name": "B", "categories": [{"name": "Y", "valid_from": 2026, "valid_to": 2024}]},
    ]
    with pytest.raises(ValidationError) as error:
        categories.install_sets(bad)
    assert error.value.messages == [
        "kategorigrupp 1: en grupp behöver ett namn",
        "kategorigrupp 1, kategori 1: en kategori behöver ett namn",
        'kategorigrupp 1, kategori 3: namnet "x" används två gånger '
        "(utan hänsyn till stora och små bokstäver)",
        'kategorigrupp 2: nyckeln "a" används två gånger',
        "kategorigrupp 2, kategori 1: det sista giltiga året kommer före det första",
    ]
    assert not CategorySet.objects.exists()


# --- Agenda 2030 ------------------------------------------------------------------------------------------


def test_agenda_2030_ships_the_17_global_goals_in_swedish():
    names = [c["name"] for c in AGENDA["categories"]]
    assert (AGENDA["key"], AGENDA["name"], len(names)) == ("agenda2030", "Agenda 2030", 17)
    assert names[0] == "1. Ingen fattigdom"
    assert names[16] == "17. Genomförande och globalt partnerskap"
    assert [name.split(".")[0] for name in names] == [str(n) for n in range(1, 18)]


def test_agenda_2030_is_not_installed_by_itself_and_installs_once(db):
    call_command("import_goals", str(Path(settings.BASE_DIR) / "fixtures" / "nora.json"), stdout=StringIO())
    assert not CategorySet.objects.filter(key="agenda2030").exists()
    out = StringIO()
    call_command("install_category_set", "agenda2030", stdout=out)
    assert "installerad" in out.getvalue()
    rows = list(Category.objects.filter(set__key="agenda2030").values_list("pk", "name", "description"))
    assert len(rows) == 17
    history = Category.history.count()
    out = StringIO()
    call_command("install_category_set", "agenda2030", stdout=out)
    assert "redan aktuell" in out.getvalue()
    assert (
        list(Category.objects.filter(set__key="agenda2030").values_list("pk", "name", "description")) == rows
    )
    assert Category.history.count() == history


def test_controller_installs_agenda_2030_with_the_button(login, world):
    client = login("controller")
    page = client.get(reverse("goals:categories")).content.decode()
    assert "Installera Agenda 2030:s 17 globala mål" in page
    assert client.post(reverse("goals:category_set_install", args=["agenda2030"])).status_code == 302
    client.post(reverse("goals:category_set_install", args=["agenda2030"]))
    assert Category.objects.filter(set__key="agenda2030").count() == 17
    assert "Installera Agenda 2030" not in client.get(reverse("goals:categories")).content.decode()


# --- Validity years on pages and in reports -------------------------------------------------------------


def test_an_ended_category_leaves_this_years_pages_but_stays_on_the_goal(client, world):
    ended = factories.perspective("Attraktivitet", valid_to=THIS_YEAR - 1)
    current = factories.perspective("Hållbarhet", valid_from=THIS_YEAR)
    tree.update_goal(world.kf_goal, categories=[ended, current])
    tree_page = client.get(reverse("goals:tree")).content.decode()
    assert "Perspektiv: Hållbarhet" in tree_page
    assert "Attraktivitet" not in tree_page  # neither a badge nor a filter option
    assert "Attraktivitet" not in client.get(world.kf_goal.get_absolute_url()).content.decode()
    assert "Attraktivitet" not in client.get(reverse("goals:home")).content.decode()
    assert "Perspektiv: Hållbarhet" in client.get(world.kf_goal.get_absolute_url()).content.decode()
    # Filtering by the ended category shows the whole tree, as for any unknown value.
    assert "matchar filtret" not in read(client.get(reverse("goals:tree") + f"?kategori={ended.pk}")).text
    assert categories.categories_by_set(world.kf_goal) == {"perspektiv": ["Attraktivitet", "Hållbarhet"]}


def test_old_perspective_addresses_lead_to_the_category_filter(client, world):
    response = client.get(reverse("goals:tree") + f"?perspektiv={world.perspective.pk}&namnd=BN")
    assert response.status_code == 301
    assert response["Location"] == reverse("goals:tree") + f"?namnd=BN&kategori={world.perspective.pk}"


def test_a_category_ended_in_2025_shows_in_2025s_report_and_not_in_2026s(db):
    built = nora.build()
    Category.objects.filter(name="Attraktivitet").update(valid_to=2025)
    old = build_report(Spec(Kind.ANNUAL, built["periods"][2025]))
    new = build_report(Spec(Kind.ANNUAL, built["periods"][2026]))
    old_names = [name for _set, rows in old.category_sets for name, _d in rows]
    new_names = [name for _set, rows in new.category_sets for name, _d in rows]
    assert old_names == ["Hållbarhet", "Livskvalitet", "Attraktivitet"]
    assert new_names == ["Hållbarhet", "Livskvalitet"]
    assert old.overview_category_heading == new.overview_category_heading == "Perspektiv"
    old_goals = [c.goal.category_short for c in old.council_goals]
    new_goals = [c.goal.category_short for c in new.council_goals]
    assert "Attraktivitet" in old_goals
    assert "Attraktivitet" not in new_goals and "" in new_goals
    html = report_html(new)
    assert "<h3>Perspektiv</h3>" in html
    assert "Attraktivitet" not in html


def test_a_report_names_each_set_by_its_own_name(db):
    built = nora.build()
    CategorySet.objects.filter(key="perspektiv").update(name="Målområde")
    report = build_report(Spec(Kind.ANNUAL, built["annual"]))
    html = report_html(report)
    assert report.overview_category_heading == "Målområde"
    assert "Perspektiv" not in html
    assert "<h3>Målområde</h3>" in html


def test_tree_page_shows_the_categories_of_every_set_in_the_goals_order(client, world):
    agenda = factories.CategoryFactory(set=factories.CategorySetFactory(key="agenda2030", name="Agenda 2030"))
    categories.assign(world.kf_goal, {"agenda2030": [agenda.name], "perspektiv": ["Livskvalitet"]})
    html = client.get(reverse("goals:tree")).content.decode()
    assert (
        f'<span class="badge category-badge">Agenda 2030: {agenda.name}</span> '
        '<span class="badge category-badge">Perspektiv: Livskvalitet</span>' in html
    )
    page = read(client.get(reverse("goals:tree") + f"?kategori={agenda.pk}"))
    assert [title for _url, title in page.tree_links][-1] == "Fler bostäder"
    assert Goal.objects.count() == len(page.tree_links)
