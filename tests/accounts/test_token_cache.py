"""The API token lookup in Django's cache, shared by every server process (Redis), with explicit invalidation: a
user deactivated, given another role, or a token revoked is refused or sees the change at the very next call —
through the services, and through any other save (the admin) by the signal backstop. Run on Redis (what several
processes share) and on local memory (one process)."""

import uuid

import pytest
from django.contrib.auth.models import update_last_login
from django.test import Client

from yichuang.accounts import services as acc
from yichuang.accounts.constants import Post, Role
from yichuang.accounts.models import ApiToken, User

REDIS_URL = "redis://127.0.0.1:6379"
PASSWORD = "secret-pass-1"
PHONE = "13800138000"


def _redis():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return client


@pytest.fixture(params=["redis", "locmem"])
def backend(request, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.API_TOKEN_CACHE_SECONDS = 300
    if request.param == "locmem":
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                       "LOCATION": f"yc-audit-{uuid.uuid4().hex}"}}
        yield None
        return
    client = _redis()
    prefix = f"yc_audit_test_{uuid.uuid4().hex}"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                                   "KEY_PREFIX": prefix}}
    yield client, prefix
    for key in client.scan_iter(f"{prefix}:*"):  # only this test's keys (never FLUSHDB: Redis is shared)
        client.delete(key)


@pytest.fixture
def world(db, backend):
    centre = acc.centre_create(code="500101", name="高新区政务服务中心", level="county")
    dept = acc.department_create(code="SCJG", name="市场监管局", centre=centre)
    admin = acc.user_create(username="admin", password=PASSWORD, role=Role.ADMIN, centre=centre)
    clerk = acc.user_create(username="clerk", password=PASSWORD, role=Role.CLERK, centre=centre, phone=PHONE)
    approver = acc.user_create(username="approver", password=PASSWORD, role=Role.APPROVER, centre=centre,
                               department=dept, post=Post.A)
    _, key = acc.token_issue(username="clerk", password=PASSWORD)
    return {"centre": centre, "dept": dept, "admin": admin, "clerk": clerk, "approver": approver, "key": key}


def api(key) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def cached_from_now_on(key, django_assert_num_queries):
    """The token answered once from the database, then from the cache without a query."""
    assert acc.token_authenticate(key) is not None
    with django_assert_num_queries(0):
        user = acc.token_authenticate(key)
    assert user is not None
    return user


def test_a_lookup_is_answered_from_the_shared_cache(world, backend, django_assert_num_queries):
    user = cached_from_now_on(world["key"], django_assert_num_queries)
    assert (user.username, user.role, user.centre.name) == ("clerk", Role.CLERK, "高新区政务服务中心")
    user.role = Role.ADMIN  # a request's changes to its user stay in that request
    assert acc.token_authenticate(world["key"]).role == Role.CLERK
    if backend is not None:  # the entry lives in Redis, for every process; no password hash, no phone in it
        client, prefix = backend
        keys = list(client.scan_iter(f"{prefix}:*accounts.token.*"))
        assert len(keys) == 2  # the generation and the one token
        stored = b"".join(client.get(k) for k in keys)
        assert PHONE.encode() not in stored and b"md5$" not in stored
        assert acc.token_authenticate(world["key"]).phone == PHONE  # loaded from the database when read


def test_another_process_finds_the_entry_and_sees_the_invalidation(world, backend, settings,
                                                                    django_assert_num_queries):
    if backend is None:
        pytest.skip("local memory is one process's own")
    cached_from_now_on(world["key"], django_assert_num_queries)
    settings.CACHES = {**settings.CACHES}  # new cache connections, as another process has: the same entries
    with django_assert_num_queries(0):
        assert acc.token_authenticate(world["key"]) is not None
    acc.user_deactivate(actor=world["admin"], user=world["clerk"], reason="调离")
    settings.CACHES = {**settings.CACHES}  # and back in "this" process
    assert acc.token_authenticate(world["key"]) is None


def test_a_deactivated_user_is_refused_at_once(world, django_assert_num_queries):
    cached_from_now_on(world["key"], django_assert_num_queries)
    assert api(world["key"]).get("/api/v1/accounts/posts").status_code == 200
    acc.user_deactivate(actor=world["admin"], user=world["clerk"], reason="离职")
    assert api(world["key"]).get("/api/v1/accounts/posts").status_code == 401
    assert acc.token_authenticate(world["key"]) is None


def test_a_changed_role_applies_at_once(world, django_assert_num_queries):
    cached_from_now_on(world["key"], django_assert_num_queries)
    assert api(world["key"]).get("/api/v1/accounts/posts").json() == []  # a clerk sees no posts
    acc.user_role_set(actor=world["admin"], user=world["clerk"], role=Role.SUPERVISOR, centre=world["centre"])
    roster = api(world["key"]).get("/api/v1/accounts/posts").json()  # a supervisor: his centre's departments
    assert [row["department"] for row in roster] == ["SCJG"]
    assert acc.token_authenticate(world["key"]).role == Role.SUPERVISOR


def test_a_changed_department_applies_at_once(world, django_assert_num_queries):
    _, key = acc.token_issue(username="approver", password=PASSWORD)
    cached_from_now_on(key, django_assert_num_queries)
    other = acc.department_create(code="ZJ", name="住建局", centre=world["centre"])
    acc.user_role_set(actor=world["admin"], user=world["approver"], role=Role.APPROVER, department=other)
    assert [row["department"] for row in api(key).get("/api/v1/accounts/posts").json()] == ["ZJ"]


def test_a_revoked_token_is_refused_at_once(world, django_assert_num_queries):
    cached_from_now_on(world["key"], django_assert_num_queries)
    _, second = acc.token_issue(username="clerk", password=PASSWORD, label="第二台")
    token = ApiToken.objects.get(label="")
    acc.token_revoke(actor=world["clerk"], token=token)
    assert api(world["key"]).get("/api/v1/accounts/posts").status_code == 401
    assert api(second).get("/api/v1/accounts/posts").status_code == 200  # his other token still works


def test_only_an_administrator_deactivates_or_changes_roles(world):
    from yichuang.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        acc.user_deactivate(actor=world["approver"], user=world["clerk"])
    with pytest.raises(PermissionDeniedError):
        acc.user_role_set(actor=world["clerk"], user=world["clerk"], role=Role.ADMIN)
    with pytest.raises(PermissionDeniedError):
        acc.token_revoke(actor=world["approver"], token=ApiToken.objects.get())
    assert User.objects.get(username="clerk").is_active


@pytest.mark.parametrize("change", ["admin_deactivates", "admin_changes_role", "admin_deletes_token",
                                    "tokens_deleted_in_bulk", "user_deleted"])
def test_saves_outside_the_services_invalidate_too(world, change, django_assert_num_queries):
    """The Django admin (and any other save) does not go through the services: the signal backstop."""
    cached_from_now_on(world["key"], django_assert_num_queries)
    clerk = User.objects.get(username="clerk")
    if change == "admin_deactivates":
        clerk.is_active = False
        clerk.save()
    elif change == "admin_changes_role":
        clerk.role = Role.SUPERVISOR
        clerk.save()
    elif change == "admin_deletes_token":
        ApiToken.objects.get(user=clerk).delete()
    elif change == "tokens_deleted_in_bulk":
        ApiToken.objects.filter(user=clerk).delete()
    else:
        clerk.delete()
    user = acc.token_authenticate(world["key"])
    assert user is None if change != "admin_changes_role" else user.role == Role.SUPERVISOR


def test_a_login_does_not_retire_the_cache(world, django_assert_num_queries):
    cached_from_now_on(world["key"], django_assert_num_queries)
    update_last_login(None, User.objects.get(username="admin"))  # what every page login does
    with django_assert_num_queries(0):
        assert acc.token_authenticate(world["key"]) is not None


def test_without_a_lifetime_nothing_is_cached(world, settings, django_assert_num_queries):
    settings.API_TOKEN_CACHE_SECONDS = 0
    acc.token_authenticate(world["key"])
    with django_assert_num_queries(1):
        assert acc.token_authenticate(world["key"]) is not None
