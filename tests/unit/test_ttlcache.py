"""The per-process cache with a configured lifetime (core.ttlcache), as the token, scarcity and mean caches use it."""

import time

from yichuang.core.ttlcache import TTLCache


def test_an_entry_lives_the_configured_seconds(settings, monkeypatch):
    settings.TEST_TTL_SECONDS = 5
    cache = TTLCache("TEST_TTL_SECONDS", 1)
    clock = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    cache.put("k", "v")
    clock[0] += 4.9
    assert cache.get("k") == "v"
    clock[0] += 0.2
    assert cache.get("k") is None


def test_no_lifetime_keeps_nothing_and_stops_giving_what_it_kept(settings):
    settings.TEST_TTL_SECONDS = 60
    cache = TTLCache("TEST_TTL_SECONDS", 1)
    cache.put("k", "v")
    settings.TEST_TTL_SECONDS = 0
    assert cache.get("k") is None
    cache.put("j", "w")
    settings.TEST_TTL_SECONDS = 60
    assert cache.get("j") is None and cache.get("k") == "v"


def test_forget_one_or_all_and_the_bound(settings):
    cache = TTLCache("NO_SUCH_SETTING", 60, max_entries=3)
    for k in "abc":
        cache.put(k, k.upper())
    cache.forget("a")
    assert (cache.get("a"), cache.get("b")) == (None, "B")
    cache.put("d", "D")
    cache.put("e", "E")  # full: starts again empty rather than grow
    assert [cache.get(k) for k in "bcde"] == [None, None, None, "E"]
    cache.forget()
    assert cache.get("e") is None
