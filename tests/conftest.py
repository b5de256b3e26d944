import pytest

from goals import chain
from tests import factories


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
