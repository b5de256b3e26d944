"""The follow-up tests' world: the permission matrix's shared world (tests/matrix.py) plus the follow-up's
own objects (tests/followup/matrix.py: an open period with a BN value, a closed period, a submitted one)."""

from tests.followup.matrix import extend
from tests.matrix import base_world


def build_world():
    world = base_world()
    extend(world)
    return world
