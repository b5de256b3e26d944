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


def test_follow_up_links_its_files_and_for_controllers_the_reports(world, as_persona):
    files = f'href="{reverse("followup:files")}"'
    making = f'href="{reverse("reports:periods")}"'
    reader = as_persona("reader").get(reverse("followup:index")).content.decode()
    assert "Filer och importer" in reader and files in reader
    controller = as_persona("controller").get(reverse("followup:index")).content.decode()
    assert files in controller and making in controller


def test_period_page_and_its_reports_page_link_to_each_other(world, as_persona):
    client = as_persona("controller")
    period_url = reverse("followup:period", args=[world.period.pk])
    reports_url = reverse("reports:period", args=[world.period.pk])
    period_page = client.get(period_url).content.decode()
    assert f'href="{reports_url}"' in period_page and "Ta fram periodens rapporter" in period_page
    assert f'href="{reverse("followup:files")}?period={world.period.pk}"' in period_page
    reports_page = client.get(reports_url).content.decode()
    assert f'href="{period_url}"' in reports_page and "Periodens uppföljning" in reports_page
    assert f'href="{reports_url}"' not in as_persona("reader").get(period_url).content.decode()


def test_controllers_reports_page_is_named_make_reports(world, as_persona):
    page = as_persona("controller").get(reverse("reports:periods")).content.decode()
    assert "<h1>Ta fram rapporter</h1>" in page
    assert "<title>Ta fram rapporter –" in page


def test_value_sheet_offers_filling_in_via_excel(world, as_persona):
    client = as_persona("editor_bn")
    page = client.get(reverse("followup:values", args=[world.period.pk, world.bn.pk])).content.decode()
    assert "Fyll i via Excel" in page
    assert f'href="{reverse("followup:values_template", args=[world.bn.pk, world.period.pk])}"' in page
    assert f'href="{reverse("followup:values_upload", args=[world.bn.pk, world.period.pk])}"' in page
    period_page = client.get(reverse("followup:period", args=[world.period.pk])).content.decode()
    assert f"?organisation={world.bn.pk}&amp;period={world.period.pk}" in period_page
    # A closed period's values can only be downloaded.
    closed = client.get(
        reverse("followup:values", args=[world.closed_period.pk, world.bn.pk])
    ).content.decode()
    assert reverse("followup:values_upload", args=[world.bn.pk, world.closed_period.pk]) not in closed
    assert f'href="{reverse("followup:export_xlsx", args=[world.bn.pk, world.closed_period.pk])}"' in closed


def test_footer_links_open_data_for_everyone(world, client):
    page = client.get("/").content.decode()
    for name in ("opendata_csv_excel", "opendata_csv", "opendata_json"):
        assert f'href="{reverse(f"followup:{name}")}"' in page
    assert "Öppna data" in page
