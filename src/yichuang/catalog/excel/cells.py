"""Cells of the workbook: reading a cell into the value a service takes, and writing a value back, for each
column kind of :class:`.columns.Col`. A bad cell raises :class:`CellError` with a Chinese reason.

* Choices accept the Chinese label (行政许可, 承诺件, 必要, 复印件…) or the code; export writes labels.
* Booleans accept 是/否, Y/N, 1/0, true/false, 对/错; export writes 是/否.
* 可办理层级, 服务对象, 主题: labels or codes separated by 、 , ， ; or spaces.
* 办理流程: one step per line; a cell starting with ``[`` is read as a JSON list.
* 常见问题: ``Q: 问题`` / ``A: 回答`` line pairs; a cell starting with ``[`` is read as JSON.
* 表单字段: JSON. 选项: ``code=标签;…``. 适用情形: ``情形编码=选项,选项;…``.

Headers and sheet titles are compared by :func:`norm` (spaces, ``*`` and colons ignored) and :func:`norm_loose`
(bracketed notes such as “（工作日）” ignored too).
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..constants import HandlingLevel
from .columns import Col

_BRACKETS = re.compile(r"[（(【\[].*?[）)】\]]")


def norm(text: Any) -> str:
    s = str(text or "").strip()
    s = re.sub(r"[\s*＊:：]", "", s)
    return s.lower()


def norm_loose(text: Any) -> str:
    return norm(_BRACKETS.sub("", str(text or "")))


class CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _Blank:
    """An empty cell of a non-text column: the field is left as it is (absent from the spec)."""


BLANK = _Blank()


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_TRUE = {"是", "y", "yes", "true", "1", "对", "√", "t"}
_FALSE = {"否", "n", "no", "false", "0", "错", "×", "f"}


def _parse_choice(raw: str, choices: Any, label: str) -> str:
    key = raw.strip()
    for value, text in choices.choices:
        if key == value or key == text or key.lower() == value:
            return value
    for value, text in choices.choices:
        if norm_loose(key) == norm_loose(text):
            return value
    allowed = "、".join(text for _, text in choices.choices)
    raise CellError(f"{label}“{raw}”无效，应为：{allowed}。")


def _parse_multi(raw: str, choices: Any, label: str) -> list[str]:
    out = []
    for part in re.split(r"[、,，;；\s]+", raw):
        if part:
            code = _parse_choice(part, choices, label)
            if code not in out:
                out.append(code)
    return out


def _parse_levels(raw: str) -> list[str]:
    out = []
    for part in re.split(r"[、,，;；\s]+", raw):
        if part:
            out.append(_parse_choice(part, HandlingLevel, "办理层级"))
    return out


def _parse_json_list(raw: str, label: str) -> list:
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise CellError(f"{label}不是有效的JSON：{exc.msg}（第{exc.lineno}行第{exc.colno}列）。") from exc
    if not isinstance(data, list):
        raise CellError(f"{label}应为JSON列表（以“[”开头）。")
    return data


def _parse_steps(raw: str) -> list:
    if raw.startswith("["):
        return _parse_json_list(raw, "办理流程")
    return [line.strip() for line in raw.splitlines() if line.strip()]


def _parse_faq(raw: str) -> list:
    if raw.startswith("["):
        return _parse_json_list(raw, "常见问题")
    items: list[dict] = []
    for line in raw.splitlines():
        line = line.strip()
        if not line:
            continue
        m = re.match(r"^(q|a|问|答)\s*[:：]\s*(.*)$", line, re.I)
        if not m:
            raise CellError(f"常见问题每行应以“Q:”或“A:”开头：“{line[:20]}”。")
        tag, text = m.group(1).lower(), m.group(2).strip()
        if tag in ("q", "问"):
            items.append({"q": text, "a": ""})
        else:
            if not items or items[-1]["a"]:
                raise CellError("常见问题中的“A:”行前须有“Q:”行。")
            items[-1]["a"] = text
    return items


def _parse_options(raw: str) -> list[dict]:
    opts = []
    for part in re.split(r"[;；\n]+", raw):
        part = part.strip()
        if not part:
            continue
        code, sep, label = re.split(r"([=＝])", part, maxsplit=1) if re.search(r"[=＝]", part) else (part, "", "")
        code, label = code.strip(), label.strip()
        if not sep or not code or not label:
            raise CellError(f"选项“{part}”应写作“编码=标签”，多个选项以分号分隔，如 first=首次申请;change=变更。")
        opts.append({"code": code, "label": label})
    return opts


def _parse_applies(raw: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in re.split(r"[;；\n]+", raw):
        part = part.strip()
        if not part:
            continue
        m = re.match(r"^([^=＝]+)[=＝](.+)$", part)
        if not m:
            raise CellError(f"适用情形“{part}”应写作“情形编码=选项,选项”，多个情形以分号分隔。")
        sit = m.group(1).strip()
        opts = [o.strip() for o in re.split(r"[,，、]", m.group(2)) if o.strip()]
        if not opts:
            raise CellError(f"适用情形“{part}”缺少选项。")
        out.setdefault(sit, []).extend(opts)
    return out


def parse_cell(col: Col, value: Any) -> Any:
    """Parse one cell; return ``BLANK`` for an empty cell of a non-text kind."""
    if col.kind == "json" and value is not None and not isinstance(value, str):
        raise CellError(f"{col.header}应为JSON。")
    raw = cell_text(value)
    if col.kind == "text":
        return raw
    if raw == "":
        return BLANK
    if col.kind == "int":
        if isinstance(value, float) and not value.is_integer():
            raise CellError(f"{col.header}应为整数：“{raw}”。")
        try:
            return int(raw)
        except ValueError:
            raise CellError(f"{col.header}应为整数：“{raw}”。") from None
    if col.kind == "bool":
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise CellError(f"{col.header}“{raw}”无效，应为 是/否。")
    if col.kind == "choice":
        return _parse_choice(raw, col.choices, col.header)
    if col.kind == "levels":
        return _parse_levels(raw)
    if col.kind == "multi":
        return _parse_multi(raw, col.choices, col.header)
    if col.kind == "steps":
        return _parse_steps(raw)
    if col.kind == "faq":
        return _parse_faq(raw)
    if col.kind == "json":
        return _parse_json_list(raw, col.header)
    if col.kind == "opts":
        return _parse_options(raw)
    if col.kind == "applies":
        return _parse_applies(raw)
    raise AssertionError(col.kind)  # pragma: no cover


def _label(choices: Any, value: str) -> str:
    return dict(choices.choices).get(value, value)


def _format_steps(steps: list) -> str:
    if all(isinstance(s, str) and s.strip() == s and s and "\n" not in s and not s.startswith("[") for s in steps):
        return "\n".join(steps)
    return json.dumps(steps, ensure_ascii=False)


def _format_faq(faq: list) -> str:
    def simple(item: Any) -> bool:
        return (isinstance(item, dict) and set(item) == {"q", "a"}
                and all(isinstance(item[k], str) and "\n" not in item[k] and item[k].strip() == item[k]
                        for k in ("q", "a"))
                and bool(item["q"]) and not item["q"].startswith("["))
    if all(simple(i) for i in faq):
        return "\n".join(f"Q: {i['q']}\nA: {i['a']}" if i["a"] else f"Q: {i['q']}" for i in faq)
    return json.dumps(faq, ensure_ascii=False)


def format_cell(col: Col, value: Any) -> Any:
    if col.kind == "int":
        return value if value is not None else None
    if col.kind == "bool":
        return "是" if value else "否"
    if col.kind == "choice":
        return _label(col.choices, value) if value else None
    if col.kind == "levels":
        return "、".join(_label(HandlingLevel, v) for v in value) or None
    if col.kind == "multi":
        return "、".join(_label(col.choices, v) for v in value or []) or None
    if col.kind == "steps":
        return _format_steps(value) if value else None
    if col.kind == "faq":
        return _format_faq(value) if value else None
    if col.kind == "json":
        return json.dumps(value, ensure_ascii=False) if value else None
    if col.kind == "opts":
        return ";".join(f"{o['code']}={o['label']}" for o in value)
    if col.kind == "applies":
        return ";".join(f"{k}={','.join(v)}" for k, v in (value or {}).items()) or None
    return value if value not in ("", None) else None


def given(values: dict[str, Any]) -> dict[str, Any]:
    """A row's values without its empty non-text cells."""
    return {k: v for k, v in values.items() if v is not BLANK}
