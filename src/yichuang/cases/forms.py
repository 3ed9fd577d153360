"""Form data checked against a matter version's ``form_fields``.

A field spec is ``{"code": "shop_name", "label": "店名", "type": "text", "required": true}``; ``name`` is
accepted for ``code``. Types: text (default), textarea, number, integer, date (YYYY-MM-DD), bool, choice or select
(one of ``options``: a list of codes or of ``{"code", "label"}``), multiselect (a list of them; a single string is a
list of one), id_number, credit_code, phone. A value outside the options is refused with the field's name and the
options it may take, on every path (the pages, the API, a bundle's union form).

Personal numbers typed into a form (fields of type ``id_number`` and ``phone``, 《个人信息保护法》) are kept like the
applicant's own: :func:`form_encrypt` encrypts them for storage (core/crypto.py, the kind bound in), once, in the
service that writes the form; :func:`form_masked` is what every page, API answer and notice shows
(``110***********1234``); :func:`form_pii_full` gives the full numbers to the audited reveal (services/pii.py) only.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from yichuang.core import crypto
from yichuang.core.errors import ValidationFailed
from yichuang.core.validators import mask_id_number, mask_phone, validate_credit_code, validate_id_number

PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
CHOICE_TYPES = ("choice", "select")
MULTI_TYPES = ("multiselect",)
PII_TYPES = ("id_number", "phone")  # form field types holding a personal number: encrypted, masked, revealed
UNREADABLE = "******"  # a stored number that does not decrypt (wrong key): shown as nothing readable


class _Refused(ValueError):
    """A value refused with its own words (Chinese, English), not the generic "format" message."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def field_options(spec: dict) -> list[dict]:
    """A field's options as ``{"code", "label"}`` (a plain string is both)."""
    out = []
    for o in spec.get("options") or []:
        if isinstance(o, dict):
            code = str(o.get("code", o.get("value", o.get("label", ""))))
            out.append({"code": code, "label": str(o.get("label") or code)})
        else:
            out.append({"code": str(o), "label": str(o)})
    return out


def _blank(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return all(_blank(v) for v in value)
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
        except _Refused as exc:
            problems.append({"field": code, "msg": f"“{label}”：{exc.zh}", "msg_en": f"{code}: {exc.en}"})
        except (ValueError, TypeError, ValidationFailed) as exc:
            msg = getattr(exc, "message", None) or f"“{label}”格式不正确。"
            problems.append({"field": code, "msg": f"“{label}”：{msg}" if getattr(exc, "message", None) else msg,
                             "msg_en": f"{code} is not a valid {kind}."})
    if problems:
        raise ValidationFailed(
            "表单填写有误：" + "；".join(p["msg"].rstrip("。") for p in problems) + "。",
            "Form errors: " + "; ".join(p["msg_en"].rstrip(".") for p in problems) + ".",
            field=problems[0]["field"], details=problems)
    return out


def _option_refused(spec: dict, bad: list[str]) -> _Refused:
    labels = [o["label"] for o in field_options(spec)]
    # The English message names no value: options and values are often Chinese words.
    return _Refused(f"“{'、'.join(bad)}”不是可选项（可选：{'、'.join(labels)}）。",
                    f"{len(bad)} value(s) not among the field's {len(labels)} options.")


def _one_option(spec: dict, value: Any) -> str:
    """The option's code for ``value`` (its code, or its label as shown on the page)."""
    if isinstance(value, (dict, list, tuple, bool)) or value is None:
        raise _option_refused(spec, [str(value)])
    text = str(value).strip()
    for o in field_options(spec):
        if text in (o["code"], o["label"]):
            return o["code"]
    raise _option_refused(spec, [text])


def _coerce(kind: str, value: Any, spec: dict) -> Any:
    if kind in CHOICE_TYPES:
        return _one_option(spec, value)
    if kind in MULTI_TYPES:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, (list, tuple)):
            raise _option_refused(spec, [str(value)])
        codes: list[str] = []
        bad: list[str] = []
        for v in values:
            if _blank(v):
                continue
            try:
                code = _one_option(spec, v)
            except _Refused:
                bad.append(str(v))
                continue
            if code not in codes:
                codes.append(code)
        if bad:
            raise _option_refused(spec, bad)
        return codes
    if kind == "textarea":
        kind = "text"
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
    if kind == "id_number":
        return validate_id_number(str(value))
    if kind == "credit_code":
        return validate_credit_code(str(value))
    if kind == "phone":
        if not PHONE_RE.match(str(value).strip()):
            raise ValueError
        return str(value).strip()
    return value


# ---------------------------------------------------------------- personal numbers in a form


def form_pii_fields(fields: list[dict] | None) -> dict[str, dict]:
    """code → spec of the form's fields that hold a personal number (type ``id_number`` or ``phone``)."""
    out = {}
    for spec in fields or []:
        code = str(spec.get("code") or spec.get("name") or "").strip()
        if code and (spec.get("type") or "text") in PII_TYPES:
            out[code] = spec
    return out


def form_encrypt(fields: list[dict] | None, data: dict[str, Any] | None) -> dict[str, Any]:
    """The form as stored: its ID and phone numbers (checked plaintext, as typed) encrypted. Only data that was
    never stored goes in — what a form's stored value looks like is not taken for ciphertext."""
    out = dict(data or {})
    for code, spec in form_pii_fields(fields).items():
        value = out.get(code)
        if isinstance(value, str) and value:
            out[code] = str(crypto.encrypt(value, kind=spec["type"]))
    return out


def form_encrypt_legacy(fields: list[dict] | None, data: dict[str, Any] | None) -> tuple[dict[str, Any], bool]:
    """For the data migrations only: a form stored before its numbers were encrypted, with the plaintext ones
    encrypted (a validated ID or phone number never starts with the ciphertext prefix, so one already encrypted
    is left as it is), and whether anything changed."""
    out, changed = dict(data or {}), False
    for code, spec in form_pii_fields(fields).items():
        value = out.get(code)
        if isinstance(value, str) and value and not value.startswith(crypto.PREFIX):
            out[code], changed = str(crypto.encrypt(value, kind=spec["type"])), True
    return out, changed


def _plain(value: Any, kind: str) -> str:
    try:
        return crypto.decrypt(str(value), kind=kind)
    except crypto.UnreadableValue:
        return UNREADABLE


def form_decrypt(fields: list[dict] | None, data: dict[str, Any] | None) -> dict[str, Any]:
    """The form with its ID and phone numbers in full — for a service that files it again (a bundle releasing a
    matter), never for display."""
    out = dict(data or {})
    for code, spec in form_pii_fields(fields).items():
        if isinstance(out.get(code), str) and out[code]:
            out[code] = _plain(out[code], spec["type"])
    return out


def form_masked(fields: list[dict] | None, data: dict[str, Any] | None) -> dict[str, Any]:
    """The form as shown everywhere: ID and phone numbers masked, like the applicant's own."""
    out = dict(data or {})
    for code, spec in form_pii_fields(fields).items():
        if isinstance(out.get(code), str) and out[code]:
            plain = _plain(out[code], spec["type"])
            if plain != UNREADABLE:
                plain = mask_id_number(plain) if spec["type"] == "id_number" else mask_phone(plain)
            out[code] = plain
    return out


def form_pii_full(fields: list[dict] | None, data: dict[str, Any] | None) -> list[dict[str, str]]:
    """The form's ID and phone numbers in full, for the audited reveal: ``[{"code", "label", "type", "value"}]``."""
    return [{"code": code, "label": str(spec.get("label") or code), "type": spec["type"],
             "value": _plain(data[code], spec["type"])}
            for code, spec in form_pii_fields(fields).items()
            if isinstance((data or {}).get(code), str) and data[code]]
