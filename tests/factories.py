"""Small builders for test data. Goals are always created through the tree service."""

import factory

from goals import tree
from goals.models import Activity, Category, CategorySet, Goal, Indicator, Organisation, Target
from tests.levels import Level


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"N{n}")
    name = factory.LazyAttribute(lambda o: f"Nämnd {o.code}")
    kind = Organisation.Kind.BOARD


class CategorySetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CategorySet
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"grupp{n}")
    name = factory.LazyAttribute(lambda o: o.key.capitalize())


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("set", "name")

    set = factory.SubFactory(CategorySetFactory)
    name = factory.Sequence(lambda n: f"Kategori {n}")
    description = "Beskrivning"


def perspective(name=None, **fields):
    """A category of the set "perspektiv" (what goal files of version 1 call a perspective)."""
    category_set = CategorySetFactory(key="perspektiv", name="Perspektiv")
    return CategoryFactory(set=category_set, **({"name": name} if name else {}), **fields)


def council():
    return OrganisationFactory(code="KF", name="Kommunfullmäktige", kind=Organisation.Kind.COUNCIL)


def board(code="BN", name="Bildningsnämnden"):
    return OrganisationFactory(code=code, name=name, kind=Organisation.Kind.BOARD, parent=council())


def goal(parent, title="Mål", owner=None, **fields):
    """Create a goal one level below `parent` (a vision when parent is None), owned as the chain expects."""
    if parent is None:
        fields.setdefault("level_kind", Level.VISION)
    if owner is None:
        if parent is None or parent.level_kind_id in (Level.VISION, Level.OVERARCHING):
            owner = council()
        elif parent.level_kind_id == Level.COUNCIL:
            owner = board()
        else:
            owner = parent.owner
    return tree.create_goal(parent=parent, title=title, owner=owner, **fields)


def chain(council_goals=2, board_goals_each=2, boards=("BN",)):
    """A small valid chain: vision, overarching goal, council goals, board goals spread over `boards`."""
    vision = goal(None, "Vision")
    overarching = goal(vision, "13 000 invånare år 2030")
    owners = [board(code) for code in boards]
    for c in range(council_goals):
        kf = goal(overarching, f"KF-mål {c + 1}")
        for b in range(board_goals_each):
            goal(kf, f"Nämndmål {c + 1}.{b + 1}", owner=owners[b % len(owners)])
    return Goal.objects.get(pk=vision.pk)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    name = factory.Sequence(lambda n: f"Indikator {n}")
    unit = "%"
    owner = factory.LazyAttribute(lambda o: o.goal.owner)


class TargetFactory(factory.django.DjangoModelFactory):
    """A target; `year=` makes it a one-year span (from_year = to_year), as all targets were before spans."""

    class Meta:
        model = Target

    from_year = 2026
    to_year = factory.SelfAttribute("from_year")
    value = 90
    tolerance = 5

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if "year" in kwargs:
            kwargs["from_year"] = kwargs["to_year"] = kwargs.pop("year")
        return kwargs


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    title = factory.Sequence(lambda n: f"Aktivitet {n}")
    owner = factory.LazyAttribute(lambda o: o.goal.owner)
