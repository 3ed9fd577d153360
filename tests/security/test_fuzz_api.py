"""Schemathesis against the committed OpenAPI schema (docs/openapi.json), every operation, in-process through
Django's WSGI application (no network), authenticated with a clerk's bearer token.

One pytest test per operation, named by it (``test_no_server_errors[POST /api/v1/...]``), so that pytest-xdist can
spread them over its workers: ``schema.parametrize()`` gives all of them one name, and xdist then ran one of them.
Each draws from the operation's documented examples and from positive and negative generated cases, as
``schema.parametrize()`` does.

A bounded number of examples per operation (``YICHUANG_FUZZ_EXAMPLES``, default 10) keeps it fit for CI; the checks
are that no input — valid or not — makes the server answer 5xx, and that every refusal is ``{code, message,
message_en}``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from tests.cases.conftest import build_world, receive
from yichuang.accounts import services as acc
from yichuang.hall import services as hall

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
EXAMPLES = int(os.environ.get("YICHUANG_FUZZ_EXAMPLES", "10"))

from collections import Counter

STATUS: Counter = Counter()
OPERATIONS: set[str] = set()

schema = schemathesis.openapi.from_path(SCHEMA_PATH)
schema.app = get_wsgi_application()
OPERATIONS_ALL = [result.ok() for result in schema.get_all_operations()]


@pytest.fixture
def token(db, django_settings_fast_hasher):
    w = build_world()
    hall.skill_set(user=w.clerk, domains=[w.matter.domain], level="senior")
    window = hall.window_create(actor=None, centre=w.centre, number="1")
    hall.clerk_sign_in(window=window, clerk=w.clerk)
    hall.ticket_issue(centre=w.centre, domain=w.matter.domain)
    receive(w, actor=w.clerk2)
    _, key = acc.token_issue(username="clerk", password="secret-pass-1")
    return key


@pytest.fixture
def django_settings_fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LOGIN_FAILURE_LIMIT = 10**6  # the fuzzer hammers /auth/token with wrong passwords


def _cases(operation):
    return st.one_of(*operation.get_strategies_from_examples(),
                     *(operation.as_strategy(generation_mode=mode) for mode in GenerationMode))


def test_every_operation_is_fuzzed():
    assert len(OPERATIONS_ALL) == len({op.label for op in OPERATIONS_ALL}) > 50


@pytest.mark.parametrize("operation", OPERATIONS_ALL, ids=lambda op: op.label)
def test_no_server_errors(operation, token, fuzz_summary):
    @given(case=_cases(operation))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        STATUS[response.status_code] += 1
        OPERATIONS.add(case.operation.label)
        case.validate_response(response, checks=[not_a_server_error])
        if response.status_code >= 400:  # every refusal in the API's one error shape (its languages: tests/apis)
            assert (response.headers.get("content-type") or [""])[0].startswith("application/json"), response.text[:200]
            body = response.json()
            assert all(isinstance(body.get(k), str) and body[k] for k in ("code", "message", "message_en")), body

    check()


@pytest.fixture(scope="module")
def fuzz_summary():
    # As Django's test client does: a finished request must not close the test's database connection (on
    # PostgreSQL that would end the test transaction).
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    total = sum(STATUS.values())
    errors = sum(n for code, n in STATUS.items() if code >= 500)
    codes = ", ".join(f"{code}: {n}" for code, n in sorted(STATUS.items()))
    print(f"\nschemathesis: {len(OPERATIONS)} operations, {total} requests, {errors} server errors ({codes})")
