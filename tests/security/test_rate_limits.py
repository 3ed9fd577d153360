"""Rate limits (finding 13): 429 {code, message, message_en} on the public progress lookup (per address and per
case number), page and API."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _api(client, number, code="0000", addr="198.51.100.1"):
    return client.get("/api/v1/cases/progress", {"number": number, "last4": code}, REMOTE_ADDR=addr)


def test_progress_api_limited_per_case_number(client, settings):
    settings.RATE_LIMITS = {"progress.case": (3, 600), "progress.ip": (100, 600)}
    for i in range(3):
        assert _api(client, "YC-1", f"{i:04d}", addr=f"198.51.100.{i}").status_code != 429
    r = _api(client, "YC-1", "9999", addr="198.51.100.50")  # another address: still the same case
    assert r.status_code == 429
    body = r.json()
    assert body["code"] == "rate_limited" and "请求过于频繁" in body["message"]
    assert "Too many requests" in body["message_en"]
    assert _api(client, "YC-2").status_code != 429


def test_progress_api_limited_per_address(client, settings):
    settings.RATE_LIMITS = {"progress.case": (100, 600), "progress.ip": (3, 600)}
    for i in range(3):
        assert _api(client, f"YC-{i}").status_code != 429
    assert _api(client, "YC-9").status_code == 429
    assert _api(client, "YC-9", addr="198.51.100.77").status_code != 429


def test_progress_page_limited(client, settings):
    settings.RATE_LIMITS = {"progress.case": (2, 600), "progress.ip": (100, 600)}
    for _ in range(2):
        assert client.get("/cases/progress/", {"number": "YC-1", "code": "0000"}).status_code == 200
    r = client.get("/cases/progress/", {"number": "YC-1", "code": "0001"})
    assert r.status_code == 429
    assert "请求过于频繁" in r.content.decode() and "Too many requests" in r.content.decode()
