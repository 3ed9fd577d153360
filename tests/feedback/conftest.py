import pytest

from tests.cases.conftest import build_world, fast_hasher  # noqa: F401


@pytest.fixture
def world(db, fast_hasher):  # noqa: F811
    return build_world()
