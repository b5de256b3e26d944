"""With debug off, missing, forbidden and failing pages speak Swedish in the site's layout."""

import pytest
from django import forms
from django.db.models.utils import get_blank_choice_label
from django.template import loader
from django.urls import reverse

from goals.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_debug(settings):
    settings.DEBUG = False


def test_an_unknown_address_is_a_swedish_page_with_the_way_home(client, world):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Sidan finns inte" in page
    assert "Not Found" not in page
    assert 'class="site-header"' in page  # the site's layout
    assert f'href="{reverse("goals:home")}"' in page
    assert f'href="{reverse("login")}?next=/finns-inte/"' in page
    assert "Logga in</a>" in page


def test_another_boards_goal_is_not_found_with_a_way_to_log_in_as_someone_else(as_persona, world):
    client = as_persona("editor_bn")
    url = reverse("goals:goal_edit", args=[world.ks_goal.pk])
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert "Sidan finns inte" in page
    assert "Logga in som någon annan" in page
    assert f"?next={url}" in page


def test_a_forbidden_page_is_swedish_with_the_way_home_and_to_another_login(as_persona, world):
    client = as_persona("reader")
    response = client.get(reverse("goals:goal_edit", args=[world.bn_goal.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Inte tillåtet" in page
    assert "403 Forbidden" not in page
    assert "Logga in som någon annan" in page
    assert f'href="{reverse("goals:home")}"' in page


@pytest.mark.urls("tests.noramal.error_urls")
def test_a_failing_view_gives_the_swedish_error_page(client, world):
    client.raise_request_exception = False
    response = client.get("/test-fel/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Något gick fel" in page
    assert "Server Error" not in page
    assert "RuntimeError" not in page
    assert f'href="{reverse("goals:home")}"' in page


def test_the_error_page_renders_without_a_request_or_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        page = loader.get_template("500.html").render()
    assert "Något gick fel" in page
    assert "favicon.svg" in page


def test_djangos_blank_choice_is_swedish(world):
    assert str(get_blank_choice_label()) == "– Välj –"

    class OwnerForm(forms.Form):
        owner = forms.ModelChoiceField(queryset=Organisation.objects.all())

    page = str(OwnerForm()["owner"])
    assert '<option value="" selected>– Välj –</option>' in page
    assert "Select an option" not in page


def test_every_page_links_the_favicon(client, world):
    page = client.get(reverse("goals:home")).content.decode()
    assert 'rel="icon"' in page
    assert "favicon.svg" in page
