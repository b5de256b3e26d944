"""Security basics: stored XSS stays inert, the sanitiser holds, CSP, login lockout, hashers, deploy check."""

import contextlib
import os
import secrets
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import AuditEvent, Membership
from followup.models import IndicatorValue, ReportingPeriod
from goals import tree
from goals.markdown import render_markdown
from goals.models import Goal
from tests import factories

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">klicka</a>',
    "[klicka](javascript:alert(1))",
    "[klicka](JaVaScRiPt:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    '"><script>alert(1)</script>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<div style="background:url(javascript:alert(1))" onmouseover="alert(1)">x</div>',
    "![bild](https://evil.example/spy.png)",
    '<object data="javascript:alert(1)"></object><embed src=javascript:alert(1)>',
]
PAYLOAD = " ".join(PAYLOADS)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background", "poster"}
# Never in a page: the app's own templates use none of them. (Its charts are inline SVG, drawn by the app.)
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "style", "base", "frame"}
# Never in sanitised Markdown either.
NOT_IN_MARKDOWN = DANGEROUS_TAGS | {"svg", "math", "img", "form", "input", "textarea"}


class ActiveContent(HTMLParser):
    """What a browser would run or fetch from what the page's author did not write."""

    def __init__(self, forbidden=DANGEROUS_TAGS):
        super().__init__(convert_charrefs=True)
        self.forbidden = forbidden
        self.found = []

    def handle_starttag(self, tag, attrs):
        # The page's own scripts are files from the app's static folder, never inline: those the author wrote.
        own_script = tag == "script" and (dict(attrs).get("src") or "").startswith("/static/")
        if tag in self.forbidden and not own_script:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = "".join((value or "").split()).lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name == "style" and "url(" in value:
                self.found.append(f"<{tag} style={value}>")
            if name in URL_ATTRIBUTES and value.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"<{tag} {name}={value}>")
            if name in URL_ATTRIBUTES and "evil.example" in value:
                self.found.append(f"<{tag} {name}={value}>")

    handle_startendtag = handle_starttag


def active_content(html, forbidden=DANGEROUS_TAGS):
    parser = ActiveContent(forbidden)
    parser.feed(html)
    return parser.found


@pytest.fixture
def poisoned(world):
    """Every user-written text field of the world's chain holds the payloads."""
    Goal.objects.filter(pk__in=[world.bn_goal.pk, world.kf_goal.pk]).update(
        title=PAYLOAD[:500], description=PAYLOAD, decision=PAYLOAD[:200]
    )
    world.bn_indicator.name, world.bn_indicator.unit = PAYLOAD[:300], "<b>%</b>"
    world.bn_indicator.save()
    world.bn_activity.title, world.bn_activity.description = PAYLOAD[:300], PAYLOAD
    world.bn_activity.responsible = PAYLOAD[:200]
    world.bn_activity.save()
    category = factories.CategoryFactory(
        set=factories.CategorySetFactory(key="xss", name="<i>Grupp</i>"),
        name="<script>alert(1)</script>",
        description=PAYLOAD,
    )
    tree.update_goal(world.kf_goal, categories=[category])
    world.bn.name = "<img src=x onerror=alert(1)>"
    world.bn.save()
    period = ReportingPeriod.objects.create(year=2026, kind=ReportingPeriod.Kind.ANNUAL)
    IndicatorValue.objects.create(
        indicator=world.bn_indicator, period=period, total=Decimal(1), comment=PAYLOAD
    )
    return world


def pages(w):
    yield reverse("goals:home")
    yield reverse("goals:tree")
    yield reverse("goals:tree") + f"?namnd={w.bn.code}"
    for name, pk in [
        ("goals:detail", w.bn_goal.pk),
        ("goals:detail", w.kf_goal.pk),
        ("goals:goal_history", w.bn_goal.pk),
        ("goals:goal_edit", w.bn_goal.pk),
        ("goals:goal_move", w.bn_goal.pk),
        ("goals:goal_delete", w.bn_goal.pk),
        ("goals:indicator_edit", w.bn_indicator.pk),
        ("goals:indicator_history", w.bn_indicator.pk),
        ("goals:activity_edit", w.bn_activity.pk),
        ("goals:activity_delete", w.bn_activity.pk),
    ]:
        yield reverse(name, args=[pk])
    yield reverse("accounts:workspace")
    with contextlib.suppress(NoReverseMatch):  # the follow-up's indicator page shows the values' comments
        yield reverse("followup:indicator", args=[w.bn_indicator.pk])


def test_stored_xss_stays_inert_on_every_page(login, poisoned):
    client = login("controller")
    for url in pages(poisoned):
        response = client.get(url)
        assert response.status_code == 200, url
        assert active_content(response.content.decode()) == [], url


def test_stored_xss_is_shown_as_text(login, poisoned):
    html = login("controller").get(reverse("goals:detail", args=[poisoned.bn_goal.pk])).content.decode()
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in html  # the title, escaped


# --- The sanitiser ---------------------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [*PAYLOADS, "<", ">", '"', "'", "`", "=", "(", ")", ":", "&#106;", "&#x6A;", "\n\n", "*", "_", "[", "]",
     "javascript", "JaVa\tScRiPt:", "on", "error", "load", "href", "src", "<a ", "<img ", "<svg", "</a>",
     "data:", "&lt;script&gt;", "<!--", "-->", "<![CDATA[", "]]>", "\x00", "```\n", "    ", "> ", "- ", "# ",
     "|"]
)  # fmt: skip


@hypothesis_settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(FRAGMENTS | st.text(max_size=8), max_size=25).map("".join))
def test_sanitised_markdown_never_holds_active_content(text):
    html = render_markdown(text)
    assert active_content(html, NOT_IN_MARKDOWN) == []
    assert "<script" not in html.lower()
    parser = Links()
    parser.feed(html)
    for href in parser.hrefs:
        # Only http(s), mailto and relative links survive: never javascript:, data: or vbscript:.
        scheme = href.split(":", 1)[0].lower() if ":" in href.split("/", 1)[0] else ""
        assert scheme in {"", "http", "https", "mailto"}, href


class Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        self.hrefs.extend("".join(v.split()) for k, v in attrs if k == "href" and v)


# --- Headers, logins, hashers, deploy settings -----------------------------------------------------------


def test_every_page_sends_the_content_security_policy(client, world):
    policy = client.get(reverse("goals:home"))["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    )
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def login_attempt(client, username, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_login_with_the_right_password_goes_to_my_page(client, world):
    response = login_attempt(client, "editor_bn", "pw")
    assert response.status_code == 302 and response.url == reverse("accounts:workspace")


def test_lockout_after_the_configured_failures_even_with_the_right_password(client, world):
    limit = settings.AXES_FAILURE_LIMIT
    for _attempt in range(limit - 1):
        assert login_attempt(client, "editor_bn", "fel").status_code == 200
    locked = login_attempt(client, "editor_bn", "fel")
    assert locked.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in locked.templates]
    right = login_attempt(client, "editor_bn", "pw")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # The lock is for this username from this address: others, and the same user elsewhere, still log in.
    assert login_attempt(client, "editor_ks", "pw").status_code == 302
    client.logout()
    assert login_attempt(client, "editor_bn", "pw", address="10.0.0.2").status_code == 302


def test_argon2_is_the_first_password_hasher():
    from noramal import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert project_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesBackend"
    assert project_settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_deploy_check_passes_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "noramal.example.se",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_demo_logins_are_created_once_and_only_with_debug(db, settings):
    factories.board("BN")
    factories.board("KS", "Kommunstyrelsen")
    with pytest.raises(CommandError):
        call_command("create_demo_users", stdout=StringIO())
    settings.DEBUG = True
    call_command("create_demo_users", stdout=StringIO())
    call_command("create_demo_users", stdout=StringIO())
    roles = set(Membership.objects.values_list("user__username", "role", "organisation__code"))
    assert roles == {
        ("redaktor-bn", "editor", "BN"),
        ("redaktor-ks", "editor", "KS"),
        ("controller", "controller", "KF"),
        ("lasare", "reader", "KF"),
        ("admin", "admin", "KF"),
    }
    assert AuditEvent.objects.filter(action="membership.grant").count() == 5
