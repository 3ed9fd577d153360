"""The per-centre scarcity counts the call and the kiosk read (hall.scarcity, in Django's cache): what they hold,
when they are counted again."""

import datetime as dt
import os
import socket

import pytest
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings

from yichuang.hall import dispatch, scarcity, services
from yichuang.hall.models import Window

pytestmark = pytest.mark.django_db


def _able(hall, domain, matter=None) -> int:
    return scarcity.for_centre(hall.centre.pk).of(dispatch.TicketView(
        id=0, domain_id=domain.pk, matter_id=matter.pk if matter else None, priority=3, queued_at=hall.now))


def test_counts_agree_with_the_dispatch_rules(hall):
    hall.window(number="1", clerk_user=hall.clerk(domains=[hall.a, hall.b]))
    hall.window(number="2", window_type="domain", domains=[hall.a], clerk_user=hall.clerk(domains=[hall.a]))
    hall.window(number="3", window_type="department", department=hall.dept,
                clerk_user=hall.clerk(matters=[hall.matter]))
    views = services.open_window_views(centre_id=hall.centre.pk)
    for domain, matter in ((hall.a, None), (hall.b, None), (hall.a, hall.matter)):
        probe = dispatch.TicketView(id=0, domain_id=domain.pk, matter_id=matter.pk if matter else None, priority=3,
                                    queued_at=hall.now)
        assert _able(hall, domain, matter) == dispatch.windows_able(views, probe)
    assert (_able(hall, hall.a), _able(hall, hall.b), _able(hall, hall.a, hall.matter)) == (2, 1, 3)


def test_kept_in_the_cache_for_the_period_and_deleted_when_the_services_change_a_window(hall, settings):
    settings.HALL_SCARCITY_SECONDS = 3600
    c1 = hall.clerk(domains=[hall.a])
    hall.window(number="1", clerk_user=c1)
    assert _able(hall, hall.a) == 1
    assert isinstance(cache.get(f"hall:scarcity:{hall.centre.pk}"), scarcity.Table)
    # A change the services did not make (here straight in the table) is seen only after the period ...
    other = hall.clerk(domains=[hall.a])
    Window.objects.create(centre=hall.centre, number="9", state="open", clerk=other)
    assert _able(hall, hall.a) == 1
    scarcity.forget(hall.centre.pk)
    assert _able(hall, hall.a) == 2
    # ... one they made is seen at once, in the same transaction: sign-in, pause, sign-out, skills.
    w3 = hall.window(number="3", clerk_user=hall.clerk(domains=[hall.a]))
    assert _able(hall, hall.a) == 3
    services.window_set_state(window=w3, actor=None, state="paused")
    assert _able(hall, hall.a) == 2
    services.skill_set(user=c1, domains=[hall.b])
    assert _able(hall, hall.a) == 1
    w1 = Window.objects.get(centre=hall.centre, number="1")
    services.clerk_sign_out(window=w1, clerk=c1)
    assert _able(hall, hall.b) == 0


def test_a_skill_change_of_a_clerk_signed_in_nowhere_keeps_the_counts(hall, settings):
    settings.HALL_SCARCITY_SECONDS = 3600
    hall.window(number="1", clerk_user=hall.clerk(domains=[hall.a]))
    assert _able(hall, hall.a) == 1
    services.skill_set(user=hall.clerk(), domains=[hall.a, hall.b])
    assert cache.get(f"hall:scarcity:{hall.centre.pk}") is not None


def test_no_period_counts_at_every_call(hall, settings):
    settings.HALL_SCARCITY_SECONDS = 0
    hall.window(number="1", clerk_user=hall.clerk(domains=[hall.a]))
    assert _able(hall, hall.a) == 1
    Window.objects.create(centre=hall.centre, number="9", state="open", clerk=hall.clerk(domains=[hall.a]))
    assert _able(hall, hall.a) == 2


REDIS_URL = os.environ.get("YICHUANG_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379")
def test_with_redis_every_process_sees_the_count_and_its_invalidation(hall, settings):
    """With Redis as Django's cache, a count made in one process is read by another, and a change made in one
    deletes it for all: here the other process is a second, independent client of the same Redis. (The override
    ends inside the test: clearing a Redis cache flushes the whole database, other people's keys too.)"""
    prefix = f"yc_hall_test_{os.getpid()}"
    redis = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                         "KEY_PREFIX": prefix}}
    settings.HALL_SCARCITY_SECONDS = 3600
    elsewhere = RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    key = f"hall:scarcity:{hall.centre.pk}"
    try:
        with override_settings(CACHES=redis):
            w1 = hall.window(number="1", clerk_user=hall.clerk(domains=[hall.a]))
            assert _able(hall, hall.a) == 1
            assert elsewhere.get(key) == scarcity.for_centre(hall.centre.pk)
            services.window_set_state(window=w1, actor=None, state="paused")
            assert elsewhere.get(key) is None
            assert _able(hall, hall.a) == 0
    finally:
        elsewhere.delete(key)


def test_the_call_takes_the_ticket_fewer_windows_serve(hall):
    # Window 1 serves both domains; four more serve only A. B's ticket, two minutes younger, goes first: its
    # scarcity bonus (10 / 1) beats A's (10 / 5) plus two minutes of wait: the call reads the counts.
    c1 = hall.clerk(domains=[hall.a, hall.b])
    w1 = hall.window(number="1", clerk_user=c1)
    for i in range(4):
        hall.window(number=f"a{i}", window_type="domain", domains=[hall.a], clerk_user=hall.clerk(domains=[hall.a]))
    now = hall.now
    old = services.ticket_issue(centre=hall.centre, domain=hall.a, now=now - dt.timedelta(minutes=3))
    young = services.ticket_issue(centre=hall.centre, domain=hall.b, now=now - dt.timedelta(minutes=1))
    called = services.ticket_call_next(window=w1, clerk=c1, now=now)
    assert called.pk == young.pk
    # With A's windows gone, A is as scarce as B and the older ticket goes first.
    for w in Window.objects.filter(centre=hall.centre, number__startswith="a"):
        services.clerk_sign_out(window=w, clerk=w.clerk)
    services.ticket_finish(window=w1, clerk=c1, ticket=called, now=now)
    again = services.ticket_issue(centre=hall.centre, domain=hall.b, now=now - dt.timedelta(minutes=1))
    assert services.ticket_call_next(window=w1, clerk=c1, now=now).pk == old.pk
    assert again.state == "waiting"
