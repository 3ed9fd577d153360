"""Form data checked against a matter version's ``form_fields``.

A field spec is ``{"code": "shop_name", "label": "店名", "type": "text", "required": true}``; ``name`` is
accepted for ``code``. Types: text (default), number, integer, date (YYYY-MM-DD), bool, choice (with
``options``: a list of codes or of ``{"code", "label"}``), id_number, credit_code, phone.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from yichuang.core.errors import ValidationFailed
from yichuang.core.validators import validate_credit_code, validate_id_number

PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def form_validate(fields: list[dict], data: dict[str, Any] | None) -> dict[str, Any]:
    """Return the cleaned data (only known fields) or raise ValidationFailed listing every problem."""
    data = dict(data or {})
    out: dict[str, Any] = {}
    problems: list[dict] = []
    for spec in fields or []:
        code = str(spec.get("code") or spec.get("name") or "").strip()
        if not code:
            continue
        label = spec.get("label") or code
        kind = spec.get("type") or "text"
        value = data.get(code)
        if _blank(value):
            if spec.get("required"):
                problems.append({"field": code, "msg": f"“{label}”为必填项。", "msg_en": f"{code} is required."})
            continue
        try:
            out[code] = _coerce(kind, value, spec)
        except (ValueError, TypeError, ValidationFailed) as exc:
            msg = getattr(exc, "message", None) or f"“{label}”格式不正确。"
            problems.append({"field": code, "msg": f"“{label}”：{msg}" if getattr(exc, "message", None) else msg,
                             "msg_en": f"{code} is not a valid {kind}."})
    if problems:
        raise ValidationFailed(
            "表单填写有误：" + "；".join(p["msg"] for p in problems),
            "Form errors: " + "; ".join(p["msg_en"] for p in problems),
            field=problems[0]["field"], details=problems)
    return out


def _coerce(kind: str, value: Any, spec: dict) -> Any:
    if kind == "text":
        if not isinstance(value, (str, int, float)):
            raise ValueError
        text = str(value).strip()
        if spec.get("max_length") and len(text) > int(spec["max_length"]):
            raise ValueError
        return text
    if kind == "number":
        if isinstance(value, bool):
            raise ValueError
        return float(value)
    if kind == "integer":
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError
        return int(str(value).strip())
    if kind == "date":
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if str(value).lower() in {"1", "true", "yes", "是"}:
            return True
        if str(value).lower() in {"0", "false", "no", "否"}:
            return False
        raise ValueError
    if kind == "choice":
        options = [o["code"] if isinstance(o, dict) else o for o in spec.get("options") or []]
        if str(value) not in [str(o) for o in options]:
            raise ValueError
        return str(value)
    if kind == "id_number":
        return validate_id_number(str(value))
    if kind == "credit_code":
        return validate_credit_code(str(value))
    if kind == "phone":
        if not PHONE_RE.match(str(value).strip()):
            raise ValueError
        return str(value).strip()
    return value
