"""The tree's kept rows (goals/treerows.py) and the statuses beside them, as each audience sees them."""

import pytest
from django.urls import reverse

from followup import services
from followup.models import Assessment
from goals import treerows

pytestmark = pytest.mark.django_db
TREE = reverse("goals:tree")


@pytest.fixture(autouse=True)
def no_kept_rows():
    treerows.forget()
    yield
    treerows.forget()


def page(client):
    return client.get(TREE).content.decode()


def rows(html):
    tree = html.split('<ul class="goal-tree">', 1)[1].split("</main>")[0]
    return set(tree.split('<li class="goal-tree__item')[1:])


def test_a_status_shows_and_the_staff_reuse_the_rows_whose_status_they_share_with_the_public(
    client, world, as_persona
):
    public = page(client)
    kept = treerows.rendered_count()
    controller = world.users["controller"]
    J = Assessment.Judgement
    services.save_assessment(
        world.period, world.ks_goal, judgement=J.PARTLY_MET, analysis="A.", by=controller
    )
    services.submit_assessment(world.period, world.ks_goal, by=controller)
    services.approve_assessment(world.period, world.ks_goal, by=world.users["admin"])
    as_persona("reader")
    staff = page(client)
    assert "Bedöms delvis uppfyllas" in staff
    # Only the rows whose status the staff see differently are rendered again; the rest are the public's.
    differing = rows(staff) - rows(public)
    assert 1 <= len(differing) < len(rows(staff))
    assert treerows.rendered_count() == kept + len(differing)
    client.logout()
    assert page(client) == public  # the public still sees the period's judgement only once it is closed
    assert treerows.rendered_count() == kept + len(differing)
    services.close_period(world.period, by=controller)
    assert "Bedöms delvis uppfyllas" in page(client)
