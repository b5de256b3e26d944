import pytest

from tests.matrix import base_world


@pytest.fixture
def world(db):
    """The matrix's world: the chain, BN's and KS's goals with an indicator and activity each, personas."""
    return base_world()


@pytest.fixture
def login(client, world):
    """Log the client in as a persona: `login("editor_bn")`."""

    def as_persona(persona):
        client.force_login(world.users[persona])
        return client

    return as_persona
