"""The cases' test world (``tests/cases/conftest.py``) for the API-wide tests."""

from tests.cases.conftest import fast_hasher, world  # noqa: F401  (fixtures)
