"""Catalogue import/export as an Excel workbook shaped like a 实施清单.

Sheets (names and headers are matched loosely: spaces, ``*`` markers and bracketed notes such as
“（工作日）” are ignored, and common synonyms are accepted, e.g. 实施主体/办理部门/部门):

* 事项 — one row per matter, keyed by 实施编码 (an existing matter with that code is updated).
* 情形 — 实施编码, 情形编码, 问题, 选项. Options are written ``code=标签`` separated by ``;``,
  e.g. ``first=首次申请;change=变更``. Row order is the display order.
* 材料 — 实施编码, 材料编码, 材料名称, 必要性, 原件/复印件, 份数, 载体, 来源, 电子证照类型 (code),
  出具单位, 适用情形, 示范文本, 空白样表, 审查要点, 备注. 适用情形 is ``情形编码=选项,选项`` joined by ``;``,
  e.g. ``apply_type=first,change;applicant=self``; empty means the material is always required.
* 部门 (optional) — 部门编码, 部门名称, 简称; missing departments are created in the centre given by
  ``--centre`` or else the first centre.
* 领域 (optional) — 编码, 名称, 号码前缀, 排序.
* 证照类型 (optional) — 编码, 名称, 发证部门 (department code), 有效期（年）.
* 一件事 (optional) — one row per matter of a one-thing bundle: 一件事编码, 一件事名称, 环节编码, 实施编码,
  前置环节 (item keys joined by 、 , or ;), 字段映射 (``共享字段=本事项字段;…``), 材料共享 (``本事项材料=共享键;…``),
  办结产出 (``credit_code=统一社会信用代码``), 说明. Imported after the matters through
  :func:`yichuang.bundles.services.bundle_save`; a bundle with a cycle is refused whole, the cycle named.

Cell encodings:

* Choices accept the Chinese label (行政许可, 承诺件, 必要, 复印件…) or the code; export writes labels.
* Booleans accept 是/否, Y/N, 1/0, true/false, 对/错; export writes 是/否.
* 可办理层级: labels or codes separated by 、 , ， ; or spaces (省级、市级、区县级).
* 服务对象 (个人、法人) and 主题 (开办企业、不动产…): labels or codes, separated the same way.
* 办理地点, 办理时间, 咨询电话, 监督投诉方式, 特别程序 (办事指南要素): text; blank place, hours and phone show
  the centre's own on the guide.
* 关键词: kept as written (comma-separated).
* 办理流程: one step per line; a cell starting with ``[`` is read as a JSON list.
* 常见问题: ``Q: 问题`` / ``A: 回答`` line pairs; a cell starting with ``[`` is read as JSON.
* 表单字段: JSON.

When a sheet is present it is authoritative for the matters it names: a matter in the 事项 sheet gets
exactly the situations/materials listed for it (possibly none). When the 情形 or 材料 sheet is absent the
matter keeps what it has. A material/situation row may also name a matter that exists only in the database.

Every write goes through :func:`yichuang.catalog.services.matter_save`, one savepoint per matter: if the
matter row or any of its situation/material rows is bad, nothing of that matter is written and every bad
row is reported with sheet, Excel row number (header = row 1), column and a Chinese reason.

Entry points: :func:`catalog_import_workbook` and :func:`catalog_export_workbook` (used by the
``yichuang import-catalog`` / ``export-catalog`` commands; meant for the API and pages too).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import IO, Any, Callable

from django.db import DatabaseError, transaction

from yichuang.accounts.models import Centre, Department
from yichuang.audit.services import audit_record
from yichuang.core.errors import DomainError, ValidationFailed

from .constants import (HandlingKind, HandlingLevel, MaterialForm, MaterialSource, MatterType, Medium, Necessity,
                        ResultKind, ServiceObject, Theme)
from .models import LicenceType, MaterialRequirement, Matter, Situation, WindowDomain
from .services import (MATTER_SCALARS, domain_save, licence_type_save, materials_validate, matter_save,
                       matter_validate, situations_validate)

# ---------------------------------------------------------------------------------------------------------
# Column specifications: (field, canonical header, synonyms, kind)
# kinds: text, int, bool, choice:<Enum>, multi:<Enum>, levels, steps, faq, json, opts, applies


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    synonyms: tuple[str, ...] = ()
    kind: str = "text"
    choices: Any = None


MATTER_COLS = (
    Col("implementation_code", "实施编码", ("事项实施编码", "编码")),
    Col("basic_code", "基本编码", ("事项基本编码",)),
    Col("name", "事项名称", ("名称", "事项")),
    Col("department", "实施主体", ("办理部门", "部门", "实施部门", "实施主体编码", "部门编码")),
    Col("domain", "窗口领域", ("领域", "办事领域", "窗口")),
    Col("matter_type", "事项类型", ("类型",), "choice", MatterType),
    Col("legal_limit_days", "法定办结时限", ("法定时限", "法定期限"), "int"),
    Col("promised_limit_days", "承诺办结时限", ("承诺时限", "承诺期限"), "int"),
    Col("handling_kind", "办件类型", (), "choice", HandlingKind),
    Col("charges", "是否收费", ("收费",), "bool"),
    Col("fee_description", "收费标准", ()),
    Col("fee_basis", "收费依据", ()),
    Col("visits_required", "到现场次数", ("到办事现场次数", "跑动次数"), "int"),
    Col("handling_levels", "可办理层级", ("办理层级", "就近办"), "levels"),
    Col("negative_list", "负面清单", ("是否负面清单", "不进驻中心"), "bool"),
    Col("result_kind", "办理结果", ("办理结果类型", "结果类型"), "choice", ResultKind),
    Col("result_licence_type", "结果证照", ("结果证照类型", "证照类型")),
    Col("result_name", "结果名称", ("结果名",)),
    Col("acceptance_conditions", "受理条件", ("申请条件",)),
    Col("legal_basis", "设定依据", ("法律依据", "依据")),
    Col("keywords", "关键词", ("关键字",)),
    Col("process_steps", "办理流程", ("流程",), "steps"),
    Col("faq", "常见问题", ("问答",), "faq"),
    Col("form_fields", "表单字段", (), "json"),
    Col("is_active", "是否启用", ("启用",), "bool"),
    Col("service_objects", "服务对象", ("面向对象", "服务对象类型"), "multi", ServiceObject),
    Col("themes", "主题", ("主题分类", "事项主题"), "multi", Theme),
    Col("handling_place", "办理地点", ("受理地点", "办理地址")),
    Col("handling_hours", "办理时间", ("受理时间", "办公时间")),
    Col("consult_phone", "咨询电话", ("咨询方式", "联系电话")),
    Col("complaint_channel", "监督投诉方式", ("监督投诉", "投诉方式", "投诉电话")),
    Col("special_procedures", "特别程序", ("特别程序及时限",)),
)
SITUATION_COLS = (
    Col("matter", "实施编码", ("事项实施编码", "事项编码")),
    Col("code", "情形编码", ("编码",)),
    Col("question", "问题", ("情形", "情形问题")),
    Col("options", "选项", ("情形选项",), "opts"),
)
MATERIAL_COLS = (
    Col("matter", "实施编码", ("事项实施编码", "事项编码")),
    Col("code", "材料编码", ("编码",)),
    Col("name", "材料名称", ("名称", "材料")),
    Col("necessity", "必要性", ("是否必要",), "choice", Necessity),
    Col("form", "原件/复印件", ("材料形式", "原件复印件", "形式"), "choice", MaterialForm),
    Col("copies", "份数", ("数量",), "int"),
    Col("medium", "载体", ("材料载体", "纸质/电子"), "choice", Medium),
    Col("source", "来源", ("材料来源", "来源渠道"), "choice", MaterialSource),
    Col("licence_type", "电子证照类型", ("可用电子证照", "电子证照", "证照类型")),
    Col("issuing_department", "出具单位", ("出具部门",)),
    Col("applies_when", "适用情形", (), "applies"),
    Col("sample_text", "示范文本", ("示例",)),
    Col("blank_form", "空白样表", ("空白表格",)),
    Col("review_points", "审查要点", ("审核要点",)),
    Col("notes", "备注", ("说明",)),
)
DEPARTMENT_COLS = (
    Col("code", "部门编码", ("编码",)),
    Col("name", "部门名称", ("名称",)),
    Col("short_name", "简称", ("部门简称",)),
)
DOMAIN_COLS = (
    Col("code", "编码", ("领域编码",)),
    Col("name", "名称", ("领域名称",)),
    Col("ticket_prefix", "号码前缀", ("前缀", "取号前缀")),
    Col("order", "排序", ("顺序",), "int"),
)
LICENCE_COLS = (
    Col("code", "编码", ("证照编码", "证照类型编码")),
    Col("name", "名称", ("证照名称",)),
    Col("issuing_department", "发证部门", ("发证单位",)),
    Col("validity_years", "有效期（年）", ("有效期", "有效年限"), "int"),
)

BUNDLE_COLS = (
    Col("bundle", "一件事编码", ("一件事",)),
    Col("bundle_name", "一件事名称", ("名称",)),
    Col("key", "环节编码", ("环节",)),
    Col("matter", "实施编码", ("事项实施编码", "事项编码")),
    Col("requires", "前置环节", ("前置事项", "依赖")),
    Col("field_map", "字段映射", ("共享字段",)),
    Col("material_map", "材料共享", ("共享材料",)),
    Col("produces", "办结产出", ("产出字段",)),
    Col("description", "说明", ("一件事说明",)),
)

SHEET_MATTERS, SHEET_SITUATIONS, SHEET_MATERIALS = "事项", "情形", "材料"
SHEET_DEPARTMENTS, SHEET_DOMAINS, SHEET_LICENCES = "部门", "领域", "证照类型"
SHEET_BUNDLES = "一件事"
SHEETS: dict[str, tuple[tuple[Col, ...], tuple[str, ...]]] = {
    SHEET_DEPARTMENTS: (DEPARTMENT_COLS, ("部门清单", "实施主体")),
    SHEET_DOMAINS: (DOMAIN_COLS, ("窗口领域", "办事领域")),
    SHEET_LICENCES: (LICENCE_COLS, ("证照", "电子证照类型")),
    SHEET_MATTERS: (MATTER_COLS, ("事项清单", "实施清单", "事项表")),
    SHEET_SITUATIONS: (SITUATION_COLS, ("情形清单", "办理情形")),
    SHEET_MATERIALS: (MATERIAL_COLS, ("材料清单", "申请材料")),
    SHEET_BUNDLES: (BUNDLE_COLS, ("一件事清单", "一件事一次办")),
}
SHEET_ORDER = (SHEET_MATTERS, SHEET_SITUATIONS, SHEET_MATERIALS, SHEET_DEPARTMENTS, SHEET_DOMAINS, SHEET_LICENCES,
               SHEET_BUNDLES)

_BRACKETS = re.compile(r"[（(【\[].*?[）)】\]]")


def _norm(text: Any) -> str:
    s = str(text or "").strip()
    s = re.sub(r"[\s*＊:：]", "", s)
    return s.lower()


def _norm_loose(text: Any) -> str:
    return _norm(_BRACKETS.sub("", str(text or "")))


# ---------------------------------------------------------------------------------------------------------
# Report


@dataclass
class RowError:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        col = f" {self.column}" if self.column else ""
        return f"[{self.sheet}] 第{self.row}行{col}: {self.message}"


@dataclass
class ImportReport:
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    departments: int = 0
    domains: int = 0
    licence_types: int = 0
    bundles: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def failed_rows(self) -> int:
        return len({(e.sheet, e.row) for e in self.errors})

    def error(self, sheet: str, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(sheet, row, column, message))

    def summary(self) -> str:
        prefix = "（试运行，未写入）" if self.dry_run else ""
        return (f"{prefix}导入 {self.created + self.updated} 个事项（新建 {self.created}，更新 {self.updated}），"
                f"保存部门 {self.departments} 个、领域 {self.domains} 个、证照类型 {self.licence_types} 个；"
                + (f"一件事 {self.bundles} 个；" if self.bundles else "") +
                f"失败 {self.failed_rows} 行，警告 {len(self.warnings)} 条。")

    def lines(self) -> list[str]:
        return [self.summary(), *[f"警告：{w}" for w in self.warnings], *[str(e) for e in self.errors]]

    def as_dict(self) -> dict:
        return {"dry_run": self.dry_run, "created": self.created, "updated": self.updated,
                "departments": self.departments, "domains": self.domains, "licence_types": self.licence_types, "bundles": self.bundles,
                "errors": [e.__dict__ for e in self.errors], "warnings": self.warnings, "ok": self.ok}


class CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------------------------------------
# Cell parsing / formatting


def _text(value: Any) -> str:
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
        if _norm_loose(key) == _norm_loose(text):
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


def _parse_cell(col: Col, value: Any) -> Any:
    """Parse one cell; return ``_BLANK`` for an empty cell of a non-text kind."""
    if col.kind == "json" and value is not None and not isinstance(value, str):
        raise CellError(f"{col.header}应为JSON。")
    raw = _text(value)
    if col.kind == "text":
        return raw
    if raw == "":
        return _BLANK
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


class _Blank:
    pass


_BLANK = _Blank()


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


def _format_cell(col: Col, value: Any) -> Any:
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


# ---------------------------------------------------------------------------------------------------------
# Reading


@dataclass
class _Row:
    sheet: str
    number: int
    values: dict[str, Any]  # parsed; key absent when the column is absent
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)


def _match_sheet(title: str) -> str | None:
    n, loose = _norm(title), _norm_loose(title)
    for canonical, (_cols, synonyms) in SHEETS.items():
        names = {_norm(canonical), *(_norm(s) for s in synonyms)}
        if n in names or loose in names:
            return canonical
    return None


def _match_headers(sheet: str, header_row: tuple, cols: tuple[Col, ...],
                   report: ImportReport) -> dict[int, Col]:
    mapping: dict[int, Col] = {}
    used: set[str] = set()
    for idx, head in enumerate(header_row):
        if head is None or _text(head) == "":
            continue
        found = None
        for normaliser in (_norm, _norm_loose):
            key = normaliser(head)
            for col in cols:
                if col.key in used:
                    continue
                if key == normaliser(col.header):
                    found = col
                    break
            if found is None:
                for col in cols:
                    if col.key not in used and key in {normaliser(s) for s in col.synonyms}:
                        found = col
                        break
            if found:
                break
        if found is None:
            report.warnings.append(f"[{sheet}] 未识别的列“{_text(head)}”，已忽略。")
            continue
        used.add(found.key)
        mapping[idx] = found
    return mapping


def _read_sheet(ws: Any, sheet: str, cols: tuple[Col, ...], required: tuple[str, ...],
                report: ImportReport) -> list[_Row] | None:
    rows_iter = ws.iter_rows(values_only=True)
    header = next(rows_iter, None)
    if header is None:
        return []
    mapping = _match_headers(sheet, header, cols, report)
    present = {c.key for c in mapping.values()}
    missing = [c.header for c in cols if c.key in required and c.key not in present]
    if missing:
        report.error(sheet, 1, "", f"缺少必需的列：{'、'.join(missing)}。")
        return None
    out = []
    for number, cells in enumerate(rows_iter, start=2):
        if all(_text(c) == "" for c in cells):
            continue
        row = _Row(sheet, number, {})
        for idx, col in mapping.items():
            value = cells[idx] if idx < len(cells) else None
            try:
                row.values[col.key] = _parse_cell(col, value)
            except CellError as exc:
                row.errors.append((col.header, exc.message))
        out.append(row)
    return out


def _header_for(cols: tuple[Col, ...], key: str | None) -> str:
    for col in cols:
        if col.key == key:
            return col.header
    return ""


def _check_lengths(row: _Row, cols: tuple[Col, ...], model: Any) -> None:
    for col in cols:
        value = row.values.get(col.key)
        if col.kind != "text" or not isinstance(value, str):
            continue
        try:
            max_length = model._meta.get_field(col.key).max_length
        except Exception:  # noqa: BLE001 - not a model field (e.g. the matter key)
            continue
        if max_length and len(value) > max_length:
            row.errors.append((col.header, f"{col.header}过长（{len(value)}字，最多{max_length}字）。"))


def _report_row(report: ImportReport, row: _Row) -> None:
    for column, message in row.errors:
        report.error(row.sheet, row.number, column, message)


def _given(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not _BLANK}


# ---------------------------------------------------------------------------------------------------------
# Import


def _open_workbook(path_or_file: Any) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(path_or_file, read_only=True, data_only=True)
    except FileNotFoundError:
        raise ValidationFailed(f"文件不存在：{path_or_file}", f"No such file: {path_or_file}", field="file") from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ValidationFailed(
            "无法打开Excel文件，请确认它是 .xlsx 格式的工作簿。",
            f"Cannot open the workbook; is it an .xlsx file? ({type(exc).__name__})", field="file") from None


def catalog_import_workbook(*, path_or_file: str | IO[bytes] | Any, dry_run: bool = False,
                            centre: Centre | str | None = None, actor: Any = None) -> ImportReport:
    """Import a 实施清单 workbook; return a report. Raises ValidationFailed only when the file itself is unusable
    (not an xlsx, no recognisable sheet, unknown centre)."""
    wb = _open_workbook(path_or_file)
    report = ImportReport(dry_run=dry_run)
    try:
        sheets: dict[str, Any] = {}
        for ws in wb.worksheets:
            canonical = _match_sheet(ws.title)
            if canonical is None:
                report.warnings.append(f"未识别的工作表“{ws.title}”，已忽略。")
            elif canonical in sheets:
                report.warnings.append(f"工作表“{ws.title}”与前面的“{canonical}”表重复，已忽略。")
            else:
                sheets[canonical] = ws
        if not sheets:
            raise ValidationFailed("工作簿中没有可识别的工作表（事项、情形、材料、部门、领域、证照类型）。",
                                   "The workbook has no recognisable sheet.", field="file")
        required = {SHEET_MATTERS: ("implementation_code",), SHEET_SITUATIONS: ("matter", "code"),
                    SHEET_MATERIALS: ("matter",), SHEET_DEPARTMENTS: ("code",), SHEET_DOMAINS: ("code",),
                    SHEET_LICENCES: ("code",), SHEET_BUNDLES: ("bundle", "key", "matter")}
        data: dict[str, list[_Row] | None] = {}
        for name, ws in sheets.items():
            data[name] = _read_sheet(ws, name, SHEETS[name][0], required[name], report)
    finally:
        wb.close()

    with transaction.atomic():
        if data.get(SHEET_DEPARTMENTS):
            _import_departments(data[SHEET_DEPARTMENTS], centre, report, actor)
        if data.get(SHEET_DOMAINS):
            _import_simple(data[SHEET_DOMAINS], report, _save_domain, "domains")
        if data.get(SHEET_LICENCES):
            _import_simple(data[SHEET_LICENCES], report, _save_licence, "licence_types")
        _import_matters(data, report, actor)
        if data.get(SHEET_BUNDLES):
            from yichuang.bundles.excel import bundle_rows_import

            bundle_rows_import(data[SHEET_BUNDLES], report, actor)
        if dry_run:
            transaction.set_rollback(True)
    rank = {name: i for i, name in enumerate(SHEET_ORDER)}
    report.errors.sort(key=lambda e: (rank.get(e.sheet, 99), e.row))
    return report


def _resolve_centre(centre: Centre | str | None) -> Centre | None:
    if isinstance(centre, Centre):
        return centre
    if centre:
        found = Centre.objects.filter(code=str(centre)).first() or Centre.objects.filter(name=str(centre)).first()
        if found is None:
            raise ValidationFailed(f"未知服务中心“{centre}”。", f"Unknown centre {centre!r}.", field="centre")
        return found
    return Centre.objects.order_by("id").first()


def _import_departments(rows: list[_Row], centre: Centre | str | None, report: ImportReport, actor: Any) -> None:
    from yichuang.accounts.services import department_create

    target = _resolve_centre(centre)
    seen: dict[str, int] = {}
    for row in rows:
        _check_lengths(row, DEPARTMENT_COLS, Department)
        v = _given(row.values)
        code, name = v.get("code", ""), v.get("name", "")
        if not code:
            row.errors.append(("部门编码", "部门编码不能为空。"))
        elif code in seen:
            row.errors.append(("部门编码", f"部门编码“{code}”与第{seen[code]}行重复。"))
        else:
            seen[code] = row.number
        if not row.errors:
            existing = Department.objects.filter(code=code).first()
            short = v.get("short_name", "")
            try:
                with transaction.atomic():
                    if existing is None:
                        if not name:
                            raise ValidationFailed("部门名称不能为空。", "Department name is required.", field="name")
                        if target is None:
                            raise ValidationFailed("尚无服务中心，无法新建部门；请先创建中心。",
                                                   "No centre exists to hold new departments.", field="code")
                        department_create(code=code, name=name, centre=target, short_name=short)
                    elif (name and name != existing.name) or (short and short != existing.short_name):
                        before = {"name": existing.name, "short_name": existing.short_name}
                        existing.name = name or existing.name
                        existing.short_name = short or existing.short_name
                        existing.save(update_fields=["name", "short_name"])
                        audit_record(actor=actor, action="department.update", obj=existing, before=before,
                                     after={"name": existing.name, "short_name": existing.short_name})
                report.departments += 1
            except DomainError as exc:
                row.errors.append((_header_for(DEPARTMENT_COLS, exc.field) or "", exc.message))
        _report_row(report, row)


def _save_domain(v: dict[str, Any]) -> None:
    domain_save(code=v.get("code", ""), name=v.get("name", ""), ticket_prefix=v.get("ticket_prefix", ""),
                order=v.get("order", 0))


def _save_licence(v: dict[str, Any]) -> None:
    dept = None
    if v.get("issuing_department"):
        raw = v["issuing_department"]
        dept = Department.objects.filter(code=raw).first() or Department.objects.filter(name=raw).first()
        if dept is None:
            raise ValidationFailed(f"未知发证部门“{raw}”。", f"Unknown issuing department {raw!r}.",
                                   field="issuing_department")
    if not v.get("name"):
        raise ValidationFailed("证照名称不能为空。", "Licence type name is required.", field="name")
    licence_type_save(code=v["code"], name=v["name"], issuing_department=dept, validity_years=v.get("validity_years"))


def _import_simple(rows: list[_Row], report: ImportReport, save: Callable[[dict], None], counter: str) -> None:
    cols = DOMAIN_COLS if counter == "domains" else LICENCE_COLS
    model = WindowDomain if counter == "domains" else LicenceType
    seen: dict[str, int] = {}
    for row in rows:
        _check_lengths(row, cols, model)
        v = _given(row.values)
        code = v.get("code", "")
        if not code:
            row.errors.append(("编码", "编码不能为空。"))
        elif code in seen:
            row.errors.append(("编码", f"编码“{code}”与第{seen[code]}行重复。"))
        else:
            seen[code] = row.number
        if not row.errors:
            try:
                with transaction.atomic():
                    save(v)
                setattr(report, counter, getattr(report, counter) + 1)
            except DomainError as exc:
                row.errors.append((_header_for(cols, exc.field), exc.message))
            except DatabaseError:
                row.errors.append(("", "名称或号码前缀与已有记录重复。"))
        _report_row(report, row)


def _spec_from_db(matter: Matter) -> dict[str, Any]:
    spec = {k: getattr(matter, k) for k in MATTER_SCALARS}
    spec.update(implementation_code=matter.implementation_code, department=matter.department,
                domain=matter.domain, result_licence_type=matter.result_licence_type)
    return spec


def _import_matters(data: dict[str, list[_Row] | None], report: ImportReport, actor: Any) -> None:
    matter_rows = data.get(SHEET_MATTERS) or []
    sit_rows = data.get(SHEET_SITUATIONS) or []
    mat_rows = data.get(SHEET_MATERIALS) or []
    has_sits = data.get(SHEET_SITUATIONS) is not None and SHEET_SITUATIONS in data
    has_mats = data.get(SHEET_MATERIALS) is not None and SHEET_MATERIALS in data

    # Matter rows by code; later duplicates are errors.
    by_code: dict[str, _Row] = {}
    order: list[str] = []
    for row in matter_rows:
        _check_lengths(row, MATTER_COLS, Matter)
        code = row.values.get("implementation_code", "")
        if not code:
            row.errors.append(("实施编码", "实施编码不能为空。"))
            _report_row(report, row)
            continue
        if code in by_code:
            row.errors.append(("实施编码", f"实施编码“{code}”与第{by_code[code].number}行重复。"))
            _report_row(report, row)
            continue
        by_code[code] = row
        order.append(code)

    sits_for: dict[str, list[_Row]] = {}
    for row in sit_rows:
        _check_lengths(row, SITUATION_COLS, Situation)
        code = row.values.get("matter", "")
        sits_for.setdefault(code, []).append(row)
    mats_for: dict[str, list[_Row]] = {}
    for row in mat_rows:
        _check_lengths(row, MATERIAL_COLS, MaterialRequirement)
        code = row.values.get("matter", "")
        mats_for.setdefault(code, []).append(row)

    # Child rows for matters not in the matter sheet: they must exist in the database.
    for code in list(sits_for) + list(mats_for):
        if code in by_code or code in order:
            continue
        if code and Matter.objects.filter(implementation_code=code).exists():
            order.append(code)
            continue
        for row in sits_for.pop(code, []) + mats_for.pop(code, []):
            msg = "实施编码不能为空。" if not code else f"所属事项不存在：实施编码“{code}”既不在事项表中，也不在系统中。"
            prefix = "材料" if row.sheet == SHEET_MATERIALS else "情形"
            row.errors.append(("实施编码", f"{prefix}{msg}" if code else msg))
            _report_row(report, row)

    for code in order:
        _import_one(code, by_code.get(code), sits_for.get(code, []), mats_for.get(code, []),
                    has_sits, has_mats, report, actor)


def _import_one(code: str, mrow: _Row | None, srows: list[_Row], trows: list[_Row], has_sits: bool,
                has_mats: bool, report: ImportReport, actor: Any) -> None:
    existing = Matter.objects.filter(implementation_code=code).select_related("department", "domain").first()
    spec: dict[str, Any] | None = None
    if mrow is not None:
        if not mrow.errors:
            spec = _given(mrow.values)
            try:
                matter_validate(spec)
            except DomainError as exc:
                mrow.errors.append((_header_for(MATTER_COLS, exc.field), exc.message))
    else:
        spec = _spec_from_db(existing)

    # Situations: each row on its own, then duplicates.
    situations: list[dict] = []
    seen: dict[str, int] = {}
    for row in srows:
        v = _given(row.values)
        sit = {"code": v.get("code", ""), "question": v.get("question", ""), "options": v.get("options", [])}
        if not row.errors:
            if not sit["question"]:
                row.errors.append(("问题", "情形问题不能为空。"))
            elif sit["code"] in seen:
                row.errors.append(("情形编码", f"情形编码“{sit['code']}”与第{seen[sit['code']]}行重复。"))
            else:
                try:
                    situations_validate([sit])
                except DomainError as exc:
                    column = "情形编码" if not sit["code"] else "选项"
                    row.errors.append((column, exc.message))
        if sit["code"] and sit["code"] not in seen:
            seen[sit["code"]] = row.number
        situations.append(sit)

    # A present sheet is authoritative for matters in the matter sheet and for matters it names itself.
    sits_arg = situations if has_sits and (mrow is not None or srows) else None
    known_sits = situations if sits_arg is not None else (
        [{"code": s.code, "question": s.question, "options": s.options} for s in existing.situations.all()]
        if existing else [])
    materials: list[dict] = []
    mseen: dict[str, int] = {}
    for index, row in enumerate(trows):
        v = _given(row.values)
        mat = {k: v[k] for k in v if k != "matter"}
        if not row.errors:
            mcode = mat.get("code") or f"M{index + 1:02d}"
            mat["code"] = mcode
            if mcode in mseen:
                row.errors.append(("材料编码", f"材料编码“{mcode}”与第{mseen[mcode]}行重复。"))
            else:
                mseen[mcode] = row.number
                try:
                    materials_validate([mat], known_sits)
                except DomainError as exc:
                    row.errors.append((_material_column(exc.message), exc.message))
        materials.append(mat)

    mats_arg = materials if has_mats and (mrow is not None or trows) else None
    bad = [r for r in [mrow, *srows, *trows] if r is not None and r.errors]
    if bad:
        if mrow is not None and not mrow.errors:
            mrow.errors.append(("", f"事项“{code}”的情形或材料行有误，本事项未导入。"))
            bad.insert(0, mrow)
        for r in bad:
            _report_row(report, r)
        return
    assert spec is not None
    try:
        with transaction.atomic():
            matter_save(spec=spec, situations=sits_arg, materials=mats_arg, actor=actor)
    except DomainError as exc:
        target = mrow or (trows or srows)[0]
        report.error(target.sheet, target.number, "", exc.message)
        return
    except DatabaseError as exc:
        target = mrow or (trows or srows)[0]
        report.error(target.sheet, target.number, "", f"数据库拒绝保存：{type(exc).__name__}。")
        return
    if existing:
        report.updated += 1
    else:
        report.created += 1


def _material_column(message: str) -> str:
    for needle, header in (("材料名称不能为空", "材料名称"), ("未知证照类型", "电子证照类型"), ("未知情形", "适用情形"),
                           ("的未知选项", "适用情形"), ("的份数", "份数"), ("的必要性", "必要性"),
                           ("的原件/复印件", "原件/复印件"), ("的载体", "载体"), ("的来源", "来源")):
        if needle in message:
            return header
    return ""


# ---------------------------------------------------------------------------------------------------------
# Export


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _write_sheet(wb: Any, title: str, cols: tuple[Col, ...], rows: list[list[Any]]) -> None:
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet(title)
    ws.append([c.header for c in cols])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_ILLEGAL.sub("", v) if isinstance(v, str) else v for v in row])
        for cell in ws[ws.max_row]:
            # Text that starts with “=” is data, never a formula (and never formula injection).
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    for idx, col in enumerate(cols, start=1):
        letter = ws.cell(row=1, column=idx).column_letter
        ws.column_dimensions[letter].width = 12 if col.kind in ("int", "bool", "choice") else 24
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and "\n" in cell.value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"


def catalog_export_workbook(*, path_or_file: str | IO[bytes] | Any) -> dict[str, int]:
    """Write the whole catalogue (with departments, domains and licence types it uses) in the import format.
    Returns row counts per sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    matters = list(Matter.objects.select_related("department", "domain", "result_licence_type")
                   .order_by("implementation_code"))
    matter_rows, sit_rows, mat_rows = [], [], []
    for m in matters:
        values = {c.key: getattr(m, c.key) for c in MATTER_COLS if c.key in MATTER_SCALARS}
        values.update(implementation_code=m.implementation_code, department=m.department.code, domain=m.domain.code,
                      result_licence_type=m.result_licence_type.code if m.result_licence_type_id else "")
        matter_rows.append([_format_cell(c, values[c.key]) for c in MATTER_COLS])
        for s in m.situations.order_by("order", "id"):
            v = {"matter": m.implementation_code, "code": s.code, "question": s.question, "options": s.options}
            sit_rows.append([_format_cell(c, v[c.key]) for c in SITUATION_COLS])
        for t in m.materials.select_related("licence_type").order_by("order", "id"):
            v = {c.key: getattr(t, c.key, None) for c in MATERIAL_COLS}
            v.update(matter=m.implementation_code, licence_type=t.licence_type.code if t.licence_type_id else "")
            mat_rows.append([_format_cell(c, v[c.key]) for c in MATERIAL_COLS])
    _write_sheet(wb, SHEET_MATTERS, MATTER_COLS, matter_rows)
    _write_sheet(wb, SHEET_SITUATIONS, SITUATION_COLS, sit_rows)
    _write_sheet(wb, SHEET_MATERIALS, MATERIAL_COLS, mat_rows)
    depts = [[d.code, d.name, d.short_name or None] for d in Department.objects.order_by("code")]
    _write_sheet(wb, SHEET_DEPARTMENTS, DEPARTMENT_COLS, depts)
    domains = [[d.code, d.name, d.ticket_prefix, d.order] for d in WindowDomain.objects.order_by("order", "code")]
    _write_sheet(wb, SHEET_DOMAINS, DOMAIN_COLS, domains)
    lts = [[lt.code, lt.name, lt.issuing_department.code if lt.issuing_department_id else None, lt.validity_years]
           for lt in LicenceType.objects.select_related("issuing_department").order_by("code")]
    _write_sheet(wb, SHEET_LICENCES, LICENCE_COLS, lts)
    from yichuang.bundles.excel import bundle_rows_export

    bundles = bundle_rows_export()
    _write_sheet(wb, SHEET_BUNDLES, BUNDLE_COLS, [[_format_cell(c, row[c.key]) for c in BUNDLE_COLS] for row in bundles])
    wb.save(path_or_file)
    return {SHEET_MATTERS: len(matter_rows), SHEET_SITUATIONS: len(sit_rows), SHEET_MATERIALS: len(mat_rows),
            SHEET_DEPARTMENTS: len(depts), SHEET_DOMAINS: len(domains), SHEET_LICENCES: len(lts),
            SHEET_BUNDLES: len(bundles)}
