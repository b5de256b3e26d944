import pytest

from goals.models import Goal
from tests import factories
from tests.followup.world import build_world
from tests.kolada_standin import Standin, serve
from tests.levels import Level


@pytest.fixture
def world(db):
    """Chain, boards, personas, an open period with a BN value, a closed period (see world.py, matrix.py)."""
    return build_world()


@pytest.fixture
def as_persona(client, world):
    """Log the test client in as a persona of the world: as_persona("editor_bn")."""

    def login(persona, the_client=None):
        the_client = the_client or client
        the_client.force_login(world.users[persona])
        return the_client

    return login


# Kolada: a v3 stand-in on 127.0.0.1 and an indicator with the sample's KPI -------------------------------

OREBRO = "1880"


@pytest.fixture
def standin(settings):
    stand_in = Standin()
    server = serve(stand_in)
    settings.KOLADA_URL = f"{stand_in.url}/v3"
    settings.MUNICIPALITY_ID = OREBRO
    yield stand_in
    server.shutdown()
    server.server_close()


@pytest.fixture
def board_goal(small_chain, bn):
    return Goal.objects.filter(level_kind=Level.BOARD, owner=bn).first()


@pytest.fixture
def n15428(board_goal):
    return factories.IndicatorFactory(
        goal=board_goal, name="Behöriga till yrkesprogram", unit="%", decimals=1, gender_split=True,
        kolada_kpi="N15428",
    )  # fmt: skip
