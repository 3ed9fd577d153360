"""Finding 3: with debug off nothing serves without a real secret key and real field keys; the demo keeps its own
keys in its data directory and refuses production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from yichuang.core import checks, crypto

ROOT = Path(__file__).resolve().parents[2]


def _run(code_or_args, tmp_path: Path, env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("YICHUANG_")}
    base.update({"DJANGO_SETTINGS_MODULE": "yichuang.config.settings", "YICHUANG_VAR_DIR": str(tmp_path),
                 "YICHUANG_LOG_LEVEL": "ERROR"})
    base.update(env)
    argv = [sys.executable, "-c", code_or_args] if isinstance(code_or_args, str) else \
        [sys.executable, "-m", "yichuang.cli", *code_or_args]
    return subprocess.run(argv, env=base, capture_output=True, text=True, timeout=300, cwd=ROOT)


def test_check_refuses_without_keys_when_debug_is_off(tmp_path):
    r = _run(["check"], tmp_path, {})
    assert r.returncode != 0
    assert "yichuang.E001" in r.stderr and "yichuang.E002" in r.stderr and "YICHUANG_SECRET_KEY" in r.stderr
    assert "拒绝启动" in r.stderr


def test_the_asgi_and_wsgi_entry_points_refuse_without_keys(tmp_path):
    for module in ("yichuang.config.asgi", "yichuang.config.wsgi"):
        r = _run(f"import {module}", tmp_path, {"YICHUANG_FIELD_KEYS": os.environ["YICHUANG_FIELD_KEYS"]})
        assert r.returncode != 0 and "ImproperlyConfigured" in r.stderr and "YICHUANG_SECRET_KEY" in r.stderr
        r = _run(f"import {module}", tmp_path, {"YICHUANG_SECRET_KEY": os.environ["YICHUANG_SECRET_KEY"]})
        assert r.returncode != 0 and "YICHUANG_FIELD_KEYS" in r.stderr
    ok = _run("import yichuang.config.asgi", tmp_path, {"YICHUANG_SECRET_KEY": os.environ["YICHUANG_SECRET_KEY"],
                                                       "YICHUANG_FIELD_KEYS": os.environ["YICHUANG_FIELD_KEYS"]})
    assert ok.returncode == 0, ok.stderr


def test_debug_on_may_use_derived_keys(tmp_path):
    r = _run(["check"], tmp_path, {"YICHUANG_DEBUG": "1"})
    assert r.returncode == 0, r.stderr


def test_no_derived_field_key_with_debug_off(settings, monkeypatch):
    monkeypatch.delenv("YICHUANG_FIELD_KEYS")
    settings.DEBUG, settings.SECRET_KEY = False, os.environ["YICHUANG_SECRET_KEY"]
    with pytest.raises(crypto.KeyError_, match="YICHUANG_FIELD_KEYS"):
        crypto.encrypt("13800138000", kind="phone")
    assert {cid for cid, *_ in checks.key_problems()} == {"yichuang.E002"}


def test_a_placeholder_secret_key_is_refused(settings):
    settings.SECRET_KEY = "insecure-dev-key-/srv/yichuang/var"
    assert "yichuang.E001" in {cid for cid, *_ in checks.key_problems()}


def test_genkey_runs_without_keys(tmp_path):
    r = _run(["pii", "genkey"], tmp_path, {})
    assert r.returncode == 0, r.stderr
    r = _run(["pii", "genkey"], tmp_path, {"YICHUANG_CRYPTO_SUITE": "gm"})
    assert r.returncode == 0 and r.stdout.startswith("sm4:"), r.stderr


def test_the_demo_is_one_command_with_its_own_keys(tmp_path):
    r = _run(["demo", "--no-serve"], tmp_path, {})
    assert r.returncode == 0, r.stderr[-3000:]
    keys = tmp_path / "demo-keys.json"
    assert keys.exists() and oct(keys.stat().st_mode & 0o777) == "0o600"


def test_the_demo_refuses_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("demo", "--no-serve")
