"""The columns of the catalogue's own sheets: for each, the model field it fills, its header, the other headers
accepted for it and how its cells are written (see :mod:`.cells`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..constants import (HandlingKind, MaterialForm, MaterialSource, MatterType, Medium, Necessity, ResultKind,
                         ServiceObject, Theme)


@dataclass(frozen=True)
class Col:
    """One column. ``kind``: text, int, bool, choice (``choices`` an enum), multi (a list of ``choices``), levels,
    steps, faq, json, opts (situation options), applies (a material's 适用情形)."""

    key: str
    header: str
    synonyms: tuple[str, ...] = ()
    kind: str = "text"
    choices: Any = None


def header_for(cols: tuple[Col, ...], field: str | None) -> str:
    """The header of the column that fills ``field``: a column key, or a service error's field such as
    ``materials.2.licence_type`` (the last part is the key); ``""`` when no column fills it."""
    key = (field or "").rsplit(".", 1)[-1]
    return next((col.header for col in cols if col.key == key), "")


def field_place(field: str | None) -> tuple[str, int | None]:
    """The list and position a service error's field names: ``materials.2.licence_type`` → ``("materials", 2)``;
    ``promised_limit_days`` → ``("", None)``."""
    parts = (field or "").split(".")
    if len(parts) == 3 and parts[1].isdigit():
        return parts[0], int(parts[1])
    return "", None


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
