"""A municipality whose styrmodell is not Nora's, built through the services and browsed.

The shape is Malmö stad's in its budget and årsredovisning 2016: kommunfullmäktige sets its goals within
nine målområden plus a financial goal; nämnder and bolagsstyrelser (municipal companies) write their own
nämndsmål under the council's goals, and the annual report counts the kommunfullmäktigemål. The
målområden are Malmö's own; the goals below them are worded after the 2016 reports' own follow-up text.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Membership
from followup.models import ReportingPeriod
from goals import chain, styrmodell, tree
from goals.models import Goal, GoalLevel, Organisation
from reports.data import Spec, build_report
from reports.models import Kind
from tests.matrix import make_user

MALOMRADEN = (
    "En ung global och modern stad",
    "En stad för arbete och näringsliv",
    "En stad för barn och unga",
    "En öppen stad",
    "En stad för alla",
    "En trygg och tillgänglig stad",
    "En kreativ stad",
    "En ekologiskt hållbar stad",
    "En stad med bra arbetsvillkor",
)


def _level(key, name, plural, position, owners, parents=(), **flags):
    level = GoalLevel(key=key, name=name, plural=plural, position=position, owner_kinds=owners, **flags)
    return styrmodell.save_level(level, parents=[GoalLevel.objects.get(key=p) for p in parents])


@pytest.fixture
def malmo(db):
    GoalLevel.objects.all().delete()  # an installation that starts from its own styrmodell, not Nora's
    _level("malomrade", "Målområde", "Målområden", 0, ["council"])
    _level("finansiellt", "Finansiellt mål", "Finansiella mål", 1, ["council"])
    _level(
        "kfmal",
        "Kommunfullmäktigemål",
        "Kommunfullmäktigemål",
        2,
        ["council"],
        ["malomrade"],
        is_headline=True,
    )
    _level("namndsmal", "Nämndsmål", "Nämndsmål", 3, ["board", "company"], ["kfmal", "finansiellt"])
    kf = Organisation.objects.create(code="KF", name="Kommunfullmäktige", kind="council")
    orgs = {
        "KF": kf,
        "TN": Organisation.objects.create(code="TN", name="Tekniska nämnden", kind="board", parent=kf),
        "MKB": Organisation.objects.create(code="MKB", name="MKB Fastighets AB", kind="company", parent=kf),
    }
    areas = {
        title: tree.create_goal(parent=None, title=title, owner=kf, level_kind="malomrade")
        for title in MALOMRADEN
    }
    financial = tree.create_goal(
        parent=None, title="Resultatet ska uppgå till minst en procent av skatteintäkterna", owner=kf,
        level_kind="finansiellt",
    )  # fmt: skip
    for_all = tree.create_goal(
        parent=areas["En stad för alla"],
        title="Malmös äldre och personer med funktionshinder stärks i sina förutsättningar för en "
        "meningsfull tillvaro med inflytande över sin vardag och i samhället",
        owner=kf,
    )
    safe = tree.create_goal(
        parent=areas["En trygg och tillgänglig stad"],
        title="Tryggheten och säkerheten ökar i hemmet och i det offentliga rummet",
        owner=kf,
    )
    tree.create_goal(
        parent=for_all,
        title="Färdtjänstkunderna upplever god service, tillgänglighet och gott bemötande",
        owner=orgs["TN"],
    )
    tree.create_goal(parent=safe, title="Hyresgästerna känner sig trygga i sitt boende", owner=orgs["MKB"])
    tree.create_goal(
        parent=financial, title="Nämnden håller sin budgetram", owner=orgs["TN"], level_kind="namndsmal"
    )
    return {"orgs": orgs, "areas": areas, "for_all": for_all, "financial": financial}


def test_the_chain_follows_the_municipalitys_own_levels(malmo):
    assert Goal.objects.filter(parent=None).count() == 10  # nine målområden and the financial goal
    assert set(Goal.objects.filter(level_kind="namndsmal").values_list("owner__code", flat=True)) == {
        "TN",
        "MKB",
    }
    with pytest.raises(ValidationError) as refused:
        tree.create_goal(parent=malmo["for_all"], title="Fler bostäder", owner=malmo["orgs"]["KF"])
    assert refused.value.message_dict["owner"] == [
        "Ett mål på nivån ”Nämndsmål” ägs av: nämnd eller kommunalt bolag – inte av Kommunfullmäktige (KF)."
    ]
    with pytest.raises(ValidationError) as refused:
        tree.create_goal(
            parent=malmo["areas"]["En öppen stad"], title="Jämställd service", owner=malmo["orgs"]["TN"],
            level_kind="namndsmal",
        )  # fmt: skip
    assert refused.value.message_dict["parent"] == [
        "Ett mål på nivån ”Nämndsmål” måste placeras under ett mål på någon av nivåerna: "
        "Finansiellt mål, Kommunfullmäktigemål – inte under ett mål på nivån ”Målområde”."
    ]


def test_pages_speak_of_the_municipalitys_levels(client, malmo):
    tree_page = client.get("/mal/").content.decode()
    for name in ("Målområde", "Kommunfullmäktigemål", "Nämndsmål", "Finansiellt mål"):
        assert name in tree_page
    for nora in ("KF-mål", "Nämndmål", "Övergripande mål"):
        assert nora not in tree_page
    home = client.get("/").content.decode()
    assert "<h2" in home and "Målområden</h2>" in home and "Kommunfullmäktigemål</h2>" in home
    detail = client.get(malmo["for_all"].get_absolute_url()).content.decode()
    assert "Kommunfullmäktigemål" in detail and "Nämndsmål" in detail


def test_the_report_counts_the_headline_level_by_its_own_name(malmo):
    period = ReportingPeriod.objects.create(
        year=2026, kind=ReportingPeriod.Kind.ANNUAL, deadline=date(2027, 2, 15)
    )
    compilation = build_report(Spec(Kind.COMPILATION, period))
    assert compilation.headline == "2 kommunfullmäktigemål"
    assert [c.goal.level_name for c in compilation.council_goals] == ["Kommunfullmäktigemål"] * 2
    assert compilation.below_name == "Nämndsmål"
    annual = build_report(Spec(Kind.ANNUAL, period))
    assert annual.headline == "0 av 2 kommunfullmäktigemål uppfyllda"


@pytest.fixture
def controller(client, malmo):
    user = make_user("controller", Membership.Role.CONTROLLER, malmo["orgs"]["KF"])
    client.force_login(user)
    return user


def _form(level, **changes):
    data = {
        "name": level.name, "plural": level.plural, "position": level.position,
        "owner_kinds": list(level.owner_kinds), "parents": [p.pk for p in level.parents.all()],
        "is_headline": "on" if level.is_headline else "",
    }  # fmt: skip
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_the_styrmodell_page_lists_the_levels_and_renames_one_with_history(client, controller, malmo):
    page = client.get("/styrmodell/").content.decode()
    assert "Målområden" in page and "Nämndsmål" in page and "Räknas i sammanfattningen" in page
    level = GoalLevel.objects.get(key="namndsmal")
    response = client.post(f"/styrmodell/{level.pk}/redigera/", _form(level, name="Nämnds- och bolagsmål"))
    assert response.status_code == 302
    level.refresh_from_db()
    assert level.name == "Nämnds- och bolagsmål"
    assert level.history.first().history_user == controller
    chain.forget()
    assert "Nämnds- och bolagsmål" in client.get(malmo["for_all"].get_absolute_url()).content.decode()


def test_changes_that_would_break_existing_goals_are_refused_all_at_once(client, controller, malmo):
    level = GoalLevel.objects.get(key="namndsmal")
    before = (list(level.owner_kinds), sorted(p.key for p in level.parents.all()))
    data = _form(level, owner_kinds=["board"], parents=[GoalLevel.objects.get(key="kfmal").pk])
    page = client.post(f"/styrmodell/{level.pk}/redigera/", data).content.decode()
    assert "Mål på nivån ”Nämndsmål” ägs av: kommunalt bolag. Det ägarslaget kan inte tas bort." in page
    assert "Mål på nivån ”Nämndsmål” är placerade under mål på nivån ”Finansiellt mål”." in page
    level.refresh_from_db()
    assert (list(level.owner_kinds), sorted(p.key for p in level.parents.all())) == before
    # A level with goals is not deleted; a level without any is.
    page = client.post(f"/styrmodell/{level.pk}/ta-bort/").content.decode()
    assert GoalLevel.objects.filter(key="namndsmal").exists()
    assert "Nivån ”Nämndsmål” har 3 mål. Flytta eller ta bort dem först." in page
    spare = GoalLevel.objects.create(key="uppdrag", name="Uppdrag", plural="Uppdrag", position=9)
    assert client.post(f"/styrmodell/{spare.pk}/ta-bort/").status_code == 302
    assert not GoalLevel.objects.filter(key="uppdrag").exists()


def test_a_level_cannot_come_under_itself(malmo):
    malomrade = GoalLevel.objects.get(key="malomrade")
    with pytest.raises(ValidationError) as refused:
        styrmodell.save_level(malomrade, parents=[GoalLevel.objects.get(key="namndsmal")])
    assert refused.value.messages == [
        "Nivån ”Målområde” skulle genom andra nivåer hamna under sig själv.",
        "Mål på nivån ”Målområde” står överst i målkedjan. Nivån måste förbli en toppnivå.",
    ]
    assert not malomrade.parents.exists()
