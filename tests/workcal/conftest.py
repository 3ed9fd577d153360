import pytest

from yichuang.accounts.services import user_create


@pytest.fixture
def admin_user(db):
    return user_create(username="cal-admin", password="pw-Admin-123", role="admin", display_name="管理员甲")


@pytest.fixture
def clerk_user(db):
    return user_create(username="cal-clerk", password="pw-Clerk-123", role="clerk", display_name="窗口乙")
