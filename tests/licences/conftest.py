import pytest

from .licence_world import build_licence_world


@pytest.fixture
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def lw(db, fast_hasher):
    return build_licence_world()
