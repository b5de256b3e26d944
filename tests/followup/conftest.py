import pytest

from tests.followup.world import build_world


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
