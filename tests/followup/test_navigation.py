"""The follow-up pages are reachable from the goal chain's pages."""

from django.urls import reverse


def test_goal_page_links_each_indicator_to_its_values(world, client):
    page = client.get(reverse("goals:detail", args=[world.bn_goal.pk])).content.decode()
    assert f'href="{reverse("followup:indicator", args=[world.bn_indicator.pk])}"' in page


def test_header_offers_follow_up_to_readers_not_to_visitors(world, client, as_persona):
    follow_up = f'href="{reverse("followup:index")}"'
    assert follow_up not in client.get("/").content.decode()
    assert follow_up in as_persona("reader").get("/").content.decode()


def test_header_links_published_reports_for_all_and_report_making_for_controllers(world, client, as_persona):
    published, making = f'href="{reverse("reports:published_list")}"', f'href="{reverse("reports:periods")}"'
    anonymous = client.get("/").content.decode()
    assert published in anonymous and making not in anonymous
    assert making not in as_persona("editor_bn").get("/").content.decode()
    assert making in as_persona("controller").get("/").content.decode()
