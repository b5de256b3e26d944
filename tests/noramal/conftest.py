from tests.followup.conftest import as_persona, world  # noqa: F401
