import pytest

from goals import chain
from tests import factories
from tests.matrix import base_world


@pytest.fixture(autouse=True)
def _fresh_styrmodell():
    """Each test reads the levels its own database holds, not those a test before it left in memory."""
    chain.forget()
    yield
    chain.forget()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def council(db):
    return factories.council()


@pytest.fixture
def bn(db):
    return factories.board("BN", "Bildningsnämnden")


@pytest.fixture
def ks(db):
    return factories.board("KS", "Kommunstyrelsen")


@pytest.fixture
def small_chain(db, bn, ks):
    """Vision → overarching → 2 council goals → 2 board goals each (BN and KS)."""
    return factories.chain(council_goals=2, board_goals_each=2, boards=("BN", "KS"))


@pytest.fixture
def world(db):
    """The matrix's world: the chain, BN's and KS's goals with an indicator and activity each, personas.

    The follow-up's tests extend it with periods and values (tests/followup/conftest.py)."""
    return base_world()


@pytest.fixture
def login(client, world):
    """Log the client in as a persona: `login("editor_bn")`."""

    def as_persona(persona):
        client.force_login(world.users[persona])
        return client

    return as_persona
