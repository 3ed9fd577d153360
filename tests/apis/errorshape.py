"""What every API error body must be: ``{code, message, message_en}``, ``message`` in Chinese with no English
words, ``message_en`` in English with no Chinese, no Python enum name (``CaseState.ACCEPTED``) and no quoted raw
code (``'accepted'``) where a name belongs."""

from __future__ import annotations

import importlib
import inspect
import json
import re

from django.db import models

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
ENUM_NAME = re.compile(r"\b[A-Z][A-Za-z]+\.[A-Z][A-Z_]+\b")
WORD = re.compile(r"[A-Za-z][A-Za-z_]*")
# Latin tokens a Chinese sentence may carry: acronyms, HTTP methods, example formats.
ALLOWED_IN_CHINESE = {"JSON", "CSRF", "PDF", "UUID", "API", "ID", "URL", "QR", "GET", "POST", "PUT", "PATCH",
                      "DELETE", "HEAD", "OPTIONS", "Cookie", "T", "Excel", "xlsx", "CSV", "MB", "KB", "SVG", "PNG",
                      "JPEG", "JPG"} | {chr(c) for c in range(ord("A"), ord("Z") + 1)}


def choice_codes() -> set[str]:
    """Every raw value of the apps' TextChoices (the codes a name belongs in place of)."""
    codes: set[str] = set()
    for app in ("accounts", "cases", "catalog", "hall", "licences", "supervision", "bundles", "documents",
                "crossregion", "workcal", "notify", "feedback"):
        for mod in ("constants", "models"):
            try:
                module = importlib.import_module(f"yichuang.{app}.{mod}")
            except ImportError:
                continue
            for _, obj in inspect.getmembers(module, inspect.isclass):
                if issubclass(obj, models.TextChoices) and obj is not models.TextChoices:
                    codes.update(str(v) for v in obj.values)
    return codes


CODES = choice_codes()


def problems(body: dict, *, identifiers: set[str] = frozenset()) -> list[str]:
    """What is wrong with an error body (empty: nothing)."""
    out = []
    for key in ("code", "message", "message_en"):
        if not isinstance(body.get(key), str) or not body[key].strip():
            out.append(f"{key} missing or empty")
    if out:
        return out
    allowed = set(identifiers) | {str(d.get("field", "")) for d in body.get("details", [])} | {body.get("field", "")}
    allowed = {word for name in allowed for word in WORD.findall(str(name))}
    message, message_en = body["message"], body["message_en"]
    if not CJK.search(message):
        out.append(f"message is not Chinese: {message!r}")
    english = [w for w in WORD.findall(message) if w not in ALLOWED_IN_CHINESE and w not in allowed]
    if english:
        out.append(f"English in message: {english} in {message!r}")
    if CJK.search(message_en):
        out.append(f"Chinese in message_en: {message_en!r}")
    if ENUM_NAME.search(message_en):
        out.append(f"Python enum name in message_en: {message_en!r}")
    quoted = [c for c in CODES if re.search(rf"""['"]{re.escape(c)}['"]""", message_en)]
    if quoted:
        out.append(f"raw codes {quoted} in message_en: {message_en!r}")
    return out


def assert_error(response, *, identifiers: set[str] = frozenset(), what: str = "") -> dict:
    """The response is an API error with the right shape and languages; returns its body."""
    assert response.status_code >= 400, f"{what}: not an error ({response.status_code})"
    assert response["Content-Type"].startswith("application/json"), (
        f"{what}: {response.status_code} answered {response['Content-Type']}: {response.content[:200]!r}")
    body = json.loads(response.content)
    found = problems(body, identifiers=identifiers)
    assert not found, f"{what} ({response.status_code}): {found}"
    return body
