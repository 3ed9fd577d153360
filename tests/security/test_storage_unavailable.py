"""Issue 21, finding 18: a full disk or a read-only database answers 503 in the error shape (API and pages) with
a clear log line, on SQLite and PostgreSQL alike (the database's refusal is simulated at the cursor)."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError, connection

from yichuang.core.errors import storage_error

pytestmark = pytest.mark.django_db


def _refuse(message):
    def wrapper(execute, sql, params, many, context):
        raise OperationalError(message)
    return wrapper


@pytest.mark.parametrize("message", ["database or disk is full", "attempt to write a readonly database"])
def test_api_answers_503_in_the_error_shape(client, message, caplog):
    with caplog.at_level(logging.ERROR, logger="yichuang.storage"), connection.execute_wrapper(_refuse(message)):
        resp = client.get("/api/v1/catalog/matters")
    assert resp.status_code == 503
    body = resp.json()
    assert body["code"] == "storage_unavailable" and body["message"] and body["message_en"]
    assert any("disk full or read-only" in r.getMessage() for r in caplog.records)


def test_a_page_answers_503(client):
    with connection.execute_wrapper(_refuse("database or disk is full")):
        resp = client.get("/matters/")
    assert resp.status_code == 503
    assert "磁盘已满或只读" in resp.content.decode()


def test_postgres_sqlstates_are_recognised_and_other_errors_are_not():
    class Cause(Exception):
        sqlstate = "53100"

    exc = OperationalError("could not extend file")
    exc.__cause__ = Cause()
    assert storage_error(exc) is not None
    assert storage_error(OperationalError("server closed the connection unexpectedly")) is None
