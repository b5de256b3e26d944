"""The permission matrix: every URL pattern × every persona × GET and POST → the expected answer.

Each app contributes a module (listed in CONTRIBUTORS) with
- `ROWS`: a list of `Row`s, and optionally
- `extend(world)`: adds the app's own objects to the shared world before the rows run.
`tests/test_permission_matrix.py` runs every row for every persona, checks that a refused write changed
nothing (and that an allowed one really wrote), and fails when a URL pattern has no GET or no POST row.

Expectations are HTTP statuses, except `LOGIN` (a redirect to the login page, what an anonymous visitor
gets for anything that is not public) and `redirect_to(url_name)`. A plain 302 for the anonymous persona
also means "to the login page".
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Membership
from tests import factories

PERSONAS = ("anonymous", "reader", "editor_bn", "editor_ks", "controller", "admin")
CONTRIBUTORS = (
    "tests.goals.matrix",
    "tests.accounts.matrix",
    "tests.followup.matrix",
    "tests.followup.matrix_io",
    "tests.followup.matrix_public",
    "tests.followup.matrix_provenance",
    "tests.reports.matrix",
    "tests.signin.matrix",
)
# Namespaces that are not the app's own pages: Django's admin has its own permission system.
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_NAMES = {"static", "djdt"}
PASSWORD = "pw"
YEAR = 2026


@dataclass(frozen=True)
class Redirect:
    """Expect a 302 to this URL name (or to the login page)."""

    to: str

    def __str__(self):
        return f"302→{self.to}"


LOGIN = Redirect("login")


def redirect_to(url_name):
    return Redirect(url_name)


@dataclass(frozen=True)
class Row:
    """One request (URL name, arguments, method, data) and the answer each persona must get."""

    url_name: str
    args: Callable = field(default=lambda w: [])
    method: str = "GET"
    data: Callable | None = None
    expect: dict = field(default_factory=dict)
    # A snapshot of what the request must leave alone when it is refused (and must change when allowed).
    unchanged: Callable | None = None

    def __post_init__(self):
        if self.method not in ("GET", "POST"):
            raise ValueError(f"{self.url_name}: method must be GET or POST, not {self.method}")


def expect(anonymous=LOGIN, rest=200, **by_persona):
    """Statuses per persona: those named, `anonymous`, and `rest` for everyone else."""
    unknown = set(by_persona) - set(PERSONAS)
    if unknown:
        raise ValueError(f"unknown personas: {sorted(unknown)}")
    return {"anonymous": anonymous, **{p: by_persona.get(p, rest) for p in PERSONAS[1:]}}


def make_user(username, role=None, organisation=None, **fields):
    user = get_user_model().objects.create_user(
        username, password=PASSWORD, first_name=username.replace("_", " ").title(), **fields
    )
    if role:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def base_world():
    """The chain with two boards' goals, an indicator and an activity each, and one user per persona."""
    w = SimpleNamespace()
    w.council = factories.council()
    w.bn = factories.board("BN", "Bildningsnämnden")
    w.ks = factories.board("KS", "Kommunstyrelsen")
    w.vision = factories.goal(None, "Vision")
    w.overarching = factories.goal(w.vision, "13 000 invånare år 2030")
    w.kf_goal = factories.goal(w.overarching, "Alla barns kunskapsutveckling")
    w.bn_goal = factories.goal(w.kf_goal, "Ökad måluppfyllelse i skolan", owner=w.bn)
    w.ks_goal = factories.goal(w.kf_goal, "Fler bostäder", owner=w.ks)
    w.bn_indicator = factories.IndicatorFactory(
        goal=w.bn_goal, name="Behöriga till gymnasiet", unit="%", decimals=1, gender_split=True
    )
    w.ks_indicator = factories.IndicatorFactory(goal=w.ks_goal, name="Nya bostäder", unit="antal", decimals=0)
    factories.TargetFactory(indicator=w.bn_indicator, year=YEAR, value=Decimal("90"), tolerance=Decimal("5"))
    factories.TargetFactory(indicator=w.ks_indicator, year=YEAR, value=Decimal("40"), tolerance=Decimal("10"))
    w.bn_activity = factories.ActivityFactory(goal=w.bn_goal, title="Läsfrämjande insatser")
    w.ks_activity = factories.ActivityFactory(goal=w.ks_goal, title="Detaljplan Norra")
    w.users = {
        "anonymous": None,
        "reader": make_user("reader", Membership.Role.READER, w.council),
        "editor_bn": make_user("editor_bn", Membership.Role.EDITOR, w.bn),
        "editor_ks": make_user("editor_ks", Membership.Role.EDITOR, w.ks),
        "controller": make_user("controller", Membership.Role.CONTROLLER, w.council),
        "admin": make_user("admin", Membership.Role.ADMIN, w.council),
        # Not a persona of the matrix: logged in, but without any role.
        "outsider": make_user("outsider"),
    }
    return w


def contributors():
    """The contributing modules that exist (a module another engineer has not written yet is skipped)."""
    modules = []
    for name in CONTRIBUTORS:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as error:
            if error.name != name:  # the module is there but imports something missing: say so
                raise
    return modules


def build_world():
    """The base world, extended by every contributing module."""
    world = base_world()
    for module in contributors():
        if hasattr(module, "extend"):
            module.extend(world)
    return world


def all_rows():
    return [row for module in contributors() for row in module.ROWS]


def url_names(patterns=None, namespace=""):
    """Every named URL pattern as "namespace:name", except Django's admin and static files."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and pattern.name not in SKIPPED_NAMES:
            names.add(f"{namespace}{pattern.name}")
    return names
